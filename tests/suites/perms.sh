# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# perms: who may add and remove what (docs/interface.md, "Permissions").
# The guest has no udev: the tests give /dev/taskmonitor the owner and
# mode of the shipped rule (root:taskmonitor 0660) themselves.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# as_member STRING: one write of STRING to the device by tmmember (a
# non-root member of the taskmonitor group); prints OK or the errno.
as_member() {
	tm_as tmmember tmwrite -e "$TC_DEV" "$1" 2>&1
}

# ids_are PID "R E": the real and effective uids of PID.
ids_are() {
	[ "$(awk '$1 == "Uid:" { print $2, $3 }' "/proc/$1/status" 2>/dev/null)" = "$2" ]
}

# udev_rule: what the shipped udev rule does to the device node.
udev_rule() {
	chgrp taskmonitor "$TC_DEV" || fail "cannot chgrp $TC_DEV"
	chmod 0660 "$TC_DEV" || fail "cannot chmod $TC_DEV"
}

# A member of the group may add and remove processes whose real and
# effective uids both equal its effective uid, and gets EPERM for every
# other process, live or exited (judged by the ids it had when added).
test_perms_nonroot_writer() {
	u=$(uid_of tmmember)
	o=$(uid_of tmuser)
	[ "${u:-0}" != 0 ] || fail "test bug: no non-root tmmember in /etc/passwd"
	[ "${o:-0}" != 0 ] || fail "test bug: no non-root tmuser in /etc/passwd"
	tm_load interval_ms=20
	udev_rule
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mine=$!
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mine2=$!
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmuser) sleep 1000 &
	other=$!
	sleep 1000 &
	rootp=$!
	sleep 1000 &
	rootp2=$!
	runas -r "$u" -e 0 -P &
	m1=$!
	runas -r 0 -e "$u" -P &
	m2=$!
	for p in $mine $mine2; do wait_for 5 ids_are "$p" "$u $u" || fail "test bug: $p not tmmember's"; done
	wait_for 5 ids_are "$other" "$o $o" || fail "test bug: $other not tmuser's"
	wait_for 5 ids_are "$m1" "$u 0" || fail "test bug: $m1 ids"
	wait_for 5 ids_are "$m2" "0 $u" || fail "test bug: $m2 ids"
	n=$(free_pid)

	r=$(as_member "$mine"); [ "$r" = OK ] || fail "member adding its own process: $r"
	r=$(as_member "$mine\n"); [ "$r" = EEXIST ] || fail "member adding its own process twice: $r"
	for p in $other $rootp $m1 $m2; do
		r=$(as_member "$p")
		[ "$r" = EPERM ] || fail "member adding $p ($(awk '$1 == "Uid:" { print "ruid " $2 " euid " $3 }' "/proc/$p/status")): $r, expected EPERM"
	done
	swept_since_now "$mine"
	[ "$(listed_pids)" = "$mine " ] || fail "after refused adds the list is: $(listed_pids)"
	r=$(as_member "$n"); [ "$r" = ESRCH ] || fail "member adding a missing pid: $r"
	r=$(as_member "garbage"); [ "$r" = EINVAL ] || fail "member writing garbage: $r"

	# Removing: root's process (added by root) is not the member's.
	expect_write "$TC_DEV" "$rootp" OK
	r=$(as_member "-$rootp"); [ "$r" = EPERM ] || fail "member removing root's $rootp: $r"
	c=$(nlines "$rootp")
	wait_samples 5 "$rootp" $((c + 2)) || fail "root's $rootp no longer sampled after a refused removal"
	r=$(as_member "-$mine"); [ "$r" = OK ] || fail "member removing its own process: $r"
	r=$(as_member "-$mine"); [ "$r" = ENOENT ] || fail "member removing it twice: $r"

	# Exited processes: the ids they had when added count.
	r=$(as_member "$mine2"); [ "$r" = OK ] || fail "member adding $mine2: $r"
	expect_write "$TC_DEV" "$rootp2" OK
	wait_samples 5 "$mine2" 1 || fail "$mine2 not sampled"
	kill "$mine2" "$rootp2"
	wait "$mine2" "$rootp2" 2>/dev/null
	r=$(as_member "-$rootp2"); [ "$r" = EPERM ] || fail "member removing root's exited $rootp2: $r"
	r=$(as_member "-$mine2"); [ "$r" = OK ] || fail "member removing its own exited $mine2: $r"
	expect_write "$TC_DEV" "-$rootp2" OK

	# A writer whose real uid is root but effective uid the member's
	# has no capability: its effective uid decides.
	r=$(runas -r 0 -e "$u" -g "$(gid_of taskmonitor)" -G "$(gid_of taskmonitor)" tmwrite "$TC_DEV" "$m2" 2>&1)
	[ "$r" = EPERM ] || fail "writer ruid 0 euid $u adding $m2 (ruid 0 euid $u): $r"
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mine3=$!
	wait_for 5 ids_are "$mine3" "$u $u" || fail "test bug: $mine3 not tmmember's"
	r=$(runas -r 0 -e "$u" -g "$(gid_of taskmonitor)" -G "$(gid_of taskmonitor)" tmwrite "$TC_DEV" "$mine3" 2>&1)
	[ "$r" = OK ] || fail "writer ruid 0 euid $u adding $mine3 (owned by $u): $r"

	# Outside the group the device does not even open (file mode).
	r=$(tm_as tmuser tmwritev "$TC_DEV" "$other" 2>/dev/null)
	[ "$r" = EACCES ] || fail "tmuser (not in the group) opening $TC_DEV: $r"
}

