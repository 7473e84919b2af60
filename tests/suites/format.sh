# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# format: the sample line and the meaning of every field
# (docs/interface.md, "The sample line"), checked against /proc and the
# kernel's clocks.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# Every line on every interface is exactly
#   pid P usr N sys N ts N rss N vsz N minflt N majflt N nvcsw N nivcsw N threads N
#   start N comm NAME ppid N rbytes N wbytes N
# (one line; rdcheck parses strictly: key order, single spaces, decimal
# numbers, NAME escaped as documented);
# the device and debugfs say the same; sysfs lines are history lines; a
# kernel thread has rss 0 vsz 0.
test_format_syntax_everywhere() {
	burner -t 2 -s st &
	b=$!
	sleep 1000 &
	s=$!
	wait_for 60 file_is st "running 2" || fail "burner did not start"
	tm_load target="$b,$s,2" interval_ms=20
	for p in $b $s 2; do
		wait_samples 10 "$p" 5 || fail "no samples of $p"
	done
	rdcheck -g "$TC_DBG" >/dev/null || fail "debugfs output malformed (see log)"
	rdcheck -g "$TC_DEV" >/dev/null || fail "device output malformed (see log)"
	rdcheck -1 -t "$TC_SYS" >/dev/null || fail "sysfs output malformed (see log)"
	echo stop >"$TC_SYS"
	rdcheck -g -o d.txt "$TC_DBG" >/dev/null || fail "debugfs output malformed"
	rdcheck -g -o v.txt "$TC_DEV" >/dev/null || fail "device output malformed"
	cmp -s d.txt v.txt || fail "debugfs and /dev/taskmonitor differ while sampling is stopped"
	rdcheck -1 -o y.txt "$TC_SYS" >/dev/null || fail "sysfs output malformed"
	[ -s y.txt ] || fail "sysfs shows nothing"
	extra=$(grep -vxF -f d.txt y.txt | head -n 1)
	[ -z "$extra" ] || fail "sysfs line not in the history: $extra"
	bad=$(grep '^pid 2 ' d.txt | grep -v ' rss 0 vsz 0 ' | head -n 1)
	[ -z "$bad" ] || fail "kernel thread kthreadd: $bad"
	bad=$(grep '^pid 2 ' d.txt | grep -v ' threads 1 ' | head -n 1)
	[ -z "$bad" ] || fail "kthreadd is one thread: $bad"
	bad=$(grep "^pid $b " d.txt | grep -v ' threads 3 ' | head -n 1)
	[ -z "$bad" ] || fail "burner has 3 threads (main + 2): $bad"
}

# burner_stat PID: "ticks minflt majflt nv niv" from /proc, whole process
burner_stat() {
	echo "$(($(stat_field "$1" 14) + $(stat_field "$1" 15))) $(stat_field "$1" 10) $(stat_field "$1" 12) $(ctxt_sum "$1" voluntary_ctxt_switches) $(ctxt_sum "$1" nonvoluntary_ctxt_switches)"
}

TM_TIMEOUT_test_format_values_match_proc=120

