# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# zz_lockdown: /dev/taskmonitor under kernel lockdown (docs/interface.md:
# "it works with debugfs unmounted and under kernel lockdown").
#
# Lockdown cannot be lifted once set and then refuses to load unsigned
# modules, so this suite must be the last thing a guest runs: its name
# sorts it after every other suite in /tm/suites.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

LD=/sys/kernel/security/lockdown

# Under lockdown=integrity the debugfs file (writable) cannot even be
# opened, while the device reads and takes commands as usual.
test_lockdown_device_works() {
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
