#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh: the taskmonitor benchmark (make bench, make bench-smoke).
#
# Builds an overlay for the test harness (the guest script
# bench/guest/bench.sh as the suite "bench", the static helpers of
# bench/helpers, Debian's pidstat with its shared libraries, a
# configuration file), boots each kernel with tests/run.sh (which fetches
# the kernel, builds the module and packs the initramfs), collects the
# "TM-BENCH" lines the guest writes to the harness's result channel, and
# turns them into a table (bench/report.awk) and PNG figures (gnuplot,
# bench/plots.gp).  See bench/README.md.
#
#   bench/run.sh [--smoke | --ab 'REV...' | --history | --follow | --fork] [--icount] [--kernel K]...
#                [--out DIR] [--no-readme] [--results FILE]
#
# --smoke      the tiny version that `make check` runs: N=10, a few
#              seconds; fails if the machinery breaks, never on timings
# --ab 'REV...'  A/B of module builds, for work on the sampler: builds
#              src/ of each git revision REV ("." is the working tree)
#              for the kernel, loads them in turn in one guest, and
#              measures only the module's cost at 10 ms (N from
#              $BENCH_AB_NS, default "1 100 1000 4000", $BENCH_REPEAT
#              times, default 5), the builds interleaved; prints each
#              build's cost per task-sample and its ratio to the first.
#              Never touches bench/README.md
# --history    only sections 2, 3 and 5 (memory, reading, reclaim: the
#              test that builds the 10^6-sample history), a few minutes
#              per kernel, for work on the reader; $BENCH_HIST_SIZES
#              (default "10000 100000 1000000") and $BENCH_REPEAT
#              (default 3) change its sizes and repeats.  Never touches
#              bench/README.md
# --follow     only section 6 (a follow-mode reader against re-reading
#              the whole history every interval), for work on the stream;
#              $BENCH_FLW_TASKS, $BENCH_FLW_SAMPLES, $BENCH_FLW_SECONDS,
#              $BENCH_FLW_PASSES and $BENCH_REPEAT change its sizes.
#              Never touches bench/README.md
# --fork       only section 7 (the cost of a fork + exit with the module
#              away, idle or following the forker, and a followed fork
#              storm against pidstat and a /proc poller);
#              $BENCH_FORK_PAIRS, $BENCH_STORM_CHILDREN and $BENCH_REPEAT
#              change its sizes.  Never touches bench/README.md
# --icount     QEMU's -icount shift=0 (TCG only): the guest's clock then
#              counts executed instructions, 1 ns each, so a CPU time is
#              an instruction count, the same whatever the host's load
#              (Debian's 6.1 may hang bringing up a second vCPU under
#              -icount, so the guest has one unless TM_SMP says).  A
#              full run under -icount measures sections 1, 2, 3, 5, 6
#              and 7 (gaps timed in instructions would mean nothing)
#              and keeps its table
#              apart: bench/results/table-<series>-icount.txt and its
#              own block of bench/README.md; it draws no figure
# --kernel K   as tests/run.sh (default: $BENCH_KERNELS or "6.1 6.12")
# --out DIR    where the raw results, data files, tables and PNGs go
#              (default build/bench or build/bench-smoke)
# --no-readme  a full run normally copies its table into bench/README.md
#              and its PNGs and raw results into bench/; not with this
# --results FILE  append one "TM-RESULT PASS|FAIL bench-<mode>/<kernel>"
#              line per kernel to FILE (the check-bench-smoke stage of
#              make check); the exit status stays 1 on a failure
#
# Environment: BENCH_MEM (guest MiB, default 2048 full, 1024 smoke);
# BENCH_APPEND, the guests' extra kernel arguments (default tsc=reliable:
# see "Clocksource" in bench/README.md; empty for none); and everything
# tests/run.sh reads (TM_CACHE, TM_BUILD, TM_ACCEL, K61, K612).

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../tests/lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../tests/lib/host.sh"

BENCH=$TM_TOP/bench
mode=full
out=
readme=1
results=
kernels=()
ab_revs=()
icount=0
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) mode=smoke ;;
	--ab) mode=ab; IFS=', ' read -r -a ab_revs <<<"$2"; shift ;;
	--history) mode=history; readme=0 ;;
	--follow) mode=follow; readme=0 ;;
	--fork) mode=fork; readme=0 ;;
	--icount) icount=1 ;;
	--kernel) IFS=', ' read -r -a ks <<<"$2"; kernels+=("${ks[@]}"); shift ;;
	--out) out=$(realpath -m "$2"); shift ;;
	--no-readme) readme=0 ;;
	--results) results=$(realpath -m "$2"); shift ;;
	-h | --help) sed -n '3,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) tm_die "unknown option $1 (see bench/run.sh --help)" ;;
	esac
	shift
