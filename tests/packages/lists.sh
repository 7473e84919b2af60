#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/packages/lists.sh --tarball T --deb D --rpm R
#
# Checks, without installing anything, that the tarball and the packages
# hold exactly the files listed in tests/packages/{tarball,deb,rpm}.list
# (@SOURCES@ standing for sources.list), that sources.list itself misses
# nothing the module needs (every object src/Kbuild names, every header
# the sources include, every file git tracks under src/ but the KUnit
# tests), and that the
# one version in VERSION is what every package says.  Prints one
# "PASS|FAIL name: reason" line per check; exits 1 if one failed.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
tarball='' deb='' rpm=''
while [ $# -gt 0 ]; do
	case $1 in
	--tarball) tarball=$2; shift ;;
	--deb) deb=$2; shift ;;
	--rpm) rpm=$2; shift ;;
	*) echo "usage: $0 --tarball T --deb D --rpm R" >&2; exit 2 ;;
	esac
	shift
done
tarball=$(realpath -m "$tarball") deb=$(realpath -m "$deb") rpm=$(realpath -m "$rpm")
for f in "$tarball" "$deb" "$rpm"; do
	if [ ! -f "$f" ]; then
		echo "usage: $0 --tarball T --deb D --rpm R (no such file: '$f')" >&2
		exit 2
	fi
done

version=$(cat "$top/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "PASS $1"; }
failure() { echo "FAIL $1: $2"; failed=1; }

# sources: sources.list without comments.
sources() { grep -v -e '^#' -e '^[[:space:]]*$' "$here/sources.list"; }

# expected LIST: the file list LIST with @SOURCES@ [PREFIX] expanded and
# @VERSION@ replaced, sorted.
expected() {
	local line prefix
	grep -v -e '^#' -e '^[[:space:]]*$' "$here/$1" | while IFS= read -r line; do
		case $line in
		@SOURCES@*)
			prefix=${line#@SOURCES@}
			prefix=${prefix# }
			sources | sed "s|^|$prefix|"
			;;
		*) echo "$line" ;;
		esac
	done | sed "s/@VERSION@/$version/g" | LC_ALL=C sort
}

# compare NAME EXPECTED ACTUAL: both sorted lists of files.
compare() {
	local missing extra
	missing=$(LC_ALL=C comm -23 "$2" "$3" | tr '\n' ' ')
	extra=$(LC_ALL=C comm -13 "$2" "$3" | tr '\n' ' ')
	if [ -z "$missing$extra" ]; then
		pass "$1 ($(wc -l <"$3") files)"
	else
		failure "$1" "${missing:+missing: $missing}${extra:+${missing:+; }not in tests/packages/$1.list: $extra}"
	fi
}

# 1. The three file lists.
expected tarball.list >"$tmp/tarball.want"
tar -tzf "$tarball" | grep -v '/$' | sed "s|^taskmonitor-$version/||" |
	LC_ALL=C sort >"$tmp/tarball.got"
compare tarball "$tmp/tarball.want" "$tmp/tarball.got"

expected deb.list >"$tmp/deb.want"
dpkg-deb --fsys-tarfile "$deb" | tar -tvf - | awk '$1 !~ /^d/ { print $6 }' |
	sed 's|^\./|/|' | LC_ALL=C sort >"$tmp/deb.got"
compare deb "$tmp/deb.want" "$tmp/deb.got"

expected rpm.list >"$tmp/rpm.want"
rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpm" 2>/dev/null |
	awk '$1 !~ /^d/ { print $2 }' | LC_ALL=C sort >"$tmp/rpm.got"
compare rpm "$tmp/rpm.want" "$tmp/rpm.got"

# 2. sources.list against what the module needs, found independently.
sources | LC_ALL=C sort >"$tmp/sources"
need=$tmp/need
: >"$need"
# Every object of the module, from src/Kbuild (continuation lines joined).
sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$top/src/Kbuild" |
	sed -n 's/^taskmonitor-\(y\|objs\)[[:space:]]*[:+]\?=//p' | tr -s ' \t' '\n' |
	sed -n 's/\.o$/.c/p' | sed 's|^|src/|' >>"$need"
# Every local header the listed sources include (tm_probes.h is generated
# by Kbuild at build time).
for f in $(sources | grep -E '\.[ch]$'); do
	[ -f "$top/$f" ] || continue
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$top/$f" |
		grep -vx 'tm_probes.h' | sed "s|^|$(dirname "$f")/|" || true
done | sed 's|/\./|/|g' >>"$need"
# Every file git tracks under src/, but the KUnit tests in src/kunit/,
# which DKMS never builds.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -- src ':(exclude)src/kunit' >>"$need"
fi
LC_ALL=C sort -u "$need" -o "$need"
missing=$(LC_ALL=C comm -23 "$need" "$tmp/sources" | tr '\n' ' ')
if [ -z "$missing" ]; then
	pass "sources ($(wc -l <"$tmp/sources") files, none missing)"
else
	failure sources "the module needs files tests/packages/sources.list lacks: $missing"
fi

# 3. One version everywhere.
bad=
tar -xzf "$tarball" -C "$tmp" "taskmonitor-$version/dkms.conf" "taskmonitor-$version/taskmonitor.spec"
grep -qx "PACKAGE_VERSION=\"$version\"" "$tmp/taskmonitor-$version/dkms.conf" || bad="$bad tarball:dkms.conf"
grep -qE "^Version:[[:space:]]+$version\$" "$tmp/taskmonitor-$version/taskmonitor.spec" || bad="$bad tarball:spec"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || bad="$bad deb:Version"
# (Whole outputs are read: grep -q in a pipeline would end it early.)
conf=$(dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "./usr/src/taskmonitor-$version/dkms.conf" 2>/dev/null || true)
grep -qx "PACKAGE_VERSION=\"$version\"" <<<"$conf" || bad="$bad deb:dkms.conf"
[ "$(rpm -qp --qf '%{VERSION}' "$rpm" 2>/dev/null)" = "$version" ] || bad="$bad rpm:Version"
conf=$(rpm2cpio "$rpm" | cpio -i --quiet --to-stdout "./usr/src/taskmonitor-$version/dkms.conf" || true)
grep -qx "PACKAGE_VERSION=\"$version\"" <<<"$conf" || bad="$bad rpm:dkms.conf"
[ "$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)" = "$version" ] || bad="$bad debian/changelog"
[[ $(grep -m 1 '^\* ' "$top/taskmonitor.spec") == *" - $version-"* ]] || bad="$bad spec:%changelog"
if [ -z "$bad" ]; then
	pass "version ($version in tarball name, dkms.conf, spec, .deb, .rpm, changelogs)"
else
	failure version "VERSION says $version but these differ:$bad"
fi

exit $failed
