#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/fmtcount/run.sh [KERNEL]: instructions per line of the module's
# line formatter, tm_format_sample(), exactly as compiled for KERNEL (as
# tests/run.sh takes it: 6.1, 6.12, 6.12-rt or a full release; default
# 6.12), counted by callgrind in user space: src/ is built for the
# kernel as the harness builds it (in $TM_BUILD/<kver>/fmtcount), its
# tm_format.o linked into driver.c at a low fixed address (the kernel's
# code model wants 32-bit addresses) and run on 10^5 bench-like lines,
# then with none; the difference, per line, is printed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../../tests/lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/../../tests/lib/host.sh"

here=$TM_TOP/bench/fmtcount
kver=$(tm_kver "${1:-6.12}")
command -v valgrind >/dev/null || tm_die "valgrind is missing (make deps)"
tm_build_kmod fmtcount "$TM_TOP/src" "$kver" ||
	tm_die "src/ does not build for $kver: $(tail -n 5 "$TM_BUILD/$kver/fmtcount.log")"
bin=$TM_BUILD/$kver/fmtcount/fmtcount
gcc -O2 -no-pie -static -o "$bin" "$here/driver.c" "$here/stubs.S" \
	"$TM_BUILD/$kver/fmtcount/tm_format.o"
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
		sed -n 's/.*refs: *//p' | tr -d ,
}
"$bin"
with=$(count "$bin")
without=$(count "$bin" none)
echo "tm_format_sample as built for $kver: $(((with - without) / 100000)) instructions per line"
