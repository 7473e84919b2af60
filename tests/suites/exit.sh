# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# exit: processes and threads that exit, and PID reuse (docs/interface.md,
# "PID reuse and exited processes", and the usr/sys monotonicity rule).

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# A process that exits stops being sampled as soon as it is a zombie; its
# history stays (also once reaped) until -PID; adding it is ESRCH.
test_exit_zombie_history_stays() {
	zombiekid zk &
	k=$!
	wait_for 10 test -s zk || fail "zombiekid did not start"
	c=$(cat zk)
	tm_load interval_ms=20
	expect_write "$TC_DEV" "$c" OK
	wait_samples 10 "$c" 5 || fail "no samples of $c"
	kill "$c"
	wait_for 10 is_zombie "$c" || fail "test bug: $c did not become a zombie"
	tz=$(bt)
	n1=$(nlines "$c")
	sleep 0.5
	n=$(count_after "$c" "$tz")
	[ "$n" = 0 ] || fail "$n samples of zombie $c taken after it died"
	[ "$(nlines "$c")" = "$n1" ] || fail "history of zombie $c changed: $n1 -> $(nlines "$c")"
	expect_write "$TC_DEV" "$c" ESRCH
	expect_write "$TC_DBG" "$c\n" ESRCH
	kill -USR1 "$k"
	wait_for 10 test -e zk.reaped || fail "test bug: zombie not reaped"
	[ ! -e "/proc/$c" ] || fail "test bug: $c still exists after reaping"
	sleep 0.3
	[ "$(nlines "$c")" = "$n1" ] || fail "history of reaped $c changed: $n1 -> $(nlines "$c")"
	[ "$(nlines "$c" "$TC_DBG")" = "$n1" ] || fail "debugfs lost the history of exited $c"
	expect_write "$TC_DEV" "-$c" OK
	[ "$(nlines "$c")" = 0 ] || fail "-$c left $(nlines "$c") samples"
	expect_write "$TC_DEV" "-$c" ENOENT
}

# check_monotonic FILE: usr, sys and the cumulative counts of each
# sample are >= those of the previous sample; prints the first offence.
check_monotonic() {
	awk '{ for (i = 1; i < NF; i += 2) v[$i] = $(i + 1) }
	NR > 1 { n = split("usr sys minflt majflt nvcsw nivcsw", k, " ")
		for (j = 1; j <= n; j++) if (v[k[j]] + 0 < p[k[j]] + 0) { print "line " NR ": " k[j] " " p[k[j]] " -> " v[k[j]]; exit 1 } }
	{ for (x in v) p[x] = v[x] }' "$1"
}

TM_TIMEOUT_test_exit_threads_monotonic=120

# While the threads of a process exit one by one, usr and sys (and the
# cumulative counts) never decrease, threads follows, and the totals
# still include the exited threads (they match /proc/PID/stat, which
# does).
test_exit_threads_monotonic() {
	burner -t 4 -s st &
	b=$!
	wait_for 60 file_is st "running 4" || fail "burner did not start"
	tm_load target="$b" interval_ms=10 max_samples=0
	for left in 3 2 1; do
		sleep 0.7
		kill -USR1 "$b"
		wait_for 60 file_is st "running $left" || fail "burner thread did not exit ($(cat st))"
		thr=$(status_val "$b" Threads)
		[ "$thr" = $((left + 1)) ] || fail "test bug: Threads: $thr with $left workers"
	done
	sleep 0.5
	kill -USR2 "$b"
	wait_for 60 file_is st "paused 1" || fail "burner did not pause"
	t=$(bt)
	wait_for 10 after_at_least "$b" "$t" 3 || fail "no samples after the burner paused"
	echo stop >"$TC_SYS"
	lines_of "$b" >h.txt
	check_monotonic h.txt >why.txt || fail "a cumulative figure of $b decreased while its threads exited: $(cat why.txt)"
	seen=$(awk '{ for (i = 1; i < NF; i += 2) if ($i == "threads") t = $(i + 1) } t != p { printf "%s ", t; p = t }' h.txt)
	[ "$seen" = "5 4 3 2 " ] || fail "threads went '$seen', expected '5 4 3 2 '"
	l=$(tail -n 1 h.txt)
	ut=$(stat_field "$b" 14)
	st=$(stat_field "$b" 15)
	us=$(($(val "$l" usr) / TC_TICK_NS))
	sy=$(($(val "$l" sys) / TC_TICK_NS))
	note "last: $l; /proc utime $ut stime $st"
	within $((us + sy)) $((ut + st)) $((2 + (ut + st) / 50)) ||
		fail "after 3 of 4 threads exited: usr+sys = $((us + sy)) ticks, /proc utime+stime = $((ut + st)) ticks"
	mf=$(stat_field "$b" 10)
	[ "$(val "$l" minflt)" = "$mf" ] || fail "after thread exits: minflt $(val "$l" minflt), /proc $mf"
}

