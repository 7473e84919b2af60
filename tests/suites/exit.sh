# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# exit: processes and threads that exit, and PID reuse (docs/interface.md,
# "PID reuse and exited processes", and the usr/sys monotonicity rule);
# the exit record ("The exit record"): the last sample of a process that
# ends carries `exit` with the status the shell's $? shows, also for a
# process shorter than one interval, and none while sampling is stopped.
#
# Helpers from tests/helpers used here: zombiekid, burner, pidat, rdcheck.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# A process that exits stops being sampled as soon as it is a zombie; its
# history, ended by its exit record, stays (also once reaped) until -PID;
# adding it is ESRCH.
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
	wait_for 10 all_ended "$c" || fail "zombie $c has no exit record"
	# Killed by SIGTERM, not reaped yet: 128 + 15.
	[ "$(exit_of "$c")" = 143 ] || fail "zombie $c: exit '$(exit_of "$c")', expected 143 (SIGTERM)"
	tz=$(bt)
	n1=$(nlines "$c")
	sampler_wakes 5
	n=$(count_after "$c" "$tz")
	[ "$n" = 0 ] || fail "$n samples of zombie $c taken after it died"
	[ "$(nlines "$c")" = "$n1" ] || fail "history of zombie $c changed: $n1 -> $(nlines "$c")"
	expect_write "$TC_DEV" "$c" ESRCH
	expect_write "$TC_DBG" "$c\n" ESRCH
	kill -USR1 "$k"
	wait_for 10 test -e zk.reaped || fail "test bug: zombie not reaped"
	[ ! -e "/proc/$c" ] || fail "test bug: $c still exists after reaping"
	sampler_wakes 3
	[ "$(nlines "$c")" = "$n1" ] || fail "history of reaped $c changed: $n1 -> $(nlines "$c")"
	[ "$(nlines "$c" "$TC_DBG")" = "$n1" ] || fail "debugfs lost the history of exited $c"
	expect_write "$TC_DEV" "-$c" OK
	[ "$(nlines "$c")" = 0 ] || fail "-$c left $(nlines "$c") samples"
	expect_write "$TC_DEV" "-$c" ENOENT
}

# gated ACTION: in the background, a shell that waits at a gate (a FIFO
# it opens) and, once open_gate lets it through, runs ACTION (exit N,
# kill -SEGV $$); its pid in $g.  A gate, unlike a signal, cannot come
# before the shell waits for it: the opening writer waits for the reader.
gated() {
	_gates=$((${_gates:-0} + 1))
	mkfifo "gate.$_gates" || fail "test bug: cannot make a FIFO"
	sh -c "read -r x <gate.$_gates; $1" &
	g=$!
	eval "gate_$g=gate.$_gates"
}

# open_gate PID...: lets each gated PID through to its ACTION.
open_gate() {
	for _p in "$@"; do
		eval ": >\"\$gate_$_p\""
	done
}

# exit_of PID [FILE]: the exit values in PID's history, nothing if none.
exit_of() {
	lines_of "$1" "${2:-$TC_DEV}" | awk '{ for (i = 1; i < NF; i += 2) if ($i == "exit") print $(i + 1) }'
}

# all_ended PID...: every PID's history has an exit record.
all_ended() {
	hist >now.txt
	for _p in "$@"; do
		grep -q "^pid $_p .* exit [0-9]*$" now.txt || return 1
	done
}

# check_record PID RC FILE: PID's history in FILE ends with its one exit
# record, status RC, no thread left, CPU times not below the previous
# sample's.
check_record() {
	[ "$(exit_of "$1" "$3")" = "$2" ] || fail "pid $1: exit '$(exit_of "$1" "$3" | tr '\n' ' ')' in its history, \$? was $2"
	last=$(last_of "$1" "$3")
	[ "$(val "$last" exit)" = "$2" ] || fail "pid $1: the exit record is not its last sample: $last"
	[ "$(val "$last" threads)" = 0 ] || fail "pid $1: exit record with threads $(val "$last" threads)"
	prev=$(lines_of "$1" "$3" | tail -n 2 | head -n 1)
	if [ "$prev" != "$last" ]; then
		[ "$(val "$last" usr)" -ge "$(val "$prev" usr)" ] ||
			fail "pid $1: usr went down in the exit record: $prev / $last"
		[ "$(val "$last" sys)" -ge "$(val "$prev" sys)" ] ||
			fail "pid $1: sys went down in the exit record: $prev / $last"
		# Before 6.16 the record repeats the last sampled memory.
		if before_6_16; then
			[ "$(val "$last" vsz)" = "$(val "$prev" vsz)" ] ||
				fail "pid $1: vsz of the exit record $(val "$last" vsz), last sampled $(val "$prev" vsz)"
		fi
	fi
}

# before_6_16: the running kernel is older than 6.16.
before_6_16() {
	case $(tm_series) in
	[1-5].* | 6.[0-9] | 6.1[0-5]) return 0 ;;
	esac
	return 1
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
		sampler_wakes 3
		kill -USR1 "$b"
		wait_for 60 file_is st "running $left" || fail "burner thread did not exit ($(cat st))"
		thr=$(status_val "$b" Threads)
		[ "$thr" = $((left + 1)) ] || fail "test bug: Threads: $thr with $left workers"
	done
	sampler_wakes 3
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
	sampler_wakes 5
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

