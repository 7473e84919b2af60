# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# ctl: taskmonitorctl (ctl/, issue 14) against the live module.  Truths:
# the PIDs the test added, /proc (state, CPU time, VmRSS), errnos the
# test provokes, and the raw lines of the device.  The rates on
# hand-written histories are tested on the host (ctl/tests/).

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT=120
CTL=taskmonitorctl

# jnum LINE KEY: the number KEY of a flat JSON object.
jnum() {
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\\(-\\{0,1\\}[0-9.]*\\).*/\\1/p"
}

# ctl_err EXPECTED_STATUS PATTERN CMD...: CMD must exit with the status
# and say PATTERN (fixed string) on stderr.
ctl_err() {
	_st=$1 _pat=$2
	shift 2
	"$@" >out 2>err
	_rc=$?
	[ "$_rc" = "$_st" ] || fail "$*: exit $_rc, wanted $_st ($(cat err))"
	grep -qF -- "$_pat" err || fail "$*: said '$(cat err)', wanted '$_pat'"
}

# list_pids: the PIDs taskmonitorctl list shows, sorted, one line.
list_pids() {
	$CTL list --csv | awk -F, 'NR > 1 { print $1 }' | sort -n | tr '\n' ' '
}

test_ctl_add_remove_list() {
	tm_load interval_ms=50
	sleep 1000 &
	a=$!
	sleep 1000 &
	b=$!
	# Each sample names the process: add them once they are named sleep.
	for p in $a $b; do
		wait_for 10 grep -qx sleep "/proc/$p/comm" || fail "test bug: $p is not sleep yet"
	done
	$CTL add "$a" "$b" || fail "add $a $b failed"
	wait_samples 10 "$a" 2 || fail "no samples of $a"
	wait_samples 10 "$b" 2 || fail "no samples of $b"
	echo stop >"$TC_SYS"
	want=$(printf '%s\n' "$a" "$b" | sort -n | tr '\n' ' ')
	[ "$(list_pids)" = "$want" ] || fail "list shows '$(list_pids)', added '$want'"
	for p in $a $b; do
		row=$($CTL list --csv | grep "^$p,")
		n=$(nlines "$p")
		[ "$row" != "${row#"$p,\"sleep\",live,$n,"}" ] ||
			fail "list row of $p: '$row', wanted comm sleep, live, $n samples"
	done
	$CTL remove "$a" || fail "remove $a failed"
	[ "$(list_pids)" = "$b " ] || fail "after remove: '$(list_pids)'"
	[ "$(nlines "$a")" = 0 ] || fail "$a still in the device's history"
	kill "$b"
	wait "$b"
	[ ! -e "/proc/$b" ] || fail "test bug: $b still in /proc"
	$CTL list --json | grep -q "\"pid\":$b,.*\"state\":\"exited\"" ||
		fail "exited $b not listed as exited: $($CTL list --json)"
}

test_ctl_errors() {
	ctl_err 2 "taskmonitor is not loaded: modprobe taskmonitor" $CTL add $$
	ctl_err 2 "taskmonitor is not loaded: modprobe taskmonitor" $CTL show
	tm_load interval_ms=50
	{ chgrp taskmonitor "$TC_DEV" && chmod 0660 "$TC_DEV"; } || fail "cannot chmod $TC_DEV"
	gone=$(free_pid)
	ctl_err 1 "PID $gone: no such process" $CTL add "$gone"
	sleep 1000 &
	s=$!
	$CTL add "$s" || fail "add $s failed"
	ctl_err 1 "PID $s is already monitored" $CTL add "$s"
	# One good PID and one bad: exit 1, and the good one is added.
	sleep 1000 &
	s2=$!
	ctl_err 1 "PID $gone: no such process" $CTL add "$s2" "$gone"
	tmwrite "$TC_DEV" "$s2" | grep -qx EEXIST || fail "$s2 was not added"
	ctl_err 1 "PID $gone is not monitored" $CTL remove "$gone"
	ctl_err 1 "PID 1: permission denied: without CAP_SYS_ADMIN" tm_as tmmember $CTL add 1
	tmwrite "$TC_DEV" 1 | grep -qx OK || fail "test bug: root cannot add 1"
	ctl_err 1 "PID 1: permission denied" tm_as tmmember $CTL remove 1
	ctl_err 2 "add yourself to the taskmonitor group" tm_as tmuser $CTL add $$
	ctl_err 2 "add yourself to the taskmonitor group" tm_as tmuser $CTL list
	sleep 1000 &
	s3=$!
	$CTL add --follow "$s3" || fail "add --follow $s3 failed"
	tmwrite "$TC_DEV" "+$s3" | grep -qx EEXIST || fail "add --follow did not follow $s3"
	ctl_err 2 "is not a PID" $CTL add 0
}

