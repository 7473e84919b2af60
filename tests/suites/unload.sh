# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# unload: rmmod at any time (docs/interface.md, "Unloading", "Kernel
# log").  The runner also fails a test on "Slab cache still has objects"
# and any warning.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# gone: nothing of the module is left: no module, no files, no cache.
gone() {
	[ ! -e /sys/module/taskmonitor ] || fail "/sys/module/taskmonitor still there"
	! grep -q '^taskmonitor ' /proc/modules || fail "taskmonitor still in /proc/modules"
	[ ! -e "$TC_SYS" ] || fail "$TC_SYS still there"
	[ ! -e "$TC_DEV" ] || fail "$TC_DEV still there"
	[ ! -e "$TC_DBG" ] || fail "$TC_DBG still there"
	! slab_present || fail "task_sample cache still in /proc/slabinfo"
	[ ! -e /sys/kernel/slab/task_sample ] || fail "/sys/kernel/slab/task_sample still there"
}

# check_counts MIN: the unload line exists, created >= MIN, freed ==
# created, live == 0.
check_counts() {
	c=$(tm_unload_reports | tail -n 1)
	[ -n "$c" ] || fail "no 'taskmonitor: unloaded: ...' line in the kernel log: $(tm_kmsg | grep taskmonitor | tail -n 2 | tr '\n' ' ')"
	# shellcheck disable=SC2086 # split on purpose
	set -- $c
	[ "$1" -ge "$MIN_CREATED" ] || fail "unload log: $1 created, but $MIN_CREATED samples were seen"
	[ "$2" = "$1" ] || fail "unload log: $1 created, $2 freed"
	[ "$3" = 0 ] || fail "unload log: $3 live"
}

# drops_at_least N: the drop_caches loop has run N times.
drops_at_least() {
	[ "$(wc -l 2>/dev/null <drops || echo 0)" -ge "$1" ]
}

TM_TIMEOUT_test_unload_while_busy=180

# rmmod while sampling 40 processes every millisecond with no cap, while
# sysfs is read in a loop and drop_caches runs in a loop: it succeeds and
# frees everything; the log's counts add up.  The history grows to a few
# thousand samples before drop_caches starts: on a slow kernel (KASAN,
# lockdep) the shrinker, called every 50 ms, trims it faster than the
# sampler fills it.
test_unload_while_busy() {
	pids=
	i=0
	while [ $i -lt 40 ]; do
		sleep 1000 &
		pids="$pids${pids:+,}$!"
		i=$((i + 1))
	done
	burner -t 2 &
	tm_load target="$pids" interval_ms=1 max_samples=0
	(while :; do cat "$TC_SYS" >/dev/null 2>&1; done) &
	r1=$!
	(while :; do cat "$TC_SYS" >/dev/null 2>&1; done) &
	r2=$!
	wait_for 90 slab_at_least 2000 || fail "test bug: the history reached only $(slab_active) samples in 90 s"
	(while :; do echo 2 >/proc/sys/vm/drop_caches; echo >>drops; sleep 0.05; done) &
	d=$!
	wait_for 30 drops_at_least 5 || fail "test bug: drop_caches did not run 5 times in 30 s"
	MIN_CREATED=$(total_lines)
	r=$(delmod taskmonitor 2>/dev/null)
	kill "$r1" "$r2" "$d"
	[ "$r" = OK ] || fail "rmmod while busy: $r"
	gone
	check_counts
}

# held FILE: rmmod is refused while FILE is open mid-read, changes
# nothing (history, sampling, writes all go on), the read then finishes
# consistently, and rmmod succeeds once FILE is closed.
held() {
	f=$1
	sleep 1000 &
	s=$!
	sleep 1000 &
	s2=$!
	tm_load target="$s" interval_ms=5 max_samples=0
	wait_samples 20 "$s" 200 || fail "history too short"
	n0=$(nlines "$s")
	exec 3<"$f" || fail "cannot open $f"
	dd bs=100 count=1 <&3 >part1.txt 2>/dev/null
	[ "$(wc -c <part1.txt)" = 100 ] || fail "first 100 bytes of $f: got $(wc -c <part1.txt)"
	n1=$(nlines "$s")
	r=$(delmod taskmonitor 2>/dev/null)
	[ "$r" = EAGAIN ] || fail "rmmod with $f open: $r, expected EWOULDBLOCK (EAGAIN)"
	r=$(rmmod taskmonitor 2>&1) && fail "rmmod with $f open succeeded"
	# kmod says "in use", busybox prints the errno's text.
	echo "$r" | grep -q -e 'in use' -e 'temporarily unavailable' || fail "rmmod with $f open said: $r"
	tm_loaded || fail "module gone after a refused rmmod"
	[ -e "$TC_SYS" ] || fail "sysfs file gone after a refused rmmod"
	[ -e "$TC_DEV" ] || fail "device gone after a refused rmmod"
	wait_samples 5 "$s" $((n1 + 5)) || fail "sampling stopped after a refused rmmod"
	expect_write "$TC_DEV" "$s2" OK
	wait_samples 5 "$s2" 2 || fail "new process not sampled after a refused rmmod"
	cat <&3 >part2.txt
	cat part1.txt part2.txt >whole.txt
	rdcheck -g whole.txt >/dev/null || fail "read of $f across the refused rmmod is malformed (see log)"
	# A read shows the history as it was when it reached the process:
	# all of it then (no cap, no reclaim), nothing taken after.
	n=$(nlines "$s" whole.txt)
	[ "$n" -ge "$n0" ] || fail "read across the refused rmmod lost samples: $n lines, $n0 before it began"
	[ "$n" -le "$n1" ] || fail "read across the refused rmmod shows $n lines, more than the $n1 after it began"
	exec 3<&-
	MIN_CREATED=$(total_lines)
	r=$(delmod taskmonitor 2>/dev/null)
	[ "$r" = OK ] || fail "rmmod after closing $f: $r"
	gone
	check_counts
}

test_unload_refused_while_device_open() {
	held "$TC_DEV"
}

test_unload_refused_while_debugfs_open() {
	held "$TC_DBG"
}

TM_TIMEOUT_test_unload_load_cycles=240

# 20 load/use/unload cycles leave nothing behind: no cache, no file, no
# warning, and every unload line says created == freed, 0 live; every
# kernel message of the module starts with "taskmonitor: ".
test_unload_load_cycles() {
	sleep 1000 &
	a=$!
	sleep 1000 &
	b=$!
	i=0
	while [ $i -lt 20 ]; do
		i=$((i + 1))
		tm_load target="$a,$b" interval_ms=5 max_samples=$((i * 3))
		wait_samples 10 "$a" 2 || fail "cycle $i: no samples"
		cat "$TC_DBG" "$TC_SYS" >/dev/null || fail "cycle $i: cannot read"
		[ $((i % 2)) = 0 ] && echo 2 >/proc/sys/vm/drop_caches
		expect_write "$TC_DEV" "-$b" OK
		MIN_CREATED=$(total_lines)
		r=$(delmod taskmonitor 2>/dev/null)
		[ "$r" = OK ] || fail "cycle $i: rmmod: $r"
		gone
		check_counts
	done
	n=$(tm_unload_reports | wc -l)
	[ "$n" = 20 ] || fail "$n unload lines for 20 cycles"
	bad=$(tm_kmsg | grep -F taskmonitor | grep -v -F "$TM_MARK" | grep -v '\] taskmonitor: ' | grep -v '^taskmonitor: ' | head -n 1)
	[ -z "$bad" ] || fail "kernel message not starting with 'taskmonitor: ': $bad"
}
