# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# stream: the follow-mode stream (docs/interface.md, "Follow mode"): a
# file written "follow" gives every sample once, as it is taken, and
# reports the ones dropped before it got them as "lost N"; it blocks,
# polls, and holds the module like any open file.  The truth each check
# compares with is the plain history the test reads itself once
# sampling is stopped, or a count it keeps.
#
# Helpers from tests/helpers used here: tmfollow, tmwrite, delmod,
# runas, rdcheck.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# follower NAME [tmfollow options]: a follower of $TC_DEV in the
# background, its output in NAME.txt, its pid in $f; returns once it has
# read the history so far.
follower() {
	_n=$1
	shift
	rm -f "$_n.ready"
	tmfollow -r "$_n.ready" -o "$_n.txt" "$@" "$TC_DEV" &
	f=$!
	wait_for 30 started "$_n.ready" "$f" || fail "follower $_n did not start"
}

# started READY PID: READY exists; fails the test if PID ended first.
started() {
	[ -e "$1" ] && return 0
	case $(proc_state "$2") in
	'' | Z) fail "follower $2 ended before it was ready (see log)" ;;
	esac
	return 1
}

# finish PID: tells the follower PID to read what is left and end (the
# signal is repeated: one that came just before a read() would be
# missed), then checks it ended well.
finish() {
	_w=0
	while [ $_w -lt 300 ]; do
		case $(proc_state "$1") in '' | Z) break ;; esac
		kill -USR1 "$1" 2>/dev/null
		sleep 0.1
		_w=$((_w + 1))
	done
	reap "$1" || fail "follower $1 failed (see log)"
}

# has_exit_record PID: PID's history ends with its exit record.
has_exit_record() {
	grep -q "^pid $1 .* exit [0-9]*$" "$TC_DEV"
}

# after_line FILE LINE: the lines of FILE after its line LINE (a number).
after_line() {
	tail -n +$(($2 + 1)) "$1"
}

# lost_sum FILE: the sum of the counts of FILE's lost lines.
lost_sum() {
	awk '$1 == "lost" { n += $2 } END { print n + 0 }' "$1"
}

# ts_last FILE: ts of the last line of FILE.
ts_last() {
	tail -n 1 "$1" | awk '{ for (i = 1; i < NF; i += 2) if ($i == "ts") print $(i + 1) }'
}

# count_ts_after FILE NS: lines of FILE with ts > NS.
count_ts_after() {
	awk -v t="$2" '{ for (i = 1; i < NF; i += 2) if ($i == "ts" && $(i + 1) > t) n++ } END { print n + 0 }' "$1"
}

# same_lines A B: A and B hold the same lines, also as many times each.
same_lines() {
	sort "$1" >"$1.sorted"
	sort "$2" >"$2.sorted"
	cmp -s "$1.sorted" "$2.sorted"
}

# per_pid_order A B: for every pid, A and B give its lines in one order.
per_pid_order() {
	for _p in $(pids_in "$2"); do
		grep "^pid $_p " "$1" >a.pid
		grep "^pid $_p " "$2" >b.pid
		cmp -s a.pid b.pid || return 1
	done
}

TM_TIMEOUT_test_stream_every_sample_once=180

