#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ctl/tests/check.sh [--results FILE]: the host-side tests of
# taskmonitorctl, a stage of `make check` (check-ctl):
#   ctl/build          builds with dpkg-buildflags' flags, -Wall -Wextra,
#                      no warning allowed
#   ctl/unit           unit tests (tests/unit.c) under ASan + UBSan
#   ctl/cli/*          the program, built with ASan + UBSan, on the
#                      hand-written histories (tests/cli.py)
#   ctl/prom/*         export against Debian's promtool, node_exporter and
#                      prometheus, started on loopback ports (tests/prom.py)
#   ctl/units          systemd-analyze verify on the systemd units, no word
#   ctl/fuzz           libFuzzer on the parser and the escapes for
#                      TM_CTL_FUZZ_SECONDS (default 20), ASan + UBSan
# Prints and appends "TM-RESULT PASS|FAIL name[: reason]" lines; exit 0
# if all passed, 1 otherwise.  Build products go to build/ctl/.

set -uo pipefail
CTL=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$CTL/../build/ctl
results=
[ "${1:-}" = --results ] && results=$(realpath -m "$2")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# shellcheck disable=SC2054 # the commas belong to -fsanitize=
SAN=(-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
SRCS=(hist.c out.c prom.c)
failed=0

result() {
	local line="TM-RESULT $1 $2${3:+: $3}"
	echo "$line"
	[ -z "$results" ] || echo "$line" >>"$results"
	[ "$1" = PASS ] || failed=1
}

# first_line FILE: the first telling line of a log, for a reason.
first_line() {
	grep -m 1 -E 'error|warning|ERROR|FAIL|runtime' "$1" | cut -c 1-200 || tail -n 1 "$1"
}

cd "$CTL" || exit 2

log=$OUT/build.log
if make -s -B CC=gcc CFLAGS="$(dpkg-buildflags --get CFLAGS) -Werror" \
	LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" \
	CPPFLAGS="$(dpkg-buildflags --get CPPFLAGS)" taskmonitorctl >"$log" 2>&1; then
	result PASS ctl/build
else
	result FAIL ctl/build "$(first_line "$log")"
fi
rm -f taskmonitorctl

log=$OUT/unit.log
if gcc "${SAN[@]}" -Wall -Wextra -Werror -o "$OUT/unit" tests/unit.c "${SRCS[@]}" -lm >"$log" 2>&1 &&
	"$OUT/unit" >>"$log" 2>&1; then
	result PASS ctl/unit "$(tail -n 1 "$log")"
	sed -i '$d' "$OUT/unit.log"
else
	result FAIL ctl/unit "$(first_line "$log")"
fi

log=$OUT/cli.log
if ! command -v python3 >/dev/null; then
	result FAIL ctl/cli "python3 is missing: make deps"
elif gcc "${SAN[@]}" -Wall -Wextra -Werror -DTM_VERSION='"test"' -o "$OUT/taskmonitorctl" \
	taskmonitorctl.c view.c export.c "${SRCS[@]}" -lm >"$log" 2>&1; then
	while IFS= read -r line; do
		case $line in
		"TM-RESULT PASS "*) result PASS "${line#TM-RESULT PASS }" ;;
		"TM-RESULT FAIL "*) line=${line#TM-RESULT FAIL }
			result FAIL "${line%%: *}" "${line#*: }" ;;
		esac
	done < <(python3 tests/cli.py "$OUT/taskmonitorctl" 2>>"$log"
		python3 tests/prom.py "$OUT/taskmonitorctl" 2>>"$log")
else
	result FAIL ctl/cli "$(first_line "$log")"
fi

# The units as installed, but for taskmonitorctl's path (the host has no
# /usr/bin/taskmonitorctl); any message, a warning too, is a failure.
log=$OUT/units.log
rm -rf "$OUT/units" && mkdir -p "$OUT/units"
for u in systemd/taskmonitor-export.service systemd/taskmonitor-export.timer; do
	sed "s|/usr/bin/taskmonitorctl|$OUT/taskmonitorctl|" "$u" >"$OUT/units/${u#systemd/}"
done
if ! command -v systemd-analyze >/dev/null; then
	result FAIL ctl/units "systemd-analyze is missing: make deps"
elif systemd-analyze verify --man=no "$OUT"/units/* >"$log" 2>&1 && [ ! -s "$log" ]; then
	result PASS ctl/units
else
	result FAIL ctl/units "$(head -n 1 "$log")"
fi

log=$OUT/fuzz.log
secs=${TM_CTL_FUZZ_SECONDS:-20}
if ! command -v clang >/dev/null; then
	result FAIL ctl/fuzz "clang is missing: make deps"
elif ! clang "${SAN[@]}" -fsanitize=fuzzer -o "$OUT/fuzz" tests/fuzz.c "${SRCS[@]}" -lm >"$log" 2>&1; then
	result FAIL ctl/fuzz "$(first_line "$log")"
else
	rm -rf "$OUT/corpus" && mkdir -p "$OUT/corpus" && cp tests/histories/*.txt "$OUT/corpus/"
	if (cd "$OUT" && ./fuzz -max_total_time="$secs" -max_len=4096 -print_final_stats=1 corpus) >>"$log" 2>&1; then
		result PASS ctl/fuzz "$(sed -n 's/^stat::number_of_executed_units: *//p' "$log") inputs in $secs s"
	else
		result FAIL ctl/fuzz "$(grep -m 1 -E 'ERROR|runtime error|deadly' "$log"); reproducer in $OUT"
	fi
fi

[ $failed = 0 ]
