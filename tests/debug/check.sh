#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/debug/check.sh: `make check-debug`.  Boots the debug kernel
# (tests/debug/kernel.sh: KASAN, UBSAN, kmemleak, lockdep, PROVE_RCU,
# DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS, SLUB_DEBUG_ON, DEBUG_PAGEALLOC,
# failslab, KUnit) with panic_on_warn=1 in the tests/run.sh harness and
# runs the whole functional suite (tests/suites) plus the debug suites
# (tests/debug/suites: KUnit, torture, fault injection, fuzzing, kmemleak).
# The verdicts are printed at the end, after the final kmemleak scan.
#
#   tests/debug/check.sh [--src DIR] [--log-name NAME] [--tests GLOBS]
#
#   --src DIR        build taskmonitor from DIR instead of src/ (the
#                    planted-bug check uses this on patched copies)
#   --log-name NAME  serial log build/logs/NAME.log (default debug-6.12)
#   --tests GLOBS    only these tests (as tests/run.sh --tests); the
#                    kmemleak baseline and final scan always run
#   --bare           with --tests: only those, not the kmemleak scans
#
# Environment: TESTS (as --tests), TM_FUZZ_SEED (the fuzzer's seed,
# printed by the fuzz suite; default fixed), TM_FUZZ_ITER, TM_TIMEOUT_SCALE
# (multiplies every test's timeout, default 3), TM_CACHE, TM_BUILD, JOBS,
# TM_MEM (guest MiB, default 1024), TM_DEBUG_APPEND (more kernel parameters).
# Exit status: 0 all passed, 1 something failed, 2 set-up error.

set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/host.sh disable=SC1091
. "$here/../lib/host.sh"

src=$TM_TOP/src
log_name=debug-6.12
sel=${TESTS:-}
bare=0
while [ $# -gt 0 ]; do
	case $1 in
	--src) src=$(realpath "$2"); shift ;;
	--log-name) log_name=$2; shift ;;
	--tests) sel=$2; shift ;;
	--bare) bare=1 ;;
	-h | --help) sed -n '4,25p' "$0"; exit 0 ;;
	*) tm_die "usage: tests/debug/check.sh [--src DIR] [--log-name NAME] [--tests GLOBS [--bare]]" ;;
	esac
	shift
done

seed=${TM_FUZZ_SEED:-20251123}
iter=${TM_FUZZ_ITER:-4000}
# The suites' timeouts are meant for Debian's kernels; this one is slower.
scale=${TM_TIMEOUT_SCALE:-3}
case $seed$iter$scale in *[!0-9]*) tm_die "TM_FUZZ_SEED, TM_FUZZ_ITER and TM_TIMEOUT_SCALE are decimal numbers" ;; esac

t0=$(date +%s)
kdir=$("$here/kernel.sh" build)/build
kver=$(cat "$kdir/include/config/kernel.release")
work=$TM_BUILD/$kver/debug-$log_name
mkdir -p "$work"

# The module under test, and the KUnit module, built against the debug
# kernel from a private copy (the harness's own build dir is left alone).
build_mod() {
	local name=$1 from=$2 out=$work/$1
	shift 2
	tm_sync_tree "$from" "$out"
	cp -p "$TM_TOP/VERSION" "$work/VERSION"
	if ! make -j"$JOBS" -C "$kdir" M="$out" W=1 "$@" modules >"$out.log" 2>&1; then
		tail -n 20 "$out.log" >&2
		tm_die "$name does not build against the debug kernel (log: $out.log)"
	fi
}
build_mod module "$src"
build_mod kunit "$TM_TOP/src" TM_KUNIT=m
[ -f "$work/kunit/taskmonitor_kunit.ko" ] || tm_die "TM_KUNIT=m built no taskmonitor_kunit.ko"

