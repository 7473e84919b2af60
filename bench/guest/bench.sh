# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# bench.sh: the taskmonitor benchmark, run inside the QEMU guest as a
# suite of the test harness (bench/run.sh puts it at /tm/suites/bench.sh
# through an overlay, with /tm/bench.conf and the helpers of
# bench/helpers in /tm/bin).  Each test_* measures one thing and prints
# its figures as "TM-BENCH <what> key=value..." lines, on the console and
# on the harness's result channel (the second serial port), where
# bench/run.sh collects them.  A test fails only when the machinery
# breaks (nothing sampled, nothing read); never on a timing.
#
# Every cost is CPU time from /proc/<pid>/schedstat (the scheduler's
# sum_exec_runtime, ns): for the module, that of its kthread
# "taskmonitor"; for pidstat and the poller, their own, read by cpuof
# after they exit and before they are reaped.

BENCH_MODE=full
BENCH_NS='1 100 1000 4000'
BENCH_REPEAT=3
BENCH_HIST_TASKS=1000
BENCH_HIST_SIZES='10000 100000 1000000'
BENCH_GAP_TASKS=100
BENCH_GAP_SECONDS=60
BENCH_GAP_INTERVALS='10 1'
BENCH_FLW_TASKS=1000
BENCH_FLW_SAMPLES=100000
BENCH_FLW_SECONDS=5
BENCH_FLW_PASSES=5
BENCH_FORK_PAIRS=1000
BENCH_STORM_CHILDREN=10000
# A/B mode (bench/run.sh --ab): the labels of the builds in /tm/ab/.
BENCH_AB=
# shellcheck disable=SC1091 # written by bench/run.sh
[ -r /tm/bench.conf ] && . /tm/bench.conf

# shellcheck disable=SC2034 # read by the harness's runner
TM_TIMEOUT_test_cost=5400
# shellcheck disable=SC2034
TM_TIMEOUT_test_history=2400
# shellcheck disable=SC2034
TM_TIMEOUT_test_timeliness=1200
# shellcheck disable=SC2034
TM_TIMEOUT_test_ab=5400
# shellcheck disable=SC2034
TM_TIMEOUT_test_follow=2400
# shellcheck disable=SC2034
TM_TIMEOUT_test_fork=2400

B_DEV=/dev/taskmonitor
B_DBG=/sys/kernel/debug/taskmonitor
B_SYS=/sys/kernel/taskmonitor
B_PAR=/sys/module/taskmonitor/parameters

# out WHAT KEY=VALUE...: one result line, on the console and the
# harness's result channel.
out() {
	echo "TM-BENCH $*"
	if [ -c /dev/ttyS1 ]; then
		echo "TM-BENCH $*" >>/dev/ttyS1
	fi
}