done
if [ ${#kernels[@]} -eq 0 ]; then
	# shellcheck disable=SC2206 # a list of words
	kernels=(${BENCH_KERNELS:-6.1 6.12})
fi
[ $mode = full ] || readme=0
[ $mode != ab ] || [ ${#ab_revs[@]} -gt 0 ] || tm_die "--ab needs at least one revision"
# (Not $(... && echo): under set -e its failing status would end the run.)
suffix=
[ $mode = full ] || suffix=-$mode
[ $icount = 0 ] || suffix=$suffix-icount
out=${out:-$TM_BUILD/bench$suffix}
# The guest's TSC is stable (QEMU keeps it); without this, the kernel's
# clocksource watchdog may judge it unstable when the host descheduled a
# vCPU, and switch to the HPET, every read of which is an emulated MMIO
# access: the module's per-sample timestamp would then cost many times
# more, for the rest of the boot.
append=${BENCH_APPEND-tsc=reliable}
mkdir -p "$out"

# What the bench needs on the host: pidstat to copy into the guest and
# gnuplot for the figures (make deps installs them too).
missing=()
command -v pidstat >/dev/null || missing+=(sysstat)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
if [ ${#missing[@]} -gt 0 ]; then
	tm_msg "installing ${missing[*]}"
	apt-get install -y -q "${missing[@]}" >&2 ||
		tm_die "cannot install ${missing[*]}"
fi

# The overlay: /tm/suites/bench.sh, /tm/bench.conf, /tm/bin/<helpers>,
# pidstat and its libraries where the host has them.
overlay=$out/overlay
rm -rf "$overlay"
mkdir -p "$overlay/tm/bin" "$overlay/tm/suites" "$overlay/usr/bin"
for c in "$BENCH"/helpers/*.c; do
	gcc -static -O2 -Wall -Wextra -Werror -o "$overlay/tm/bin/$(basename "$c" .c)" "$c" ||
		tm_die "cannot compile $c"
done
ln -s rdbench "$overlay/tm/bin/wrtime"
install -m 644 "$BENCH/guest/bench.sh" "$overlay/tm/suites/bench.sh"
cp "$(command -v pidstat)" "$overlay/usr/bin/pidstat"
for lib in $(ldd "$(command -v pidstat)" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
	mkdir -p "$overlay$(dirname "$lib")"
	cp -L "$lib" "$overlay$lib"
done
# The guest's settings for each mode (none: the full bench's defaults).
mem=${BENCH_MEM:-2048}
case $mode in
smoke)
	conf="BENCH_MODE=smoke
BENCH_NS=10
BENCH_REPEAT=1
BENCH_HIST_TASKS=10
BENCH_HIST_SIZES='100 1000'
BENCH_GAP_TASKS=10
BENCH_GAP_SECONDS=2
BENCH_GAP_INTERVALS=10
BENCH_FLW_TASKS=10
BENCH_FLW_SAMPLES=1000
BENCH_FLW_SECONDS=1
BENCH_FLW_PASSES=1
BENCH_FORK_PAIRS=20
BENCH_STORM_CHILDREN=100"
	mem=${BENCH_MEM:-1024}
	;;
ab)
	conf="BENCH_MODE=ab
BENCH_NS='${BENCH_AB_NS:-1 100 1000 4000}'
BENCH_REPEAT=${BENCH_REPEAT:-5}"
	;;
history)
	conf="BENCH_MODE=history
BENCH_HIST_SIZES='${BENCH_HIST_SIZES:-10000 100000 1000000}'
BENCH_REPEAT=${BENCH_REPEAT:-3}"
	;;
follow)
	conf="BENCH_MODE=follow
BENCH_FLW_TASKS=${BENCH_FLW_TASKS:-1000}
BENCH_FLW_SAMPLES=${BENCH_FLW_SAMPLES:-100000}
BENCH_FLW_SECONDS=${BENCH_FLW_SECONDS:-5}
BENCH_FLW_PASSES=${BENCH_FLW_PASSES:-5}
BENCH_REPEAT=${BENCH_REPEAT:-3}"
	;;
fork)
	conf="BENCH_MODE=fork
BENCH_FORK_PAIRS=${BENCH_FORK_PAIRS:-1000}
BENCH_STORM_CHILDREN=${BENCH_STORM_CHILDREN:-10000}
BENCH_REPEAT=${BENCH_REPEAT:-5}"
	;;
*) conf="${BENCH_REPEAT:+BENCH_REPEAT=$BENCH_REPEAT
}${BENCH_FORK_PAIRS:+BENCH_FORK_PAIRS=$BENCH_FORK_PAIRS
}${BENCH_STORM_CHILDREN:+BENCH_STORM_CHILDREN=$BENCH_STORM_CHILDREN}" ;;
esac
if [ -n "$conf" ]; then echo "$conf"; fi >"$overlay/tm/bench.conf"

# The source the module was built from (a dirty tree says so).
commit=$(git -C "$TM_TOP" describe --always --dirty 2>/dev/null || echo unknown)

tests='bench,!bench/test_ab'
if [ $mode = ab ]; then
	tests=bench/test_ab
elif [ $mode = history ]; then
	tests=bench/test_history
elif [ $mode = follow ]; then
	tests=bench/test_follow
elif [ $mode = fork ]; then
	tests=bench/test_fork
elif [ $mode = full ] && [ $icount = 1 ]; then
	tests=bench/test_cost,bench/test_history,bench/test_follow,bench/test_fork
fi
# A full run under -icount has its own table and README block, no figures.
tag=
plots=1
[ $mode != history ] && [ $mode != follow ] && [ $mode != fork ] || plots=0
if [ $icount = 1 ]; then
	tag=-icount
	plots=0
	[ "${TM_ACCEL:-tcg}" = tcg ] || tm_die "--icount needs TCG (TM_ACCEL=$TM_ACCEL)"
	# One vCPU: under -icount Debian's 6.1 may hang bringing up a second.
	export TM_ACCEL=tcg TM_QEMU_ARGS="-icount shift=0" TM_SMP=${TM_SMP:-1}
fi

# ab_build KVER: build src/ of each of @ab_revs for KVER, as
# /tm/ab/<label>.ko in the overlay; their labels go to bench.conf.
ab_build() {
	local kver=$1 rev label dir labels=()
	rm -rf "$overlay/tm/ab"
	mkdir -p "$overlay/tm/ab"
	for rev in "${ab_revs[@]}"; do
		if [ "$rev" = . ]; then
			label=work
		else
			label=$(git -C "$TM_TOP" rev-parse --short "$rev^{commit}") ||
				tm_die "--ab: no such revision $rev"
		fi
		dir=$out/ab-src/$label
		rm -rf "$dir"
		mkdir -p "$dir"
		if [ "$rev" = . ]; then
			tm_sync_tree "$TM_TOP/src" "$dir/src"
		else
			git -C "$TM_TOP" archive "$label" src | tar -x -C "$dir"
		fi
		tm_build_kmod "ab-$label" "$dir/src" "$kver" ||
			tm_die "--ab: $rev does not build for $kver: $(tail -n 5 "$TM_BUILD/$kver/ab-$label.log")"
		cp "$TM_BUILD/$kver/ab-$label/taskmonitor.ko" "$overlay/tm/ab/$label.ko"
		labels+=("$label")
	done
	sed -i '/^BENCH_AB=/d' "$overlay/tm/bench.conf"
	echo "BENCH_AB='${labels[*]}'" >>"$overlay/tm/bench.conf"
}

status=0
tables=()
for k in "${kernels[@]}"; do
	kver=$(tm_kver "$k")
	series=$(sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p' <<<"$kver")
	name=bench-$mode$tag-$kver
	[ $mode != ab ] || ab_build "$kver"
	tm_msg "== $kver: benchmark ($mode); progress in $TM_BUILD/logs/$name.log"
	runlog=$out/run-$kver.txt
	set +e
	TM_MEM=$mem "$TM_TOP/tests/run.sh" --kernel "$kver" --overlay "$overlay" \
		--tests "$tests" --log-name "$name" --test-timeout 600 --timeout 14400 \
		${append:+--append "$append"} \
		2>&1 | tee "$runlog" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
	rc=${PIPESTATUS[0]}
	set -e
	raw=$out/raw-$kver.txt
	tr -d '\r' <"$TM_BUILD/logs/$name.results" | grep '^TM-BENCH ' >"$raw" || true
	accel=$(sed -n 's/.*(accel \([a-z]*\)).*/\1/p' "$runlog" | tail -n 1)
	[ $icount = 0 ] || accel="$accel -icount shift=0"
	when=$(date -u '+%Y-%m-%d %H:%M UTC')
	if [ $mode = ab ]; then
		awk -f "$BENCH/lib.awk" -f "$BENCH/ab.awk" -v kernel="$kver" -v accel="${accel:-?}" \
			-v date="$when" "$raw" | tee "$out/ab-$kver.txt"
		if [ "$rc" != 0 ] || ! grep -q '^TM-BENCH cost ' "$raw"; then
			tm_msg "bench $kver: the A/B run failed (see $runlog)"
			status=1
		fi
		continue
	fi
	dat=$out/data-$series
	mkdir -p "$dat"
	awk -f "$BENCH/lib.awk" -f "$BENCH/report.awk" -v kernel="$kver" -v accel="${accel:-?}" \
		-v date="$when" -v commit="$commit" -v dat="$dat" "$raw" >"$out/table-$kver.txt"
	cat "$out/table-$kver.txt"
	[ $plots = 0 ] ||
		gnuplot -e "dat='$dat'; out='$out'; series='$series'; kernel='$kver'; accel='${accel:-?}'" \
			"$BENCH/plots.gp" || { tm_msg "gnuplot failed"; status=1; }

	# The machinery must have produced every kind of figure.
	problems=()
	[ "$rc" = 0 ] || problems+=("the guest run failed (see $runlog)")
	expect=("read src=debugfs" "read src=dev" "read src=tmpfs" mem reclaim)
	[ $mode = history ] ||
		expect+=("cost tool=module" "cost tool=pidstat" "cost tool=poller")
	[ $mode = history ] || expect+=("follow how=follow" "follow how=reread")
	forks=("forkcost variant=a" "forkcost variant=b" "forkcost variant=c" storm)
	[ $mode = history ] || expect+=("${forks[@]}")
	[ $mode != follow ] || expect=("follow how=follow" "follow how=reread")
	[ $mode != fork ] || expect=("${forks[@]}")
	[ $plots = 0 ] || expect+=(gaps gaphist)
	for what in "${expect[@]}"; do
		grep -q "^TM-BENCH $what" "$raw" || problems+=("no '$what' result")
	done
	if awk '$2 == "cost" { for (i = 3; i <= NF; i++) if ($i ~ /^samples=0*$/) bad = 1 } END { exit !bad }' "$raw"; then
		problems+=("a cost measurement collected no sample")
	fi
	for f in "cost-$series.png" "gaps-$series.png"; do
		[ $plots = 0 ] || [ -s "$out/$f" ] || problems+=("$f was not drawn")
	done
	if [ ${#problems[@]} -gt 0 ]; then
		status=1
		for p in "${problems[@]}"; do
			tm_msg "bench $kver: $p"
		done
		[ -z "$results" ] ||
			echo "TM-RESULT FAIL $kver/bench-$mode: ${problems[*]}" >>"$results"
	else
		tm_msg "bench $kver: complete ($mode)"
		tables+=("$out/table-$kver.txt")
		[ -z "$results" ] || echo "TM-RESULT PASS $kver/bench-$mode" >>"$results"
	fi

	if [ $readme = 1 ] && [ ${#problems[@]} -eq 0 ]; then
		mkdir -p "$BENCH/results"
		cp "$raw" "$BENCH/results/raw-$series$tag.txt"
		cp "$out/table-$kver.txt" "$BENCH/results/table-$series$tag.txt"
		[ $plots = 0 ] || cp "$out/cost-$series.png" "$out/gaps-$series.png" "$BENCH/"
	fi
done

# The README links the latest table of each kernel (bench/results/)
# between markers: the instruction counts (bench-icount), which judge the
# goals (its goal table quotes them), and the TCG times (bench-table),
# which judge nothing.  Runs for different kernels may end at the same
# time.
if [ $readme = 1 ] && [ ${#tables[@]} -gt 0 ]; then
	tm_lock "$TM_BUILD/.lock-bench-readme"
	block=$out/readme-block.md
	marker=bench-table
	pick=(-name 'table-*.txt' ! -name 'table-*-icount.txt')
	if [ $icount = 1 ]; then
		marker=bench-icount
		pick=(-name 'table-*-icount.txt')
	fi
	{
		for t in $(find "$BENCH/results" "${pick[@]}" | sort -V); do
			printf -- '- [%s](results/%s): %s\n' "$(basename "$t" .txt)" \
				"$(basename "$t")" "$(head -n 1 "$t")"
		done
	} >"$block"
	awk -v block="$block" -v begin="<!-- $marker:begin -->" -v end="<!-- $marker:end -->" '
		$0 == begin { print; while ((getline l < block) > 0) print l; skip = 1; next }
		$0 == end { skip = 0 }
		!skip' "$BENCH/README.md" >"$out/README.md.new"
	mv "$out/README.md.new" "$BENCH/README.md"
	tm_msg "bench/README.md, bench/results/ and the PNGs in bench/ updated"
fi

if [ $status = 0 ]; then
	echo "bench ($mode): complete on ${kernels[*]}"
else
	echo "bench ($mode): FAILED"
fi
exit $status