# The debug suites and their library, laid over the initramfs.
overlay=$work/overlay
rm -rf "$overlay"
mkdir -p "$overlay/tm/suites" "$overlay/tm/debug"
cp "$here"/suites/*.sh "$overlay/tm/suites/"
cp "$here/guest/lib.sh" "$overlay/tm/debug/lib.sh"

if [ -n "$sel" ] && [ "$sel" != '*' ]; then
	[ $bare = 1 ] || sel="$sel,0-leakcheck/*,zzz-leakcheck/*"
else
	sel='*'
fi

results=$work/results
: >"$results"
rc=0
# The kernel is built with DEBUG_PAGEALLOC and SLUB_DEBUG_ON, both off at
# boot by default here: KASAN already finds the out-of-bounds and
# use-after-free accesses they find (with the allocation and free stack
# of the object), and under TCG they took nearly half the run (every page freed
# is unmapped with a TLB flush, every slab object poisoned and its
# stacks saved twice).  TM_DEBUG_APPEND="debug_pagealloc=on
# slub_debug=FZPU" (or any kernel parameters) puts them back.
append="debug_pagealloc=off slub_debug=- ${TM_DEBUG_APPEND:-}"
# boot NAME GLOBS: one boot of the debug kernel running GLOBS.
boot() {
	TM_MEM=${TM_MEM:-1024} "$TM_TOP/tests/run.sh" -q \
		--image "$kdir/arch/x86/boot/bzImage" --kdir "$kdir" \
		--ko "$work/module/taskmonitor.ko" \
		--ko "$work/kunit/taskmonitor_kunit.ko" \
		--overlay "$overlay" \
		--append "$append panic_on_warn=1 kmemleak=on kunit.enable=1 tm_timeout_scale=$scale tm_fuzz_seed=$seed tm_fuzz_iter=$iter" \
		--tests "$2" --grace 300 --timeout 7200 \
		--log-name "$1" --results "$results" || rc=$?
}
# Lockdown cannot be lifted, and under it the kmemleak file cannot be
# opened: zz_lockdown gets a boot of its own, after the one that ends
# with the final kmemleak scan.
#
# memory/test_memory_hog_no_oom is not run here: it asks for more than
# MemAvailable, counting on the shrinker's frees to come back at once,
# but KASAN's quarantine holds freed objects (up to 1/32 of memory) and
# kmemleak frees its metadata after an RCU grace period, so here the hog
# meets the OOM killer whatever the module does.  In this kernel
# torture/test_torture_memory_edge drives the guest to the edge of OOM
# instead, stepping back at the watermarks.
#
# Nor are the tests that would add no kernel path to what the others run
# here, and whose point is a comparison make check makes on Debian's
# kernels: ctl/* (the tool's figures; its reads and writes are the write
# and format suites'), format/test_format_values_match_proc (the values
# against /proc) and unload/test_unload_load_cycles (twenty cycles, where
# torture/test_torture_load_unload_cycles runs more, under load).
skip=(memory/test_memory_hog_no_oom 'ctl/*' format/test_format_values_match_proc unload/test_unload_load_cycles)
echo "== check-debug: not run in this kernel: ${skip[*]} (see tests/debug/check.sh)"
boot "$log_name" "$sel,!zz_lockdown/*$(printf ',!%s' "${skip[@]}")"
case $sel in
'*' | *lockdown*) boot "$log_name-lockdown" 'zz_lockdown/*' ;;
esac

# Verdicts, now that the last test (the final kmemleak scan) has run.
echo "== check-debug: $kver, fuzz seed $seed ($iter iterations; replay with TM_FUZZ_SEED=$seed)"
sed -n 's/^TM-RESULT //p' "$results"
pass=$(grep -c '^TM-RESULT PASS' "$results" || true)
failed=$(grep -c '^TM-RESULT FAIL' "$results" || true)
echo "check-debug: $(($(date +%s) - t0)) s, serial logs $TM_BUILD/logs/$log_name*.log"
echo "$pass passed, $failed failed"
if [ "$failed" != 0 ] || [ "$pass" = 0 ] || [ "$rc" != 0 ]; then
	exit 1
fi