# Field values of a multi-threaded CPU burner against /proc/PID/stat and
# /proc/PID/status: exactly, while the burner stands still (paused, and a
# sample taken after that), then bracketed by two /proc reads while it
# runs.  utime/stime are in USER_HZ ticks (100 Hz on x86).
test_format_values_match_proc() {
	burner -t 3 -m 32 -s st &
	b=$!
	wait_for 60 file_is st "running 3" || fail "burner did not start"
	tm_load target="$b" interval_ms=20
	sleep 2
	kill -USR2 "$b"
	wait_for 60 file_is st "paused 3" || fail "burner did not pause"
	t=$(bt)
	wait_for 10 after_at_least "$b" "$t" 3 || fail "no samples after the burner paused"
	echo stop >"$TC_SYS"
	l=$(last_of "$b")
	p1=$(burner_stat "$b")
	ut=$(stat_field "$b" 14)
	st=$(stat_field "$b" 15)
	minflt=$(stat_field "$b" 10)
	majflt=$(stat_field "$b" 12)
	rss=$(status_val "$b" VmRSS)
	vsz=$(status_val "$b" VmSize)
	thr=$(status_val "$b" Threads)
	nv=$(ctxt_sum "$b" voluntary_ctxt_switches)
	niv=$(ctxt_sum "$b" nonvoluntary_ctxt_switches)
	sleep 0.3
	[ "$(burner_stat "$b")" = "$p1" ] || fail "test bug: the paused burner still moves ($p1 / $(burner_stat "$b"))"
	note "sample: $l"
	note "/proc: utime $ut stime $st minflt $minflt majflt $majflt VmRSS $rss VmSize $vsz Threads $thr nvcsw $nv nivcsw $niv"
	[ "$ut" -ge 20 ] || fail "test bug: burner burned too little (utime $ut ticks)"
	[ "$st" -ge 10 ] || fail "test bug: burner burned too little (stime $st ticks)"

	[ "$(val "$l" threads)" = "$thr" ] || fail "threads $(val "$l" threads), /proc Threads: $thr"
	[ "$(val "$l" rss)" = "$rss" ] || fail "rss $(val "$l" rss) KiB, VmRSS $rss kB"
	[ "$(val "$l" vsz)" = "$vsz" ] || fail "vsz $(val "$l" vsz) KiB, VmSize $vsz kB"
	[ "$(val "$l" minflt)" = "$minflt" ] || fail "minflt $(val "$l" minflt), stat field 10: $minflt"
	[ "$(val "$l" majflt)" = "$majflt" ] || fail "majflt $(val "$l" majflt), stat field 12: $majflt"
	[ "$(val "$l" nvcsw)" = "$nv" ] || fail "nvcsw $(val "$l" nvcsw), sum of voluntary_ctxt_switches: $nv"
	[ "$(val "$l" nivcsw)" = "$niv" ] || fail "nivcsw $(val "$l" nivcsw), sum of nonvoluntary_ctxt_switches: $niv"
	us=$(($(val "$l" usr) / TC_TICK_NS))
	sy=$(($(val "$l" sys) / TC_TICK_NS))
	within $((us + sy)) $((ut + st)) $((2 + (ut + st) / 100)) ||
		fail "usr+sys = $((us + sy)) ticks, utime+stime = $((ut + st)) ticks"
	within "$us" "$ut" $((3 + ut * 3 / 100)) || fail "usr = $us ticks, utime = $ut ticks"
	within "$sy" "$st" $((3 + st * 3 / 100)) || fail "sys = $sy ticks, stime = $st ticks"

	# Running: /proc before <= sample <= /proc after.
	kill -USR2 "$b"
	wait_for 60 file_is st "running 3" || fail "burner did not resume"
	echo start >"$TC_SYS"
	for round in 1 2 3; do
		a=$(burner_stat "$b")
		t=$(bt)
		wait_for 10 newer_than "$b" "$t" || fail "round $round: no new sample"
		z=$(burner_stat "$b")
		s=$(lines_of "$b" | awk -v t="$t" '{ for (i = 1; i < NF; i += 2) if ($i == "ts" && $(i + 1) > t) { print; exit } }')
		ticks=$((($(val "$s" usr) + $(val "$s" sys)) / TC_TICK_NS))
		# shellcheck disable=SC2086 # split on purpose
		set -- $a
		a_ticks=$1 a_min=$2 a_nv=$4 a_niv=$5
		# shellcheck disable=SC2086
		set -- $z
		between "$ticks" $((a_ticks - 2)) $(($1 + 2)) ||
			fail "round $round: usr+sys $ticks ticks not within /proc $a_ticks..$1"
		between "$(val "$s" minflt)" "$a_min" "$2" || fail "round $round: minflt $(val "$s" minflt) not within $a_min..$2"
		between "$(val "$s" nvcsw)" "$a_nv" "$4" || fail "round $round: nvcsw $(val "$s" nvcsw) not within $a_nv..$4"
		between "$(val "$s" nivcsw)" "$a_niv" "$5" || fail "round $round: nivcsw $(val "$s" nivcsw) not within $a_niv..$5"
		sleep 0.3
	done
}