# listed_pids: distinct pids of the history, sorted, on one line.
listed_pids() {
	pids_in "$TC_DEV" | sort -n | tr '\n' ' '
}

# swept_since_now PID: wait for two samples of the listed PID newer than
# now: the sweep of the second began after now, so every process listed
# now has a sample by then, and listed_pids shows it (a process appears in
# the history only at its first sample).
swept_since_now() {
	_t=$(bt)
	wait_for 10 after_at_least "$1" "$_t" 2 || fail "no two samples of $1 after CLOCK_BOOTTIME $_t"
}

# CAP_SYS_ADMIN, not uid 0, is what lets a writer act on anybody's
# processes: root without it is held to the uid rule on both files.
test_perms_capability_not_uid() {
	tm_load interval_ms=20
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmuser) sleep 1000 &
	other=$!
	sleep 1000 &
	rootp=$!
	wait_for 5 ids_are "$other" "$(uid_of tmuser) $(uid_of tmuser)" || fail "test bug: $other not tmuser's"
	for f in "$TC_DEV" "$TC_DBG"; do
		r=$(runas -C tmwrite "$f" "$other" 2>&1)
		[ "$r" = EPERM ] || fail "root without CAP_SYS_ADMIN adding tmuser's $other via $f: $r"
		r=$(runas -C tmwrite "$f" "$rootp" 2>&1)
		[ "$r" = OK ] || fail "root without CAP_SYS_ADMIN adding root's $rootp via $f: $r"
		r=$(runas -C tmwrite "$f" "-$rootp" 2>&1)
		[ "$r" = OK ] || fail "root without CAP_SYS_ADMIN removing root's $rootp via $f: $r"
	done
	expect_write "$TC_DEV" "$other" OK
	r=$(runas -C tmwrite "$TC_DBG" "-$other" 2>&1)
	[ "$r" = EPERM ] || fail "root without CAP_SYS_ADMIN removing tmuser's $other: $r"
	expect_write "$TC_DBG" "-$other" OK
}

# fd_is PID FD PATH: descriptor FD of PID is open on PATH.
fd_is() {
	[ "$(readlink "/proc/$1/fd/$2" 2>/dev/null)" = "$3" ]
}

# Rights are the opener's, kept by the descriptor: root's descriptor used
# by the member adds root's process; the member's descriptor, taken by
# root (pidfd_getfd, as SCM_RIGHTS would pass it), adds only the member's.
test_perms_decided_at_open() {
	u=$(uid_of tmmember)
	tm_load interval_ms=20
	udev_rule
	sleep 1000 &
	rootp=$!
	sleep 1000 &
	rootp2=$!
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mine=$!
	wait_for 5 ids_are "$mine" "$u $u" || fail "test bug: $mine not tmmember's"

	exec 3>"$TC_DEV"
	r=$(tm_as tmmember tmfdw 3 "$rootp" 2>&1)
	exec 3>&-
	[ "$r" = OK ] || fail "member writing on root's inherited descriptor, adding root's $rootp: $r, expected OK"

	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sh -c "exec 3<>$TC_DEV; exec sleep 1000" &
	holder=$!
	wait_for 5 fd_is "$holder" 3 "$TC_DEV" || fail "test bug: tmmember's $holder never opened $TC_DEV"
	wait_for 5 ids_are "$holder" "$u $u" || fail "test bug: $holder not tmmember's"
	r=$(tmgetfd "$holder" 3 "$rootp2" 2>&1)
	[ "$r" = EPERM ] || fail "root writing on tmmember's descriptor, adding root's $rootp2: $r, expected EPERM"
	r=$(tmgetfd "$holder" 3 "-$rootp" 2>&1)
	[ "$r" = EPERM ] || fail "root writing on tmmember's descriptor, removing root's $rootp: $r, expected EPERM"
	r=$(tmgetfd "$holder" 3 "$mine" 2>&1)
	[ "$r" = OK ] || fail "root writing on tmmember's descriptor, adding tmmember's $mine: $r, expected OK"
	kill "$holder"
	swept_since_now "$mine"
	[ "$(listed_pids)" = "$(printf '%s\n' "$rootp" "$mine" | sort -n | tr '\n' ' ')" ] ||
		fail "listed after the writes: $(listed_pids), expected $rootp and $mine"
}

# sorted_pids FILE: distinct pids of FILE, sorted, on one line.
sorted_pids() {
	pids_in "$1" | sort -n | tr '\n' ' '
}

