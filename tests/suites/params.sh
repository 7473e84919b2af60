# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# params: the module parameters target, interval_ms, max_samples and
# reserve (docs/interface.md, "Module parameters").

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT_test_params_defaults=90

# Defaults, modes, and that the default interval really is 1000 ms.
test_params_defaults() {
	sleep 1000 &
	s=$!
	tm_load
	[ "$(cat "$TC_PAR/interval_ms")" = 1000 ] || fail "interval_ms default: $(cat "$TC_PAR/interval_ms")"
	[ "$(cat "$TC_PAR/max_samples")" = 65536 ] || fail "max_samples default: $(cat "$TC_PAR/max_samples")"
	[ "$(cat "$TC_PAR/reserve")" = 64 ] || fail "reserve default: $(cat "$TC_PAR/reserve")"
	[ -z "$(tr -d ' \n' <"$TC_PAR/target")" ] || fail "target default: '$(cat "$TC_PAR/target")'"
	for pm in target:444 interval_ms:644 max_samples:644 reserve:444; do
		m=$(stat -c %a "$TC_PAR/${pm%%:*}")
		[ "$m" = "${pm#*:}" ] || fail "mode of ${pm%%:*} is $m, expected ${pm#*:}"
	done
	a=$(slab_active)
	[ "$a" -ge 64 ] || fail "default reserve 64, but only ${a:-no} task_sample objects allocated"
	expect_write "$TC_DEV" "$s" OK
	wait_samples 20 "$s" 8 || fail "fewer than 8 samples of $s in 20 s at the default interval"
	d=$(mean_gap_ms "$s")
	between "$d" 900 1300 ||
		fail "default interval: samples $d ms apart (mean over $(ts_of "$s" | wc -l)), expected about 1000"
}

# target=A,B,C monitors the three, in that order, and nothing else;
# the parameter is read-only after load.
test_params_target_several() {
	sleep 1000 &
	a=$!
	sleep 1000 &
	b=$!
	sleep 1000 &
	c=$!
	tm_load target="$c,$a,$b" interval_ms=20
	for p in $a $b $c; do
		wait_samples 10 "$p" 3 || fail "target $p: no samples"
	done
	echo stop >"$TC_SYS"
	hist >h.txt
	order=$(pids_in h.txt | tr '\n' ' ')
	[ "$order" = "$c $a $b " ] || fail "groups in order '$order', expected '$c $a $b ' (the target order)"
	v=$(tr -d '\n' <"$TC_PAR/target")
	[ "$v" = "$c,$a,$b" ] || fail "target reads '$v', expected '$c,$a,$b'"
	r=$(tmwrite "$TC_PAR/target" "$a" 2>&1)
	[ "$r" != OK ] || fail "writing the target parameter after load succeeded"
	v=$(tr -d '\n' <"$TC_PAR/target")
	[ "$v" = "$c,$a,$b" ] || fail "target changed to '$v' after a refused write"
}

# A target that does not exist (or is 0 or negative) is skipped with a
# warning naming it; the load succeeds and the others are monitored.
test_params_target_missing() {
	sleep 1000 &
	a=$!
	n=$(free_pid)
	tm_load target="$n,$a,0,-5" interval_ms=20
	wait_samples 10 "$a" 2 || fail "target $a (given with missing ones) not monitored"
	for p in $n 0 -5; do
		tm_kmsg | grep 'taskmonitor: ' | grep -qw -e "$p" ||
			fail "no kernel warning naming skipped target $p"
		[ "$(nlines "$p")" = 0 ] || fail "skipped target $p has samples"
	done
	tm_kmsg | grep -q "taskmonitor: target $n: no such process, skipped" ||
		fail "warning for $n not in the documented form: $(tm_kmsg | grep "taskmonitor: .*$n")"
	[ "$(pids_in "$TC_DEV" | tr '\n' ' ')" = "$a " ] || fail "monitored: $(pids_in "$TC_DEV" | tr '\n' ' ')"
}

