# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# limits: how much the list may hold (issue 15, point 2): max_tasks
# (ENOSPC), exited processes kept for exited_keep_s seconds and at most
# max_exited of them (docs/interface.md, "Module parameters").

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# listed_count PID...: how many of the PIDs the history shows.
listed_count() {
	_n=0
	hist >all.txt
	for _p in "$@"; do
		! grep -q "^pid $_p " all.txt || _n=$((_n + 1))
	done
	echo "$_n"
}

# count_is N PID...: exactly N of the PIDs are listed.
count_is() {
	_want=$1
	shift
	[ "$(listed_count "$@")" = "$_want" ]
}

# At max_tasks the next add fails with ENOSPC and lists nothing; a
# removal makes room again; the limit is changed at run time.
test_limits_max_tasks() {
	tm_load interval_ms=20 max_tasks=3
	pids=
	for i in 1 2 3 4 5; do
		sleep 1000 &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086 # a list of pids
	set -- $pids
	expect_write "$TC_DEV" "$1" OK
	expect_write "$TC_DEV" "$2" OK
	expect_write "$TC_DBG" "$3" OK
	expect_write "$TC_DEV" "$4" ENOSPC
	expect_write "$TC_DEV" "-$2" OK
	expect_write "$TC_DEV" "$4" OK
	expect_write "$TC_DEV" "$5" ENOSPC
	echo 4 >"$TC_PAR/max_tasks" || fail "cannot raise max_tasks at run time"
	expect_write "$TC_DEV" "$5" OK
	for p in $1 $3 $4 $5; do
		wait_samples 5 "$p" 1 || fail "$p not sampled"
	done
	count_is 0 "$2" || fail "the removed $2 is still listed"
	r=$(tmwrite -e "$TC_PAR/max_tasks" 0 2>&1)
	[ "$r" = EINVAL ] || fail "max_tasks=0: $r, expected EINVAL"
	[ "$(cat "$TC_PAR/max_tasks")" = 4 ] || fail "max_tasks changed by a refused write: $(cat "$TC_PAR/max_tasks")"
}

TM_TIMEOUT_test_limits_exited_kept_then_freed=90

# An exited process's history stays (exit record included) for
# exited_keep_s seconds after its exit was seen, then it is freed:
# gone from the history, its samples back to the slab.
test_limits_exited_kept_then_freed() {
	tm_load interval_ms=20 exited_keep_s=3
	sleep 1000 &
	p=$!
	expect_write "$TC_DEV" "$p" OK
	wait_samples 5 "$p" 3 || fail "$p not sampled"
	kill "$p"
	wait "$p" 2>/dev/null
	t0=$(bt)
	count_is 1 "$p" || fail "$p gone at once after its exit"
	wait_for 60 count_is 0 "$p" || fail "$p still listed 60 s after its exit, with exited_keep_s=3"
	t1=$(bt)
	# The sampler sees the exit within an interval: the history must
	# have stayed at least 3 s minus that interval.
	[ $((t1 - t0)) -ge 2900000000 ] || fail "$p freed $(((t1 - t0) / 1000000)) ms after its exit, before exited_keep_s=3"
	expect_write "$TC_DEV" "-$p" ENOENT
	r=$(tmwrite -e "$TC_PAR/exited_keep_s" 86401 2>&1)
	[ "$r" = EINVAL ] || fail "exited_keep_s=86401: $r, expected EINVAL"
}

