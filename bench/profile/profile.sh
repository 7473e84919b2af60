# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The guest side of make bench-profile (bench/profile/run.sh): pieces of
# work, each between two runs of tmmark, at which the tbcount plugin
# writes its snapshots.  Each mark is announced first in the serial log
# ("PROF-MARK <label> <units>"), in the order of the snapshots; the
# kernel's and the module's text symbols follow, for the report.

# PROF_TASKS, PROF_SWEEPS, PROF_PAIRS and PROF_REPEAT come from make
# bench-profile's environment.
# shellcheck disable=SC1091 # written by bench/profile/run.sh
[ ! -r /tm/profile.conf ] || . /tm/profile.conf
# shellcheck disable=SC1091 # the suites' helpers, in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

P_PAIRS=${PROF_PAIRS:-1000}
P_TASKS=${PROF_TASKS:-1000}
P_SWEEPS=${PROF_SWEEPS:-100}
P_REPEAT=${PROF_REPEAT:-3}

# mark LABEL UNITS: snapshot now; LABEL's work is from the previous mark
# to this one, UNITS its count (task-samples, fork + exit pairs).
mark() {
	echo "PROF-MARK $1 $2" >&2
	tmmark || fail "tmmark failed"
}

# symbols: the text symbols, the module's included, as one block of
# PROF-SYM lines after a PROF-SYMS line (kernel messages may come between).
symbols() {
	echo PROF-SYMS >&2
	grep -i ' t ' /proc/kallsyms | sed 's/^/PROF-SYM /' >&2
}

# have_samples N: the history holds N samples or more.
have_samples() {
	[ "$(total_lines "$TC_DEV")" -ge "$1" ]
}

# P_TASKS sleepers sampled every 100 ms for P_SWEEPS intervals, the
# history growing (no cap reached), as section 1 of make bench measures
# them; the window's task-samples are counted after it closes.
test_profile_sampling() {
	sleepers "$P_TASKS" "$TM_TMP/pids" &
	sl=$!
	wait_for 600 test -s "$TM_TMP/pids" || fail "sleepers did not start"
	tm_load interval_ms=100 max_samples=100000
	echo stop >"$TC_SYS" || fail "cannot pause the sampler"
	while read -r p; do
		echo "$p" >"$TC_DEV" || fail "cannot add $p"
	done <"$TM_TMP/pids"
	echo start >"$TC_SYS" || fail "cannot start the sampler"
	wait_for 60 have_samples "$P_TASKS" || fail "no first sweep"
	before=$(total_lines "$TC_DEV")
	mark start 0
	# A window of P_SWEEPS intervals with nothing else to do: reading the
	# history to see the sweeps would count the reader too.
	sleep $((P_SWEEPS / 10)).$((P_SWEEPS % 10))
	mark sampling-window 0
	echo stop >"$TC_SYS"
	n=$(($(total_lines "$TC_DEV") - before))
	[ "$n" -ge "$P_TASKS" ] || fail "only $n samples in the window"
	echo "PROF-UNITS sampling-window $n" >&2
	symbols
	tm_unload
	kill "$sl"
	wait "$sl" 2>/dev/null
}

# forkbench's P_PAIRS forks + exits, the module loaded and sampling every
# 10 ms (as make bench's section 7): b, nothing followed; c, the forker
# followed; PROF_REPEAT times each, alternately.  Each window ends 200 ms
# after the last reap, time for the kernel workers' batches
# (docs/interface.md: about 10 ms of exits): the same wait in both, so
# that the idle time costs them alike.  After each c, its histories are
# expired (exited_keep_s=0) before the next window.
test_profile_fork_exit() {
	tm_load interval_ms=10
	r=0
	while [ $r -lt "$P_REPEAT" ]; do
		mark start 0
		forkbench -c "$P_PAIRS" -p "$TM_TMP/b.pids" >/dev/null || fail "forkbench (b)"
		sleep 0.2
		mark b "$P_PAIRS"
		mark start 0
		forkbench -c "$P_PAIRS" -F "$TC_DEV" -p "$TM_TMP/c.pids" >/dev/null ||
			fail "forkbench (c)"
		sleep 0.2
		mark c "$P_PAIRS"
		n=$(grep -c ' exit ' "$TC_DEV")
		[ "$n" -ge "$P_PAIRS" ] ||
			fail "$n of the $P_PAIRS children had their exit record when the window closed"
		echo 0 >"$TM_SYSFS/parameters/exited_keep_s"
		wait_for 120 no_tasks_listed || fail "the exited histories were not freed"
		echo 300 >"$TM_SYSFS/parameters/exited_keep_s"
		r=$((r + 1))
	done
	symbols
	tm_unload
}

# no_tasks_listed: the module lists no process.
no_tasks_listed() {
	[ -z "$(pids_in "$TC_DEV")" ]
}

# page_allocs LABEL FORKBENCH-ARGS...: every page allocation of
# PROF_PAIRS / 3 forks + exits, counted by the 7 callers below
# __alloc_pages (kmem:mm_page_alloc with a stack trace each), as
# "PROF-PAGES LABEL COUNT ORDER CALLERS" lines.
page_allocs() {
	_t=/sys/kernel/tracing
	_label=$1
	shift
	echo 0 >$_t/tracing_on
	echo >$_t/trace
	echo 40000 >$_t/buffer_size_kb
	echo 1 >$_t/events/kmem/mm_page_alloc/enable
	echo stacktrace >$_t/events/kmem/mm_page_alloc/trigger
	echo 1 >$_t/tracing_on
	forkbench -c $((P_PAIRS / 3)) "$@" -p "$TM_TMP/pages.pids" >/dev/null || fail "forkbench ($_label)"
	sleep 0.2
	echo 0 >$_t/tracing_on
	echo '!stacktrace' >$_t/events/kmem/mm_page_alloc/trigger
	echo 0 >$_t/events/kmem/mm_page_alloc/enable
	awk -v label="$_label" '
	function flush() { if (key != "") n[order " " key]++; key = "" }
	/mm_page_alloc:/ {
		flush(); order = $0
		sub(/.*order=/, "", order); sub(/ .*/, "", order); depth = 0; next
	}
	/=> / { depth++; if (depth >= 2 && depth <= 8) key = key (key == "" ? "" : "<") $2; next }
	END { flush(); for (k in n) print "PROF-PAGES", label, n[k], k }' $_t/trace >&2
}

# Who allocates the pages of forks + exits, not followed (b) and
# followed (c): the pages following adds, by their callers.
test_profile_page_allocs() {
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
	[ -w /sys/kernel/tracing/events/kmem/mm_page_alloc/trigger ] ||
		fail "no kmem:mm_page_alloc event trigger in this kernel"
	tm_load interval_ms=10
	forkbench -c $((P_PAIRS / 3)) -p "$TM_TMP/warm.pids" >/dev/null || fail "forkbench (warm-up)"
	page_allocs b
	page_allocs c -F "$TC_DEV"
	echo "PROF-PAGES-PAIRS $((P_PAIRS / 3))" >&2
	tm_unload
}
