# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034,SC2154 # $boot, $passed, $failed for the scripts; $logs from them
#
# tests/packages/steps.sh: the step runner that the package tests
# (tests/packages/run.sh, tests/packages/sid.sh) share, sourced after
# tests/lib/host.sh and chroot.sh.  pkg_args sets $results and $boot;
# each script sets $logs before its first step and reports the counts
# $passed and $failed at the end.

# pkg_args ARGS...: the options both scripts take, and the root check.
pkg_args() {
	local me=tests/packages/${0##*/}
	results='' boot=1
	while [ $# -gt 0 ]; do
		case $1 in
		--results) results=$(realpath -m "$2"); shift ;;
		--no-boot) boot=0 ;;
		*) echo "usage: $me [--results FILE] [--no-boot]" >&2; exit 2 ;;
		esac
		shift
	done
	[ "$(id -u)" = 0 ] || { echo "$me: needs root (chroot, mounts)" >&2; exit 2; }
}

passed=0 failed=0

# Every step after a failed one that it depends on is reported as not run.
broken=''

# report PASS|FAIL NAME [WHY]: one result line, also appended to
# $results when given.
report() {
	local status=$1 name=$2 why=${3:-}
	local line="TM-RESULT $status packages/$name${why:+: $why}"
	if [ "$status" = PASS ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
	echo "$line"
	[ -z "$results" ] || echo "$line" >>"$results"
}

# step NAME FUNCTION [needs]: run FUNCTION, which says why it failed on
# its last line of stdout (through `why`) and returns non-zero; its
# stderr goes to $logs/NAME.log.  With "needs", it is not run after an
# earlier failure.
step() {
	local name=$1 fn=$2 t0 out rc
	if [ "${3:-}" = needs ] && [ -n "$broken" ]; then
		report FAIL "$name" "not run: $broken failed"
		return 0
	fi
	t0=$(date +%s)
	pkg_log "$name"
	set +e
	out=$(set -e; "$fn" 2>>"$logs/$name.log")
	rc=$?
	set -e
	if [ $rc = 0 ]; then
		report PASS "$name"
	else
		report FAIL "$name" "${out:-exit status $rc} (log: $logs/$name.log)"
		[ -n "$broken" ] || broken=$name
	fi
	pkg_log "$name took $(($(date +%s) - t0)) s"
}

# In a step: say why it failed and return 1.
why() { echo "$*"; return 1; }