# No more than max_exited exited processes are kept, however long
# exited_keep_s is; the live ones are not touched.
test_limits_max_exited() {
	tm_load interval_ms=20 max_exited=2
	pids=
	for i in 1 2 3 4 5; do
		sleep 1000 &
		p=$!
		pids="$pids $p"
		expect_write "$TC_DEV" "$p" OK
	done
	sleep 1000 &
	live=$!
	expect_write "$TC_DEV" "$live" OK
	# shellcheck disable=SC2086 # a list of pids
	wait_for 10 count_is 5 $pids || fail "not all of$pids listed"
	# shellcheck disable=SC2086 # a list of pids
	kill $pids
	# shellcheck disable=SC2086 # a list of pids
	wait $pids 2>/dev/null
	# shellcheck disable=SC2086 # a list of pids
	wait_for 30 count_is 2 $pids || fail "$(listed_count $pids) of 5 exited processes listed, max_exited=2"
	c=$(nlines "$live")
	wait_samples 5 "$live" $((c + 2)) || fail "live $live no longer sampled"
	# shellcheck disable=SC2086 # a list of pids
	count_is 2 $pids || fail "$(listed_count $pids) exited processes listed, max_exited=2"
}

TM_TIMEOUT_test_limits_memcg_charged=120

# memcg_slab DIR: the slab bytes charged to the cgroup DIR.
memcg_slab() {
	awk '$1 == "slab_unreclaimable" { print $2 }' "$1/memory.stat"
}

# charged_at_least DIR BEFORE BYTES: DIR's slab bytes grew by BYTES.
charged_at_least() {
	[ $(($(memcg_slab "$1") - $2)) -ge "$3" ]
}

# slab_grew_by N BASE: the task_sample cache holds N objects more than BASE.
slab_grew_by() {
	[ "$(slab_active)" -ge $(($2 + $1)) ]
}

# kernel_exports SYMBOL: the running kernel exports SYMBOL to modules.
kernel_exports() {
	grep -q " __ksymtab_$1\$" /proc/kallsyms
}

# Samples are charged to the memory cgroup of the process that asked for
# the monitoring: the group's slab bytes grow by at least the size of
# the samples the slab allocator shows were made.  A kernel that does not
# export int_active_memcg (5.10) lets a module name no group: there the
# group must stay uncharged, as docs/interface.md says.
test_limits_memcg_charged() {
	cg=/sys/fs/cgroup
	if ! grep -qw cgroup2 /proc/filesystems; then
		note "the kernel has no cgroup2 (CONFIG_CGROUPS): nothing to charge"
		return 0
	fi
	grep -q "^cgroup2 $cg " /proc/mounts || mount -t cgroup2 none "$cg" || fail "cannot mount cgroup2 on $cg"
	if ! grep -qw memory "$cg/cgroup.controllers"; then
		note "the kernel has no memory cgroup controller: nothing to charge"
		return 0
	fi
	kernel_exports int_active_memcg && charged=1 || charged=0
	echo +memory >"$cg/cgroup.subtree_control" || fail "cannot enable the memory controller"
	mkdir -p "$cg/tmtest"
	sleep 1000 &
	p=$!
	tm_load interval_ms=1 max_samples=0
	base=$(slab_active)
	before=$(memcg_slab "$cg/tmtest")
	r=$(sh -c "echo \$\$ >$cg/tmtest/cgroup.procs && exec tmwrite $TC_DEV $p" 2>&1)
	[ "$r" = OK ] || fail "adding $p from the cgroup: $r"
	wait_for 60 slab_grew_by 20000 "$base" || fail "no 20000 samples within 60 s"
	echo stop >"$TC_SYS"
	made=$(($(slab_active) - base))
	# Each sample takes at least 88 bytes; memory.stat is flushed lazily.
	if [ "$charged" = 1 ]; then
		wait_for 30 charged_at_least "$cg/tmtest" "$before" $((made * 88)) ||
			fail "cgroup charged $(($(memcg_slab "$cg/tmtest") - before)) slab bytes for $made samples (>= $((made * 88)) expected)"
	else
		grew=$(($(memcg_slab "$cg/tmtest") - before))
		[ "$grew" -lt $((made * 88 / 2)) ] ||
			fail "int_active_memcg is not exported, yet the cgroup was charged $grew bytes for $made samples"
	fi
	note "$made samples, $(($(memcg_slab "$cg/tmtest") - before)) bytes charged to the cgroup"
	tm_unload
	rmdir "$cg/tmtest" 2>/dev/null || true
}
