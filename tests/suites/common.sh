# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# common.sh: helpers shared by the issue-3 functional suites, on top of
# /tm/lib.sh.  It defines no test_* function, so the runner plans nothing
# from it; the suites source it.  Every helper here reads an independent
# truth (/proc, errno, clocks, the slab allocator, the kernel log) or the
# module's files; none of them trusts the module to judge itself.
#
# Helpers from tests/helpers used here: boottime, rdcheck, zombiekid.

# shellcheck disable=SC2034 # these are used by the suites that source this
TC_DBG=/sys/kernel/debug/taskmonitor
TC_DEV=/dev/taskmonitor
TC_SYS=/sys/kernel/taskmonitor
TC_PAR=/sys/module/taskmonitor/parameters

# USER_HZ, the unit of utime/stime in /proc/PID/stat.  The guest's
# busybox has no getconf; on x86 USER_HZ is fixed at 100 by the ABI
# (CONFIG_HZ does not change it), so one tick is 10 ms.
# shellcheck disable=SC2034
TC_TICK_NS=10000000

# bt: CLOCK_BOOTTIME now, in ns.
bt() {
	boottime
}

# hist [FILE]: the whole history (default: the device, which does not
# depend on debugfs).
hist() {
	cat "${1:-$TC_DEV}"
}

# lines_of PID [FILE]: the samples of PID, oldest first.
lines_of() {
	grep "^pid $1 " "${2:-$TC_DEV}"
}

# last_of PID [FILE]: the newest sample of PID.
last_of() {
	grep "^pid $1 " "${2:-$TC_DEV}" | tail -n 1
}

# ts_of PID [FILE]: the ts of each sample of PID, oldest first, one a line.
ts_of() {
	lines_of "$1" "${2:-$TC_DEV}" |
		awk '{ for (i = 1; i < NF; i += 2) if ($i == "ts") { print $(i + 1); next } }'
}

# has_at_least PID N [FILE]: PID has at least N samples.
has_at_least() {
	[ "$(nlines "$1" "${3:-$TC_DEV}")" -ge "$2" ]
}

# wait_samples SECONDS PID N [FILE]: wait until PID has at least N samples.
wait_samples() {
	wait_for "$1" has_at_least "$2" "$3" "${4:-$TC_DEV}"
}

# newer_than PID NS [FILE]: PID has a sample with ts > NS.
newer_than() {
	ts_of "$1" "${3:-$TC_DEV}" | awk -v t="$2" '$1 + 0 > t + 0 { f = 1 } END { exit !f }'
}

# count_after PID NS [FILE]: how many samples of PID have ts > NS.
count_after() {
	ts_of "$1" "${3:-$TC_DEV}" | awk -v t="$2" '$1 + 0 > t + 0 { n++ } END { print n + 0 }'
}

# pids_in FILE: the distinct pids of FILE, in order of first appearance.
pids_in() {
	awk '$1 == "pid" && !($2 in s) { s[$2] = 1; print $2 }' "$1"
}

# total_lines [FILE]
total_lines() {
	hist "${1:-$TC_DEV}" | wc -l
}

# mean_gap_ms PID [FILE]: the mean gap between the first and the last
# sample of PID, in ms (integer).  Unlike the median of the gaps, it stays
# right when a slow guest wakes the sampler late: a late sample is
# followed by a short gap (missed deadlines are made up), which only the
# whole span averages out.
mean_gap_ms() {
	ts_of "$1" "${2:-$TC_DEV}" |
		awk 'NR == 1 { f = $1 } { l = $1 } END { if (NR > 1) printf "%d\n", (l - f) / (NR - 1) / 1000000; else print -1 }'
}

# stat_field PID N: field N (1-based, as in proc(5)) of /proc/PID/stat.
stat_field() {
	sed 's/^.*) //' "/proc/$1/stat" | cut -d ' ' -f $(($2 - 2))
}

# status_val PID KEY: the first number after "KEY:" in /proc/PID/status.
status_val() {
	awk -v k="$2:" '$1 == k { print $2; exit }' "/proc/$1/status"
}

# ctxt_sum PID KEY: KEY (voluntary_ctxt_switches...) summed over every
# live thread of PID (the process file shows the leader's only).
ctxt_sum() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk -v k="$2:" '$1 == k { s += $2 } END { print s + 0 }'
}

# free_pid: a PID number that no process has (counting down from pid_max).
free_pid() {
	_fp=$(($(cat /proc/sys/kernel/pid_max) - 1))
	while [ -e "/proc/$_fp" ]; do
		_fp=$((_fp - 1))
	done
	echo "$_fp"
}

# slab_active: active objects of the task_sample cache (empty if absent).
# SLUB keeps freed objects on per-CPU partial slabs that /proc/slabinfo
# counts as in use; writing the cache's "shrink" file first flushes them
# and gives back empty slabs, so the count follows frees closely.
slab_active() {
	[ -w /sys/kernel/slab/task_sample/shrink ] &&
		echo 1 >/sys/kernel/slab/task_sample/shrink 2>/dev/null
	awk '$1 == "task_sample" { print $2 }' /proc/slabinfo
}

# slab_at_least N: the task_sample cache has at least N active objects
# (cheap to poll while a big history grows).
slab_at_least() {
	[ "$(slab_active)" -ge "$1" ] 2>/dev/null
}

# slab_present: is there a task_sample cache?
slab_present() {
	grep -q '^task_sample ' /proc/slabinfo
}