# Two followers, of the device and of the debugfs file, one reading a
# few lines at a time with pauses: each gets every sample once, the
# history first, then the new ones, in the order each process's were
# taken, a process added after the follow and an exit record included;
# no lost line, since nothing was dropped.  Truth: the plain history read
# once sampling is stopped.
test_stream_every_sample_once() {
	tm_load interval_ms=20 max_samples=0
	sleep 1000 &
	a=$!
	sleep 1000 &
	b=$!
	expect_write "$TC_DEV" "$a" OK
	expect_write "$TC_DEV" "$b" OK
	wait_samples 10 "$a" 10 || fail "no samples of $a"
	follower dev -b 700 -p 30
	f1=$f
	rm -f dbg.ready
	tmfollow -r dbg.ready -o dbg.txt "$TC_DBG" &
	f2=$!
	wait_for 30 test -e dbg.ready || fail "the debugfs follower did not start"
	mkfifo gate || fail "test bug: no FIFO"
	sh -c 'read -r x <gate; exit 5' &
	c=$!
	expect_write "$TC_DEV" "$c" OK
	wait_samples 10 "$c" 3 || fail "no samples of $c"
	: >gate
	wait "$c"
	[ $? = 5 ] || fail "test bug: \$? of $c"
	wait_for 20 has_exit_record "$c" || fail "no exit record of $c"
	t=$(bt)
	wait_for 30 after_at_least "$a" "$t" 20 || fail "sampling of $a did not go on"
	echo stop >"$TC_SYS"
	hist >h.txt
	finish "$f1"
	finish "$f2"
	for out in dev.txt dbg.txt; do
		! grep -q '^lost' "$out" || fail "$out: $(grep '^lost' "$out" | head -n 1), nothing was dropped"
		same_lines "$out" h.txt || fail "$out: $(wc -l <"$out") lines, the history $(wc -l <h.txt); not the same lines (first difference: $(diff "$out.sorted" h.txt.sorted | grep '^[-+][^-+]' | head -n 1))"
		per_pid_order "$out" h.txt || fail "$out: a process's lines in another order than in the history"
	done
	[ "$(nlines "$c" dev.txt)" -ge 4 ] || fail "the process added after the follow: $(nlines "$c" dev.txt) lines"
}

# A member of the taskmonitor group that follows sees only its own
# processes, the same lines as its plain read; a process of root's
# listed too never shows.
test_stream_shows_what_opener_may_see() {
	tm_load interval_ms=20 max_samples=0
	chgrp taskmonitor "$TC_DEV" || fail "cannot chgrp $TC_DEV"
	chmod 0660 "$TC_DEV" || fail "cannot chmod $TC_DEV"
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mine=$!
	sleep 1000 &
	rootp=$!
	expect_write "$TC_DEV" "$mine" OK
	expect_write "$TC_DEV" "$rootp" OK
	wait_samples 10 "$mine" 3 || fail "no samples of $mine"
	rm -f m.ready
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) tmfollow -r m.ready -o m.txt "$TC_DEV" &
	f=$!
	wait_for 30 test -e m.ready || fail "tmmember's follower did not start"
	t=$(bt)
	wait_for 30 after_at_least "$mine" "$t" 10 || fail "sampling of $mine did not go on"
	echo stop >"$TC_SYS"
	tm_as tmmember cat "$TC_DEV" >mh.txt
	[ "$(nlines "$rootp")" -gt 0 ] || fail "test bug: no samples of root's $rootp"
	finish "$f"
	[ "$(nlines "$rootp" m.txt)" = 0 ] || fail "tmmember's stream shows root's $rootp"
	same_lines m.txt mh.txt || fail "tmmember's stream ($(wc -l <m.txt) lines) is not its plain read ($(wc -l <mh.txt) lines)"
	[ "$(nlines "$mine" m.txt)" -ge 13 ] || fail "tmmember's stream: $(nlines "$mine" m.txt) lines of $mine"
}

# lagging: loads, lists a sleeper ($p) and starts a follower that reads
# the history so far and then waits ($f, output w.txt, $n0 lines then);
# returns once $p has $1 samples the follower has not read, with
# sampling stopped and the history of $p in h.txt, $m of its samples
# after the follower's last.
lagging() {
	tm_load interval_ms=20 max_samples=0
	sleep 1000 &
	p=$!
	expect_write "$TC_DEV" "$p" OK
	wait_samples 10 "$p" 3 || fail "no samples of $p"
	follower w -w
	n0=$(wc -l <w.txt)
	[ "$n0" -ge 3 ] || fail "the follower read $n0 lines of a history of 3 or more"
	t0=$(ts_last w.txt)
	wait_for 30 after_at_least "$p" "$t0" "$1" || fail "no $1 samples of $p after the follower's"
	echo stop >"$TC_SYS"
	lines_of "$p" >h.txt
	m=$(count_ts_after h.txt "$t0")
}

