# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# memory: the task_sample slab cache, the shrinker and memory pressure
# (docs/interface.md, "Memory pressure").

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# The samples live in a slab cache of their own named task_sample.
test_memory_own_slab_cache() {
	sleep 1000 &
	s=$!
	! slab_present || fail "test bug: a task_sample cache exists before loading"
	tm_load target="$s" interval_ms=5 max_samples=0
	slab_present || fail "no task_sample cache in /proc/slabinfo"
	a0=$(slab_active)
	wait_samples 20 "$s" 300 || fail "history of $s did not reach 300"
	a1=$(slab_active)
	[ "$a1" -ge $((a0 + 200)) ] || fail "300 samples but task_sample active objects only $a0 -> $a1"
}

# echo 2 > drop_caches empties every history but its newest sample, and
# gives the objects back to the slab allocator; sampling goes on after.
test_memory_drop_caches_shrinks() {
	pids=
	for i in 1 2 3 4; do
		sleep 1000 &
		pids="$pids${pids:+,}$!"
	done
	tm_load target="$pids" interval_ms=10 max_samples=0
	for p in $(echo "$pids" | tr ',' ' '); do
		wait_samples 20 "$p" 100 || fail "history of $p did not reach 100"
	done
	echo stop >"$TC_SYS"
	hist >before.txt
	nb=$(wc -l <before.txt)
	a1=$(slab_active)
	sync
	echo 2 >/proc/sys/vm/drop_caches
	hist >after.txt
	a2=$(slab_active)
	note "lines $nb -> $(wc -l <after.txt); task_sample active objects $a1 -> $a2"
	for p in $(echo "$pids" | tr ',' ' '); do
		n=$(nlines "$p" after.txt)
		[ "$n" = 1 ] || fail "after drop_caches pid $p has $n samples, expected only its newest"
		[ "$(grep "^pid $p " after.txt)" = "$(grep "^pid $p " before.txt | tail -n 1)" ] ||
			fail "after drop_caches pid $p kept a sample that is not its newest"
	done
	[ "$a2" -le $((a1 - (nb - 4) / 2)) ] ||
		fail "drop_caches freed $nb-4 samples but task_sample active objects went only $a1 -> $a2"
	echo start >"$TC_SYS"
	p=${pids%%,*}
	wait_samples 10 "$p" 5 || fail "sampling did not go on after the shrink"
}

# -PID gives the history's memory back to the slab allocator.
test_memory_remove_frees() {
	sleep 1000 &
	s=$!
	tm_load target="$s" interval_ms=2 max_samples=0
	wait_samples 60 "$s" 1000 || fail "history of $s did not reach 1000"
	echo stop >"$TC_SYS"
	n=$(nlines "$s")
	a1=$(slab_active)
	expect_write "$TC_DEV" "-$s" OK
	a2=$(slab_active)
	note "$n samples removed; task_sample active objects $a1 -> $a2"
	[ "$a2" -le $((a1 - n / 2)) ] || fail "-$s freed $n samples but active objects went only $a1 -> $a2"
}

# mem_kb KEY: a /proc/meminfo value in kB.
mem_kb() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# slab_kb: memory of the task_sample cache in kB (objects * size).
slab_kb() {
	awk '$1 == "task_sample" { print int($3 * $4 / 1024) }' /proc/slabinfo
}

TM_TIMEOUT_test_memory_hog_no_oom=180

# Sampling every millisecond with no cap while a memory hog asks for more
# than the machine has available: the hog finishes, nobody is
# OOM-killed, the shrinker gave memory back (the oldest samples are gone
# although nothing else removes samples with max_samples=0), every
# process keeps its newest sample, and sampling goes on afterwards.
test_memory_hog_no_oom() {
	pids=
	i=0
	while [ $i -lt 24 ]; do
		sleep 1000 &
		pids="$pids${pids:+,}$!"
		i=$((i + 1))
	done
	p=${pids%%,*}
	tm_load target="$pids" interval_ms=1 max_samples=0
	# Let the history grow to 32 MB (or for 30 s on a slow machine).
	i=0
	while [ $i -lt 30 ] && [ "$(slab_kb)" -lt 32768 ]; do
		sleep 1
		i=$((i + 1))
	done
	h=$(slab_kb)
	l1=$(slab_active)
	first1=$(val "$(grep -m 1 "^pid $p " "$TC_DEV")" ts)
	avail=$(mem_kb MemAvailable)
	# Ask for what is available plus half of the history: only the
	# shrinker can make that much room.
	mib=$(((avail + h / 2) / 1024))
	note "after $i s: history $h kB ($l1 samples), MemAvailable $avail kB: hog of $mib MiB"
	t0=$(bt)
	memhog "$mib" 500 >hog.txt 2>&1
	rc=$?
	t1=$(bt)
	echo stop >"$TC_SYS"
	l2=$(slab_active)
	first2=$(val "$(grep -m 1 "^pid $p " "$TC_DEV")" ts)
	note "hog exit $rc after $(((t1 - t0) / 1000000)) ms; task_sample active objects $l1 -> $l2; oldest sample of $p: ts $first1 -> $first2"
	oom=$(tm_kmsg | grep -E -i 'out of memory|oom-kill|invoked oom-killer' | head -n 1)
	[ -z "$oom" ] || fail "OOM killer ran: $oom"
	[ "$rc" = 0 ] || fail "memory hog of $mib MiB failed (status $rc): $(cat hog.txt)"
	[ "$first2" -gt "$first1" ] || fail "the oldest samples of $p are still there: the shrinker gave nothing back under pressure"
	r=$(rdcheck -g "$TC_DEV") || fail "history malformed after the pressure"
	note "$r"
	# shellcheck disable=SC2086 # split on purpose
	set -- $r
	[ "${12}" = 24 ] || fail "after the pressure only ${12} of 24 processes have samples (the newest must stay)"
	echo start >"$TC_SYS"
	t2=$(bt)
	wait_for 10 newer_than "$p" "$t2" "$TC_SYS" || fail "sampling stopped after the memory pressure"
}