# kmsg_has_bad_count: the kernel's complaint about a sysfs show() that
# returned too much.
kmsg_has_bad_count() {
	tm_kmsg | grep -q 'bad count'
}

# uid_of NAME, gid_of GROUP
uid_of() {
	awk -F: -v n="$1" '$1 == n { print $3; exit }' /etc/passwd
}
gid_of() {
	awk -F: -v n="$1" '$1 == n { print $3; exit }' /etc/group
}

# proc_state PID: the state letter of /proc/PID/status (empty if gone).
proc_state() {
	awk '$1 == "State:" { print $2 }' "/proc/$1/status" 2>/dev/null
}

# is_zombie PID
is_zombie() {
	[ "$(proc_state "$1")" = Z ]
}

# make_zombie: a process that has exited and is not reaped, for the
# errors a write of its PID gets: zombiekid's child, killed; its PID in
# ZOMBIE.
make_zombie() {
	zombiekid zk &
	wait_for 10 test -s zk || fail "zombiekid did not start"
	ZOMBIE=$(cat zk)
	kill "$ZOMBIE"
	wait_for 10 is_zombie "$ZOMBIE" || fail "test bug: $ZOMBIE did not become a zombie"
}

# file_is FILE WORDS: FILE's first line is exactly WORDS.
file_is() {
	[ "$(cat "$1" 2>/dev/null)" = "$2" ]
}

# abs N
abs() {
	if [ "$1" -lt 0 ]; then echo $((-$1)); else echo "$1"; fi
}

# within A B TOL: |A - B| <= TOL
within() {
	[ "$(abs $(($1 - $2)))" -le "$3" ]
}

# after_at_least PID NS N [FILE]: PID has at least N samples with ts > NS.
after_at_least() {
	[ "$(count_after "$1" "$2" "${4:-$TC_DEV}")" -ge "$3" ]
}

# sampler_pid: the PID of the sampling kthread (named taskmonitor, a
# child of kthreadd).
sampler_pid() {
	for _d in /proc/[0-9]*; do
		[ "$(cat "$_d/comm" 2>/dev/null)" = taskmonitor ] || continue
		[ "$(stat_field "${_d#/proc/}" 4 2>/dev/null)" = 2 ] || continue
		echo "${_d#/proc/}"
		return 0
	done
	return 1
}

# sampler_wakes N: wait until the sampling kthread has slept and woken N
# times from now (each sleep is one voluntary context switch): N
# intervals have passed, stopped or not, so a check that something did
# not happen waits for sweeps, not for a length of time.
sampler_wakes() {
	_sp=$(sampler_pid) || fail "test bug: no taskmonitor kthread"
	_sw=$(($(status_val "$_sp" voluntary_ctxt_switches) + $1))
	wait_for 60 sampler_woke "$_sp" "$_sw" || fail "test bug: the sampler did not wake $1 times in 60 s"
}
sampler_woke() {
	[ "$(status_val "$1" voluntary_ctxt_switches)" -ge "$2" ]
}

# at_most PID N [FILE]: PID has at most N samples.
at_most() {
	[ "$(nlines "$1" "${3:-$TC_DEV}")" -le "$2" ]
}

# between V LO HI: LO <= V <= HI
between() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# newest_fitting FILE: the newest samples of FILE, merged oldest first
# by ts, as many whole lines as fit in 4095 bytes.
newest_fitting() {
	awk '{ for (i = 1; i < NF; i += 2) if ($i == "ts") print $(i + 1), $0 }' "$1" |
		sort -n -k 1,1 | cut -d ' ' -f 2- |
		awk '{ l[NR] = $0 } END { n = 0; for (i = NR; i >= 1; i--) { n += length(l[i]) + 1; if (n > 4095) break } for (j = i + 1; j <= NR; j++) print l[j] }'
}

# uargs USER: runas options for USER's uid, gid and groups, for starting
# a process as USER in the background with $! being that very process
# (a shell function such as tm_as would put a subshell in between):
#   runas $(uargs tmmember) sleep 1000 &
uargs() {
	awk -F: -v u="$1" '$1 == u { print $3, $4 }' /etc/passwd | {
		read -r _u _g
		_groups=$(awk -F: -v u="$1" -v g="$_g" 'BEGIN { s = g }
			{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) s = s "," $3 }
			END { print s }' /etc/group)
		echo "-r $_u -e $_u -g $_g -G $_groups"
	}
}

# records_against WANT HIST: for each "PID RC" line of WANT, PID's
# history in HIST has exactly one exit record, its last sample, with
# exit RC and threads 0; prints what is wrong first, nothing if all is.
records_against() {
	awk 'NR == FNR { want[$1] = $2; next }
	$2 in want {
		ex = ""; th = ""
		for (i = 1; i < NF; i += 2) {
			if ($i == "exit") ex = $(i + 1)
			if ($i == "threads") th = $(i + 1)
		}
		if (ex != "") {
			n[$2]++
			if (th != 0 && bad == "") bad = "pid " $2 ": exit record with threads " th
		}
		last[$2] = ex
	}
	END {
		if (bad == "")
			for (p in want)
				if (n[p] != 1 || last[p] != want[p]) {
					bad = "pid " p ": " n[p] + 0 " exit records, exit of the last sample \"" last[p] "\", $? was " want[p]
					break
				}
		print bad
	}' "$1" "$2"
}
