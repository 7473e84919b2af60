# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# identity: the keys that name a process and count its storage I/O
# (docs/interface.md, "The sample line"): comm, start, ppid, rbytes and
# wbytes, each against /proc or a count the test keeps itself.
#
# Helpers from tests/helpers used here: namer, commcheck, iohog, rdcheck.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# check_names PID NAME...: walk namer PID through its names; each NAME
# is the comm value the documented escaping gives for it, and the
# decoded value must be /proc/PID/comm's bytes (commcheck).
check_names() {
	_p=$1
	shift
	_i=1
	for _want in "$@"; do
		wait_for 10 file_is ready "$_i" || fail "namer $_p did not take its name $_i"
		_t=$(bt)
		wait_for 10 newer_than "$_p" "$_t" || fail "no sample of $_p after its name $_i"
		commcheck "$_p" "$TC_DEV" || fail "name $_i of $_p: the sample's comm is not /proc/$_p/comm (see log)"
		_got=$(val "$(last_of "$_p")" comm)
		[ "$_got" = "$_want" ] || fail "name $_i of $_p written '$_got', the documented escaping is '$_want'"
		kill -USR1 "$_p"
		_i=$((_i + 1))
	done
}

# comm round-trips any name: spaces, a newline, a backslash, bytes that
# are not UTF-8, control characters, the empty name, one truncated by
# the kernel; set by prctl(PR_SET_NAME) and by /proc/self/comm.
test_comm_names_round_trip() {
	tm_load interval_ms=20
	namer ready 'my prog' 'x\ny' 'a\\b' '\xff\xfeok' '' 'caf\xc3\xa9' \
		'\t\x7f~!' '0123456789abcdefgh' &
	n=$!
	expect_write "$TC_DEV" "$n" OK
	check_names "$n" 'my\x20prog' 'x\x0ay' 'a\x5cb' '\xff\xfeok' '\x00' \
		'caf\xc3\xa9' '\x09\x7f~!' '0123456789abcde'
	rm -f ready
	namer -p ready 'via proc' 'back\\slash' &
	m=$!
	expect_write "$TC_DEV" "$m" OK
	check_names "$m" 'via\x20proc' 'back\x5cslash'
	rdcheck -g "$TC_DEV" >/dev/null || fail "history malformed (see log)"
	rdcheck -1 -t "$TC_SYS" >/dev/null || fail "sysfs lines malformed (see log)"
}

# An exec changes the name (to the program's), not pid nor start.
test_comm_follows_exec() {
	tm_load interval_ms=20
	namer -x ready before &
	n=$!
	# Added once named: a sample of its first name, namer, would come first.
	wait_for 10 file_is ready 1 || fail "namer $n did not take its name"
	expect_write "$TC_DEV" "$n" OK
	check_names "$n" before
	wait_for 10 sh -c "[ \"\$(cat /proc/$n/comm)\" = sleep ]" || fail "namer $n did not exec sleep"
	t=$(bt)
	wait_for 10 newer_than "$n" "$t" || fail "no sample of $n after its exec"
	commcheck "$n" "$TC_DEV" || fail "after exec: the sample's comm is not /proc/$n/comm"
	[ "$(val "$(last_of "$n")" comm)" = sleep ] || fail "after exec: comm $(val "$(last_of "$n")" comm), expected sleep"
	starts=$(lines_of "$n" | awk '{ for (i = 1; i < NF; i += 2) if ($i == "start") print $(i + 1) }' | sort -u | wc -l)
	[ "$starts" = 1 ] || fail "start changed across the exec ($starts values)"
	names=$(lines_of "$n" | awk '{ for (i = 1; i < NF; i += 2) if ($i == "comm") print $(i + 1) }' | uniq | tr '\n' ' ')
	[ "$names" = "before sleep " ] || fail "names in order: '$names', expected 'before sleep '"
}

# start_ticks PID: start of PID's newest sample in USER_HZ ticks.
start_ticks() {
	echo $(($(val "$(last_of "$1")" start) / TC_TICK_NS))
}

# start is /proc/PID/stat field 22 in ns: the same number of ticks,
# the same in every sample, and between two clock reads around the
# fork of a process the test starts itself.
test_start_is_stat_field_22() {
	tm_load interval_ms=20
	t0=$(bt)
	sleep 1000 &
	s=$!
	t1=$(bt)
	for p in 1 2 $$ $s; do
		expect_write "$TC_DEV" "$p" OK
	done
	for p in 1 2 $$ $s; do
		wait_samples 10 "$p" 3 || fail "no samples of $p"
	done
	for p in 1 2 $$ $s; do
		[ "$(start_ticks "$p")" = "$(stat_field "$p" 22)" ] ||
			fail "pid $p: start $(val "$(last_of "$p")" start) ns is $(start_ticks "$p") ticks, /proc/$p/stat field 22: $(stat_field "$p" 22)"
		n=$(lines_of "$p" | awk '{ for (i = 1; i < NF; i += 2) if ($i == "start") print $(i + 1) }' | sort -u | wc -l)
		[ "$n" = 1 ] || fail "pid $p: $n different start values"
	done
	st=$(val "$(last_of "$s")" start)
	first_ts=$(ts_of "$s" | head -n 1)
	awk -v s="$st" -v a="$t0" -v b="$t1" 'BEGIN { exit !(s >= a && s <= b) }' ||
		fail "start of $s is $st, forked between $t0 and $t1"
	awk -v s="$st" -v t="$first_ts" 'BEGIN { exit !(s < t) }' ||
		fail "start $st of $s is not before its first sample $first_ts"
}

