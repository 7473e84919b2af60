# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# selftest: the harness catches what it must.  Each test writes a small
# suite, runs the guest runner (/tm/run.sh) on it as a nested run and
# checks the verdict it printed, so that these tests pass only when the
# runner failed the deliberately broken cases for the right reason.
# The broken module is tests/selftest/tmbroken; the kernel messages it
# provokes are cleared afterwards, as they are expected here.  The NULL
# dereference leaves a module stuck half-loaded, so it comes last.

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=100
TMB=/tm/selftest/tmbroken.ko

# st_suite NAME [TOP-LEVEL-CODE]: start the nested suite NAME.
st_suite() {
	printf '%s\n' "${2:-}" >"$TM_TMP/$1.sh"
}

# st_def NAME FUNCTION BODY: add a test function to suite NAME.
st_def() {
	printf '%s() {\n%s\n}\n' "$2" "$3" >>"$TM_TMP/$1.sh"
}

# st_run NAME [RUNNER-OPTION...]: run suite NAME under the runner; its
# TM-RESULT lines land in $TM_TMP/NAME.res.
st_run() {
	_n=$1
	shift
	/tm/run.sh -T 60 "$@" "$TM_TMP/$_n.sh" >"$TM_TMP/$_n.out" 2>&1
	dmesg -c >/dev/null
	grep '^TM-RESULT ' "$TM_TMP/$_n.out" >"$TM_TMP/$_n.res"
	sed "s/^/  | /" "$TM_TMP/$_n.out"
}

# verdict NAME EXTENDED-REGEX: the nested run's results must match.
verdict() {
	grep -qE "$2" "$TM_TMP/$1.res" ||
		fail "nested run $1 printed '$(cat "$TM_TMP/$1.res")', expected /$2/"
}

test_catches_warning() {
	st_suite st_warn
	st_def st_warn test_warn "insmod $TMB bug=warn || fail insmod
rmmod tmbroken || fail rmmod"
	st_run st_warn
	verdict st_warn '^TM-RESULT FAIL st_warn/test_warn: kernel log: .*WARNING:'
}

test_catches_leaked_slab_object() {
	st_suite st_leak
	st_def st_leak test_leak "insmod $TMB bug=leak || fail insmod
rmmod tmbroken || fail rmmod"
	st_run st_leak
	verdict st_leak '^TM-RESULT FAIL st_leak/test_leak: kernel log: .*(Objects remaining|Slab cache still has objects)'
}

test_catches_timeout() {
	st_suite st_slow TM_TIMEOUT=2
	st_def st_slow test_slow "sleep 600"
	st_run st_slow
	verdict st_slow '^TM-RESULT FAIL st_slow/test_slow: timed out after 2 s$'
}

test_reports_reason_and_stops() {
	rm -f /tmp/st-went-on
	st_suite st_fail
	st_def st_fail test_fail "false || fail 'the reason given'
touch /tmp/st-went-on"
	st_run st_fail
	verdict st_fail '^TM-RESULT FAIL st_fail/test_fail: the reason given$'
	[ ! -e /tmp/st-went-on ] || fail "the test went on after fail"
}

test_selects_orders_and_unloads() {
	st_suite st_sel
	st_def st_sel test_b tm_load
	st_def st_sel test_a :
	st_def st_sel test_c "fail 'not selected, must not run'"
	st_def st_sel test_d "fail 'excluded, must not run'"
	st_run st_sel -t '*/test_[abd],!test_d'
	[ "$(cat "$TM_TMP/st_sel.res")" = "TM-RESULT PASS st_sel/test_b
TM-RESULT PASS st_sel/test_a" ] || fail "nested run printed '$(cat "$TM_TMP/st_sel.res")'"
	! tm_loaded || fail "the runner did not unload taskmonitor after test_b"
}

test_catches_null_dereference() {
	st_suite st_null
	st_def st_null test_null "insmod $TMB bug=null"
	st_run st_null
	verdict st_null '^TM-RESULT FAIL st_null/test_null: kernel log: .*(BUG: kernel NULL pointer dereference|Oops)'
}
