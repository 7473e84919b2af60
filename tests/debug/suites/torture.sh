# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC3028 # busybox ash has $RANDOM
#
# torture: the module under load in the debug kernel, each test bounded
# in time (tm_torture_secs=S on the kernel command line, default 30).
# KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_LIST, DEBUG_OBJECTS and
# panic_on_warn turn any memory or locking error into a failure; every
# unload must report as many samples freed as created.

# shellcheck disable=SC1091 # guest paths
. /tm/debug/lib.sh

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=300

DBG_SECS=$(dbg_arg tm_torture_secs 30)

# dbg_bg CMD...: run CMD in the background; its PID is added to $DBG_BG.
dbg_bg() {
	"$@" &
	DBG_BG="${DBG_BG:-} $!"
}

dbg_bg_stop() {
	# shellcheck disable=SC2086 # a list of PIDs
	[ -z "${DBG_BG:-}" ] || kill $DBG_BG 2>/dev/null
	# shellcheck disable=SC2086
	[ -z "${DBG_BG:-}" ] || wait $DBG_BG 2>/dev/null
	DBG_BG=
}

# Loops that run until killed.
# read_loop FILE: reads FILE over and over.  A reader still holding FILE
# open after dbg_bg_stop would make the test's rmmod fail with "in use",
# and killing the loop's shell does not kill the reader it is waiting
# for: so the reader runs in the background and TERM ends it too.
read_loop() {
	trap 'kill "$_r" 2>/dev/null; reap "$_r"; exit 0' TERM
	while :; do
		rdcheck -b $((1 + RANDOM % 8192)) "$1" >/dev/null 2>&1 &
		_r=$!
		reap "$_r" && continue
		cat "$1" >/dev/null 2>&1 &
		_r=$!
		reap "$_r"
	done
}
drop_loop() {
	while :; do
		echo 2 >/proc/sys/vm/drop_caches
		sleep 0.1
	done
}
# interval_ms between 1 ms and 1 s, max_samples from tiny to none.
knob_loop() {
	while :; do
		for v in 1 1000 3 250 1 500 20 2 100 1; do
			echo "$v" >"$DBG_PARAMS/interval_ms" || echo "interval_ms=$v refused" >>knob.err
			echo $((RANDOM % 4 * 300)) >"$DBG_PARAMS/max_samples" ||
				echo "max_samples refused" >>knob.err
			sleep 0.$((1 + RANDOM % 3))
		done
	done
}
# Adds and removes the sleepers, and short-lived processes, on FILE.
addrm_loop() {
	while :; do
		for p in $(echo "$DBG_PIDS" | tr ',' ' '); do
			tmwrite "$1" "-$p" >/dev/null
			tmwrite "$1" "$p" >/dev/null
		done
		sleep 0.05 &
		tmwrite "$1" "$!" >/dev/null
	done
}

# Concurrent readers of debugfs, /dev/taskmonitor and sysfs, add/remove
# loops on both command files, interval changes between 1 ms and 1 s,
# drop_caches in a loop, plus tests/helpers/stress checking every answer.
test_torture_everything_at_once() {
	dbg_sleepers 16
	tm_load target="$DBG_PIDS" interval_ms=1 max_samples=0
	trap dbg_bg_stop EXIT
	for f in "$DBG_DEV" "$DBG_DBGFS" "$DBG_DEV" "$DBG_DBGFS" "$DBG_SYSFS" "$DBG_SYSFS"; do
		dbg_bg read_loop "$f"
	done
	dbg_bg addrm_loop "$DBG_DEV"
	dbg_bg addrm_loop "$DBG_DBGFS"
	dbg_bg knob_loop
	dbg_bg drop_loop
	stress -d "$DBG_SECS" -n 8 -D "$DBG_DBGFS" -V "$DBG_DEV" -S "$DBG_SYSFS" \
		-M "$DBG_PARAMS" >stress.out 2>stress.err
	rc=$?
	dbg_bg_stop
	note "$(cat stress.out)"
	[ $rc = 0 ] || fail "stress: $(head -n 3 stress.err | tr '\n' ' ')"
	grep -q 'errors 0$' stress.out || fail "stress reported: $(cat stress.out)"
	[ ! -s knob.err ] || fail "parameter writes refused: $(sort -u knob.err | tr '\n' ' ')"
	echo 1000 >"$DBG_PARAMS/interval_ms"
	rdcheck -g "$DBG_DEV" >/dev/null || fail "history malformed after the torture"
	dbg_unload
	note "unload: $DBG_CREATED created, $DBG_FREED freed, $DBG_SKIPPED skipped"
}