TM_TIMEOUT_test_exit_pid_reuse=120

# When a monitored process's PID is reused (forced through
# /proc/sys/kernel/ns_last_pid), the new process is not sampled under the
# old entry; added explicitly, it is listed separately after the old one,
# and -PID removes both.
test_exit_pid_reuse() {
	sleep 1000 &
	v=$!
	tm_load interval_ms=20
	expect_write "$TC_DEV" "$v" OK
	wait_samples 10 "$v" 5 || fail "no samples of $v"
	# The death and the reuse both happen while sampling is stopped, so
	# that the sampler first looks at the entry again when the number
	# already belongs to the new process.
	echo stop >"$TC_SYS"
	kill "$v"
	wait "$v" 2>/dev/null
	[ ! -e "/proc/$v" ] || fail "test bug: $v still exists"
	td=$(bt)
	old=$(nlines "$v")
	pidat "$v" burner -t 3 -p -s st &
	wait_for 20 file_is st "paused 3" || fail "could not start a new process as pid $v"
	[ "$(status_val "$v" Threads)" = 4 ] || fail "test bug: pid $v is not the new burner"
	echo start >"$TC_SYS"
	sleep 0.5
	n=$(count_after "$v" "$td")
	[ "$n" = 0 ] || fail "the new process with reused pid $v was sampled $n times under the old entry"
	[ "$(nlines "$v")" = "$old" ] || fail "old history of $v changed: $old -> $(nlines "$v")"

	ta=$(bt)
	expect_write "$TC_DEV" "$v" OK
	wait_for 10 after_at_least "$v" "$ta" 3 || fail "the new process $v, added, is not sampled"
	expect_write "$TC_DEV" "$v" EEXIST
	echo stop >"$TC_SYS"
	lines_of "$v" >h.txt
	shape=$(awk '{ for (i = 1; i < NF; i += 2) if ($i == "threads") t = $(i + 1) } t != p { printf "%s ", t; p = t }' h.txt)
	[ "$shape" = "1 4 " ] || fail "samples of pid $v by thread count: '$shape', expected the old (1) then the new (4)"
	n1=$(grep -c ' threads 1 ' h.txt)
	[ "$n1" = "$old" ] || fail "old entry shows $n1 samples, had $old"
	late=$(awk -v t="$td" '/ threads 1 / { for (i = 1; i < NF; i += 2) if ($i == "ts" && $(i + 1) > t) n++ } END { print n + 0 }' h.txt)
	[ "$late" = 0 ] || fail "old entry has $late samples after its death"
	rdcheck -g "$TC_DEV" >/dev/null || fail "history malformed with two entries of pid $v"
	expect_write "$TC_DEV" "-$v" OK
	[ "$(nlines "$v")" = 0 ] || fail "-$v left $(nlines "$v") samples (both entries must go)"
	expect_write "$TC_DEV" "-$v" ENOENT
}
