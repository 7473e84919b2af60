# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# sampler: the sampling kthread is freezable (issue 3, "one sampling
# kthread, freezable, stopped cleanly"): during system suspend it must
# let itself be frozen, and take no sample while frozen.  And it keeps
# its rate (issue 6, timeliness): the samples it could not take while it
# was held up are taken once it runs again.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT_test_sampler_freezes=120
TM_TIMEOUT_test_sampler_catches_up=120

# The PM test mode "freezer" freezes every freezable task, waits
# (pm_test_delay, 5 s by default; 12 s here) and thaws them, without
# suspending devices.  The freeze must succeed, the sampler must take no
# sample while frozen (an unfreezable kthread would go on sampling), and
# sampling must go on after the thaw.  The wait is an mdelay(), timed by
# the TSC's rate as calibrated at boot: in a TCG guest on a busy host
# that can be off by a factor of 2 or more against the clocksource
# (a 5 s wait once lasted 2.2 s), hence the longer wait.
test_sampler_freezes() {
	[ -w /sys/power/pm_test ] || fail "guest kernel has no /sys/power/pm_test"
	grep -qw freeze /sys/power/state || fail "guest kernel offers no suspend-to-idle"
	sleep 1000 &
	s=$!
	tm_load target="$s" interval_ms=20
	wait_samples 10 "$s" 3 || fail "no samples"
	delay=/sys/module/suspend/parameters/pm_test_delay
	delay0=$(cat "$delay" 2>/dev/null) && echo 12 >"$delay"
	# The wait spins with the CPU held; stretched by TCG it outlasts the
	# soft-lockup threshold, which is not what this test is about.
	thresh=/proc/sys/kernel/watchdog_thresh
	thresh0=$(cat "$thresh" 2>/dev/null) && echo 60 >"$thresh"
	echo freezer >/sys/power/pm_test || fail "cannot select the freezer PM test"
	t0=$(bt)
	rc=0
	echo freeze >/sys/power/state || rc=1
	t1=$(bt)
	echo none >/sys/power/pm_test
	[ -z "$delay0" ] || echo "$delay0" >"$delay"
	[ -z "$thresh0" ] || echo "$thresh0" >"$thresh"
	[ $rc = 0 ] || fail "freezing failed: $(tm_kmsg | grep -i -m 1 -e 'freezing.*failed' -e 'refusing' -e 'still')"
	tm_kmsg | grep -q 'suspend debug: Waiting' || fail "test bug: the freezer test did not run"
	dur=$(((t1 - t0) / 1000000))
	[ "$dur" -ge 3000 ] || fail "test bug: the freeze lasted only $dur ms"
	n=$(ts_of "$s" | awk -v a=$((t0 + 1500000000)) -v b=$((t1 - 1500000000)) '$1 + 0 > a + 0 && $1 + 0 < b + 0 { n++ } END { print n + 0 }')
	[ "$n" = 0 ] || fail "$n samples taken while tasks were frozen ($dur ms freeze): the sampler is not frozen"
	wait_for 10 newer_than "$s" "$t1" || fail "no sampling after the thaw"
}

# Real-time hogs on every CPU keep the kthread off the CPUs for 400 ms,
# 8 intervals of 50 ms.  Once they are gone, the sampler must take the
# samples it missed: between the last sample before the stall and a time
# well after it, there must be one sample per deadline, as the clock
# counts them (a sampler that skips missed deadlines loses 7 or 8).  The
# longest gap shows that the stall did hold the sampler up.
test_sampler_catches_up() {
	sleep 1000 &
	s=$!
	tm_load target="$s" interval_ms=50
	wait_samples 10 "$s" 3 || fail "no samples"
	t0=$(val "$(last_of "$s")" ts)
	rthog 400 || fail "rthog failed"
	te=$(bt)
	wait_for 10 after_at_least "$s" "$te" 5 || fail "no samples after the stall"
	t1=$(bt)
	ts_of "$s" | awk -v a="$t0" -v b="$t1" '$1 + 0 > a + 0 && $1 + 0 <= b + 0' >ts.txt
	n=$(wc -l <ts.txt)
	want=$(((t1 - t0) / 50000000))
	gap=$(awk -v p="$t0" '{ if ($1 - p > g) g = $1 - p; p = $1 } END { print int(g / 1000000) }' ts.txt)
	[ "$gap" -ge 300 ] || fail "test bug: the longest gap was $gap ms, the hogs did not stall the sampler"
	[ "$n" -ge $((want - 1)) ] || fail "$n samples in $(((t1 - t0) / 1000000)) ms at 50 ms (longest gap $gap ms): the missed deadlines were not made up"
	[ "$n" -le $((want + 1)) ] || fail "$n samples in $(((t1 - t0) / 1000000)) ms at 50 ms: more than one per deadline"
}
