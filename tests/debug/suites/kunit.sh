# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# kunit: the KUnit suites of taskmonitor's logic (src/kunit/, built as
# taskmonitor_kunit.ko with TM_KUNIT=m) run in the debug kernel: the
# command parser, the sample line, histories and the cap, the shrinker's
# shares and victims, the sampler's deadlines, the CPU-time split.  The
# tests call into taskmonitor.ko (EXPORT_SYMBOL_IF_KUNIT), so it is
# loaded first.  Every case of every suite must be "ok" in the KTAP
# results.

# shellcheck disable=SC1091 # guest paths
. /tm/debug/lib.sh

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=300

DBG_KUNIT_SUITES='taskmonitor_cmd taskmonitor_format taskmonitor_history
taskmonitor_sample taskmonitor_deadline taskmonitor_cputime'

test_kunit_all_ok() {
	! tm_loaded || tm_unload
	[ -f /tm/taskmonitor_kunit.ko ] || fail "no taskmonitor_kunit.ko in the initramfs"
	[ -d /sys/kernel/debug/kunit ] || fail "the kernel has no KUnit debugfs"
	tm_load
	# The suites run while the module loads.
	out=$(insmod /tm/taskmonitor_kunit.ko 2>&1) || fail "insmod taskmonitor_kunit.ko: $out"
	bad=
	cases=0
	for s in $DBG_KUNIT_SUITES; do
		r=/sys/kernel/debug/kunit/$s/results
		[ -r "$r" ] || { bad="$bad $s:missing"; continue; }
		sed "s/^/$s: /" "$r" >&2
		# KTAP: "ok N name", "not ok N name", "... # SKIP reason".
		n=$(grep -cE '^[[:space:]]+ok [0-9]+ ' "$r")
		cases=$((cases + n))
		nok=$(grep -E '^[[:space:]]*not ok [0-9]+ |# SKIP' "$r" | sed 's/^[[:space:]]*//' | tr '\n' ';')
		[ -z "$nok" ] || bad="$bad $s:[$nok]"
		grep -qE "^ok [0-9]+ $s\$" "$r" || bad="$bad $s:no-final-ok"
		[ "$n" -gt 0 ] || bad="$bad $s:no-cases"
	done
	first=$(dmesg | grep -m 3 -E 'EXPECTATION FAILED|ASSERTION FAILED' -A 3 | tr -s ' \n' '  ')
	rmmod taskmonitor_kunit || bad="$bad rmmod-failed"
	tm_unload
	[ -z "$bad" ] || fail "KUnit failures:$bad ${first:+| $first}"
	note "KUnit: $cases cases ok in $(echo "$DBG_KUNIT_SUITES" | wc -w) suites"
}
