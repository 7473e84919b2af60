# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# locking: no reader holds a lock of the whole list across a read, so
# readers in tight loops on every file cannot starve the shrinker
# (issue 15, point 3; the locking rules are in src/tasks.c).

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT_test_locking_shrinker_not_starved=240

NTASKS=40

# reader_loop FILE: read FILE whole, over and over, with no fork.
reader_loop() {
	while :; do
		while read -r _l; do :; done <"$1"
	done
}

# total_at_least N: the history has at least N lines.
total_at_least() {
	[ "$(total_lines)" -ge "$1" ]
}

# dropped_to MAX: after one drop_caches, the history holds at most MAX lines.
dropped_to() {
	echo 2 >/proc/sys/vm/drop_caches
	[ "$(total_lines)" -le "$1" ]
}

# With readers of sysfs, the device and debugfs looping without pause,
# drop_caches still makes the shrinker give back every sample but the
# newest of each process: the history shows one line per process and the
# slab allocator has the memory back.
test_locking_shrinker_not_starved() {
	tm_load interval_ms=5 max_samples=50
	pids=
	i=0
	while [ $i -lt $NTASKS ]; do
		sleep 1000 &
		pids="$pids $!"
		expect_write "$TC_DEV" "$!" OK
		i=$((i + 1))
	done
	wait_for 60 total_at_least $((NTASKS * 40)) || fail "never $((NTASKS * 40)) samples of $NTASKS processes"
	# No more samples from now on: what the shrinker frees stays freed.
	echo 3600000 >"$TC_PAR/interval_ms"
	lines=$(total_lines)
	slab=$(slab_active)
	readers=
	for f in "$TC_SYS" "$TC_SYS" "$TC_DEV" "$TC_DBG"; do
		reader_loop "$f" &
		readers="$readers $!"
	done
	# A few tries, not a wait: a shrinker that can be starved would get
	# through now and then.  A history whose lock a reader holds at that
	# moment is skipped, so one pass may leave one or two.
	ok=0
	for try in 1 2 3; do
		! dropped_to "$NTASKS" || { ok=1; break; }
	done
	# shellcheck disable=SC2086 # a list of pids
	kill $readers
	[ $ok = 1 ] || fail "with readers looping, $try drop_caches left $(total_lines) lines of $NTASKS processes (had $lines)"
	# The slab's count moves with the reserve and per-CPU caches: allow
	# a tenth of slack against the lines freed.
	after=$(slab_active)
	[ $((slab - after)) -ge $(((lines - NTASKS) * 9 / 10)) ] ||
		fail "slab objects went from $slab to $after, expected about $((lines - NTASKS)) fewer"
	for p in $pids; do
		[ "$(nlines "$p")" = 1 ] || fail "$p keeps $(nlines "$p") lines after the shrink, expected its newest"
	done
}
