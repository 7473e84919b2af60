# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# zzz-leakcheck: runs last (its name sorts after every suite, zz_* too).  With the
# module loaded and sampling, and then after it is unloaded, kmemleak
# scans (twice, with a pause) must find no unreferenced object since the
# baseline of 0-leakcheck.  A scan while loaded names the module's
# functions in the allocation backtraces; the scan after unload catches
# what only unloading leaks.

# shellcheck disable=SC1091 # guest paths
. /tm/debug/lib.sh

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=180

test_leak_final() {
	[ -e /tmp/.dbg-kmemleak-baseline ] ||
		fail "no kmemleak baseline (0-leakcheck/leak_baseline did not run): select it too"
	! tm_loaded || tm_unload
	dbg_sleepers 4
	tm_load target="$DBG_PIDS" interval_ms=20 max_samples=50
	sleep 3
	echo 2 >/proc/sys/vm/drop_caches
	cat "$DBG_DEV" "$DBG_DBGFS" "$DBG_SYSFS" >/dev/null
	dbg_kmemleak_check "with taskmonitor loaded"
	dbg_unload
	dbg_kmemleak_check "after unloading taskmonitor"
}