# ts is CLOCK_BOOTTIME in ns when the sample was taken: every sample lies
# between a clock read before loading and one after stopping, and samples
# keep coming between two clock reads 0.3 s apart.  (This tells boot time
# from the realtime clock, jiffies or other units, but not from
# CLOCK_MONOTONIC: the two differ only after a suspend, and a QEMU guest
# put to sleep here is not woken by its RTC alarm.)
test_format_ts_boottime() {
	sleep 1000 &
	s=$!
	b0=$(bt)
	tm_load target="$s" interval_ms=20
	wait_samples 10 "$s" 3 || fail "no samples"
	b1=$(bt)
	sleep 0.3
	b2=$(bt)
	wait_for 10 newer_than "$s" "$b2" || fail "no sample after CLOCK_BOOTTIME $b2"
	echo stop >"$TC_SYS"
	b3=$(bt)
	ts_of "$s" | awk -v lo="$b0" -v hi="$b3" '$1 + 0 < lo + 0 || $1 + 0 > hi + 0 { print "ts " $1 " outside " lo ".." hi; exit 1 }' >out.txt ||
		fail "$(cat out.txt)"
	n=$(ts_of "$s" | awk -v lo="$b1" -v hi="$b2" '$1 + 0 > lo + 0 && $1 + 0 < hi + 0 { n++ } END { print n + 0 }')
	[ "$n" -ge 3 ] || fail "only $n samples with ts inside a 0.3 s CLOCK_BOOTTIME window at 20 ms"
}

# The history is grouped by process in the order processes were added,
# oldest first within a process; any read size gives the same bytes.
test_format_grouping_and_read_sizes() {
	sleep 1000 &
	s1=$!
	sleep 1000 &
	s2=$!
	sleep 1000 &
	s3=$!
	tm_load interval_ms=10
	expect_write "$TC_DEV" "$s2" OK
	expect_write "$TC_DEV" "$s3" OK
	expect_write "$TC_DBG" "$s1" OK
	for p in $s1 $s2 $s3; do
		wait_samples 10 "$p" 20 || fail "no samples of $p"
	done
	echo stop >"$TC_SYS"
	for f in "$TC_DEV" "$TC_DBG"; do
		rdcheck -g -o full.txt "$f" >/dev/null || fail "$f: malformed or not grouped (see log)"
		order=$(pids_in full.txt | tr '\n' ' ')
		[ "$order" = "$s2 $s3 $s1 " ] || fail "$f: groups in order '$order', added as '$s2 $s3 $s1 '"
		for bs in 1 7 100 131 4096; do
			rdcheck -g -b "$bs" -o part.txt "$f" >/dev/null || fail "$f read $bs bytes at a time: malformed (see log)"
			cmp -s full.txt part.txt || fail "$f read $bs bytes at a time differs from one big read"
		done
	done
}

TM_TIMEOUT_test_format_big_history_small_reads=240

# A history of tens of thousands of lines (MBs) reads whole and
# consistent in 4 KiB reads, which make seq_file stop and resume its
# iterator thousands of times: byte for byte what one 1 MiB-read pass
# gives, and, once all but two processes are removed, exactly those two
# processes' lines of it.  (What such a read costs against the length of
# the history is measured by `make bench`, reading table, never timed
# here.)
test_format_big_history_small_reads() {
	pids=
	i=0
	while [ $i -lt 16 ]; do
		sleep 1000 &
		pids="$pids${pids:+,}$!"
		i=$((i + 1))
	done
	tm_load target="$pids" interval_ms=1 max_samples=0
	wait_for 150 slab_at_least 40000 || note "history reached only $(slab_active) objects"
	echo stop >"$TC_SYS"
	rdcheck -g -b 1048576 -o whole.txt "$TC_DEV" >/dev/null || fail "big history malformed in 1 MiB reads (see log)"
	r4=$(rdcheck -g -b 4096 -o small.txt "$TC_DEV") || fail "big history malformed in 4 KiB reads (see log)"
	# shellcheck disable=SC2086 # split on purpose
	set -- $r4
	l4=$4
	[ "$l4" -ge 16000 ] || fail "test bug: only $l4 lines of history after 150 s at 1 ms"
	cmp -s whole.txt small.txt || fail "the big history read 4 KiB at a time differs from 1 MiB reads"
	keep=0 kept=
	for p in $(echo "$pids" | tr ',' ' '); do
		keep=$((keep + 1))
		if [ $keep -le 2 ]; then
			kept="$kept${kept:+|}$p"
			continue
		fi
		expect_write "$TC_DEV" "-$p" OK
	done
	rdcheck -g -b 4096 -o left.txt "$TC_DEV" >/dev/null || fail "small history malformed (see log)"
	grep -E "^pid ($kept) " whole.txt >want.txt
	[ -s want.txt ] || fail "test bug: no lines of $kept in the big history"
	cmp -s want.txt left.txt ||
		fail "after removing 14 of 16 processes: $(wc -l <left.txt) lines, not the $(wc -l <want.txt) of $kept the big history held"
}
