# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC2034 # variables for the suites
#
# /tm/lib.sh: shell helpers for taskmonitor test suites, run by busybox sh
# inside the QEMU guest.  The runner (/tm/run.sh) sources this file and
# the suite before calling each test_* function in a fresh shell.  See
# tests/README.md for the conventions.

TM_DIR=${TM_DIR:-/tm}
TM_KO=${TM_KO:-$TM_DIR/taskmonitor.ko}
TM_BIN=$TM_DIR/bin
TM_DEBUGFS=/sys/kernel/debug/taskmonitor
TM_SYSFS=/sys/module/taskmonitor
PATH=$TM_BIN:/sbin:/bin:/usr/sbin:/usr/bin
export PATH

# busybox's shell runs its own applets before looking at PATH, so a bare
# "modprobe" would be busybox's, which reads modprobe.d differently.
# These make the module tools kmod's real ones in every shell that
# sources this file; elsewhere call /sbin/modprobe and friends by path.
insmod() { /sbin/insmod "$@"; }
rmmod() { /sbin/rmmod "$@"; }
modprobe() { /sbin/modprobe "$@"; }
lsmod() { /sbin/lsmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }
depmod() { /sbin/depmod "$@"; }

# Kernel log lines that fail a test.  One fixed string per line, matched
# case-sensitively anywhere in a line.  A suite may add its own with
# TM_BAD_EXTRA (same format), and name lines that it provokes on purpose
# and that are not a failure with TM_KMSG_EXPECTED (same format): a line
# containing one of those is not looked at.
TM_BAD_PATTERNS='Oops
BUG:
] BUG 
WARNING:
Call Trace:
general protection fault
kernel BUG
possible circular locking
possible recursive locking
inconsistent lock state
suspicious RCU usage
refcount_t:
list_add corruption
list_del corruption
Slab cache still has objects
Objects remaining
objects remaining
kmemleak
unreferenced object
UBSAN
KASAN
hung_task
blocked for more than
soft lockup
hard LOCKUP
self-detected stall
detected stalls on CPU
rcu: INFO
Bad page state
double fault
stack-protector
Kernel panic'

# Lines the harness itself writes to the kernel log start with this.
TM_MARK='tm-harness:'

# tm_scan_kmsg: read kernel log lines on stdin, print the first bad one
# and return 0, or return 1 when the log is clean.
tm_scan_kmsg() {
	_pats=$TM_BAD_PATTERNS
	[ -n "${TM_BAD_EXTRA:-}" ] && _pats="$_pats
$TM_BAD_EXTRA"
	_pf=${TMPDIR:-/tmp}/.tm-bad-patterns.$$
	printf '%s\n' "$_pats" >"$_pf"
	printf '%s\n' "$TM_MARK" "${TM_KMSG_EXPECTED:-}" | grep -v '^$' >"$_pf.ok"
	_line=$(grep -v -F -f "$_pf.ok" | grep -F -m 1 -f "$_pf")
	rm -f "$_pf" "$_pf.ok"
	[ -n "$_line" ] || return 1
	printf '%s\n' "$_line"
}

# fail MSG...: record MSG as the reason the test failed and end the test
# (the test runs in a shell of its own, so this exits it with status 1;
# in a subshell it ends that subshell with status 1).
fail() {
	echo "FAIL: $*" >&2
	if [ -n "${TM_REASON:-}" ] && [ ! -s "$TM_REASON" ]; then
		printf '%s\n' "$*" >"$TM_REASON"
	fi
	exit 1
}

# note MSG...: a line in the serial log, for people reading it.
note() {
	echo "note: $*" >&2
}

tm_loaded() {
	[ -d "$TM_SYSFS" ]
}

# tm_load [PARAM=VALUE...]: insmod /tm/taskmonitor.ko with the given
# parameters; fails the test if that does not load the module.
tm_load() {
	_out=$(insmod "$TM_KO" "$@" 2>&1) ||
		fail "insmod taskmonitor.ko $*: ${_out:-failed}"
	tm_loaded || fail "insmod taskmonitor.ko $* succeeded but $TM_SYSFS is missing"
}

