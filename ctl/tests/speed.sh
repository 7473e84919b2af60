#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ctl/tests/speed.sh [SAMPLES]: issue 14's speed goal, on this host.
# Writes a history of SAMPLES samples (default 10^6; 10 processes) to
# build/ctl/speed/, then reports the CPU time (user + system) of `taskmonitorctl show --summary` on it against `cat FILE >/dev/null`
# plus `wc -l FILE` (the goal: within 3x), and the peak RSS of the
# summary at SAMPLES and at SAMPLES/10 (streaming: the same).
# Issue 17's: the CPU time of `export -o FILE` (what the timer runs every
# 15 s) over 1,000 processes with 10 and with 1,000 samples each (export
# reads the whole history), and of `export --history` over the first.
# Figures, never a pass/fail: `make bench-ctl` runs it.

set -euo pipefail
CTL=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${1:-1000000}
dir=$CTL/../build/ctl/speed
mkdir -p "$dir"
make -s -C "$CTL" >&2

# history N FILE [P]: N samples of P processes (default 10), counters rising.
history() {
	awk -v n="$1" -v procs="${3:-10}" 'BEGIN {
		per = int(n / procs)
		for (p = 0; p < procs; p++) {
			u = 0; s = 0
			for (i = 0; i < per; i++) {
				u += int(rand() * 1e7); s += int(rand() * 1e6)
				printf "pid %d usr %.0f sys %.0f ts %.0f rss %d vsz %d minflt %d majflt %d nvcsw %d nivcsw %d threads %d\n",
					1000 + p, u, s, 1e9 + i * 1e7, 20000 + i % 100, 300000,
					100 + i, int(i / 7), i * 3, i, 2
			}
		}
	}' >"$2"
}

# cpu CMD...: CPU seconds (user + system) of one run of CMD: the best
# of 3 rounds of 10 runs each, as time(1) counts in hundredths.
cpu() {
	local best='' t
	for _ in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$dir/time" \
			sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null; done' sh "$@"
		t=$(awk '{ printf "%.4f", ($1 + $2) / 10 }' "$dir/time")
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t
		fi
	done
	echo "$best"
}

# rss CMD...: peak RSS of CMD in KiB.
rss() {
	/usr/bin/time -f '%M' -o "$dir/time" "$@" >/dev/null
	cat "$dir/time"
}

f=$dir/history-$n
[ -s "$f" ] || history "$n" "$f"
small=$dir/history-$((n / 10))
[ -s "$small" ] || history $((n / 10)) "$small"
cat "$f" >/dev/null
c_cat=$(cpu cat "$f")
c_wc=$(cpu wc -l "$f")
c_ctl=$(cpu "$CTL/taskmonitorctl" show --summary --input "$f")
echo "history: $n samples, $(($(stat -c %s "$f") / 1000000)) MB, in the page cache"
echo "cat FILE >/dev/null: $c_cat s, wc -l FILE: $c_wc s (CPU time per run)"
echo "taskmonitorctl show --summary --input FILE: $c_ctl s," \
	"$(awk -v a="$c_ctl" -v b="$c_cat" -v c="$c_wc" 'BEGIN { printf "%.1f", a / (b + c) }')x cat + wc (goal: 3x)"
echo "peak RSS of show --summary: $(rss "$CTL/taskmonitorctl" show --summary --input "$small") KiB" \
	"at $((n / 10)) samples, $(rss "$CTL/taskmonitorctl" show --summary --input "$f") KiB at $n"

# export: 1,000 processes, as the timer would run it.
for per in 10 1000; do
	h=$dir/export-1000x$per
	[ -s "$h" ] || history $((1000 * per)) "$h" 1000
	c_exp=$(cpu "$CTL/taskmonitorctl" export --input "$h" -o "$dir/export.prom")
	echo "taskmonitorctl export -o FILE, 1000 processes x $per samples: $c_exp s CPU per run" \
		"(timer period: 15 s), $(grep -c '^taskmonitor_threads{' "$dir/export.prom") processes exported"
done
c_hist=$(cpu "$CTL/taskmonitorctl" export --history --input "$dir/export-1000x10" -o "$dir/export.om")
echo "taskmonitorctl export --history, 1000 processes x 10 samples: $c_hist s CPU per run"
