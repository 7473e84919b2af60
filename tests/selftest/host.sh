#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/selftest/host.sh [--kernel K] [--results FILE]
#
# The host side of the harness self-test: a guest that dies or hangs must
# make tests/run.sh fail quickly, naming the test it died in and failing
# every test it did not reach.  Two boots of one kernel (default: the
# last of $KERNELS), each with the deliberately broken tmbroken module:
#   guest_panic  a NULL dereference in module init, with oops=panic
#   guest_hang   module init stops every CPU with interrupts off, so the
#                guest runner cannot act and the host watchdog must
# Each case passes only if run.sh reported exactly the expected failures.
# $TESTS (globs over selftest-host/<case>) selects the cases.

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../lib/host.sh"

kernel=
results_file=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift ;;
	--results) results_file=$2; shift ;;
	*) tm_die "usage: tests/selftest/host.sh [--kernel K] [--results FILE]" ;;
	esac
	shift
done
if [ -z "$kernel" ]; then
	# shellcheck disable=SC2086 # a list of words
	set -- ${KERNELS:-6.1 6.12}
	kernel=${*: -1}
fi
kver=$(tm_kver "$kernel")
work=$TM_BUILD/selftest-host
pass=0
failed=0

report() {
	local line="TM-RESULT $1 selftest-host/$2${3:+: $3}"
	echo "$line"
	[ -z "$results_file" ] || echo "${line/selftest-host/$kver\/selftest-host}" >>"$results_file"
	if [ "$1" = PASS ]; then pass=$((pass + 1)); else failed=$((failed + 1)); fi
}

# one CASE BUG LIMIT EXPECTED-REGEX RUN-OPTION...: boot with a suite whose
# first test loads tmbroken with bug=BUG; run.sh must fail within LIMIT
# seconds, reporting that test with EXPECTED-REGEX and the second test as
# not run.
one() {
	local case=$1 bug=$2 limit=$3 expect=$4 out start took rc=0
	shift 4
	tm_glob_match "selftest-host/$case" "${TESTS:-*}" || return 0
	rm -rf "${work:?}/$case"
	mkdir -p "$work/$case/overlay/tm/suites"
	cat >"$work/$case/overlay/tm/suites/$case.sh" <<EOT
# SPDX-License-Identifier: GPL-2.0
TM_TIMEOUT=5
test_broken() {
	insmod /tm/selftest/tmbroken.ko bug=$bug
}
test_never_reached() {
	:
}
EOT
	out=$work/$case/results
	: >"$out"
	echo "== selftest-host/$case: booting $kver with tmbroken bug=$bug (expecting failures)"
	start=$(date +%s)
	"$TM_TOP/tests/run.sh" --kernel "$kver" --selftest --quiet \
		--overlay "$work/$case/overlay" --tests "$case/*" \
		--log-name "$kver-$case" --results "$out" "$@" >"$work/$case/output" 2>&1 || rc=$?
	took=$(($(date +%s) - start))
	sed 's/^/  | /' "$out"
	if [ $rc != 1 ]; then
		report FAIL "$case" "run.sh exited with $rc, expected 1 (see $work/$case/output)"
	elif [ $took -gt "$limit" ]; then
		report FAIL "$case" "run.sh took $took s to give up, more than $limit s"
	elif ! grep -F "TM-RESULT FAIL $kver/$case/test_broken: " "$out" | grep -qE ": $expect"; then
		report FAIL "$case" "test_broken not failed with /$expect/"
	elif ! grep -qF "TM-RESULT FAIL $kver/$case/test_never_reached: not run: " "$out"; then
		report FAIL "$case" "test_never_reached not reported as not run"
	else
		report PASS "$case"
		echo "   (caught in $took s)"
	fi
}

one guest_panic null 300 'guest died: .*Kernel panic' --append oops=panic
one guest_hang freeze 300 'guest hung: no progress' --grace 15
echo "$pass passed, $failed failed"
[ $failed = 0 ]
