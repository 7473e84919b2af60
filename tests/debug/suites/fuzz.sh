# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# fuzz: tests/helpers/tmfuzz against every write interface (debugfs,
# /dev/taskmonitor, sysfs, the module parameters), a fixed number of
# iterations from a fixed seed, both printed.  The seed and the count come
# from the kernel command line (tm_fuzz_seed=, tm_fuzz_iter=), which
# `make check-debug TM_FUZZ_SEED=S TM_FUZZ_ITER=N` sets: a failure is
# replayed with the seed its message prints.

# shellcheck disable=SC1091 # guest paths
. /tm/debug/lib.sh

# shellcheck disable=SC2034 # read by the runner
TM_TIMEOUT=600

test_fuzz_write_interfaces() {
	seed=$(dbg_arg tm_fuzz_seed 20251123)
	iter=$(dbg_arg tm_fuzz_iter 4000)
	dbg_sleepers 2
	tm_load target="$DBG_PIDS" interval_ms=50 max_samples=1000
	note "tmfuzz seed $seed, $iter iterations"
	tmfuzz -s "$seed" -n "$iter" -j 4 -S "$DBG_SYSFS" -M "$DBG_PARAMS" \
		"$DBG_DBGFS" "$DBG_DEV" >fuzz.out 2>fuzz.err
	rc=$?
	cat fuzz.out fuzz.err >&2
	[ $rc = 0 ] || fail "tmfuzz seed $seed: $(grep -c MISMATCH fuzz.err) mismatches, first: $(grep -m 2 MISMATCH fuzz.err | tr '\n' ' ') (replay: make check-debug TESTS=fuzz/* TM_FUZZ_SEED=$seed TM_FUZZ_ITER=$iter)"
	grep -q ' 0 mismatches$' fuzz.out || fail "tmfuzz did not finish: $(tail -n 1 fuzz.out)"
	# The module still works as documented after the fuzzing.
	[ "$(cat "$DBG_PARAMS/interval_ms")" = 50 ] || fail "interval_ms not restored"
	sleep 100000 &
	expect_write "$DBG_DEV" "$!" OK
	rdcheck -g "$DBG_DEV" >/dev/null || fail "history malformed after fuzzing"
	dbg_unload
}
