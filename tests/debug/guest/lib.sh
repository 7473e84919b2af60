# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # variables for the suites
#
# /tm/debug/lib.sh: helpers of the debug-kernel suites (tests/debug/suites),
# sourced on top of /tm/lib.sh.  Only `make check-debug` puts them in the
# initramfs; they expect the debug kernel of tests/debug/kernel.config
# (failslab, kmemleak, KUnit debugfs).

DBG_DEV=/dev/taskmonitor
DBG_DBGFS=/sys/kernel/debug/taskmonitor
DBG_SYSFS=/sys/kernel/taskmonitor
DBG_PARAMS=/sys/module/taskmonitor/parameters
DBG_FAILSLAB=/sys/kernel/debug/failslab
DBG_KMEMLEAK=/sys/kernel/debug/kmemleak

# dbg_arg NAME DEFAULT: the value of NAME=... on the kernel command line.
dbg_arg() {
	_v=$(tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1)
	echo "${_v:-$2}"
}

# dbg_sleepers N: start N idle processes; their PIDs, comma-separated,
# are left in $DBG_PIDS.
dbg_sleepers() {
	DBG_PIDS=
	_i=0
	while [ "$_i" -lt "$1" ]; do
		sleep 100000 &
		DBG_PIDS="$DBG_PIDS${DBG_PIDS:+,}$!"
		_i=$((_i + 1))
	done
}

# dbg_unload: rmmod taskmonitor and check its unload report: every sample
# created was freed, none is live, the task_sample cache is gone.  Leaves
# the counts in DBG_CREATED DBG_FREED DBG_LIVE DBG_SKIPPED.
dbg_unload() {
	_before=$(tm_unload_reports | wc -l)
	_out=$(rmmod taskmonitor 2>&1) || fail "rmmod taskmonitor: $_out"
	! tm_loaded || fail "rmmod succeeded but taskmonitor is still loaded"
	[ "$(tm_unload_reports | wc -l)" -gt "$_before" ] ||
		fail "no new 'taskmonitor: unloaded:' line in the kernel log"
	_c=$(tm_unload_reports | tail -n 1)
	# shellcheck disable=SC2086 # split on purpose
	set -- $_c
	DBG_CREATED=$1
	DBG_FREED=$2
	DBG_LIVE=$3
	DBG_SKIPPED=$4
	[ "$DBG_CREATED" = "$DBG_FREED" ] ||
		fail "unload report: $DBG_CREATED samples created but $DBG_FREED freed (leak)"
	[ "$DBG_LIVE" = 0 ] || fail "unload report: $DBG_LIVE samples live"
	! grep -q '^task_sample ' /proc/slabinfo ||
		fail "the task_sample cache survived the unload"
}

# dbg_failslab_reset: no fault injection at all.
dbg_failslab_reset() {
	echo 0 >"$DBG_FAILSLAB/probability"
	echo 0 >"$DBG_FAILSLAB/times"
	if [ -e /sys/kernel/slab/task_sample/failslab ]; then
		echo 0 >/sys/kernel/slab/task_sample/failslab
	fi
	echo N >"$DBG_FAILSLAB/cache-filter"
	# The defaults: no stack-trace filter (the whole address space).
	echo 0 >"$DBG_FAILSLAB/require-start"
	echo 18446744073709551615 >"$DBG_FAILSLAB/require-end"
}

# dbg_failslab_cache PERCENT: fail PERCENT % of the allocations from the
# task_sample cache, sleeping ones included, silently.
dbg_failslab_cache() {
	[ -d "$DBG_FAILSLAB" ] || fail "the kernel has no failslab debugfs"
	echo 1 >/sys/kernel/slab/task_sample/failslab ||
		fail "cannot mark task_sample for failslab"
	echo Y >"$DBG_FAILSLAB/cache-filter"
	echo 0 >"$DBG_FAILSLAB/require-start"
	echo 18446744073709551615 >"$DBG_FAILSLAB/require-end"
	dbg_failslab_common "$1"
}

# dbg_failslab_module PERCENT: fail PERCENT % of every slab allocation
# made with taskmonitor's code on the stack (its own kzalloc, kvmalloc and
# kmem_cache_alloc, and those of the kernel functions it calls), silently.
# The module's address range comes from /proc/modules.
dbg_failslab_module() {
	[ -d "$DBG_FAILSLAB" ] || fail "the kernel has no failslab debugfs"
	_mod=$(awk '$1 == "taskmonitor" { print $2, $6 }' /proc/modules)
	_size=${_mod%% *}
	_addr=${_mod#* }
	case $_addr in
	0xffffffff????????) ;;
	*) fail "unexpected module address in /proc/modules: '$_mod'" ;;
	esac
	# Module addresses all start with ffffffff: add within the low half.
	_lo=$((0x${_addr#0xffffffff} + _size))
	[ "$_lo" -le $((0xffffffff)) ] || fail "module range crosses 4 GiB: $_mod"
	echo N >"$DBG_FAILSLAB/cache-filter"
	echo "$_addr" >"$DBG_FAILSLAB/require-start" || fail "cannot set require-start"
	printf '0xffffffff%08x\n' "$_lo" >"$DBG_FAILSLAB/require-end" ||
		fail "cannot set require-end"
	echo 32 >"$DBG_FAILSLAB/stacktrace-depth"
	dbg_failslab_common "$1"
}

dbg_failslab_common() {
	echo N >"$DBG_FAILSLAB/ignore-gfp-wait"
	echo 0 >"$DBG_FAILSLAB/verbose"
	echo 0 >"$DBG_FAILSLAB/space"
	echo 1 >"$DBG_FAILSLAB/interval"
	echo -1 >"$DBG_FAILSLAB/times"
	echo "$1" >"$DBG_FAILSLAB/probability"
}

# dbg_kmemleak_scan: two kmemleak scans with a pause (an object must be
# 5 s old to be reported); prints the report of unreferenced objects
# (empty when there is none).
dbg_kmemleak_scan() {
	[ -w "$DBG_KMEMLEAK" ] || fail "the kernel has no kmemleak"
	echo scan >"$DBG_KMEMLEAK" || fail "kmemleak scan failed"
	sleep 6
	echo scan >"$DBG_KMEMLEAK" || fail "kmemleak scan failed"
	cat "$DBG_KMEMLEAK"
}

# dbg_kmemleak_check WHAT: scan; fail, quoting the first leak, if any.
# Only the first objects' reports are read and logged: a leak on every
# sample gives thousands, and listing them all (with hex dumps and
# backtraces, on the serial console) would take longer than the test
# may run.
dbg_kmemleak_check() {
	_leaks=$(dbg_kmemleak_scan | head -n 200)
	if [ -n "$_leaks" ]; then
		printf '%s\n' "$_leaks" >&2
		fail "kmemleak $1: unreferenced objects, the first: $(printf '%s\n' "$_leaks" | grep -v -e '^ *hex dump' -e '^    [0-9a-f][0-9a-f] ' | head -n 12 | tr -s ' \n' '  ')"
	fi
}