# Up to 64 PIDs load; 65, or something that is not a number, fail with
# EINVAL and leave no module behind.
test_params_target_limits() {
	list=
	p=$(($(cat /proc/sys/kernel/pid_max) - 1))
	i=0
	while [ $i -lt 65 ]; do
		while [ -e "/proc/$p" ]; do p=$((p - 1)); done
		list65=${list:+$list,}$p
		[ $i -lt 64 ] && list=$list65
		i=$((i + 1))
		p=$((p - 1))
	done
	tm_load target="$list"
	n=$(tm_kmsg | grep -c 'taskmonitor: target .*no such process')
	[ "$n" = 64 ] || fail "64 missing targets gave $n warnings"
	tm_unload
	for bad in "$list65" abc "12,x"; do
		if tm_try_load target="$bad"; then
			fail "insmod with target=$(echo "$bad" | cut -c 1-30)... succeeded"
		fi
		echo "$TM_OUT" | grep -qi 'invalid' || fail "insmod target=...: '$TM_OUT', expected EINVAL"
		! tm_loaded || fail "module loaded after a refused target"
	done
}

# interval_ms: out of range or not decimal -> EINVAL, old value kept.
test_params_interval_writes() {
	tm_load interval_ms=50
	for bad in 0 3600001 abc -1 10x 0x10 4294967297 99999999999999999999 " 5" "5 5"; do
		expect_write "$TC_PAR/interval_ms" "$bad" EINVAL
		[ "$(cat "$TC_PAR/interval_ms")" = 50 ] || fail "interval_ms became $(cat "$TC_PAR/interval_ms") after '$bad'"
	done
	for good in 1 3600000 "25\n"; do
		expect_write "$TC_PAR/interval_ms" "$good" OK
	done
	[ "$(cat "$TC_PAR/interval_ms")" = 25 ] || fail "interval_ms reads $(cat "$TC_PAR/interval_ms") after writing 25"
	tm_unload
	for bad in 0 3600001 abc; do
		tm_try_load interval_ms=$bad && fail "insmod interval_ms=$bad succeeded"
		! tm_loaded || fail "module loaded with interval_ms=$bad"
	done
}

TM_TIMEOUT_test_params_interval_takes_effect=90