# Readers that stand on a sample across read() calls for a long time (a
# few bytes per read, with pauses) while a cap of 4 at 1 ms and
# drop_caches trim every history under them: the sample a reader stands
# on must stay valid until it moves on (KASAN), and what it reads must
# stay whole and in order.
test_torture_reader_vs_trim() {
	dbg_sleepers 4
	tm_load target="$DBG_PIDS" interval_ms=1 max_samples=4
	trap dbg_bg_stop EXIT
	dbg_bg drop_loop
	slowread -b 97 -p 20 -d "$DBG_SECS" "$DBG_DEV" >r1.out 2>&1 &
	r1=$!
	slowread -b 61 -p 35 -d "$DBG_SECS" "$DBG_DBGFS" >r2.out 2>&1 &
	r2=$!
	wait $r1 || fail "slow reader of $DBG_DEV: $(cat r1.out)"
	wait $r2 || fail "slow reader of $DBG_DBGFS: $(cat r2.out)"
	dbg_bg_stop
	note "$(cat r1.out r2.out | tr '\n' ' ')"
	dbg_unload
}

# Processes forking, exec'ing and exiting as fast as they can, each one
# added while it lives, dies or is a zombie, sampled every millisecond,
# while the history is read.
test_torture_fork_exec_exit() {
	tm_load interval_ms=1 max_samples=100
	trap dbg_bg_stop EXIT
	dbg_bg read_loop "$DBG_DEV"
	dbg_bg read_loop "$DBG_SYSFS"
	dbg_bg drop_loop
	forkstorm -d "$DBG_SECS" -w 3 "$DBG_DEV" "$DBG_DBGFS" >storm.out 2>storm.err
	rc=$?
	dbg_bg_stop
	note "$(tr '\n' ' ' <storm.out)"
	[ $rc = 0 ] || fail "forkstorm: $(head -n 3 storm.err | tr '\n' ' ')"
	added=$(awk '{ for (i = 1; i < NF; i++) if ($i == "added") s += $(i + 1) } END { print s + 0 }' storm.out)
	[ "$added" -ge 20 ] || fail "only $added short-lived processes were added"
	dbg_unload
}