# cpu_ticks PID: utime + stime of PID from /proc, in clock ticks.
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# check_burner THREADS: the CPU time that show reports over a window
# equals what /proc/PID/stat says the burner used in it.  The burner is
# paused at both ends, so that its counters stand still while the module
# samples them and /proc is read.
check_burner() {
	burner -t "$1" -p -s st &
	bp=$!
	wait_for 60 file_is st "paused $1" || fail "burner did not start paused"
	$CTL add "$bp" || fail "add $bp failed"
	wait_samples 10 "$bp" 1 || fail "no sample of the burner"
	u0=$(cpu_ticks "$bp")
	kill -USR2 "$bp"
	wait_for 60 file_is st "running $1" || fail "burner did not run"
	t=$(bt)
	wait_for 60 after_at_least "$bp" "$t" 10 || fail "fewer than 10 samples while running"
	kill -USR2 "$bp"
	wait_for 60 file_is st "paused $1" || fail "burner did not pause"
	t=$(bt)
	wait_for 10 after_at_least "$bp" "$t" 1 || fail "no sample after the pause"
	u1=$(cpu_ticks "$bp")
	echo stop >"$TC_SYS"
	# Sum of %CPU x interval over the rows, in ms; the window's length
	# from the raw lines.
	got=$($CTL show "$bp" --json | awk '{
		match($0, /"interval_s":[0-9.]+/); i = substr($0, RSTART + 13, RLENGTH - 13)
		match($0, /"cpu_pct":[0-9.]+/); c = substr($0, RSTART + 10, RLENGTH - 10)
		s += i * c * 10 } END { printf "%d", s }')
	want=$(((u1 - u0) * TC_TICK_NS / 1000000))
	# /proc truncates utime and stime to ticks at each of the two reads:
	# up to 4 ticks; 2 % more for what the paused burner's main thread
	# may use to handle the signals.
	tol=$((4 * TC_TICK_NS / 1000000 + want / 50))
	note "burner -t $1: show says $got ms of CPU, /proc $want ms (tolerance $tol ms)"
	[ "$want" -gt 500 ] || fail "test bug: the burner used only $want ms"
	[ "$(abs $((got - want)))" -le "$tol" ] ||
		fail "show: $got ms of CPU over the window, /proc/$bp/stat: $want ms"
	first=$(ts_of "$bp" | head -n 1)
	last=$(ts_of "$bp" | tail -n 1)
	avg=$($CTL show "$bp" --summary --json)
	avg=$(jnum "$avg" cpu_pct_avg)
	# want ms over (last - first) ns, as a percentage, in hundredths.
	want_avg=$((want * 100000000 / ((last - first) / 1000000) ))
	got_avg=$(awk -v a="$avg" 'BEGIN { printf "%d", a * 1000000 }')
	tol_avg=$((tol * 100000000 / ((last - first) / 1000000)))
	[ "$(abs $((got_avg - want_avg)))" -le "$tol_avg" ] ||
		fail "summary: avg %CPU $avg, /proc: $want ms over $(((last - first) / 1000000)) ms"
	kill "$bp"
	wait "$bp"
}

TM_TIMEOUT_test_ctl_show_burner_1=150
test_ctl_show_burner_1() {
	tm_load interval_ms=100
	check_burner 1
}

TM_TIMEOUT_test_ctl_show_burner_2=150
test_ctl_show_burner_2() {
	tm_load interval_ms=100
	check_burner 2
}

test_ctl_rss_against_proc() {
	tm_load interval_ms=50
	burner -t 1 -m 32 -p -s st &
	bp=$!
	wait_for 60 file_is st "paused 1" || fail "burner did not start"
	$CTL add "$bp" || fail "add failed"
	wait_samples 10 "$bp" 3 || fail "no samples"
	echo stop >"$TC_SYS"
	rss=$(status_val "$bp" VmRSS)
	vsz=$(status_val "$bp" VmSize)
	row=$($CTL show "$bp" --json | tail -n 1)
	[ "$(jnum "$row" rss_kib)" = "$rss" ] || fail "rss_kib $(jnum "$row" rss_kib), VmRSS $rss"
	[ "$(jnum "$row" vsz_kib)" = "$vsz" ] || fail "vsz_kib $(jnum "$row" vsz_kib), VmSize $vsz"
	[ "$rss" -gt 32768 ] || fail "test bug: VmRSS $rss below the 32 MiB touched"
	kill "$bp"
}