TM_TIMEOUT_test_stream_lost_to_cap=120

# A follower that did not read while max_samples dropped samples gets
# "lost N", N the samples it had not read that are gone (its count
# the test keeps from the plain histories it read, before and after),
# then the ones left, and nothing else.
test_stream_lost_to_cap() {
	lagging 20
	tl=$(ts_last h.txt)
	# One sample, an interval after the start, trims the history to 5.
	echo 1000 >"$TC_PAR/interval_ms"
	echo 5 >"$TC_PAR/max_samples"
	echo start >"$TC_SYS"
	wait_for 10 newer_than "$p" "$tl" || fail "no sample of $p after the start"
	echo stop >"$TC_SYS"
	lines_of "$p" >h2.txt
	[ "$(wc -l <h2.txt)" = 5 ] || fail "the cap of 5 left $(wc -l <h2.txt) samples"
	a=$(count_ts_after h2.txt "$tl")
	# The samples appended since h.txt must show in h2.txt.
	[ "$(head -n 1 h2.txt | awk '{ print $8 }')" -le "$tl" ] || fail "test bug: more samples than the cap since the stop, cannot count them"
	want=$((m + a - 5))
	finish "$f"
	after_line w.txt "$n0" >got.txt
	{
		echo "lost $want"
		cat h2.txt
	} >want.txt
	cmp -s got.txt want.txt || fail "after the cap: got '$(head -n 1 got.txt)' and $(($(wc -l <got.txt) - 1)) more lines, expected 'lost $want' ($m + $a new samples, 5 kept) and the 5 kept"
}

# The shrinker (drop_caches) empties a history but its newest sample:
# the follower gets "lost N", N the samples it had not read but that one,
# then that one.
test_stream_lost_to_shrinker() {
	lagging 15
	echo 2 >/proc/sys/vm/drop_caches
	[ "$(nlines "$p")" = 1 ] || fail "test bug: drop_caches left $(nlines "$p") samples of $p"
	finish "$f"
	after_line w.txt "$n0" >got.txt
	{
		echo "lost $((m - 1))"
		tail -n 1 h.txt
	} >want.txt
	cmp -s got.txt want.txt || fail "after drop_caches: got '$(head -n 1 got.txt)' and $(($(wc -l <got.txt) - 1)) more lines, expected 'lost $((m - 1))' and the newest sample"
}

# Removal (-PID) of a process the follower had not read up, and of one
# added after the follow that it never read: lost, all of their samples
# it had not got, and no sample line.
test_stream_lost_to_removal() {
	lagging 10
	echo start >"$TC_SYS"
	sleep 1000 &
	q=$!
	expect_write "$TC_DEV" "$q" OK
	wait_samples 10 "$q" 3 || fail "no samples of $q"
	echo stop >"$TC_SYS"
	lines_of "$p" >h.txt
	m=$(count_ts_after h.txt "$t0")
	mq=$(nlines "$q")
	expect_write "$TC_DEV" "-$p" OK
	expect_write "$TC_DEV" "-$q" OK
	finish "$f"
	after_line w.txt "$n0" >got.txt
	[ "$(grep -vc '^lost ' got.txt)" = 0 ] || fail "after the removals the follower got sample lines: $(grep -v '^lost ' got.txt | head -n 1)"
	[ "$(lost_sum got.txt)" = $((m + mq)) ] || fail "lost $(lost_sum got.txt) in all, expected $m of $p and $mq of $q"
}

TM_TIMEOUT_test_stream_poll_wakes=180

