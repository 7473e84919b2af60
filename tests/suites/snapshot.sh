# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# snapshot: one read shows each process's history as it stood at one
# instant (issue 15, point 4): never more lines of a process than
# max_samples, whatever the read size and however long the read takes
# while sampling goes on.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT_test_snapshot_never_over_cap=240

# most_lines FILE: the largest number of lines of one pid in FILE.
most_lines() {
	awk '{ n[$2]++ } END { m = 0; for (p in n) if (n[p] > m) m = n[p]; print m }' "$1"
}

# At max_samples=100 and 1 ms, each history is full and takes a sample
# every millisecond; reads of every size (1 byte at a time spans
# thousands of read() calls) must never show 101 lines of a process.
test_snapshot_never_over_cap() {
	sleep 1000 &
	s1=$!
	sleep 1000 &
	s2=$!
	tm_load interval_ms=1 max_samples=100
	expect_write "$TC_DEV" "$s1" OK
	expect_write "$TC_DEV" "$s2" OK
	for p in $s1 $s2; do
		wait_samples 60 "$p" 100 || fail "history of $p never reached 100 samples"
	done
	reads=0
	for round in 1 2 3; do
		for f in "$TC_DEV" "$TC_DBG"; do
			for bs in 1 7 80 131 333 4096 65536; do
				rdcheck -g -b "$bs" -o got.txt "$f" >/dev/null ||
					fail "$f read $bs bytes at a time (round $round): malformed (see log)"
				for p in $s1 $s2; do
					n=$(grep -c "^pid $p " got.txt)
					[ "$n" -le 100 ] ||
						fail "$f read $bs bytes at a time: $n lines of $p at max_samples=100"
					[ "$n" -gt 0 ] || fail "$f read $bs bytes at a time: no line of $p"
				done
				reads=$((reads + 1))
			done
		done
	done
	# sysfs: one page of the newest lines, from all histories.
	n=$(grep -c "^pid $s1 " "$TC_SYS")
	[ "$n" -le 100 ] || fail "$TC_SYS: $n lines of $s1 at max_samples=100"
	note "$reads reads of 7 sizes, at most $(most_lines got.txt) lines of a process in the last"
}
