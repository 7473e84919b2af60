# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# zz_lockdown: /dev/taskmonitor under kernel lockdown (docs/interface.md:
# "it works with debugfs unmounted and under kernel lockdown").
#
# Lockdown cannot be lifted once set and then refuses to load unsigned
# modules, so this test must be the last thing a guest runs: its name
# sorts it after every other suite in /tm/suites.  When the runner's plan
# has tests after it (the harness self-tests, which load modules, run
# after /tm/suites), it does not lock the kernel down and says so in the
# log instead of breaking them.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

LD=/sys/kernel/security/lockdown

# last_in_plan: no test is planned after this one in this guest (the
# runner keeps its plan in $TMPDIR/tm-plan.PID, "file suite test" lines).
last_in_plan() {
	for _p in "${TMPDIR:-/tmp}"/tm-plan.*; do
		[ -f "$_p" ] || continue
		[ "$(tail -n 1 "$_p" | awk '{ print $2 "/" $3 }')" = "$TM_TEST" ] || return 1
	done
	return 0
}

# Under lockdown=integrity the debugfs file (writable) cannot even be
# opened, while the device reads and takes commands as usual.
test_lockdown_device_works() {
	if ! last_in_plan; then
		note "NOT RUN: tests follow $TM_TEST in this guest and lockdown would stop them loading modules"
		echo "tm-suites: $TM_TEST not run: tests follow it in this guest" >/dev/kmsg
		return 0
	fi
	[ -e "$LD" ] || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	[ -e "$LD" ] || fail "no $LD in this guest kernel"
	sleep 1000 &
	s=$!
	sleep 1000 &
	s2=$!
	tm_load target="$s" interval_ms=20
	wait_samples 10 "$s" 2 || fail "no samples before lockdown"
	echo integrity >"$LD" || fail "cannot enable lockdown"
	grep -q '\[integrity\]' "$LD" || fail "lockdown not in force: $(cat "$LD")"
	r=$(tmwritev "$TC_DBG" "$s2" 2>/dev/null)
	[ "$r" = EPERM ] || fail "test bug: debugfs file under lockdown: $r (lockdown not biting?)"
	rdcheck -g "$TC_DEV" >/dev/null || fail "device read under lockdown failed or malformed"
	expect_write "$TC_DEV" "$s2" OK
	expect_write "$TC_DEV" "$s2" EEXIST
	wait_samples 10 "$s2" 3 || fail "process added under lockdown not sampled"
	expect_write "$TC_DEV" "-$s" OK
	[ "$(nlines "$s")" = 0 ] || fail "-$s under lockdown did not remove it"
	rdcheck -1 -t "$TC_SYS" >/dev/null || fail "sysfs read under lockdown failed"
}
