#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/summary.sh DIR: totals of the TM-RESULT lines that the check
# stages wrote into DIR/*.txt.  Lists the failures, then ends with the
# line "N passed, N failed".  Exit status 0 only if something ran and
# nothing failed.

set -euo pipefail
dir=${1:-build/results}
all=$(cat "$dir"/*.txt 2>/dev/null | grep '^TM-RESULT ' || true)
pass=$(grep -c '^TM-RESULT PASS ' <<<"$all" || true)
failed=$(grep -c '^TM-RESULT FAIL ' <<<"$all" || true)
echo
if [ "$failed" != 0 ]; then
	echo "Failed:"
	grep '^TM-RESULT FAIL ' <<<"$all" | sed 's/^TM-RESULT FAIL /  /'
fi
# What a stage wants noticed without failing (a newer Debian kernel).
cat "$dir"/*.txt 2>/dev/null | grep '^notice: ' | sort -u || true
echo "$pass passed, $failed failed"
[ "$failed" = 0 ] && [ "$pass" != 0 ]