# tm_unload: rmmod taskmonitor; fails the test if it stays loaded.
tm_unload() {
	_out=$(rmmod taskmonitor 2>&1) || fail "rmmod taskmonitor: ${_out:-failed}"
	! tm_loaded || fail "rmmod taskmonitor succeeded but $TM_SYSFS is still there"
}

# tm_try_load [PARAM=VALUE...]: insmod without failing the test; returns
# insmod's status and leaves its message in $TM_OUT.  For tests that
# expect a load to be refused.
tm_try_load() {
	TM_OUT=$(insmod "$TM_KO" "$@" 2>&1)
}

# expect_write FILE STRING ERRNO: one write() of STRING's bytes (C
# escapes such as \n are interpreted) to FILE must end with ERRNO, an
# errno name such as EINVAL, or OK for success.
expect_write() {
	_got=$(tmwrite -e "$1" "$2" 2>&1) || fail "cannot open $1: $_got"
	[ "$_got" = "$3" ] || fail "write '$2' to $1: got $_got, expected $3"
}

# reap PID: wait for the child PID to end and return its status.  The
# builtin wait alone was seen to sleep on long after a test had ended
# (busybox ash can miss the SIGCHLD, then sleeps until some other signal
# comes), so poll first: the sleeps' own waits reap PID, after which
# wait only collects the status.
reap() {
	_n=0
	while kill -0 "$1" 2>/dev/null; do
		if [ $_n -lt 40 ]; then sleep 0.05; else sleep 0.2; fi
		_n=$((_n + 1))
	done
	wait "$1"
}

# wait_for SECONDS CMD [ARG...]: run CMD every 0.1 s until it succeeds;
# returns 1 if it has not succeeded after SECONDS.
#   wait_for 5 test -e /dev/taskmonitor || fail "no device node"
wait_for() {
	_deadline=$(( $(date +%s) + $1 + 1 ))
	shift
	while ! "$@"; do
		[ "$(date +%s)" -lt "$_deadline" ] || return 1
		sleep 0.1
	done
}

# wait_for_line SECONDS FILE PATTERN: wait until FILE has a line matching
# the extended regular expression PATTERN.
wait_for_line() {
	wait_for "$1" grep -qE "$3" "$2"
}

# tm_as USER CMD [ARG...]: run CMD as USER (tmuser, or tmmember who is in
# the taskmonitor group), with the groups /etc/passwd and /etc/group give
# that user (through the runas helper).
tm_as() {
	_uid=$(awk -F: -v u="$1" '$1 == u { print $3 }' /etc/passwd)
	_gid=$(awk -F: -v u="$1" '$1 == u { print $4 }' /etc/passwd)
	[ -n "$_uid" ] || fail "tm_as: no user $1 in /etc/passwd"
	_groups=$(awk -F: -v u="$1" -v g="$_gid" 'BEGIN { s = g }
		{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) s = s "," $3 }
		END { print s }' /etc/group)
	shift
	runas -r "$_uid" -e "$_uid" -g "$_gid" -G "$_groups" "$@"
}

# tm_kmsg: the kernel log since the current test started.
tm_kmsg() {
	dmesg
}

# tm_series: 6.1 or 6.12, the kernel series the guest runs.
tm_series() {
	uname -r | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p'
}

# val LINE KEY: the value of KEY in a sample line ("pid P usr N ..."),
# e.g. val "$line" usr.
val() {
	printf '%s\n' "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i += 2) if ($i == k) { print $(i + 1); exit } }'
}

# nlines PID [FILE]: how many samples of PID FILE shows (default: the
# device, which does not depend on debugfs).
nlines() {
	grep -c "^pid $1 " "${2:-/dev/taskmonitor}"
}

# tm_unload_reports: "created freed live skipped", the counts of each
# "taskmonitor: unloaded: ..." line of the kernel log, oldest first.
tm_unload_reports() {
	tm_kmsg | sed -n 's/.*taskmonitor: unloaded: \([0-9]*\) samples created, \([0-9]*\) freed, \([0-9]*\) live, \([0-9]*\) skipped.*/\1 \2 \3 \4/p'
}