test_ctl_save_and_input() {
	tm_load interval_ms=50
	sleep 1000 &
	s=$!
	# Each sample names the process: add it once it is named sleep.
	wait_for 10 grep -qx sleep "/proc/$s/comm" || fail "test bug: $s is not sleep yet"
	$CTL add "$s" || fail "add failed"
	wait_samples 10 "$s" 3 || fail "no samples"
	echo stop >"$TC_SYS"
	$CTL save h || fail "save failed"
	# The header: wall clock minus the uptime, within 2 s of the two
	# clocks read around the uptime (a slow guest may take seconds
	# between two commands).
	boot=$(head -n 1 h | sed -n 's/^# boot_time \([0-9]*\)\..*/\1/p')
	d0=$(date +%s)
	up=$(cut -d. -f1 /proc/uptime)
	d1=$(date +%s)
	if [ "$boot" -lt $((d0 - up - 2)) ] || [ "$boot" -gt $((d1 - up + 2)) ]; then
		fail "boot_time $boot, date - uptime $((d0 - up))..$((d1 - up))"
	fi
	[ "$(grep -v '^#' h)" = "$(cat "$TC_DEV")" ] || fail "saved samples differ from the device's"
	# The lines carry comm: no "# comm" line is needed, and none written.
	[ "$(grep -c '^# comm ' h)" = 0 ] || fail "a '# comm' line, though the lines name the process: $(grep '^#' h)"
	# The same boot time for both: "now" moves by a few microseconds
	# between two reads of the clocks, enough to change a millisecond.
	b=$(head -n 1 h | sed -n 's/^# boot_time //p')
	[ "$($CTL show --json -i h)" = "$($CTL show --json --boot-time "$b")" ] ||
		fail "show of the saved copy differs: $($CTL show --json -i h | head -n 1) / $($CTL show --json --boot-time "$b" | head -n 1)"
	$CTL show --json --boot-time 0 -i h | grep -q '"time":"1970-01-01T' ||
		fail "--boot-time 0 does not give 1970"
	# Read as another boot's (no /proc look-up), the name comes from the
	# copy: what /proc/PID/comm says.
	c=$(cat "/proc/$s/comm")
	$CTL show --json --boot-time 0 -i h | grep -q "\"pid\":$s,\"comm\":\"$c\"" ||
		fail "the saved copy does not name $s '$c': $($CTL show --json --boot-time 0 -i h | head -n 1)"
}

# secs NS: nanoseconds as export writes seconds, computed here.
secs() {
	printf '%d.%09d' $(($1 / 1000000000)) $(($1 % 1000000000))
}

# prom_val FILE METRIC PID [EXTRA]: the value of METRIC's series of PID
# (EXTRA: its extra label, e.g. mode="user").
prom_val() {
	grep "^$2{pid=\"$3\",.*${4:-\}}" "$1" | sed 's/.* //'
}

