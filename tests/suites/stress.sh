# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# stress: everything at once for a while (docs/interface.md: reads are
# consistent "while sampling and reclaim go on"); the runner fails the
# test on any kernel warning, lockdep report, refcount or list error.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT_test_stress_parallel=180

# Readers of all three files (whole, partial, random read sizes),
# writers adding and removing live, exiting and thread-churning
# processes on both files, drop_caches, interval_ms, max_samples and
# stop/start changes, all in parallel for 25 s, and on until 20 whole
# reads and 200 writes are done (120 s at most).  Every line read must be
# whole and well formed with no sample twice, every errno one the
# protocol allows; afterwards the module still works and unloads cleanly.
test_stress_parallel() {
	tm_load interval_ms=5 max_samples=1000
	stress -d 25 -r 20 -w 200 -T 120 -n 16 -D "$TC_DBG" -V "$TC_DEV" -S "$TC_SYS" -M "$TC_PAR" >out.txt 2>err.txt
	rc=$?
	note "$(cat out.txt)"
	[ $rc = 0 ] || fail "stress: $(head -n 3 err.txt | tr '\n' ' ')"
	grep -q 'errors 0$' out.txt || fail "stress reported: $(cat out.txt)"
	# It really exercised everything.
	# shellcheck disable=SC2046 # split on purpose
	set -- $(sed 's/^stress: //' out.txt)
	[ "$2" -ge 20 ] || fail "only $2 whole reads"
	[ "$8" -ge 200 ] || fail "only $8 writes"
	[ "${10}" -ge 20 ] || fail "only ${10} drop_caches"
	[ "${12}" -ge 20 ] || fail "only ${12} knob changes"
	[ "$(cat "$TC_PAR/interval_ms")" = 5 ] || fail "interval_ms not restored"
	sleep 1000 &
	s=$!
	expect_write "$TC_DEV" "$s" OK
	wait_samples 10 "$s" 3 || fail "no sampling after the stress"
	rdcheck -g "$TC_DEV" >/dev/null || fail "history malformed after the stress"
	tm_unload
	! slab_present || fail "task_sample cache left after unloading"
}
