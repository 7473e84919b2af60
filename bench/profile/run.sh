#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/profile/run.sh [--kernel K]...: where the guest's instructions go,
# function by function (make bench-profile).  The guest boots under
# -icount with one vCPU and QEMU's TCG plugin tbcount
# (bench/profile/tbcount.c), which counts the instructions of every
# translation block and writes them out at each run of the marker
# tmmark; the guest suite bench/profile/profile.sh puts marks around
# (1) the sampling of PROF_TASKS sleepers for PROF_SWEEPS sweeps and
# (2) PROF_PAIRS forks + exits with the module loaded, without and with
# the forker followed, and (3) traces the page allocations of a third as
# many of each kind; report.sh names the blocks after the guest's
# symbols and prints, per task-sample and per fork + exit pair, the
# instructions of each function and its calls, and the page allocations
# that following adds, by caller.  The counts cover every context
# (interrupts, softirqs, other threads): the whole system's cost, not
# one thread's CPU time as make bench's schedstat figures.
#
# The plugin is built against the plugin header of the installed QEMU,
# from Debian's source package of that version, fetched once into
# $TM_CACHE/qemu-plugin/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../../tests/lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../../tests/lib/host.sh"

PROF=$TM_TOP/bench/profile
kernels=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels+=("$2"); shift ;;
	*) tm_die "usage: bench/profile/run.sh [--kernel K]..." ;;
	esac
	shift
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.12)
out=$TM_BUILD/profile
rm -rf "$out"
mkdir -p "$out"

# The plugin header of the installed QEMU: Debian's source package of the
# same version, from the suites this release gets updates from.
plugin_header() {
	local ver dir src
	ver=$(dpkg-query -W -f='${source:Version}' qemu-system-x86) ||
		tm_die "qemu-system-x86 is not installed (make deps)"
	dir=$TM_CACHE/qemu-plugin/$ver
	if [ ! -s "$dir/qemu-plugin.h" ]; then
		src=$out/qemu-src
		mkdir -p "$src/lists/partial"
		# shellcheck disable=SC1091 # the host's release
		. /etc/os-release
		printf 'deb-src http://deb.debian.org/debian %s main\ndeb-src http://deb.debian.org/debian-security %s-security main\n' \
			"$VERSION_CODENAME" "$VERSION_CODENAME" >"$src/sources.list"
		local apt=(-o "Dir::Etc::SourceList=$src/sources.list" -o Dir::Etc::SourceParts=/dev/null
			-o "Dir::State::Lists=$src/lists")
		apt-get "${apt[@]}" update >&2 || tm_die "cannot read Debian's source index"
		(cd "$src" && apt-get "${apt[@]}" source --download-only "qemu=$ver" >&2) ||
			tm_die "cannot fetch qemu's source package $ver"
		tar -C "$src" -xJf "$src"/qemu_*.orig.tar.xz --wildcards '*/include/qemu/qemu-plugin.h' ||
			tm_die "no qemu-plugin.h in qemu's source"
		mkdir -p "$dir"
		cp "$src"/qemu-*/include/qemu/qemu-plugin.h "$dir/"
		rm -rf "$src"
	fi
	echo "$dir"
}

hdr=$(plugin_header)
gcc -shared -fPIC -O2 -Wall -Wextra -Werror -I"$hdr" -o "$out/tbcount.so" "$PROF/tbcount.c" ||
	tm_die "cannot build the plugin"

overlay=$out/overlay
mkdir -p "$overlay/tm/bin" "$overlay/tm/suites"
for h in sleepers forkbench; do
	gcc -static -O2 -Wall -Wextra -Werror -o "$overlay/tm/bin/$h" "$TM_TOP/bench/helpers/$h.c" ||
		tm_die "cannot compile $h"
done
# Linked where no other program of the guest has code: its marker's
# address is then the marker's alone.
gcc -static -no-pie -O2 -Wall -Wextra -Werror -Wl,-Ttext-segment=0x3e000000 \
	-o "$overlay/tm/bin/tmmark" "$PROF/tmmark.c" || tm_die "cannot compile tmmark"
mark=$(nm "$overlay/tm/bin/tmmark" | awk '$3 == "tm_mark" { print $1 }')
[ -n "$mark" ] || tm_die "no tm_mark in tmmark"
install -m 644 "$PROF/profile.sh" "$overlay/tm/suites/profile.sh"
env | grep -E '^PROF_(TASKS|SWEEPS|PAIRS|REPEAT)=' >"$overlay/tm/profile.conf" || true

status=0
for k in "${kernels[@]}"; do
	log=profile-$k
	mkdir -p "$out/$k"
	TM_SMP=1 TM_ACCEL=tcg TM_QEMU_ARGS="-icount shift=0 -plugin $out/tbcount.so,out=$out/$k/snap,mark=$mark" \
		"$TM_TOP/tests/run.sh" --kernel "$k" --overlay "$overlay" --tests 'profile/*' \
		--log-name "$log" --test-timeout 3600 || status=1
	echo "== $k: instructions by function (snapshots and tables in $out/$k)"
	"$PROF/report.sh" "$TM_BUILD/logs/$log.log" "$out/$k" | tee "$out/$k/report.txt" ||
		status=1
done
exit $status
