#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/debug/planted.sh: `make check-planted`.  Proves that the debug
# kernel catches each bug planted in tests/debug/planted/*.patch: every
# patch is applied to a copy of src/ (src/ itself is never touched), the
# tests its "# Tests:" lines name run in the debug kernel
# (tests/debug/check.sh --src COPY), and the run must fail with every
# "# Expect:" extended regular expression present in the serial log.  A
# patch that no longer applies (patch --fuzz=0) is a failure too.
#
#   tests/debug/planted.sh [PATCH...]     (default: all of them)
#
# Prints one TM-RESULT line per patch, then "N passed, N failed".

set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/host.sh disable=SC1091
. "$here/../lib/host.sh"

if [ $# -eq 0 ]; then
	set -- "$here"/planted/*.patch
fi
pass=0
failed=0

result() {
	echo "TM-RESULT $1 planted/$2${3:+: $3}"
	if [ "$1" = PASS ]; then pass=$((pass + 1)); else failed=$((failed + 1)); fi
}

for p in "$@"; do
	p=$(realpath "$p")
	name=$(basename "$p" .patch)
	dst=$TM_BUILD/planted/$name
	echo "== planted/$name"
	rm -rf "$dst"
	mkdir -p "$dst"
	tm_sync_tree "$TM_TOP/src" "$dst/src"
	find "$dst/src" \( -name '*.o' -o -name '*.ko' \) -delete
	if ! (cd "$dst" && patch -p1 --fuzz=0 --no-backup-if-mismatch -s <"$p") >"$dst/patch.log" 2>&1; then
		result FAIL "$name" "the patch no longer applies to src/: $(head -n 2 "$dst/patch.log" | tr '\n' ' ')"
		continue
	fi
	tests=$(sed -n 's/^# Tests: *//p' "$p" | paste -sd, -)
	[ -n "$tests" ] || { result FAIL "$name" "no '# Tests:' line"; continue; }
	bare=(--bare)
	case $tests in *leakcheck*) bare=() ;; esac
	rc=0
	TESTS="" "$here/check.sh" --src "$dst/src" --tests "$tests" "${bare[@]}" \
		--log-name "planted-$name" >"$dst/check.out" 2>&1 || rc=$?
	log=$TM_BUILD/logs/planted-$name.log
	if [ $rc = 0 ]; then
		result FAIL "$name" "NOT CAUGHT: check-debug passed ($tests)"
		continue
	fi
	missing=
	shown=
	while IFS= read -r re; do
		line=$(tr -d '\r' <"$log" 2>/dev/null | grep -m 1 -E -- "$re" || true)
		if [ -z "$line" ]; then
			missing="$missing '$re'"
		else
			shown="$shown | $(echo "$line" | sed 's/^\[ *[0-9.]*\] //' | cut -c 1-160)"
		fi
	done < <(sed -n 's/^# Expect: *//p' "$p")
	if [ -n "$missing" ]; then
		result FAIL "$name" "check-debug failed, but the log $log lacks:$missing; verdicts: $(grep -m 2 '^FAIL' "$dst/check.out" | tr '\n' ' ')"
	else
		result PASS "$name" "caught:$shown"
		grep '^FAIL' "$dst/check.out" | head -n 3 | sed 's/^/   /'
	fi
done
echo "$pass passed, $failed failed"
[ "$failed" = 0 ]