# A reader without CAP_SYS_ADMIN sees only the processes it may add: the
# member's cat shows neither root's nor tmuser's process, root without
# the capability only root's; with it, everything.  Root's descriptor
# read by the member shows everything (the opener's rights).
test_perms_reader_sees_own() {
	u=$(uid_of tmmember)
	o=$(uid_of tmuser)
	tm_load interval_ms=20
	udev_rule
	sleep 1000 &
	rootp=$!
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mine=$!
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmuser) sleep 1000 &
	other=$!
	wait_for 5 ids_are "$mine" "$u $u" || fail "test bug: $mine not tmmember's"
	wait_for 5 ids_are "$other" "$o $o" || fail "test bug: $other not tmuser's"
	for p in $rootp $mine $other; do
		expect_write "$TC_DEV" "$p" OK
		wait_samples 5 "$p" 1 || fail "$p not sampled"
	done
	all=$(printf '%s\n' "$rootp" "$mine" "$other" | sort -n | tr '\n' ' ')

	tm_as tmmember cat "$TC_DEV" >member.txt || fail "tmmember cannot read $TC_DEV"
	[ "$(sorted_pids member.txt)" = "$mine " ] ||
		fail "tmmember's read shows pids '$(sorted_pids member.txt)', expected only its own $mine"
	for f in "$TC_DEV" "$TC_DBG"; do
		runas -C cat "$f" >nocap.txt || fail "root without CAP_SYS_ADMIN cannot read $f"
		[ "$(sorted_pids nocap.txt)" = "$rootp " ] ||
			fail "$f read by root without CAP_SYS_ADMIN shows '$(sorted_pids nocap.txt)', expected only $rootp"
		cat "$f" >admin.txt
		[ "$(sorted_pids admin.txt)" = "$all" ] || fail "$f read by root shows '$(sorted_pids admin.txt)', expected $all"
	done
	exec 3<"$TC_DEV"
	tm_as tmmember cat <&3 >inherited.txt || fail "tmmember cannot read root's descriptor"
	exec 3<&-
	[ "$(sorted_pids inherited.txt)" = "$all" ] ||
		fail "root's descriptor read by tmmember shows '$(sorted_pids inherited.txt)', expected $all"
}

# The sysfs file judges the reading process: on a /proc mounted with
# hidepid=2, tmuser's read of it shows nothing of root's process.
test_perms_sysfs_hidepid() {
	o=$(uid_of tmuser)
	tm_load interval_ms=20
	sleep 1000 &
	rootp=$!
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmuser) sleep 1000 &
	other=$!
	wait_for 5 ids_are "$other" "$o $o" || fail "test bug: $other not tmuser's"
	for p in $rootp $other; do
		expect_write "$TC_DEV" "$p" OK
		wait_samples 5 "$p" 2 || fail "$p not sampled"
	done
	trap 'mount -o remount,hidepid=0 /proc' EXIT
	mount -o remount,hidepid=2 /proc || fail "cannot remount /proc with hidepid=2"
	tm_as tmuser cat "$TC_SYS" >user.txt || fail "tmuser cannot read $TC_SYS"
	tm_as tmuser cat "/proc/$rootp/status" >/dev/null 2>&1 && fail "test bug: hidepid=2 does not hide $rootp from tmuser"
	mount -o remount,hidepid=0 /proc
	cat "$TC_SYS" >root.txt
	grep -q "^pid $rootp " root.txt || fail "root's read of $TC_SYS misses $rootp"
	grep -q "^pid $rootp " user.txt && fail "tmuser's read of $TC_SYS shows root's $rootp"
	grep -q "^pid $other " user.txt || fail "tmuser's read of $TC_SYS misses its own $other"
}

# A non-administrator lists at most max_user_tasks processes (EDQUOT);
# what an administrator adds does not count against it.
test_perms_user_cap() {
	u=$(uid_of tmmember)
	tm_load interval_ms=20 max_user_tasks=2
	udev_rule
	pids=
	for i in 1 2 3 4; do
		# shellcheck disable=SC2046 # split on purpose
		runas $(uargs tmmember) sleep 1000 &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086 # a list of pids
	set -- $pids
	for p in "$@"; do wait_for 5 ids_are "$p" "$u $u" || fail "test bug: $p not tmmember's"; done
	r=$(as_member "$1"); [ "$r" = OK ] || fail "member adding its first process: $r"
	r=$(as_member "$2"); [ "$r" = OK ] || fail "member adding its second process: $r"
	r=$(as_member "$3"); [ "$r" = EDQUOT ] || fail "member adding a third process at max_user_tasks=2: $r, expected EDQUOT"
	expect_write "$TC_DEV" "$3" OK
	r=$(as_member "-$1"); [ "$r" = OK ] || fail "member removing its first process: $r"
	r=$(as_member "$4"); [ "$r" = OK ] || fail "member adding after a removal: $r"
	r=$(as_member "$1"); [ "$r" = EDQUOT ] || fail "member adding a third again: $r, expected EDQUOT"
	swept_since_now "$4"
	[ "$(listed_pids)" = "$(printf '%s\n' "$2" "$3" "$4" | sort -n | tr '\n' ' ')" ] ||
		fail "listed: $(listed_pids), expected $2 $3 $4"
}