# A memory hog takes the guest to the edge of OOM and holds it there,
# below the low watermark where kswapd runs the shrinkers, while long
# histories are sampled every millisecond and read: reclaim calls our
# shrinker (with lockdep watching reclaim against the module's locks)
# and it gives the oldest samples back; no OOM kill, every process keeps
# samples, sampling goes on.
test_torture_memory_edge() {
	dbg_sleepers 8
	p=${DBG_PIDS%%,*}
	tm_load target="$DBG_PIDS" interval_ms=1 max_samples=0
	trap dbg_bg_stop EXIT
	sleep 5
	before=$(awk '$1 == "task_sample" { print $2 }' /proc/slabinfo)
	first0=$(grep -m 1 "^pid $p " "$DBG_DEV" | awk '{ print $8 }')
	dbg_bg read_loop "$DBG_DEV"
	dbg_bg read_loop "$DBG_SYSFS"
	total=$(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo)
	# edgehog holds the largest zone between its min and low watermarks.
	# By default they are less than a MiB apart, and this kernel (KASAN,
	# kmemleak, lockdep) allocates more than that behind the hog's back
	# between two of its looks: widen the band to 2% of the zone.
	# Watermark boosting (after a fragmentation event) would raise the
	# min watermark by megabytes at once, under the hog: off.  And the
	# small DMA zone out of the way (a lowmem reserve larger than itself):
	# otherwise allocations fall back to it once the large zone is below
	# its low watermark, and kswapd, which sleeps while any zone is
	# balanced, stays asleep until they have used up the DMA zone too.
	wsf=$(cat /proc/sys/vm/watermark_scale_factor)
	boost=$(cat /proc/sys/vm/watermark_boost_factor)
	lrr=$(cat /proc/sys/vm/lowmem_reserve_ratio)
	echo 200 >/proc/sys/vm/watermark_scale_factor
	echo 0 >/proc/sys/vm/watermark_boost_factor
	echo "$lrr" | awk '{ $1 = 1; print }' >/proc/sys/vm/lowmem_reserve_ratio
	vm0=$(reclaim_counters)
	echo "tm-torture: memory_edge: starting the hog" >/dev/kmsg
	rc=0
	edgehog -r -f $((total / 25 + 16)) -H $((DBG_SECS * 1000 / 2)) >hog.out 2>&1 || rc=$?
	echo "$wsf" >/proc/sys/vm/watermark_scale_factor
	echo "$boost" >/proc/sys/vm/watermark_boost_factor
	echo "$lrr" >/proc/sys/vm/lowmem_reserve_ratio
	[ $rc = 0 ] || fail "edgehog: $(cat hog.out)"
	note "reclaim counters (/proc/vmstat) before: $vm0; after: $(reclaim_counters)"
	echo "tm-torture: memory_edge: stopping the readers" >/dev/kmsg
	dbg_bg_stop
	echo "tm-torture: memory_edge: reading the oldest sample" >/dev/kmsg
	first1=$(grep -m 1 "^pid $p " "$DBG_DEV" | awk '{ print $8 }')
	note "$(cat hog.out); task_sample objects before: $before, now: $(awk '$1 == "task_sample" { print $2 }' /proc/slabinfo); oldest ts of $p: $first0 -> $first1"
	! dmesg | grep -q -e 'Out of memory' -e 'oom-kill' || fail "the OOM killer ran: $(dmesg | grep -m 1 -e 'Out of memory' -e 'oom-kill')"
	grep -q 'slabs scanned [1-9]' hog.out || fail "no shrinker ran at the edge of OOM: $(cat hog.out)"
	[ "$first1" -gt "$first0" ] ||
		fail "the shrinker gave nothing back under pressure: the oldest sample of $p is still ts $first0"
	# The histories hold some 10^5 samples by now, and a whole read of
	# them takes minutes on this kernel: cap them before the reads below.
	# The kernel log's time stamps on each step show which one is slow.
	echo "tm-torture: memory_edge: capping the histories" >/dev/kmsg
	echo 100 >"$DBG_PARAMS/max_samples"
	echo "tm-torture: memory_edge: waiting for a new sample" >/dev/kmsg
	wait_for 120 newest_sample_after "$p" "$(boottime)" ||
		fail "sampling stopped after the memory hog"
	echo "tm-torture: memory_edge: counting the processes" >/dev/kmsg
	[ "$(pids_listed)" = 8 ] || fail "only $(pids_listed) of 8 processes kept samples"
	dbg_unload
}

# reclaim_counters: what kswapd and direct reclaim did, from /proc/vmstat.
reclaim_counters() {
	awk '$1 ~ /^(pageoutrun|allocstall_(dma32|normal)|slabs_scanned|kswapd_(low|high)_wmark_hit_quickly|compact_stall)$/ {
		printf "%s%s %s", sep, $1, $2; sep = ", " }' /proc/vmstat
}

# newest_sample_after PID NS: the newest sample of PID is later than NS
# (boot time in ns).  A history is listed whole, one after the other:
# the read stops at the first line after PID's.
newest_sample_after() {
	awk -v p="$1" -v t="$2" '$1 == "pid" && $2 == p { for (i = 3; i < NF; i += 2) if ($i == "ts") ts = $(i + 1); seen = 1; next }
		seen { exit }
		END { exit !(ts + 0 > t + 0) }' "$DBG_DEV"
}

# pids_listed: how many distinct pids the history shows.
pids_listed() {
	awk '$1 == "pid" && !s[$2]++ { n++ } END { print n + 0 }' "$DBG_DEV"
}

