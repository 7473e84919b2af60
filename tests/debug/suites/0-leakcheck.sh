# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# 0-leakcheck: runs first (its name sorts before every suite).  Scans with
# kmemleak before taskmonitor was ever loaded, and marks whatever the
# kernel itself leaked while booting as known ("clear"), so that the
# final scan (zzz-leakcheck) reports only what the tests leaked.

# shellcheck disable=SC1091 # guest paths
. /tm/debug/lib.sh

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=120

test_leak_baseline() {
	! tm_loaded || fail "taskmonitor is loaded before any test"
	leaks=$(dbg_kmemleak_scan)
	n=$(printf '%s\n' "$leaks" | grep -c 'unreferenced object')
	[ "$n" = 0 ] || note "kmemleak baseline: the kernel reports $n objects after boot (ignored from now on)"
	echo clear >"$DBG_KMEMLEAK" || fail "kmemleak clear failed"
	: >/tmp/.dbg-kmemleak-baseline
	# The kernel's own "new suspected memory leaks" line is not a failure here.
	dmesg -c >/dev/null
}