# ppid is /proc/PID/stat field 4, and follows a reparenting; samples
# taken before it keep the old parent.
test_ppid_matches_proc() {
	tm_load interval_ms=20
	sh -c 'sleep 1000 & echo $! >kid; wait' &
	p=$!
	wait_for 10 test -s kid || fail "the parent did not start its child"
	k=$(cat kid)
	for x in 1 2 $p $k; do
		expect_write "$TC_DEV" "$x" OK
	done
	for x in 1 2 $p $k; do
		wait_samples 10 "$x" 2 || fail "no samples of $x"
		[ "$(val "$(last_of "$x")" ppid)" = "$(stat_field "$x" 4)" ] ||
			fail "pid $x: ppid $(val "$(last_of "$x")" ppid), /proc/$x/stat field 4: $(stat_field "$x" 4)"
	done
	[ "$(val "$(last_of "$k")" ppid)" = "$p" ] || fail "test bug: $k is not $p's child"
	kill "$p"
	wait "$p"
	wait_for 10 sh -c "[ \"\$(sed 's/^.*) //' /proc/$k/stat | cut -d ' ' -f 2)\" != $p ]" ||
		fail "$k was not reparented"
	np=$(stat_field "$k" 4)
	t=$(bt)
	wait_for 10 newer_than "$k" "$t" || fail "no sample of $k after its reparenting"
	[ "$(val "$(last_of "$k")" ppid)" = "$np" ] ||
		fail "after reparenting: ppid $(val "$(last_of "$k")" ppid), /proc/$k/stat field 4: $np"
	[ "$(val "$(lines_of "$k" | head -n 1)" ppid)" = "$p" ] ||
		fail "the first sample of $k no longer shows its first parent $p"
}

TM_TIMEOUT_test_io_bytes_match_proc=90

# io_of PID KEY: KEY's number in /proc/PID/io.
io_of() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/io"
}

# rbytes and wbytes are /proc/PID/io's read_bytes and write_bytes, for
# a process that wrote (from a thread that has exited) and fsynced, then
# read back with O_DIRECT, a known number of bytes on a RAM disk (brd,
# which the harness puts into the guest): at least that many each, and
# exactly what /proc says.  A kernel without CONFIG_TASK_IO_ACCOUNTING
# (no /proc/PID/io: the debug kernel) must show 0 for both.
test_io_bytes_match_proc() {
	size=$((4 * 1024 * 1024))
	if [ ! -e /proc/self/io ]; then
		note "no CONFIG_TASK_IO_ACCOUNTING: rbytes and wbytes must be 0"
		tm_load target=1,2,$$ interval_ms=20
		wait_samples 10 $$ 3 || fail "no samples of $$"
		bad=$(grep -vE ' rbytes 0 wbytes 0( |$)' "$TC_DEV" | head -n 1)
		[ -z "$bad" ] || fail "without I/O accounting: $bad"
		return 0
	fi
	modprobe brd rd_nr=1 rd_size=16384 || fail "cannot load brd, the RAM disk the test writes to"
	wait_for 10 test -b /dev/ram0 || fail "no /dev/ram0 after modprobe brd"
	tm_load interval_ms=20
	iohog ready /dev/ram0 "$size" &
	h=$!
	expect_write "$TC_DEV" "$h" OK
	wait_for 30 file_is ready 'done' || fail "iohog did not finish its I/O"
	t=$(bt)
	wait_for 10 newer_than "$h" "$t" || fail "no sample of $h after its I/O"
	echo stop >"$TC_SYS"
	l=$(last_of "$h")
	r=$(io_of "$h" read_bytes)
	w=$(io_of "$h" write_bytes)
	note "sample: $l"
	note "/proc/$h/io: read_bytes $r write_bytes $w"
	[ "$r" -ge "$size" ] || fail "test bug: /proc/$h/io counts read_bytes $r, less than the $size bytes read"
	[ "$w" -ge "$size" ] || fail "test bug: /proc/$h/io counts write_bytes $w, less than the $size bytes written"
	[ "$(val "$l" rbytes)" = "$r" ] || fail "rbytes $(val "$l" rbytes), /proc/$h/io read_bytes $r"
	[ "$(val "$l" wbytes)" = "$w" ] || fail "wbytes $(val "$l" wbytes), /proc/$h/io write_bytes $w"
	first=$(lines_of "$h" | head -n 1)
	[ "$(val "$first" rbytes)" -le "$r" ] || fail "rbytes went down: first sample $first"
	[ "$(val "$first" wbytes)" -le "$w" ] || fail "wbytes went down: first sample $first"
	kill "$h"
	wait "$h"
	rmmod brd || fail "cannot unload brd"
}
