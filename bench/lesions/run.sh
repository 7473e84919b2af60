#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/lesions/run.sh [LESION...]: where the TCG time of a task-sample
# goes, by deletion.  Each LESION.patch of this directory removes one part
# of a sample from src/ (the module then reports zeros there: these are
# measuring tools, never a build to use).  Each is committed, off any
# branch, on top of HEAD in a scratch worktree, and the A/B bench
# (bench/run.sh --ab) measures HEAD and every lesion in the same guest,
# interleaved; the difference between two rows is the cost of what one
# removes and the other keeps.  Default: every patch here.
#
#   no-lookup   no PID lookup and no statistics: what is left is the
#               sweep, the allocation, the timestamp and the linking
#   no-stats    the lookup and the liveness check, no statistics
#   no-threads  the process-wide counters of the signal struct only
#   no-mm       everything but the memory figures (RSS, VSZ)
#   rss-nolock  6.12: the exact RSS sum without its locks, IRQs on
#   rss-approx  6.12: RSS from the counters' global parts only
#
# BENCH_KERNELS (default 6.12), BENCH_AB_NS (default 1000) and
# BENCH_REPEAT (default 3) are passed on; BENCH_ICOUNT=1 counts guest
# instructions instead of TCG time (bench/run.sh --icount; with TM_SMP=1,
# as for make bench).  The table is the A/B table of bench/run.sh, in
# build/bench-lesions/ (build/bench-lesions-icount/ with BENCH_ICOUNT=1).
# The patches are against the src/ of the commit that added them; one
# that no longer applies says so.

# shellcheck source-path=SCRIPTDIR source=../../tests/lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../../tests/lib/host.sh"
set -euo pipefail

here=$TM_TOP/bench/lesions
lesions=("$@")
if [ ${#lesions[@]} -eq 0 ]; then
	for p in "$here"/*.patch; do
		lesions+=("$(basename "$p" .patch)")
	done
fi

wt=$(mktemp -d /tmp/tm-lesions.XXXXXX)
cleanup() {
	git -C "$TM_TOP" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
}
trap cleanup EXIT
git -C "$TM_TOP" worktree add -q --detach "$wt" HEAD

revs=("$(git -C "$TM_TOP" rev-parse --short HEAD)")
for l in "${lesions[@]}"; do
	[ -r "$here/$l.patch" ] || tm_die "no such lesion: $l"
	git -C "$wt" checkout -q --detach "${revs[0]}"
	git -C "$wt" apply "$here/$l.patch" ||
		tm_die "$l.patch no longer applies to HEAD's src/"
	git -C "$wt" -c user.name=bench -c user.email=bench@localhost \
		commit -q -a -m "lesion: $l"
	rev=$(git -C "$wt" rev-parse --short HEAD)
	tm_msg "lesion $l: $rev"
	revs+=("$rev")
done

icount=()
out=$TM_BUILD/bench-lesions
if [ -n "${BENCH_ICOUNT:-}" ]; then
	icount=(--icount)
	out=$out-icount
fi
BENCH_KERNELS=${BENCH_KERNELS:-6.12} BENCH_AB_NS=${BENCH_AB_NS:-1000} \
	BENCH_REPEAT=${BENCH_REPEAT:-3} \
	"$TM_TOP/bench/run.sh" --ab "${revs[*]}" "${icount[@]}" --out "$out"
