# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# fault: allocation failures injected with failslab, on the task_sample
# cache and on every allocation made from the module's code, while it
# samples, is written to and read.  No crash, no leak (the unload report
# must say created == freed, and the final kmemleak scan must be clean);
# a failure is either reported to the writer as ENOMEM or absorbed by the
# mempool reserve, and a sample that cannot be had at all is skipped and
# counted ("S skipped" in the unload report).

# shellcheck disable=SC1091 # guest paths
. /tm/debug/lib.sh

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=240

# With every allocation made under the module's code failing at random,
# kmemleak's own allocation of a scan area fails too when the module
# vmallocs (the reader's buffer falls back to vmalloc): kmemleak then
# scans the whole object instead, says so once, and reports no leak.
# shellcheck disable=SC2034 # read by tm_scan_kmsg
TM_KMSG_EXPECTED='kmemleak: Cannot allocate a scan area, scanning the full object'

# settled PID: the sample count of PID once it stopped growing for 1 s.
settled() {
	_a=$(nlines "$1")
	_i=0
	while [ $_i -lt 30 ]; do
		sleep 1
		_b=$(nlines "$1")
		[ "$_b" != "$_a" ] || { echo "$_b"; return 0; }
		_a=$_b
		_i=$((_i + 1))
	done
	echo "$_a"
	return 1
}

