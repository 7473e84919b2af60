# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# write: the command protocol of /sys/kernel/debug/taskmonitor and
# /dev/taskmonitor (docs/interface.md, "Write"), every errno on both files.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# listed: the distinct pids of the history, sorted, on one line.
listed() {
	pids_in "$TC_DEV" | sort -n | tr '\n' ' '
}

# first_ts PID: ts of the oldest sample of PID.
first_ts() {
	val "$(lines_of "$1" | head -n 1)" ts
}

# protocol FILE: every command and errno of the write protocol on FILE.
protocol() {
	f=$1
	sleep 1000 &
	s1=$!
	sleep 1000 &
	s2=$!
	sleep 1000 &
	s3=$!
	burner -t 2 -p -s st &
	b=$!
	make_zombie
	z=$ZOMBIE
	wait_for 60 file_is st "paused 2" || fail "burner did not start"
	tid=
	for t in /proc/"$b"/task/*; do
		[ "${t##*/}" = "$b" ] || tid=${t##*/}
	done
	[ -n "$tid" ] || fail "test bug: no second thread in $b"
	n=$(free_pid)
	tm_load interval_ms=20

	# PID: monitored; again: EEXIST; a trailing newline is allowed.
	expect_write "$f" "$s1" OK
	expect_write "$f" "$s1" EEXIST
	expect_write "$f" "$s1\n" EEXIST
	expect_write "$f" "$s2\n" OK
	wait_samples 10 "$s1" 2 || fail "$s1 added but not sampled"
	wait_samples 10 "$s2" 2 || fail "$s2 added but not sampled"
	vsz=$(val "$(last_of "$s1")" vsz)
	[ "$vsz" = "$(status_val "$s1" VmSize)" ] || fail "samples of $s1 are not of that process (vsz $vsz)"

	# No such process, an exited one, a thread that is not a leader.
	expect_write "$f" "$n" ESRCH
	expect_write "$f" "$z" ESRCH
	expect_write "$f" "$tid" ESRCH
	expect_write "$f" "2147483647" ESRCH
	expect_write "$f" "-$n" ENOENT
	expect_write "$f" "-$s3" ENOENT
	expect_write "$f" "-$z\n" ENOENT

	# Garbage: EINVAL, and nothing changes (s3 is never added, s1 is
	# never removed).
	before=$(listed)
	f1=$(first_ts "$s1")
	long=$(printf '%0200d' 0)
	for bad in "" " " "\n" "\n\n" " $s3" "$s3 " "$s3\t" "\t$s3" "+0" "++$s3" "+ $s3" 0 -0 00 "0$s3" "00$s3" \
		"-0$s1" "$s3\n\n" "$s3\n " "${s3}x" "$s3\r" "$s3\0" "0x1f" "-" "--$s1" "- $s1" \
		"$s3 $s2" "$s3\n$s2" "$s3,$s2" "$s3-" "-$s1 " "-${s1}x" "+-$s1" \
		2147483648 4294967296 18446744073709551617 99999999999999999999 \
		-2147483648 -2147483649 "$long" "1$long" "${long}$s3" \
		"$s3\n\0" "$s3.0" "1e3"; do
		expect_write "$f" "$bad" EINVAL
	done
	after=$(listed)
	[ "$after" = "$before" ] || fail "refused writes changed the list: '$before' -> '$after'"
	[ "$(first_ts "$s1")" = "$f1" ] || fail "refused writes freed part of the history of $s1"
	[ "$(nlines "$s3")" = 0 ] || fail "a refused write added $s3"

	# Writes longer than one page and very long writes are refused whole.
	big=$(printf '%04096d' "$s3")
	expect_write "$f" "$big" EINVAL
	[ "$(nlines "$s3")" = 0 ] || fail "a 4096-byte write added $s3"

	# -PID: stopped and freed; again: ENOENT.
	expect_write "$f" "-$s1" OK
	[ "$(nlines "$s1")" = 0 ] || fail "-$s1: $(nlines "$s1") samples still shown"
	sampler_wakes 5
	[ "$(nlines "$s1")" = 0 ] || fail "-$s1: sampled again"
	expect_write "$f" "-$s1" ENOENT
	expect_write "$f" "-$s1\n" ENOENT
	expect_write "$f" "-$s2\n" OK
	[ -z "$(listed)" ] || fail "list not empty after removing everything: $(listed)"

	# Re-adding starts a fresh history.
	t=$(bt)
	expect_write "$f" "$s1" OK
	wait_samples 10 "$s1" 1 || fail "$s1 re-added but not sampled"
	[ "$(first_ts "$s1")" -gt "$t" ] || fail "re-added $s1 shows samples from before it was re-added"

	# The offset is ignored: several commands through one descriptor.
	r=$(tmwritev "$f" "$s2" "$s3" "-$s2" "$s2\n" "$s3")
	[ "$r" = "OK OK OK OK EEXIST" ] || fail "five writes on one descriptor: $r"
	# A re-added process shows once it has been sampled.
	wait_samples 10 "$s2" 1 || fail "$s2 re-added but not sampled"
	[ "$(listed)" = "$(printf '%s\n' "$s1" "$s2" "$s3" | sort -n | tr '\n' ' ')" ] ||
		fail "after writes on one descriptor: $(listed)"
}

test_write_protocol_debugfs() {
	protocol "$TC_DBG"
}

test_write_protocol_device() {
	protocol "$TC_DEV"
}

# Both files act on the same list: what one adds, the other sees.
test_write_files_share_the_list() {
	sleep 1000 &
	s=$!
	tm_load interval_ms=20
	expect_write "$TC_DBG" "$s" OK
	expect_write "$TC_DEV" "$s" EEXIST
	wait_samples 10 "$s" 2 "$TC_DBG" || fail "no samples in debugfs"
	[ "$(nlines "$s" "$TC_DEV")" -ge 2 ] || fail "device does not show what debugfs added"
	expect_write "$TC_DEV" "-$s" OK
	expect_write "$TC_DBG" "-$s" ENOENT
	[ "$(nlines "$s" "$TC_DBG")" = 0 ] || fail "debugfs still shows $s"
}

TM_TIMEOUT_test_write_device_without_debugfs=60

# /dev/taskmonitor works with debugfs unmounted, even when the module is
# loaded while it is unmounted; the device node appears via devtmpfs.
test_write_device_without_debugfs() {
	sleep 1000 &
	s=$!
	trap 'grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug' EXIT
	umount /sys/kernel/debug/tracing 2>/dev/null
	umount /sys/kernel/debug || fail "cannot unmount debugfs: $(grep debugfs /proc/mounts)"
	! grep -q ' /sys/kernel/debug ' /proc/mounts || fail "debugfs still mounted"
	tm_load interval_ms=20
	wait_for 5 test -c "$TC_DEV" || fail "no /dev/taskmonitor"
	expect_write "$TC_DEV" "$s" OK
	expect_write "$TC_DEV" "$s\n" EEXIST
	wait_samples 10 "$s" 3 || fail "without debugfs, no samples read from the device"
	rdcheck -g "$TC_DEV" >/dev/null || fail "without debugfs, device output malformed"
	expect_write "$TC_DEV" "-$s" OK
	expect_write "$TC_DEV" "$s" OK
	mount -t debugfs debugfs /sys/kernel/debug || fail "cannot remount debugfs"
	[ -e "$TC_DBG" ] || fail "debugfs file missing after remounting debugfs"
	wait_samples 10 "$s" 3 "$TC_DBG" || fail "debugfs (remounted) does not show the history"
}
