#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the run_* functions are called through check()
#
# tests/lint.sh: `make lint`, also a stage of `make check`.  Static checks,
# each a TM-RESULT line:
#   lint/checkpatch     scripts/checkpatch.pl --strict on src/ (the script,
#                       spelling.txt and const_structs.checkpatch come
#                       from Debian's linux-source-6.12, extracted into
#                       $TM_CACHE/lint by tests/debug/kernel.sh tools)
#   lint/sparse-SERIES  sparse (C=2) on src/ against the generic headers of
#                       each series, and on src/kunit/ against 6.12's: no
#                       warning at all
#   lint/shellcheck     shellcheck on every shell script of the repository
#   lint/clang-format   clang-format with the kernel's .clang-format from
#                       the same tarball wants no change in src/
#
#   tests/lint.sh [--results FILE] [--only NAME]
#
# Exit status: 0 all clean, 1 something is not, 2 set-up error.

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib/host.sh"

results=
only=
while [ $# -gt 0 ]; do
	case $1 in
	--results) results=$(realpath -m "$2"); shift ;;
	--only) only=$2; shift ;;
	*) tm_die "usage: tests/lint.sh [--results FILE] [--only NAME]" ;;
	esac
	shift
done

out=$TM_BUILD/lint
mkdir -p "$out"
failed=0

result() {
	local status=$1 name=$2 reason=${3:-}
	echo "TM-RESULT $status lint/$name${reason:+: $reason}"
	[ -z "$results" ] || echo "TM-RESULT $status lint/$name${reason:+: $reason}" >>"$results"
	[ "$status" = PASS ] || failed=1
}

# check NAME CMD...: run CMD with its output in $out/NAME.log; PASS when
# it succeeds and prints nothing.
check() {
	local name=$1 log=$out/$1.log
	shift
	[ -z "$only" ] || [ "$only" = "$name" ] || return 0
	if "$@" >"$log" 2>&1 && [ ! -s "$log" ]; then
		result PASS "$name"
	else
		cat "$log" >&2
		result FAIL "$name" "$(grep -c . "$log") lines of complaints, first: $(grep -m 1 . "$log" | cut -c 1-200) (log: $log)"
	fi
}

cd "$TM_TOP"
tools=$(tests/debug/kernel.sh tools) || tm_die "no linux-source-6.12: run 'make deps'"
mapfile -t csrc < <(find src -name '*.[ch]' ! -name '*.mod.c' ! -name 'tm_probes.h' | sort)

# With --terse, checkpatch prints a "total:" line for every file, even a
# clean one and even with --quiet: only such clean totals count as silence.
run_checkpatch() {
	local out rc=0
	out=$("$tools/checkpatch.pl" --strict --no-tree --terse --show-types \
		--quiet -f "${csrc[@]}") || rc=$?
	grep -vE '^total: 0 errors, 0 warnings, 0 checks, [0-9]+ lines checked$' \
		<<<"$out" || true
	return "$rc"
}

run_clang_format() {
	clang-format --style="file:$tools/.clang-format" --dry-run --Werror "${csrc[@]}"
}

# sparse on a private copy, so that the tree and the harness's builds are
# left alone; only the compiler's and sparse's diagnostics are kept.
run_sparse() {
	local kver=$1 kdir dst kunit
	kdir=$(tm_kdir "$kver")
	[ -f "$kdir/Makefile" ] || { echo "no headers for $kver: run 'make deps'"; return 1; }
	dst=$out/sparse-$kver
	tm_sync_tree "$TM_TOP/src" "$dst/src"
	cp -p "$TM_TOP/VERSION" "$dst/VERSION"
	find "$dst/src" -name '*.o' -delete
	# The KUnit suites are written for 6.12 (the debug kernel); Debian's
	# kernels have no KUnit symbols, so modpost may only warn there.
	case $kver in
	6.12.*) kunit=(TM_KUNIT=m KBUILD_MODPOST_WARN=1) ;;
	*) kunit=() ;;
	esac
	make -j"$JOBS" -C "$kdir" M="$dst/src" C=2 W=1 "${kunit[@]}" \
		modules >"$dst.log" 2>&1 || {
		tail -n 20 "$dst.log"
		return 1
	}
	grep -E '\.[ch]:[0-9]+(:[0-9]+)?: (warning|error|note):' "$dst.log" || true
}

# Every shell script git knows: *.sh, a sh/bash shebang, or a shellcheck
# shell= directive.
shell_scripts() {
	local f
	git ls-files | while IFS= read -r f; do
		[ -f "$f" ] || continue
		case $f in
		*.sh) echo "$f" ;;
		*.c | *.h | *.md | *.txt | *.patch | *.mk | Makefile | Kbuild) ;;
		*)
			if head -n 1 "$f" | grep -qE '^#!.*[/ ](ba|da|a)?sh( |$)' ||
				head -n 5 "$f" | grep -q '^# shellcheck shell='; then
				echo "$f"
			fi
			;;
		esac
	done
}

run_shellcheck() {
	local scripts
	mapfile -t scripts < <(shell_scripts)
	[ ${#scripts[@]} -gt 0 ] || { echo "no shell script found"; return 1; }
	shellcheck -x -P SCRIPTDIR "${scripts[@]}"
}

check checkpatch run_checkpatch
for s in $TM_SERIES; do
	[ -z "$only" ] || [ "$only" = "sparse-$s" ] || continue
	if ! kver=$(tm_kver "$s"); then
		result FAIL "sparse-$s" "no $s kernel headers known to apt"
		continue
	fi
	check "sparse-$s" run_sparse "$kver"
done
check shellcheck run_shellcheck
check clang-format run_clang_format
exit $failed