# With every task_sample allocation failing, sampling lives on the
# reserve: exactly `reserve` more samples, then none (skipped, counted);
# samples given back by a removal refill the reserve and sampling goes on
# with them; reading does not need the cache and works; adding a process
# fails with ENOMEM (its exit record is set aside at the add, from the
# cache) and lists nothing.
test_fault_cache_reserve_absorbs() {
	trap dbg_failslab_reset EXIT
	dbg_sleepers 3
	a=${DBG_PIDS%%,*}
	rest=${DBG_PIDS#*,}
	b=${rest%%,*}
	c=${rest#*,}
	tm_load target="$a,$b" interval_ms=10 max_samples=0 reserve=16
	sleep 1
	echo stop >"$DBG_SYSFS"
	n0=$(($(nlines "$a") + $(nlines "$b")))
	[ "$n0" -ge 2 ] || fail "no samples before the fault injection"
	dbg_failslab_cache 100
	echo start >"$DBG_SYSFS"
	settled "$a" >/dev/null || fail "sampling never stopped with task_sample failing"
	n1=$(($(nlines "$a") + $(nlines "$b")))
	grown=$((n1 - n0))
	[ "$grown" = 16 ] || fail "with every allocation failing, $grown samples were taken; the reserve holds 16"
	# An add needs the sample of its exit record; reads allocate elsewhere.
	expect_write "$DBG_DEV" "$c" ENOMEM
	[ "$(nlines "$c")" = 0 ] || fail "a failed add of $c left samples of it"
	[ "$(wc -l <"$DBG_SYSFS")" -gt 0 ] || fail "sysfs empty under failslab"
	rdcheck -g "$DBG_DBGFS" >/dev/null || fail "debugfs history malformed under failslab"
	# Freed samples refill the reserve: sampling resumes with them.  It
	# is paused meanwhile, or samples taken from the reserve while the
	# history is being freed would be refilled too.
	nb=$(nlines "$b")
	echo stop >"$DBG_SYSFS"
	expect_write "$DBG_DEV" "-$b" OK
	echo start >"$DBG_SYSFS"
	settled "$a" >/dev/null || fail "sampling never stopped after the refill"
	n2=$(($(nlines "$a") + $(nlines "$c")))
	refill=$((n2 - (n1 - nb)))
	note "reserve 16: $n0 samples before, $n1 after the reserve ran out ($nb of them of $b); after -$b: $(nlines "$a") of $a, $(nlines "$c") of $c; failslab: $(cat "$DBG_FAILSLAB/probability")% times $(cat "$DBG_FAILSLAB/times") task_sample $(cat /sys/kernel/slab/task_sample/failslab)"
	# b's samples and the exit record set aside for it.
	want=$((nb + 1 < 16 ? nb + 1 : 16))
	[ "$refill" = "$want" ] ||
		fail "removing $nb samples should refill the reserve with $want, but $refill samples were taken"
	dbg_failslab_reset
	# Back to normal.
	n3=$(nlines "$a")
	sleep 1
	[ "$(nlines "$a")" -gt "$n3" ] || fail "sampling did not resume once allocations succeed again"
	dbg_unload
	[ "$DBG_SKIPPED" -gt 0 ] || fail "unload report: 0 skipped, but samples could not be taken"
	note "unload: $DBG_CREATED created, $DBG_FREED freed, $DBG_SKIPPED skipped"
}

# reserve=0 and every task_sample allocation failing: not one sample can
# be taken; each one is skipped and counted; the module reads empty,
# works otherwise and unloads clean.
test_fault_cache_reserve_zero() {
	trap dbg_failslab_reset EXIT
	dbg_sleepers 2
	tm_load target="$DBG_PIDS" interval_ms=3600000 reserve=0
	dbg_failslab_cache 100
	before=$(wc -l <"$DBG_DEV")
	echo 10 >"$DBG_PARAMS/interval_ms"
	sleep 3
	[ "$(wc -l <"$DBG_DEV")" = "$before" ] || fail "samples were taken with no memory and no reserve"
	cat "$DBG_SYSFS" >/dev/null || fail "sysfs read failed"
	dbg_failslab_reset
	dbg_unload
	# ~300 sweeps of 2 processes; be lenient with TCG's slowness.
	[ "$DBG_SKIPPED" -ge 20 ] || fail "unload report: only $DBG_SKIPPED skipped in 3 s at 10 ms"
	note "unload: $DBG_CREATED created, $DBG_FREED freed, $DBG_SKIPPED skipped"
}

# Every slab allocation with the module on the stack fails: adding a
# process through an already open file fails with ENOMEM and changes
# nothing, opening the files and reading sysfs fail with ENOMEM, sampling
# falls back on the reserve; then everything works again.
test_fault_module_allocations() {
	trap dbg_failslab_reset EXIT
	dbg_sleepers 3
	a=${DBG_PIDS%%,*}
	new=${DBG_PIDS##*,}
	tm_load target="$a" interval_ms=20 reserve=8 max_samples=0
	sleep 1
	exec 3>"$DBG_DEV"
	exec 4>"$DBG_DBGFS"
	dbg_failslab_module 100
	r=$(tmfdw 3 "$new")
	[ "$r" = ENOMEM ] || fail "adding a process with allocations failing: $r, want ENOMEM"
	r=$(tmfdw 4 "$new")
	[ "$r" = ENOMEM ] || fail "adding a process through debugfs with allocations failing: $r, want ENOMEM"
	# Removal allocates nothing.
	r=$(tmfdw 3 "-$new")
	[ "$r" = ENOENT ] || fail "removing a process never added: $r, want ENOENT"
	r=$(tmwrite "$DBG_DEV" "$new" 2>&1)
	case $r in *ENOMEM*) ;; *) fail "opening $DBG_DEV with allocations failing: '$r', want ENOMEM" ;; esac
	if cat "$DBG_SYSFS" >/dev/null 2>err.txt; then
		fail "reading sysfs with allocations failing succeeded"
	fi
	settled "$a" >/dev/null || fail "sampling did not stop once the reserve was used"
	dbg_failslab_reset
	r=$(tmfdw 3 "-$new" "$new")
	[ "$r" = "ENOENT OK" ] || fail "after the failures: '-$new $new' gave '$r', want 'ENOENT OK' (the failed add must not have listed it)"
	exec 3>&- 4>&-
	n=$(nlines "$a")
	sleep 1
	[ "$(nlines "$a")" -gt "$n" ] || fail "sampling did not resume"
	dbg_unload
	[ "$DBG_SKIPPED" -gt 0 ] || fail "unload report: nothing skipped although the reserve ran out"
	note "unload: $DBG_CREATED created, $DBG_FREED freed, $DBG_SKIPPED skipped"
}

# 10 % of the module's allocations fail at random while the fuzzer writes
# and reads every interface: every answer is still a documented one
# (ENOMEM included) and nothing leaks.
test_fault_random_while_fuzzing() {
	trap dbg_failslab_reset EXIT
	dbg_sleepers 4
	tm_load target="$DBG_PIDS" interval_ms=5 reserve=4 max_samples=500
	dbg_failslab_module 10
	seed=$(dbg_arg tm_fuzz_seed 1)
	tmfuzz -s "$seed" -n 1500 -j 2 -S "$DBG_SYSFS" -M "$DBG_PARAMS" \
		"$DBG_DBGFS" "$DBG_DEV" >fuzz.out 2>fuzz.err
	rc=$?
	dbg_failslab_reset
	note "$(tail -n 1 fuzz.out)"
	[ $rc = 0 ] || fail "tmfuzz under failslab (seed $seed): $(grep -m 3 MISMATCH fuzz.err | tr '\n' ' ')"
	dbg_unload
}

# kids_recorded: how many PIDs of kids.txt have an exit record.
kids_recorded() {
	awk 'NR == FNR { k[$1] = 1; next }
	$2 in k && / exit [0-9]+$/ && !($2 in s) { s[$2] = 1; n++ }
	END { print n + 0 }' kids.txt "$DBG_DEV"
}

# all_accounted N: N children are either recorded or counted as dropped.
all_accounted() {
	[ $(($(kids_recorded) + $(cat /sys/kernel/taskmonitor_follow_dropped))) -ge "$1" ]
}

# A followed shell forks 200 children while 20 % of the module's
# allocations fail (the worker's, listing them): each child is either
# listed, with its exit record, or counted in taskmonitor_follow_dropped,
# never both and never neither; nothing leaks.
test_fault_follow_fork_storm() {
	trap dbg_failslab_reset EXIT
	n=200
	tm_load interval_ms=3600000
	mkfifo go || fail "test bug: no FIFO"
	sh -c 'read -r x <go; i=0; while [ $i -lt '$n' ]; do sh -c "echo \$\$ >>kids.txt; exit 0"; i=$((i + 1)); done' &
	root=$!
	expect_write "$DBG_DEV" "+$root" OK
	dbg_failslab_module 20
	: >go
	reap "$root"
	[ "$(wc -l <kids.txt)" = $n ] || fail "test bug: $(wc -l <kids.txt) children ran, $n forked"
	wait_for 120 all_accounted $n || true
	dbg_failslab_reset
	rec=$(kids_recorded)
	drop=$(cat /sys/kernel/taskmonitor_follow_dropped)
	note "$n children under failslab: $rec recorded, $drop dropped"
	[ $((rec + drop)) = $n ] || fail "$n children: $rec recorded and $drop counted as dropped"
	dbg_unload
}
