# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# sweeptrace: where the kthread's time goes in a sweep of one task, as an
# overlay suite of the test harness (not part of make check or make bench):
#
#   tests/run.sh --kernel 6.12 --overlay bench/probes --tests 'sweeptrace/*' \
#       --log-name sweeptrace
#
# It samples one sleeping process every 10 ms, prints the kthread's CPU
# time per run (schedstat), then traces the kthread alone with ftrace's
# function_graph for 0.3 s and prints the trace (about 30 sweeps) to the
# serial log, between SWEEPTRACE-BEGIN and SWEEPTRACE-END, with the CPU
# time per run while traced (the tracer's own cost is in it), and the
# median split of a sweep into switch-in, the sweep, and switch-out.  Under TCG
# the durations are TCG time; with TM_QEMU_ARGS="-icount shift=0" they
# are guest instructions, but then the tracer's cost is most of them.
#
# In a TCG guest with two vCPUs, ftrace's patching of the kernel's code
# sometimes lets the other vCPU run into a half-patched call and die of
# an int3 Oops (twice in five runs here, once while switching the tracer
# on, once while switching it off): so the tracer is left on at the end,
# and a run that dies before SWEEPTRACE-END is simply run again (or with
# TM_SMP=1).

# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT_test_sweeptrace=300

ST_TRACE=/sys/kernel/tracing

# st_summary < TRACE: per sweep, the time from the kthread's switch-in
# (finish_task_switch) to its first kthread_freezable_should_stop, from
# there to schedule_hrtimeout_range (the sweep itself), and from there
# to the end of its switch-out (__traceiter_sched_switch); medians.
st_summary() {
	awk '
	function fname(s) { sub(/^ +/, "", s); sub(/[ (].*/, "", s); return s }
	function med(a, n,    i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n ? a[int((n + 1) / 2)] : 0
	}
	{
		split($0, p, "|")
		ts = p[1] + 0
		f = fname(p[3])
		if (f ~ /^finish_task_switch/) {
			t_in = ts; t_mod = 0; t_sleep = 0
		} else if (f == "kthread_freezable_should_stop" && t_in && !t_mod) {
			t_mod = ts
		} else if (f == "schedule_hrtimeout_range" && t_mod && !t_sleep) {
			t_sleep = ts
		} else if (f == "__traceiter_sched_switch" && t_sleep) {
			d = p[2]; sub(/^[^)]*\)/, "", d); gsub(/[^0-9.]/, " ", d)
			split(d, q, " ")
			n++
			a[n] = (t_mod - t_in) * 1e6
			b[n] = (t_sleep - t_mod) * 1e6
			c[n] = (ts - t_sleep) * 1e6 + q[1]
			t_in = 0
		}
	}
	END {
		printf "sweeptrace: %d sweeps, medians: switch-in %.0f us, sweep %.0f us, switch-out %.0f us\n",
			n, med(a, n), med(b, n), med(c, n)
	}'
}

# st_run_ns TID SECONDS: the CPU time per run of TID over SECONDS.
st_run_ns() {
	read -r _c0 _w _r0 <"/proc/$1/schedstat"
	sleep "$2"
	read -r _c1 _w _r1 <"/proc/$1/schedstat"
	[ "$_r1" -gt "$_r0" ] || fail "the kthread did not run in $2 s"
	echo "$(((_c1 - _c0) / (_r1 - _r0))) ns per run, $((_r1 - _r0)) runs"
}

test_sweeptrace() {
	[ -d $ST_TRACE/options ] || mount -t tracefs nodev $ST_TRACE ||
		fail "cannot mount tracefs"
	grep -qw function_graph $ST_TRACE/available_tracers ||
		fail "this kernel has no function_graph tracer"
	sleep 1000 &
	s=$!
	tm_load target="$s" interval_ms=10
	wait_samples 10 "$s" 3 || fail "no samples"
	tid=$(grep -lx taskmonitor /proc/[0-9]*/comm | head -n 1)
	tid=${tid#/proc/}
	tid=${tid%/comm}
	[ -n "$tid" ] || fail "no kthread named taskmonitor"
	echo "sweeptrace: untraced: $(st_run_ns "$tid" 3)"
	echo "$tid" >$ST_TRACE/set_ftrace_pid
	echo 0 >$ST_TRACE/max_graph_depth
	echo function_graph >$ST_TRACE/current_tracer
	echo 1 >$ST_TRACE/options/funcgraph-abstime
	echo "sweeptrace: traced: $(st_run_ns "$tid" 0.3)"
	echo 0 >$ST_TRACE/tracing_on
	grep -v '^#' $ST_TRACE/trace >"$TM_TMP/trace"
	echo SWEEPTRACE-BEGIN
	cat "$TM_TMP/trace"
	echo SWEEPTRACE-END
	st_summary <"$TM_TMP/trace"
	kill "$s"
	tm_unload
}
