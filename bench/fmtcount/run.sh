#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/fmtcount/run.sh [KVER]: instructions per line of the module's
# line formatter, tm_format_sample(), exactly as compiled for kernel KVER
# (default: the 6.12 headers make deps installs), counted by callgrind
# in user space: src/tm_format.c is built with the kernel's flags,
# linked into driver.c at a low fixed address (the kernel's code model
# wants 32-bit addresses) and run on 10^5 bench-like lines, then with
# none; the difference, per line, is printed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
kver=${1:-}
if [ -z "$kver" ]; then
	for d in /usr/src/linux-headers-6.12.*-amd64; do
		case $d in *-cloud-amd64 | *-rt-amd64 | *'*'*) continue ;; esac
		kver=${d#/usr/src/linux-headers-}
	done
fi
kdir=/usr/src/linux-headers-$kver
[ -d "$kdir" ] || { echo "fmtcount: no headers in $kdir (make deps)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "fmtcount: valgrind is missing" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$top/src" "$work/src"
make -s -C "$kdir" M="$work/src" modules >"$work/build.log" 2>&1 ||
	{ tail -n 20 "$work/build.log" >&2; exit 1; }
gcc -O2 -no-pie -static -o "$work/fmt" "$here/driver.c" "$here/stubs.S" "$work/src/tm_format.o"
count() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
		sed -n 's/.*refs: *//p' | tr -d ,
}
"$work/fmt"
with=$(count "$work/fmt")
without=$(count "$work/fmt" none)
echo "tm_format_sample as built for $kver: $(((with - without) / 100000)) instructions per line"
