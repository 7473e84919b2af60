#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/compile.sh [--results FILE] [KERNEL...]
#
# Builds src/ with W=1 against the headers of every flavour (amd64,
# rt-amd64, cloud-amd64) of each kernel series given (5.10, 6.1, ...; a
# series with a flavour suffix such as 6.1-rt counts as its series; a
# full release such as 6.1.0-56-rt-amd64 is built alone).  Default:
# $KERNELS or every series of tests/kernels.  The headers of another
# Debian suite are built in that suite's chroot (tests/lib/host.sh).  A
# build passes only if it succeeds with no compiler warning at all.
# Prints, and with --results appends to FILE, one "TM-RESULT PASS|FAIL
# compile/<kver>" line per header set, and first a "notice:" line for
# each series of which Debian has a newer kernel than tests/kernels says.
# Exit status: 0 all clean, 1 something failed.

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib/host.sh"

results_file=
if [ "${1:-}" = --results ]; then
	results_file=$2
	shift 2
fi
# shellcheck disable=SC2086 # a list of words
[ $# -gt 0 ] || set -- ${KERNELS:-$(tm_all_series)}


kvers=()
for spec in "$@"; do
	case $spec in
	*-amd64) kvers+=("$spec") ;;
	*)
		abi=$(tm_abi "${spec%%-*}") || exit 2
		for f in $TM_FLAVOURS; do
			kvers+=("$abi-$f")
		done
		;;
	esac
done

declare -A series_seen=()
for spec in "$@"; do
	case $spec in *-amd64) ;; *) series_seen[${spec%%-*}]=1 ;; esac
done
notices=$(tm_kernel_notices "${!series_seen[@]}")
if [ -n "$notices" ]; then
	echo "$notices"
	[ -z "$results_file" ] || echo "$notices" >>"$results_file"
fi

pass=0
failed=0
mkdir -p "$TM_BUILD"
declare -A done_kver=()
for kver in "${kvers[@]}"; do
	[ -z "${done_kver[$kver]:-}" ] || continue
	done_kver[$kver]=1
	exec {lockfd}>"$TM_BUILD/.lock-$kver"
	flock "$lockfd"
	start=${EPOCHREALTIME%.*}
	status=PASS
	reason=
	if ! tm_build_kmod src "$TM_TOP/src" "$kver"; then
		status=FAIL
		reason=$(tm_build_warnings "$TM_BUILD/$kver/src.log" | head -n 1)
		[ -n "$reason" ] || reason=$(tail -n 1 "$TM_BUILD/$kver/src.log")
		reason="build failed: $reason"
	else
		w=$(tm_build_warnings "$TM_BUILD/$kver/src.log")
		if [ -n "$w" ]; then
			status=FAIL
			reason="$(wc -l <<<"$w") compiler warning(s), first: $(head -n 1 <<<"$w")"
		fi
	fi
	exec {lockfd}>&-
	line="TM-RESULT $status compile/$kver${reason:+: $reason}"
	echo "$line ($((${EPOCHREALTIME%.*} - start)) s)"
	if [ $status = FAIL ]; then
		failed=$((failed + 1))
		echo "  full build log: $TM_BUILD/$kver/src.log"
	else
		pass=$((pass + 1))
	fi
	[ -z "$results_file" ] || echo "$line" >>"$results_file"
done
echo "$pass passed, $failed failed"
[ $failed = 0 ]