# A live history: two processes export must show (one renamed, through
# its /proc/self/comm, to a name with a byte that is not UTF-8, a quote
# and a backslash), one that has exited and that it must leave out.
# Truths: the device's raw lines and /proc.
test_ctl_export_live() {
	tm_load interval_ms=50
	sleep 1000 &
	a=$!
	# The trailing ':' keeps sh from exec'ing sleep, which would rename it.
	sh -c 'printf "x\377\"y\\\\z" >/proc/self/comm; sleep 1000; :' &
	b=$!
	sleep 1000 &
	c=$!
	wait_for 10 grep -q '^x' "/proc/$b/comm" || fail "test bug: $b not renamed"
	# Each sample names the process: add it once it is named sleep.
	wait_for 10 grep -qx sleep "/proc/$a/comm" || fail "test bug: $a is not sleep yet"
	$CTL add "$a" "$b" "$c" || fail "add failed"
	for p in $a $b $c; do
		wait_samples 10 "$p" 2 || fail "no samples of $p"
	done
	kill "$c"
	wait "$c"
	echo stop >"$TC_SYS"
	$CTL export -o out.prom 2>err || fail "export failed: $(cat err)"
	[ "$(stat -c %a out.prom)" = 644 ] || fail "out.prom has mode $(stat -c %a out.prom)"
	got=$(sed -n 's/^taskmonitor_threads{pid="\([0-9]*\)".*/\1/p' out.prom | sort -n | tr '\n' ' ')
	want=$(printf '%s\n' "$a" "$b" | sort -n | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "export shows processes '$got', live ones are '$want'"
	for p in $a $b; do
		last=$(grep "^pid $p " "$TC_DEV" | tail -n 1)
		[ "$(prom_val out.prom taskmonitor_cpu_seconds_total "$p" 'mode="user"')" = \
			"$(secs "$(val "$last" usr)")" ] || fail "user CPU of $p: $(grep "pid=\"$p\".*user" out.prom)"
		[ "$(prom_val out.prom taskmonitor_cpu_seconds_total "$p" 'mode="system"')" = \
			"$(secs "$(val "$last" sys)")" ] || fail "system CPU of $p"
		[ "$(prom_val out.prom taskmonitor_resident_memory_bytes "$p")" = \
			$(($(status_val "$p" VmRSS) * 1024)) ] || fail "RSS of $p: not VmRSS x 1024"
		[ "$(prom_val out.prom taskmonitor_page_faults_total "$p" 'type="minor"')" = \
			"$(val "$last" minflt)" ] || fail "minor faults of $p"
	done
	# Its name is x, the byte 0xff, ", y, \, z: as a label, x\\xff\"y\\z.
	# The lines carry start: the series name the process by it too.
	sb=$(val "$(grep "^pid $b " "$TC_DEV" | tail -n 1)" start)
	grep -qF "{pid=\"$b\",comm=\"x\\\\xff\\\"y\\\\z\",start=\"$sb\"}" out.prom ||
		fail "the name of $b: $(grep "threads{pid=\"$b\"" out.prom)"
	sa=$(val "$(grep "^pid $a " "$TC_DEV" | tail -n 1)" start)
	grep -qF "{pid=\"$a\",comm=\"sleep\",start=\"$sa\"}" out.prom || fail "the name of $a: $(grep "threads{pid=\"$a\"" out.prom)"
	# The grammar of every sample line, no byte outside ASCII here, no
	# series twice.
	bad=$(grep -v '^#' out.prom | grep -vE '^[a-z_]+(\{([a-z_]+="([^"\\]|\\[\\"n])*",?)+\})? [0-9.]+$')
	[ -z "$bad" ] || fail "not an exposition line: $bad"
	[ "$(tr -d '\000-\177' <out.prom | wc -c)" = 0 ] || fail "a raw byte >= 0x80 in the output"
	[ -z "$(grep -v '^#' out.prom | sed 's/ [^ ]*$//' | sort | uniq -d)" ] || fail "a series twice"
	# For promtool on the host (ctl/tests/prom.py, after the boots).
	sed 's/^/TM-EXPORT /' out.prom >&2
	# Not loaded: one line, the file removed, status 0.
	tm_unload
	$CTL export -o out.prom 2>err
	rc=$?
	if [ "$rc" != 0 ] || [ -e out.prom ] || [ "$(wc -l <err)" != 1 ]; then
		fail "export without the module: status $rc, file $(ls out.prom 2>&1), said '$(cat err)'"
	fi
	kill "$a" "$b"
}

# io_key PID KEY: KEY's number (read_bytes, write_bytes) in /proc/PID/io.
io_key() {
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/io"
}

# kib_sum PID FIELD: the sum over show's rows of PID of FIELD (a KiB/s
# rate) times the row's interval_s: the KiB the rates account for.
kib_sum() {
	$CTL show "$1" --json | awk -v f="\"$2\":" '{
		match($0, /"interval_s":[0-9.]+/); i = substr($0, RSTART + 13, RLENGTH - 13)
		match($0, f "[0-9.]+"); r = substr($0, RSTART + length(f), RLENGTH - length(f))
		s += i * r } END { printf "%.3f", s }'
}

TM_TIMEOUT_test_ctl_show_io_against_proc=150

