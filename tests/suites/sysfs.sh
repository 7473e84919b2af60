# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# sysfs: /sys/kernel/taskmonitor (docs/interface.md, "/sys/kernel/taskmonitor").

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# euid_is PID UID: the effective uid of PID is UID.
euid_is() {
	[ "$(awk '$1 == "Uid:" { print $3 }' "/proc/$1/status" 2>/dev/null)" = "$2" ]
}

# Empty when there is no sample; mode 0644 owned by root: anybody reads
# (and sees only its own processes), only root writes.
test_sysfs_empty_and_mode() {
	tm_load interval_ms=20
	n=$(wc -c <"$TC_SYS")
	[ "$n" = 0 ] || fail "sysfs shows $n bytes with nothing monitored"
	[ "$(stat -c '%a %u' "$TC_SYS")" = "644 0" ] || fail "sysfs file mode/owner: $(stat -c '%a %u' "$TC_SYS")"
	sleep 1000 &
	s=$!
	expect_write "$TC_DEV" "$s" OK
	wait_for 10 grep -q "^pid $s " "$TC_SYS" || fail "sysfs never shows $s"
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmuser) sleep 1000 &
	us=$!
	wait_for 5 euid_is "$us" "$(uid_of tmuser)" || fail "test bug: $us not tmuser's"
	expect_write "$TC_DEV" "$us" OK
	wait_for 10 grep -q "^pid $us " "$TC_SYS" || fail "sysfs never shows $us"
	tm_as tmuser cat "$TC_SYS" >u.txt || fail "non-root cannot read sysfs"
	grep -q "^pid $us " u.txt || fail "non-root read of sysfs lacks its own $us"
	grep -q "^pid $s " u.txt && fail "non-root read of sysfs shows root's $s"
	r=$(tm_as tmuser tmwritev "$TC_SYS" stop 2>/dev/null)
	[ "$r" = EACCES ] || fail "non-root write of stop: $r, expected EACCES"
	c=$(nlines "$s")
	wait_for 5 has_at_least "$s" $((c + 2)) || fail "sampling stopped after a refused non-root stop"
}

# total_at_least N: the history has at least N lines.
total_at_least() {
	[ "$(total_lines)" -ge "$1" ]
}

# One read never returns more than 4095 bytes, never a partial line,
# oldest first; they are the newest samples of all tasks and as many as
# fit; no "bad count" complaint from the kernel.
test_sysfs_page_whole_lines_newest() {
	pids=
	i=0
	while [ $i -lt 8 ]; do
		sleep 1000 &
		pids="$pids${pids:+,}$!"
		i=$((i + 1))
	done
	tm_load target="$pids" interval_ms=10
	wait_for 30 total_at_least 150 || fail "history too short: $(total_lines) lines"
	# While sampling: every read bounded and whole.
	i=0
	while [ $i -lt 40 ]; do
		r=$(rdcheck -1 -t -o s.txt "$TC_SYS") || fail "sysfs read $i malformed or out of order (see log)"
		# shellcheck disable=SC2086 # split on purpose
		set -- $r
		[ "$2" -le 4095 ] || fail "sysfs read returned $2 bytes"
		[ "$2" -ge 3500 ] || fail "sysfs read returned only $2 bytes from a long history"
		i=$((i + 1))
	done
	# Stopped: exactly the newest lines that fit.
	echo stop >"$TC_SYS"
	hist >d.txt
	rdcheck -1 -t -o s.txt "$TC_SYS" >/dev/null || fail "sysfs read malformed"
	newest_fitting d.txt >e.txt
	cmp -s s.txt e.txt || fail "sysfs shows $(wc -l <s.txt) lines, not the $(wc -l <e.txt) newest that fit (first: $(head -n 1 s.txt | cut -c 1-60) vs $(head -n 1 e.txt | cut -c 1-60))"
	! kmsg_has_bad_count || fail "kernel complained: $(tm_kmsg | grep 'bad count' | head -n 1)"
}

# stop pauses sampling, start resumes it; repeating either is harmless;
# anything else is EINVAL and changes nothing.
test_sysfs_stop_start() {
	sleep 1000 &
	s=$!
	tm_load target="$s" interval_ms=10
	wait_samples 10 "$s" 5 || fail "no samples"
	expect_write "$TC_SYS" stop OK
	c1=$(nlines "$s")
	sampler_wakes 10
	c2=$(nlines "$s")
	[ "$c2" = "$c1" ] || fail "stopped, yet samples went from $c1 to $c2"
	expect_write "$TC_SYS" "stop\n" OK
	for bad in sto stopp STOP " stop" "stop " "stop\n\n" "start stop" pause 1 "\n"; do
		expect_write "$TC_SYS" "$bad" EINVAL
	done
	sampler_wakes 5
	[ "$(nlines "$s")" = "$c1" ] || fail "a refused write restarted sampling ($c1 -> $(nlines "$s"))"
	expect_write "$TC_SYS" "start\n" OK
	wait_samples 5 "$s" $((c1 + 5)) || fail "start did not resume sampling"
	expect_write "$TC_SYS" start OK
	for bad in star started Start "start\n\n"; do
		expect_write "$TC_SYS" "$bad" EINVAL
	done
	c3=$(nlines "$s")
	wait_samples 5 "$s" $((c3 + 5)) || fail "a refused write or a second start stopped sampling"
}