# uptime_cs: the time since boot, in hundredths of a second.
uptime_cs() {
	read -r _up _idle </proc/uptime
	_s=${_up%.*}
	_f=${_up#*.}
	echo $((_s * 100 + ${_f#0}))
}

# spawn N: N sleeping children of the sleepers helper; their PIDs go to
# $B_PIDS, one per line.
spawn() {
	B_PIDS=$TM_TMP/pids.$1
	rm -f "$B_PIDS"
	sleepers "$1" "$B_PIDS" &
	B_SLEEPERS=$!
	wait_for 600 test -s "$B_PIDS" || fail "sleepers $1 did not start"
	[ "$(wc -l <"$B_PIDS")" -eq "$1" ] || fail "sleepers $1 listed $(wc -l <"$B_PIDS") PIDs"
}

unspawn() {
	kill "$B_SLEEPERS" 2>/dev/null
	wait "$B_SLEEPERS" 2>/dev/null
}

# load PARAM=VALUE...: insmod, paused; find the kthread.
load() {
	tm_load "$@"
	echo stop >"$B_SYS" || fail "cannot pause the sampler"
	B_TID=$(grep -lx taskmonitor /proc/[0-9]*/comm 2>/dev/null | head -n 1)
	B_TID=${B_TID#/proc/}
	B_TID=${B_TID%/comm}
	[ -n "$B_TID" ] || fail "no kthread named taskmonitor"
}

add_all() {
	while read -r p; do
		echo "$p" >"$B_DEV" || fail "cannot add $p"
	done <"$B_PIDS"
}

kth_cpu() {
	read -r _c _rest <"/proc/$B_TID/schedstat"
	echo "$_c"
}

# created: the sample count the module logs at unload.
unload_created() {
	tm_unload
	_c=$(tm_unload_reports | tail -n 1)
	[ -n "$_c" ] || fail "no unload report in the kernel log"
	echo "${_c%% *}"
}

# kv KEY TEXT: the value of KEY=value in TEXT.
kv() {
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# clocksource: the kernel's current clocksource (ktime, and so every
# sample's ts, reads it).
clocksource() {
	cat /sys/devices/system/clocksource/clocksource0/current_clocksource
}

# clocksource_check TEST: record the clocksource at the end of TEST, and
# whether the watchdog has switched it during the boot (the report says
# so next to the figures).
clocksource_check() {
	out clocksource test="$1" now="$(clocksource)" \
		unstable="$(dmesg | grep -c -i 'clocksource.*unstable\|TSC unstable')"
}

# cost_module N INTERVAL_MS SWEEPS REP
cost_module() {
	load interval_ms="$2" max_samples=0
	add_all
	c0=$(kth_cpu)
	t0=$(uptime_cs)
	echo start >"$B_SYS"
	sleep "$(awk -v i="$2" -v k="$3" 'BEGIN { printf "%.3f", i * (k + 0.5) / 1000 }')"
	echo stop >"$B_SYS"
	# A sweep under way finishes; the kthread then sleeps.
	sleep 0.5
	c1=$(kth_cpu)
	t1=$(uptime_cs)
	created=$(unload_created)
	[ "$created" -gt 0 ] || fail "module: no sample taken with N=$1 interval $2 ms"
	out cost tool=module n="$1" interval_ms="$2" rep="$4" cpu_ns=$((c1 - c0)) \
		samples="$created" wall_ns=$(((t1 - t0) * 10000000)) ${B_VARIANT:+variant=$B_VARIANT}
}

# cost_pidstat N INTERVAL_MS SWEEPS REP: pidstat's interval is whole
# seconds; it reads every PID once at start, then once per report.
cost_pidstat() {
	r=$(cpuof pidstat -p "$(tr '\n' , <"$B_PIDS" | sed 's/,$//')" $(($2 / 1000)) "$3" 2>&1 >/dev/null) ||
		fail "cpuof pidstat: $r"
	st=$(kv status "$r")
	[ "$st" = 0 ] || fail "pidstat exited with status $st: $r"
	out cost tool=pidstat n="$1" interval_ms="$2" rep="$4" cpu_ns="$(kv cpu_ns "$r")" \
		samples=$(($1 * ($3 + 1))) wall_ns="$(kv wall_ns "$r")"
}

# cost_poller N INTERVAL_MS SWEEPS REP
cost_poller() {
	po=$TM_TMP/poller.out
	r=$(cpuof poller -i $(($2 * 1000)) -k "$3" "$B_PIDS" 2>&1 >"$po") ||
		fail "cpuof poller: $r"
	[ "$(kv status "$r")" = 0 ] || fail "poller failed: $r $(cat "$po")"
	s=$(kv samples "$(cat "$po")")
	[ "${s:-0}" -gt 0 ] || fail "poller read no sample: $(cat "$po")"
	out cost tool=poller n="$1" interval_ms="$2" rep="$4" cpu_ns="$(kv cpu_ns "$r")" \
		samples="$s" wall_ns="$(kv wall_ns "$r")"
}

# sweeps TOOL N INTERVAL_MS: how many sweeps to measure, so that every
# measurement sees many task-samples without taking forever under TCG.
sweeps() {
	if [ "$BENCH_MODE" = smoke ]; then
		case $1/$3 in
		module/1000 | pidstat/* | poller/1000) echo 1 ;;
		*) echo 50 ;;
		esac
		return
	fi
	case $1/$3 in
	*/1000) [ "$2" -ge 4000 ] && [ "$1" = pidstat ] && echo 3 || echo 5 ;;
	module/*) echo 300 ;;
	*) awk -v n="$2" 'BEGIN { k = int(20000 / n); print (k < 10 ? 10 : k > 300 ? 300 : k) }' ;;
	esac
}

# out_env [KEY=VALUE...]: the guest's description, first line of a run.
out_env() {
	out env kernel="$(uname -r)" cpus="$(grep -c ^processor /proc/cpuinfo)" \
		mem_kb="$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)" \
		mode="$BENCH_MODE" clocksource="$(clocksource)" \
		tsc_reliable="$(grep -c 'tsc=reliable' /proc/cmdline)" "$@"
}

# Monitoring cost per task-sample: the module's kthread, pidstat and a
# bare /proc poller, on the same N sleeping processes, interleaved so
# that a change of load on the host hits all three alike.
test_cost() {
	out_env
	for n in $BENCH_NS; do
		spawn "$n"
		rep=1
		while [ $rep -le "$BENCH_REPEAT" ]; do
			for iv in 1000 10; do
				cost_module "$n" $iv "$(sweeps module "$n" $iv)" $rep
				if [ $iv -ge 1000 ]; then
					cost_pidstat "$n" $iv "$(sweeps pidstat "$n" $iv)" $rep
				fi
				cost_poller "$n" $iv "$(sweeps poller "$n" $iv)" $rep
			done
			rep=$((rep + 1))
		done
		unspawn
	done
	clocksource_check cost
}

# slab NAME: the /proc/slabinfo line of cache NAME, without the name.
slab() {
	awk -v n="$1" '$1 == n { $1 = ""; print; exit }' /proc/slabinfo
}

# slab_kv NAME: active= num= objsize= perslab= pages= slabs= of cache NAME.
slab_kv() {
	slab "$1" | awk '{ printf "active=%s num=%s objsize=%s perslab=%s pages=%s slabs=%s", $1, $2, $3, $4, $5, $14 }'
}

# slab_total: bytes of every slab page of every cache.
slab_total() {
	awk 'NR > 2 { t += $15 * $6 * 4096 } END { printf "%.0f", t }' /proc/slabinfo
}

meminfo() {
	sed -n "s/^$1: *\([0-9]*\).*/\1/p" /proc/meminfo
}

# kmalloc_class SIZE: the kmalloc cache an object of SIZE bytes lands in
# (ksize() of kmalloc(SIZE) is its object size).
kmalloc_class() {
	awk -v s="$1" '$1 ~ /^kmalloc-[0-9]+k?$/ {
		v = $1; sub(/^kmalloc-/, "", v); if (v ~ /k$/) { sub(/k$/, "", v); v *= 1024 }
		if (v + 0 >= s && (best == "" || v + 0 < bv)) { best = $1; bv = v + 0 } }
		END { print best }' /proc/slabinfo
}

# wait_history N: wait until the task_sample cache holds N objects.
wait_history() {
	_i=0
	while [ "$(slab task_sample | awk '{ print $1 }')" -lt "$1" ]; do
		_i=$((_i + 1))
		[ $_i -lt 6000 ] || fail "history did not reach $1 samples"
		sleep 0.1
	done
}

# History size, reading throughput, memory per sample and reclaim, on
# $BENCH_HIST_TASKS processes sampled every millisecond with a cap that
# makes the history exactly the wanted size.
test_history() {
	# bench/run.sh --history runs this test alone.
	[ "$BENCH_MODE" != history ] || out_env
	n=$BENCH_HIST_TASKS
	spawn "$n"
	before=$(slab_total)
	load interval_ms=1 max_samples=1
	add_all
	for size in $BENCH_HIST_SIZES; do
		cap=$((size / n))
		echo "$cap" >"$B_PAR/max_samples"
		echo start >"$B_SYS"
		wait_history "$size"
		# Until every history has reached the cap.
		tries=0
		while :; do
			sleep 1
			echo stop >"$B_SYS"
			sleep 0.5
			r=$(rdbench -l "$B_DEV") || fail "cannot read $B_DEV"
			lines=$(kv lines "$r")
			if [ "$lines" -ge "$size" ] || [ $tries -ge 20 ]; then
				break
			fi
			echo start >"$B_SYS"
			tries=$((tries + 1))
		done
		[ "$lines" -gt 0 ] || fail "the history is empty"
		cat "$B_DEV" >"$TM_TMP/hist.txt"
		rep=1
		while [ $rep -le "$BENCH_REPEAT" ]; do
			for src in debugfs dev tmpfs; do
				case $src in
				debugfs) f=$B_DBG ;;
				dev) f=$B_DEV ;;
				tmpfs) f=$TM_TMP/hist.txt ;;
				esac
				r=$(rdbench "$f") || fail "cannot read $f"
				b=$(kv bytes "$r")
				[ "$b" -gt 0 ] || fail "read nothing from $f"
				out read src=$src samples="$lines" rep=$rep bytes="$b" ns="$(kv ns "$r")"
			done
			rep=$((rep + 1))
		done
		rm -f "$TM_TMP/hist.txt"
	done

	# Memory per stored sample, with the largest history.
	kc=$(kmalloc_class "$(slab task_sample | awk '{ print $3 }')")
	out mem samples="$lines" tasks="$n" "$(slab_kv task_sample)" \
		slab_before="$before" slab_after="$(slab_total)" \
		kmalloc="$kc" "$(slab_kv "$kc" | sed 's/\([a-z]*\)=/k_\1=/g')"

	# Reclaim: one drop_caches.
	sync
	free0=$(meminfo MemFree)
	slab0=$(slab_kv task_sample)
	r=$(wrtime /proc/sys/vm/drop_caches 2) || fail "cannot write drop_caches"
	free1=$(meminfo MemFree)
	slab1=$(slab_kv task_sample)
	left=$(kv lines "$(rdbench -l "$B_DEV")")
	out reclaim samples="$lines" left="$left" ns="$(kv ns "$r")" \
		memfree0_kb="$free0" memfree1_kb="$free1" \
		"$(printf '%s' "$slab0" | sed 's/\([a-z]*\)=/b_\1=/g')" \
		"$(printf '%s' "$slab1" | sed 's/\([a-z]*\)=/a_\1=/g')"
	[ "$left" -lt "$lines" ] || fail "drop_caches freed no sample ($left of $lines left)"
	tm_unload
	unspawn
	clocksource_check history
}

# Timeliness: gaps between consecutive samples of a task.
test_timeliness() {
	n=$BENCH_GAP_TASKS
	spawn "$n"
	for iv in $BENCH_GAP_INTERVALS; do
		load interval_ms="$iv"
		add_all
		echo start >"$B_SYS"
		sleep "$BENCH_GAP_SECONDS"
		echo stop >"$B_SYS"
		sleep 0.5
		h=$TM_TMP/gaps.$iv
		r=$(gapstat -i $((iv * 1000000)) -H "$h" "$B_DEV") ||
			fail "gapstat at $iv ms: $r"
		out gaps interval_ms="$iv" tasks="$n" seconds="$BENCH_GAP_SECONDS" "$r"
		while read -r us cnt; do
			out gaphist interval_ms="$iv" us="$us" count="$cnt"
		done <"$h"
		tm_unload
	done
	unspawn
	clocksource_check timeliness
}

# Following vs re-reading: $BENCH_FLW_TASKS processes sampled every
# 10 ms, their histories capped to $BENCH_FLW_SAMPLES samples in all.  A
# follower (write "follow", then blocking reads) gets each new sample
# once; a poller that wants the same must re-read the whole history
# every interval, for one new sample per process.  Both costs are the
# reader's own CPU time (user and kernel), from its schedstat; the
# report divides them by the new samples each gets.
test_follow() {
	[ "$BENCH_MODE" != follow ] || out_env
	n=$BENCH_FLW_TASKS
	spawn "$n"
	load interval_ms=10 max_samples=$((BENCH_FLW_SAMPLES / n))
	add_all
	echo start >"$B_SYS"
	wait_history "$BENCH_FLW_SAMPLES"
	rep=1
	while [ $rep -le "$BENCH_REPEAT" ]; do
		r=$(flwbench -f -d "$BENCH_FLW_SECONDS" "$B_DEV") || fail "flwbench -f: $r"
		[ "$(kv lines "$r")" -gt 0 ] || fail "the follower got no line: $r"
		out follow how=follow tasks="$n" history="$BENCH_FLW_SAMPLES" rep=$rep "$r"
		r=$(flwbench -r -n "$BENCH_FLW_PASSES" "$B_DEV") || fail "flwbench -r: $r"
		out follow how=reread tasks="$n" history="$BENCH_FLW_SAMPLES" rep=$rep \
			passes="$BENCH_FLW_PASSES" "$r"
		rep=$((rep + 1))
	done
	echo stop >"$B_SYS"
	tm_unload
	unspawn
	clocksource_check follow
}

# The limits of following, high enough that no child of section 7 is
# refused a listing, nor loses its history before it is counted.
B_FOLLOW_LIMITS="max_tasks=1048576 max_user_tasks=1048576 max_exited=1048576 exited_keep_s=86400"

# recorded WANT HIST: how many PIDs of WANT ("PID [STATUS]" lines) have,
# in the history HIST, an exit record (with STATUS, when WANT gives one).
recorded() {
	awk 'NR == FNR { want[$1] = (NF > 1 ? $2 : "any"); next }
	$1 == "pid" && $2 in want && $(NF - 1) == "exit" && !($2 in got) &&
	    (want[$2] == "any" || want[$2] == $NF) { got[$2] = 1; n++ }
	END { print n + 0 }' "$1" "$2"
}

# listed WANT HIST: how many PIDs of WANT have a history in HIST.
listed() {
	awk 'NR == FNR { want[$1] = 1; next }
	$1 == "pid" && $2 in want && !($2 in got) { got[$2] = 1; n++ }
	END { print n + 0 }' "$1" "$2"
}

# accounted WANT N: N children of WANT are either recorded or counted
# in taskmonitor_follow_dropped (those will never be).
accounted() {
	cat "$B_DEV" >"$TM_TMP/acc.txt"
	[ $(($(recorded "$1" "$TM_TMP/acc.txt") + $(cat /sys/kernel/taskmonitor_follow_dropped))) -ge "$2" ]
}

# fork_cost VARIANT PAIRS REP: the system's CPU time over PAIRS forks +
# exits of forkbench, in variant a (module not loaded), b (loaded,
# sampling every 10 ms, nothing followed) or c (the forker followed
# through "+PID", no follow-mode reader); in c, how many of the children
# have their exit record.
fork_cost() {
	pf=$TM_TMP/fork.pids
	fl=
	rec=
	# shellcheck disable=SC2086 # a list of words
	[ "$1" = a ] || tm_load interval_ms=10 $B_FOLLOW_LIMITS
	[ "$1" != c ] || fl="-F $B_DEV"
	# shellcheck disable=SC2086
	r=$(forkbench -c "$2" $fl -p "$pf") || fail "forkbench -c $2 (variant $1): $r"
	if [ "$1" = c ]; then
		wait_for 120 accounted "$pf" "$2" || true
		cat "$B_DEV" >"$TM_TMP/fork.hist"
		rec="recorded=$(recorded "$pf" "$TM_TMP/fork.hist") dropped=$(cat /sys/kernel/taskmonitor_follow_dropped)"
		[ "$(kv recorded "$rec")" -gt 0 ] ||
			fail "variant c: none of the $2 children of the followed forker has an exit record"
	fi
	[ "$1" = a ] || tm_unload
	out forkcost variant="$1" rep="$3" "$r" "$rec"
}

# pidstat_seen WANT OUT: how many PIDs of WANT appear in pidstat's
# report OUT (the PID column, found by its header).
pidstat_seen() {
	awk 'NR == FNR { want[$1] = 1; next }
	{ for (i = 1; i <= NF; i++) if ($i == "PID") { col = i; next } }
	col && NF >= col && $col in want && !($col in got) { got[$col] = 1; n++ }
	END { print n + 0 }' "$1" "$2"
}

# lines_over FILE N: FILE has more than N lines.
lines_over() {
	[ "$(wc -l <"$1")" -gt "$2" ]
}

# fork_storm N: forkbench -s N, the forker followed, while pidstat -u 1
# and a poller listing /proc every 10 ms watch; how many of the N
# children each saw at all, against forkbench's list, and for
# taskmonitor how many have an exit record with the status their child
# chose.
fork_storm() {
	kids=$TM_TMP/storm.kids
	ps_out=$TM_TMP/pidstat.out
	po_out=$TM_TMP/poller.out
	# shellcheck disable=SC2086 # a list of words
	tm_load interval_ms=10 $B_FOLLOW_LIMITS
	poller -i 10000 -a "$TM_TMP/poller.seen" >"$po_out" 2>&1 &
	po=$!
	pidstat -u 1 >"$ps_out" 2>&1 &
	ps=$!
	wait_for 60 grep -q ready "$po_out" || fail "the poller did not start: $(cat "$po_out")"
	wait_for 60 grep -q PID "$ps_out" || fail "pidstat did not report: $(cat "$ps_out")"
	r=$(forkbench -s "$1" -F "$B_DEV" -p "$kids") || fail "forkbench -s $1: $r"
	# One more report of pidstat's, on the interval the storm ended in.
	n0=$(wc -l <"$ps_out")
	wait_for 10 lines_over "$ps_out" "$n0" || true
	kill -INT "$ps"
	wait "$ps"
	kill -TERM "$po"
	wait "$po" || fail "the poller failed: $(cat "$po_out")"
	wait_for 300 accounted "$kids" "$1" || true
	cat "$B_DEV" >"$TM_TMP/storm.hist"
	tm=$(recorded "$kids" "$TM_TMP/storm.hist")
	out storm "$r" taskmonitor="$tm" listed="$(listed "$kids" "$TM_TMP/storm.hist")" \
		dropped="$(cat /sys/kernel/taskmonitor_follow_dropped)" \
		pidstat="$(pidstat_seen "$kids" "$ps_out")" \
		poller="$(awk 'NR == FNR { want[$1] = 1; next } $1 in want { n++ } END { print n + 0 }' "$kids" "$TM_TMP/poller.seen")" \
		poller_sweeps="$(kv sweeps "$(tail -n 1 "$po_out")")"
	[ "$tm" -gt 0 ] || fail "the storm: no child has its exit record with the status it chose"
	tm_unload
}

# Fork and exit (issue 16): the cost a fork + exit pair gains from the
# module, loaded and idle (b) or following the forker (c), against none
# (a), interleaved; then a storm of short children, followed, against
# what pidstat and a /proc poller see of it.
test_fork() {
	[ "$BENCH_MODE" != fork ] || out_env
	rep=1
	while [ $rep -le "$BENCH_REPEAT" ]; do
		for v in a b c; do
			fork_cost $v "$BENCH_FORK_PAIRS" $rep
		done
		rep=$((rep + 1))
	done
	fork_storm "$BENCH_STORM_CHILDREN"
	clocksource_check fork
}

# A/B of module builds (bench/run.sh --ab): only the module's cost at
# 10 ms, each build of /tm/ab/ loaded in turn on the same sleepers, in
# alternating order from one repeat to the next (A B, B A, ...) so that
# a slow drift of the host's load does not favour either.  First, the
# cost of one wake-up of the kthread with nothing to sample.
test_ab() {
	[ -n "$BENCH_AB" ] || fail "no build to compare (BENCH_AB is empty)"
	out_env builds="$(echo "$BENCH_AB" | tr ' ' ,)"
	_ko=$TM_KO
	# The fixed cost of a sweep: the kthread's wake-up and sleep with
	# sampling paused and no task (3rd field of schedstat: times run).
	rep=1
	while [ $rep -le "$BENCH_REPEAT" ]; do
		for v in $BENCH_AB; do
			TM_KO=/tm/ab/$v.ko
			load interval_ms=10
			read -r c0 _w r0 <"/proc/$B_TID/schedstat"
			sleep 3
			read -r c1 _w r1 <"/proc/$B_TID/schedstat"
			tm_unload
			out wake variant="$v" rep=$rep cpu_ns=$((c1 - c0)) runs=$((r1 - r0))
		done
		rep=$((rep + 1))
	done
	for n in $BENCH_NS; do
		spawn "$n"
		rep=1
		while [ $rep -le "$BENCH_REPEAT" ]; do
			order=$BENCH_AB
			# shellcheck disable=SC2086 # a list of words
			[ $((rep % 2)) = 1 ] || order=$(printf '%s\n' $BENCH_AB | sed -n '1!G;h;$p')
			for B_VARIANT in $order; do
				TM_KO=/tm/ab/$B_VARIANT.ko
				cost_module "$n" 10 "$(sweeps module "$n" 10)" $rep
			done
			rep=$((rep + 1))
		done
		unspawn
	done
	TM_KO=$_ko
	B_VARIANT=
	clocksource_check ab
}