# Exit codes and deaths by signal, of one-thread and many-thread
# processes: `exit` is what wait() gave the shell, in one line only.
test_exit_status_is_shells() {
	tm_load interval_ms=100
	gated 'exit 0'
	a=$g
	gated 'exit 7'
	b=$g
	gated 'exit 255'
	c=$g
	# shellcheck disable=SC2016 # $$ is the gated shell's, in its ACTION
	gated 'kill -SEGV $$'
	d=$g
	sleep 1000 &
	e=$!
	burner -t 2 -s st &
	f=$!
	wait_for 10 file_is st "running 2" || fail "burner did not start"
	# Its threads wait, not burn: the guest's CPUs stay free.
	kill -USR2 "$f"
	wait_for 10 file_is st "paused 2" || fail "burner did not pause"
	for p in $a $b $c $d $e $f; do
		expect_write "$TC_DEV" "$p" OK
	done
	for p in $a $b $c $d $e $f; do
		wait_samples 10 "$p" 2 || fail "no samples of $p"
	done
	open_gate "$a" "$b" "$c" "$d"
	kill -TERM "$e"
	kill -KILL "$f"
	rcs=
	for p in $a $b $c $d $e $f; do
		wait "$p"
		rcs="$rcs $?"
	done
	# shellcheck disable=SC2086 # split on purpose
	set -- $rcs
	[ "$*" = "0 7 255 139 143 137" ] || fail "test bug: \$? $*"
	wait_for 20 all_ended $a $b $c $d $e $f || fail "not every process has its exit record"
	echo stop >"$TC_SYS"
	hist >h.txt
	for p in $a $b $c $d $e $f; do
		check_record "$p" "$1" h.txt
		shift
	done
	rdcheck -g "$TC_DEV" >/dev/null || fail "history malformed (see log)"
	rdcheck -1 -t "$TC_SYS" >/dev/null || fail "sysfs lines malformed (see log)"
}

# A process that lives less than one interval: its history is its exit
# record alone.  The interval is an hour: the only sweep is at load.
test_exit_record_of_short_process() {
	tm_load interval_ms=3600000
	gated 'exit 3'
	p=$g
	expect_write "$TC_DEV" "$p" OK
	open_gate "$p"
	wait "$p"
	rc=$?
	[ "$rc" = 3 ] || fail "test bug: \$? $rc"
	wait_for 10 all_ended "$p" || fail "pid $p: no exit record"
	check_record "$p" "$rc" "$TC_DEV"
	[ "$(nlines "$p")" = 1 ] || fail "pid $p lived less than an interval: $(nlines "$p") samples, expected its exit record alone"
	l=$(last_of "$p")
	st=$(val "$l" start)
	ts=$(val "$l" ts)
	awk -v s="$st" -v t="$ts" 'BEGIN { exit !(s < t) }' || fail "exit record: start $st not before ts $ts"
	[ "$(val "$l" comm)" = sh ] || fail "exit record: comm $(val "$l" comm), expected sh"
	[ "$(val "$l" ppid)" = $$ ] || fail "exit record: ppid $(val "$l" ppid), expected the test shell $$"
}

# Every one of a batch of processes that end together gets its record,
# with the code each chose (a count and codes the test keeps itself).
test_exit_records_of_many() {
	tm_load interval_ms=100
	pids=
	i=1
	while [ "$i" -le 30 ]; do
		gated "exit $((i * 7))"
		pids="$pids $g"
		i=$((i + 1))
	done
	for p in $pids; do
		expect_write "$TC_DEV" "$p" OK
	done
	# shellcheck disable=SC2086 # split on purpose
	open_gate $pids
	rcs=
	for p in $pids; do
		wait "$p"
		rcs="$rcs $?"
	done
	# shellcheck disable=SC2086 # split on purpose
	wait_for 20 all_ended $pids || fail "not every process has its exit record"
	echo stop >"$TC_SYS"
	hist >h.txt
	i=1
	: >want.txt
	# shellcheck disable=SC2086 # split on purpose
	set -- $rcs
	for p in $pids; do
		[ "$1" = $((i * 7 % 256)) ] || fail "test bug: pid $p \$? $1"
		echo "$p $1" >>want.txt
		shift
		i=$((i + 1))
	done
	# One pass over the history: check_record, a dozen processes per
	# pid, takes the debug kernel past the timeout for 30 of them.
	bad=$(records_against want.txt h.txt)
	[ -z "$bad" ] || fail "$bad"
	n=$(grep -c ' exit [0-9]*$' h.txt)
	[ "$n" = 30 ] || fail "$n exit records, 30 processes ended"
}

# While sampling is stopped nothing is added, exit records included: a
# process that ended then has none, also once sampling has resumed (two
# sweeps of another process later).
test_exit_no_record_while_stopped() {
	tm_load interval_ms=20
	sleep 1000 &
	p=$!
	sleep 1000 &
	q=$!
	expect_write "$TC_DEV" "$p" OK
	expect_write "$TC_DEV" "$q" OK
	wait_samples 10 "$p" 2 || fail "no samples of $p"
	echo stop >"$TC_SYS"
	n=$(nlines "$p")
	kill -KILL "$p"
	wait "$p"
	echo start >"$TC_SYS"
	m=$(nlines "$q")
	wait_samples 10 "$q" $((m + 2)) || fail "sampling of $q did not resume"
	[ "$(nlines "$p")" = "$n" ] || fail "pid $p ended while stopped: $(nlines "$p") samples, had $n"
	[ -z "$(exit_of "$p")" ] || fail "pid $p ended while stopped, yet has an exit record: $(last_of "$p")"
}