# A new interval takes effect at once: the next sample comes one new
# interval after the write, and the rate follows.
test_params_interval_takes_effect() {
	sleep 1000 &
	s=$!
	tm_load target="$s" interval_ms=20
	wait_samples 10 "$s" 12 || fail "fewer than 12 samples at 20 ms"
	d=$(mean_gap_ms "$s")
	between "$d" 15 60 || fail "interval 20: samples $d ms apart (mean over $(ts_of "$s" | wc -l))"

	# Lengthen to an hour: no sample after the write.
	echo 3600000 >"$TC_PAR/interval_ms"
	t0=$(bt)
	sleep 1
	n=$(count_after "$s" $((t0 + 30000000)))
	[ "$n" = 0 ] || fail "$n samples taken more than 30 ms after interval_ms=3600000"

	# Back to 50 ms: sampling resumes now, not in an hour, and the first
	# sample is one new interval after the write.
	t1=$(bt)
	echo 50 >"$TC_PAR/interval_ms"
	wait_for 5 newer_than "$s" "$t1" || fail "no sample within 5 s of interval_ms 3600000 -> 50"
	first=$(ts_of "$s" | awk -v t="$t1" '$1 + 0 > t + 0 { print; exit }')
	gap=$(((first - t1) / 1000000))
	between "$gap" 40 600 ||
		fail "first sample $gap ms after interval_ms=50 was written, expected one interval (50 ms)"
	wait_for 10 after_at_least "$s" "$t1" 12 || fail "fewer than 12 samples at 50 ms"
	d=$(ts_of "$s" | awk -v t="$t1" '$1 + 0 > t + 0 { if (!n++) f = $1; l = $1 }
		END { printf "%d\n", (n > 1 ? (l - f) / (n - 1) / 1000000 : -1) }')
	between "$d" 40 120 || fail "interval 50: samples $d ms apart (mean)"
}

# all_newer_than PID T: PID has samples, each taken after T (ns).
all_newer_than() {
	oldest=$(ts_of "$1" | head -n 1)
	[ -n "$oldest" ] && [ "$oldest" -gt "$2" ]
}

# The cap: at most max_samples per task, the newest ones; 0 = no cap;
# lowering the cap trims at the next sample; bad writes refused.
test_params_max_samples_cap() {
	sleep 1000 &
	a=$!
	sleep 1000 &
	b=$!
	tm_load target="$a,$b" interval_ms=10 max_samples=5
	[ "$(cat "$TC_PAR/max_samples")" = 5 ] || fail "max_samples reads $(cat "$TC_PAR/max_samples")"
	# Keeping the newest: every sample kept is eventually newer than a
	# moment taken once sampling runs (a cap that kept old samples never
	# gets there), however slowly a loaded host runs the sampler.
	wait_samples 10 "$a" 5 || fail "no 5 samples of $a"
	t0=$(bt)
	for p in $a $b; do
		wait_for 60 all_newer_than "$p" "$t0" ||
			fail "pid $p still keeps a sample taken before $t0: $(ts_of "$p" | head -n 1)"
	done
	echo stop >"$TC_SYS"
	for p in $a $b; do
		n=$(nlines "$p")
		[ "$n" = 5 ] || fail "pid $p has $n samples with max_samples=5"
		all_newer_than "$p" "$t0" || fail "pid $p: a sample older than $t0 after the stop"
	done

	# 0 = no cap: grows past 5.
	echo 0 >"$TC_PAR/max_samples"
	echo start >"$TC_SYS"
	wait_samples 10 "$a" 30 || fail "max_samples=0: history of $a stays at $(nlines "$a")"

	# Lowering the cap trims the history at its next sample.
	echo 3 >"$TC_PAR/max_samples"
	wait_for 5 at_most "$a" 3 || fail "max_samples 0 -> 3: history of $a still $(nlines "$a")"
	t=$(bt)
	wait_for 10 after_at_least "$a" "$t" 3 || fail "max_samples=3: no 3 samples after the trim"
	# Stopped, so that no sweep runs during the read: a read may show a
	# sample taken while it was in progress (docs/interface.md), one more
	# than the cap.
	echo stop >"$TC_SYS"
	n=$(nlines "$a")
	[ "$n" = 3 ] || fail "max_samples=3: $n samples"

	for bad in abc -1 4294967296 1.5 ""; do
		[ -n "$bad" ] || continue
		expect_write "$TC_PAR/max_samples" "$bad" EINVAL
		[ "$(cat "$TC_PAR/max_samples")" = 3 ] || fail "max_samples became $(cat "$TC_PAR/max_samples") after '$bad'"
	done
	expect_write "$TC_PAR/max_samples" 4294967295 OK
	[ "$(cat "$TC_PAR/max_samples")" = 4294967295 ] || fail "max_samples 4294967295 reads $(cat "$TC_PAR/max_samples")"
}

# reserve: 0..65536 at load only.
test_params_reserve() {
	sleep 1000 &
	s=$!
	for bad in 65537 -1 abc; do
		tm_try_load reserve=$bad && fail "insmod reserve=$bad succeeded"
		! tm_loaded || fail "module loaded with reserve=$bad"
	done
	for good in 0 65536; do
		tm_load reserve=$good interval_ms=20
		[ "$(cat "$TC_PAR/reserve")" = $good ] || fail "reserve reads $(cat "$TC_PAR/reserve")"
		# The reserve is taken from the task_sample cache at load.
		a=$(slab_active)
		note "reserve=$good: task_sample active objects $a before any sample"
		[ "$a" -ge $good ] || fail "reserve=$good but only $a task_sample objects allocated"
		[ $good != 0 ] || [ "$a" -lt 1000 ] || fail "reserve=0 but $a task_sample objects allocated"
		expect_write "$TC_DEV" "$s" OK
		wait_samples 10 "$s" 3 || fail "no sampling with reserve=$good"
		r=$(tmwrite "$TC_PAR/reserve" 5 2>&1)
		[ "$r" != OK ] || fail "writing reserve at run time succeeded"
		[ "$(cat "$TC_PAR/reserve")" = $good ] || fail "reserve changed at run time"
		tm_unload
	done
}