# poll(), select() and epoll: a follower that has read everything is not
# readable while sampling is stopped (the sampler wakes, nothing comes),
# and is woken, readable with a line to read, once it resumes.
test_stream_poll_wakes() {
	tm_load interval_ms=20
	sleep 1000 &
	p=$!
	expect_write "$TC_DEV" "$p" OK
	wait_samples 10 "$p" 2 || fail "no samples of $p"
	for how in poll select epoll; do
		echo stop >"$TC_SYS"
		rm -f "$how.ready"
		tmfollow -P "$how" -r "$how.ready" -o "$how.txt" "$TC_DEV" &
		f=$!
		wait_for 30 test -e "$how.ready" || fail "$how: the follower did not start"
		sampler_wakes 5
		kill -0 "$f" 2>/dev/null || fail "$how: the follower ended while sampling was stopped"
		[ ! -s "$how.txt" ] || fail "$how: woken while sampling was stopped"
		echo start >"$TC_SYS"
		wait_for 10 file_is "$how.txt" woke || fail "$how: not woken once sampling resumed"
		reap "$f" || fail "$how: the follower failed (see log)"
	done
}

# The syntax of "follow"; a read of a buffer too small for the next line
# is EINVAL and takes nothing, a non-blocking read with nothing to give
# EAGAIN; a plain reader meanwhile gets the whole history, then end of
# file, and no lost line.
test_stream_errors() {
	tm_load interval_ms=20 max_samples=3
	sleep 1000 &
	p=$!
	expect_write "$TC_DEV" "$p" OK
	wait_samples 10 "$p" 3 || fail "no samples of $p"
	for ok in follow 'follow\n'; do
		expect_write "$TC_DEV" "$ok" OK
		expect_write "$TC_DBG" "$ok" OK
	done
	for bad in 'follow\n\n' ' follow' 'follow ' Follow followx 'follow 1' 'follow\0' '+follow' fol; do
		expect_write "$TC_DEV" "$bad" EINVAL
	done
	r=$(tmfollow -E "$TC_DEV") || fail "tmfollow -E failed (see log)"
	[ "$r" = "small=EINVAL big=OK drained=EAGAIN" ] || fail "follow-mode reads: $r, expected small=EINVAL big=OK drained=EAGAIN"
	rdcheck -g "$TC_DEV" >/dev/null || fail "plain read malformed"
	# Samples were dropped by the cap all along; a plain read never says so.
	! grep -q '^lost' "$TC_DEV" || fail "a plain read has a lost line"
	[ "$(nlines "$p")" = 3 ] || fail "plain read: $(nlines "$p") lines of $p, cap 3"
}

# in_read PID: PID is asleep in read(2) (syscall 0 on x86-64).
in_read() {
	[ "$(proc_state "$1")" = S ] && [ "$(cut -d ' ' -f 1 "/proc/$1/syscall" 2>/dev/null)" = 0 ]
}

# A follower blocked in read() while sampling is stopped gets nothing (the
# sampler wakes, no line comes), holds the module (rmmod: EWOULDBLOCK);
# killed, it lets rmmod succeed, every sample freed.
test_stream_blocked_reader_holds_module() {
	tm_load interval_ms=20
	sleep 1000 &
	p=$!
	expect_write "$TC_DEV" "$p" OK
	wait_samples 10 "$p" 3 || fail "no samples of $p"
	echo stop >"$TC_SYS"
	follower b
	n=$(wc -l <b.txt)
	wait_for 10 in_read "$f" || fail "the follower is not blocked in read()"
	sampler_wakes 5
	[ "$(wc -l <b.txt)" = "$n" ] || fail "the follower got $(($(wc -l <b.txt) - n)) lines while sampling was stopped"
	in_read "$f" || fail "the follower left read() while sampling was stopped"
	r=$(delmod taskmonitor 2>/dev/null)
	[ "$r" = EAGAIN ] || fail "rmmod with a follower blocked: $r, expected EWOULDBLOCK (EAGAIN)"
	tm_loaded || fail "module gone after a refused rmmod"
	kill -KILL "$f"
	reap "$f"
	r=$(delmod taskmonitor 2>/dev/null)
	[ "$r" = OK ] || fail "rmmod once the follower was killed: $r"
	# shellcheck disable=SC2046 # split on purpose
	set -- $(tm_unload_reports)
	[ "$#" = 4 ] || fail "no unload report"
	[ "$3" = 0 ] || fail "unloaded with $3 samples live ($1 created, $2 freed)"
}