# rmmod while readers hold the files open, sysfs is read, processes are
# added and removed and reclaim runs: delete_module fails with EWOULDBLOCK
# while a file is held and changes nothing, then succeeds once the
# holders are gone; every cycle frees all it created.
test_torture_rmmod_under_load() {
	dbg_sleepers 8
	trap dbg_bg_stop EXIT
	cycle=0
	while [ $cycle -lt 5 ]; do
		tm_load target="$DBG_PIDS" interval_ms=1 max_samples=0
		sleep 1
		# Two holders, stopped mid-file.
		(exec 3<"$DBG_DEV"; head -c 100 <&3 >/dev/null; sleep 1000) &
		h1=$!
		(exec 3<"$DBG_DBGFS"; head -c 100 <&3 >/dev/null; sleep 1000) &
		h2=$!
		dbg_bg read_loop "$DBG_SYSFS"
		dbg_bg drop_loop
		dbg_bg addrm_loop "$DBG_DEV"
		sleep 1
		r=$(delmod taskmonitor)
		[ "$r" = EAGAIN ] || fail "cycle $cycle: rmmod with files held open: $r, want EAGAIN (EWOULDBLOCK)"
		tm_loaded || fail "cycle $cycle: a refused rmmod unloaded the module"
		n=$(wc -l <"$DBG_SYSFS") || fail "cycle $cycle: sysfs unreadable after a refused rmmod"
		[ "$n" -gt 0 ] || fail "cycle $cycle: history empty after a refused rmmod"
		kill $h1 $h2
		wait $h1 $h2 2>/dev/null
		# The add/remove loop opens the device all the time: retry.
		tries=0
		while ! r=$(delmod taskmonitor); do
			[ "$r" = EAGAIN ] || fail "cycle $cycle: rmmod: $r"
			tries=$((tries + 1))
			[ $tries -lt 300 ] || fail "cycle $cycle: rmmod still refused after 300 tries"
			sleep 0.0$((RANDOM % 10))
		done
		dbg_bg_stop
		! tm_loaded || fail "cycle $cycle: delete_module succeeded but the module is there"
		# shellcheck disable=SC2046 # split on purpose
		set -- $(tm_unload_reports | tail -n 1)
		if [ "$1" != "$2" ] || [ "$3" != 0 ]; then
			fail "cycle $cycle: unload report: $1 created, $2 freed, $3 live"
		fi
		! grep -q '^task_sample ' /proc/slabinfo || fail "cycle $cycle: task_sample cache left"
		cycle=$((cycle + 1))
	done
}

# Load/unload cycles (tm_torture_cycles=N on the kernel command line,
# default 40: every pairing of the four loads and three activities
# below, several times) with varying parameters and a little activity
# each time; every unload report must balance, nothing may be left.
test_torture_load_unload_cycles() {
	cycles=$(dbg_arg tm_torture_cycles 40)
	dbg_sleepers 4
	before=$(tm_unload_reports | wc -l)
	i=0
	while [ $i -lt "$cycles" ]; do
		case $((i % 4)) in
		0) tm_load ;;
		1) tm_load target="$DBG_PIDS" interval_ms=1 reserve=0 ;;
		2) tm_load target="$DBG_PIDS" interval_ms=$((1 + RANDOM % 1000)) reserve=$((RANDOM % 65)) max_samples=$((RANDOM % 5)) ;;
		3) tm_load target="${DBG_PIDS%%,*}" interval_ms=2 ;;
		esac
		case $((i % 3)) in
		0) cat "$DBG_DEV" >/dev/null ;;
		1) tmwrite "$DBG_DBGFS" "$$" >/dev/null ;;
		2) cat "$DBG_SYSFS" >/dev/null; echo 2 >/proc/sys/vm/drop_caches ;;
		esac
		out=$(rmmod taskmonitor 2>&1) || fail "cycle $i: rmmod: $out"
		i=$((i + 1))
	done
	tm_unload_reports | tail -n +$((before + 1)) >counts.txt
	[ "$(wc -l <counts.txt)" = "$cycles" ] ||
		fail "$(wc -l <counts.txt) unload reports for $cycles unloads"
	bad=$(awk '$1 != $2 || $3 != 0 { print NR ": " $1 " created, " $2 " freed, " $3 " live"; exit }' counts.txt)
	[ -z "$bad" ] || fail "unload report of cycle $bad"
	note "$cycles cycles, $(awk '{ s += $1 } END { print s }' counts.txt) samples created and freed"
	! grep -q '^task_sample ' /proc/slabinfo || fail "task_sample cache left after $cycles cycles"
}