# show's kB_wr/s and kB_rd/s, times each row's length and summed, equal
# the growth of write_bytes and read_bytes in /proc/PID/io, which the
# test reads itself while the process stands still (blocked on a FIFO)
# before and after its I/O.  The process is a shell that, let through,
# has dd write and fsync SIZE bytes on a RAM disk (brd: the initramfs has
# no storage I/O); dd's bytes join the shell's counters when the shell
# reaps it, as /proc/PID/io counts a process.  A kernel without
# CONFIG_TASK_IO_ACCOUNTING (no /proc/PID/io: the debug kernel) writes 0
# for both keys: the rates must be 0; dd then writes to a file in the
# test's directory (that kernel is built without brd).
test_ctl_show_io_against_proc() {
	size=$((4 * 1024 * 1024))
	io=/proc/self/io
	out=io.out
	if [ -e "$io" ]; then
		modprobe brd rd_nr=1 rd_size=16384 || fail "cannot load brd, the RAM disk the test writes to"
		wait_for 10 test -b /dev/ram0 || fail "no /dev/ram0 after modprobe brd"
		out=/dev/ram0
	fi
	tm_load interval_ms=50
	mkfifo go || fail "test bug: cannot make a FIFO"
	sh -c "read -r x <go; dd if=/dev/zero of=$out bs=65536 count=$((size / 65536)) conv=fsync 2>dd.err &&
		echo done >ready; read -r x <go" &
	p=$!
	$CTL add "$p" || fail "add $p failed"
	wait_samples 10 "$p" 2 || fail "no samples of $p"
	if [ -e "$io" ]; then
		r0=$(io_key "$p" read_bytes)
		w0=$(io_key "$p" write_bytes)
	fi
	: >go
	wait_for 60 file_is ready 'done' || fail "dd did not write $size bytes: $(cat dd.err)"
	t=$(bt)
	wait_for 10 after_at_least "$p" "$t" 2 || fail "no samples of $p after its I/O"
	if [ -e "$io" ]; then
		r1=$(io_key "$p" read_bytes)
		w1=$(io_key "$p" write_bytes)
	else
		r0=0 w0=0 r1=0 w1=0
	fi
	echo stop >"$TC_SYS"
	[ ! -e "$io" ] || [ $((w1 - w0)) -ge "$size" ] ||
		fail "test bug: /proc/$p/io write_bytes grew by $((w1 - w0)), less than the $size bytes dd wrote"
	wr=$(kib_sum "$p" wr_kib_per_s)
	rd=$(kib_sum "$p" rd_kib_per_s)
	note "show: $wr KiB written, $rd KiB read; /proc/$p/io: write_bytes $w0 -> $w1, read_bytes $r0 -> $r1"
	# The rows print rates to 0.001 KiB/s and intervals to 1 us: far
	# less than 1 KiB over the window.
	awk -v g="$wr" -v w="$((w1 - w0))" 'BEGIN { d = g - w / 1024; exit !(d < 1 && d > -1) }' ||
		fail "show: $wr KiB written over the window, /proc/$p/io: $(((w1 - w0) / 1024)) KiB"
	awk -v g="$rd" -v r="$((r1 - r0))" 'BEGIN { d = g - r / 1024; exit !(d < 1 && d > -1) }' ||
		fail "show: $rd KiB read over the window, /proc/$p/io: $(((r1 - r0) / 1024)) KiB"
	kill "$p"
	reap "$p"
	[ ! -e "$io" ] || rmmod brd || fail "cannot unload brd"
}

# list and show --summary give the status of a process whose history
# ends with its exit record: the status wait reports to the test, an
# exit code or 128 + the number of the signal that killed it; none while
# it lives.
test_ctl_exit_status() {
	tm_load interval_ms=50
	mkfifo ga gb || fail "test bug: cannot make a FIFO"
	sh -c 'read -r x <ga; exit 7' &
	a=$!
	# shellcheck disable=SC2016 # $$ is the gated shell's own PID
	sh -c 'read -r x <gb; kill -TERM $$' &
	b=$!
	$CTL add "$a" "$b" || fail "add $a $b failed"
	for p in $a $b; do
		wait_samples 10 "$p" 1 || fail "no sample of $p"
		row=$($CTL list --json | grep "\"pid\":$p,")
		case $row in
		*'"state":"live"'*'"exit":null}') ;;
		*) fail "live $p listed as '$row', wanted live and exit null" ;;
		esac
	done
	: >ga
	: >gb
	reap "$a"
	ra=$?
	reap "$b"
	rb=$?
	if [ "$ra" != 7 ] || [ "$rb" != 143 ]; then
		fail "test bug: wait gave $ra and $rb, wanted 7 and 143"
	fi
	for p in $a $b; do
		wait_for 10 grep -q "^pid $p .* exit [0-9]*$" "$TC_DEV" || fail "no exit record of $p"
	done
	echo stop >"$TC_SYS"
	for x in "$a $ra" "$b $rb"; do
		p=${x% *}
		rc=${x#* }
		row=$($CTL list --json | grep "\"pid\":$p,")
		case $row in
		*'"state":"exited"'*) ;;
		*) fail "list of $p: '$row', wanted exited" ;;
		esac
		[ "$(jnum "$row" exit)" = "$rc" ] || fail "list of $p: '$row', wanted exit $rc"
		row=$($CTL show "$p" --summary --json)
		[ "$(jnum "$row" exit)" = "$rc" ] || fail "show --summary of $p: '$row', wanted exit $rc"
		row=$($CTL list --csv | grep "^$p,")
		[ "${row##*,}" = "$rc" ] || fail "list --csv of $p: '$row', wanted $rc last"
	done
}
