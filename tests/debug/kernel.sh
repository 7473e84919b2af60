#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/debug/kernel.sh: build (once per machine) and locate the debug
# kernel that `make check-debug` boots, and the kernel's own lint tools.
#
#   kernel.sh build   build the kernel if it is not cached yet; print its
#                     cache directory (bzImage, and build/ to build
#                     modules against)
#   kernel.sh dir     print the cache directory, fail if not built
#   kernel.sh key     print the cache key
#   kernel.sh tools   extract checkpatch.pl (+ spelling.txt,
#                     const_structs.checkpatch) and .clang-format from the
#                     same linux-source tarball; print their directory
#
# The kernel is Debian's linux-source-6.12 (/usr/src/linux-source-6.12.tar.xz,
# installed by `make deps`), configured as allnoconfig plus
# tests/debug/kernel.config with the kernel's own merge_config.sh, then
# every option the fragment asks for is checked with scripts/config.
# It lives in $TM_CACHE/debug-kernel/<key>/, where <key> hashes the
# source package version, the fragment, the compiler and RECIPE below, so
# any change to them builds a new kernel and an unchanged tree reuses it.
#
# Environment: TM_CACHE (default /var/cache/taskmonitor), JOBS (default 2),
# TM_KSRC (default /usr/src/linux-source-6.12.tar.xz).

set -euo pipefail

# Bump when the way the kernel is built changes.
RECIPE=1

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TM_CACHE=${TM_CACHE:-/var/cache/taskmonitor}
JOBS=${JOBS:-2}
TM_KSRC=${TM_KSRC:-/usr/src/linux-source-6.12.tar.xz}
fragment=$here/kernel.config
srcpkg=linux-source-6.12

msg() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { msg "error: $*"; exit 2; }

need_source() {
	[ -f "$TM_KSRC" ] ||
		die "$TM_KSRC is missing: run 'make deps' (apt-get install $srcpkg)"
}

# src_version: the version of the source package (or of the tarball).
src_version() {
	dpkg-query -W -f '${Version}' "$srcpkg" 2>/dev/null ||
		stat -c '%s-%Y' "$TM_KSRC"
}

cache_key() {
	need_source
	{
		echo "recipe $RECIPE"
		echo "source $srcpkg $(src_version)"
		echo "cc $(gcc --version | head -n 1)"
		cat "$fragment"
	} | sha256sum | cut -c 1-16
}

# check_config DOTCONFIG: every CONFIG_X=y / CONFIG_X=n ("is not set") /
# CONFIG_X=value of the fragment must hold in DOTCONFIG, as reported by
# the kernel's scripts/config.
check_config() {
	local dotconfig=$1 cfg=$2 line name want got bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			name=${line%%=*}
			want=${line#*=}
			want=${want//\"/}
			;;
		"# CONFIG_"*" is not set")
			name=${line#\# }
			name=${name%% *}
			want=n
			;;
		*) continue ;;
		esac
		got=$("$cfg" --file "$dotconfig" --state "${name#CONFIG_}")
		[ "$got" = undef ] && [ "$want" = n ] && got=n
		if [ "$got" != "$want" ]; then
			msg "FAIL: $name requested $want, .config has $got"
			bad=1
		fi
	done <"$fragment"
	return $bad
}

build() {
	local key dir t0 t1
	key=$(cache_key)
	dir=$TM_CACHE/debug-kernel/$key
	if [ -f "$dir/.complete" ]; then
		trim "$dir"
		echo "$dir"
		return 0
	fi
	mkdir -p "$TM_CACHE/debug-kernel"
	exec {lockfd}>"$TM_CACHE/debug-kernel/.lock"
	if ! flock -n "$lockfd"; then
		msg "waiting for another build of the debug kernel"
		flock "$lockfd"
	fi
	if [ -f "$dir/.complete" ]; then
		echo "$dir"
		return 0
	fi
	t0=$(date +%s)
	rm -rf "$dir"
	mkdir -p "$dir/build"
	msg "building the debug kernel in $dir (log: $dir/build.log); the first build takes a while"
	{
		echo "key $key: recipe $RECIPE, $srcpkg $(src_version), $(gcc --version | head -n 1)"
		msg "extracting $TM_KSRC"
		tar -C "$dir" -xJf "$TM_KSRC"
		mv "$dir/$srcpkg" "$dir/src"
		cp "$fragment" "$dir/kernel.config"
		# allnoconfig + fragment, by the kernel's own merge script, which
		# also lists every requested value that did not make it.
		(cd "$dir/src" && ARCH=x86_64 scripts/kconfig/merge_config.sh \
			-n -O "$dir/build" "$dir/kernel.config")
	} >"$dir/build.log" 2>&1 || die "configuring failed, see $dir/build.log"
	if grep -q 'not in final .config' "$dir/build.log" ||
		! check_config "$dir/build/.config" "$dir/src/scripts/config" 2>>"$dir/build.log"; then
		grep -E 'not in final|FAIL:|Requested value|Actual value' "$dir/build.log" >&2 || true
		die "the debug kernel .config lacks options requested by $fragment (see $dir/build.log)"
	fi
	# Everything, so that Module.symvers exists for out-of-tree modules.
	if ! nice -n 10 make -C "$dir/src" O="$dir/build" ARCH=x86_64 -j"$JOBS" \
		all >>"$dir/build.log" 2>&1; then
		tail -n 30 "$dir/build.log" >&2
		die "building the debug kernel failed, see $dir/build.log"
	fi
	[ -f "$dir/build/arch/x86/boot/bzImage" ] || die "no bzImage in $dir/build"
	t1=$(date +%s)
	echo "built in $((t1 - t0)) s" >>"$dir/build.log"
	echo "$((t1 - t0))" >"$dir/build-seconds"
	touch "$dir/.complete"
	msg "debug kernel built in $((t1 - t0)) s"
	trim "$dir"
	echo "$dir"
}

# trim DIR: drop what building out-of-tree modules against DIR/build does
# not need: objects, C sources outside scripts/ and tools/, drivers/ and
# sound/ (headers private to drivers), other architectures, the
# documentation.  About 2 GB down to about 450 MB.  Idempotent.
trim() {
	local dir=$1 a
	[ ! -f "$dir/.trimmed" ] || return 0
	find "$dir/build" -name '*.o' ! -path '*/scripts/*' ! -path '*/tools/*' -delete
	find "$dir/src" -name '*.c' ! -path "$dir/src/scripts/*" \
		! -path "$dir/src/tools/*" -delete
	rm -rf "$dir/src/Documentation" "$dir/src/drivers" "$dir/src/sound"
	for a in "$dir"/src/arch/*/; do
		[ "$(basename "$a")" = x86 ] || rm -rf "$a"
	done
	touch "$dir/.trimmed"
}

tools() {
	local ver dir tmp
	need_source
	ver=$(src_version)
	dir=$TM_CACHE/lint/$srcpkg-$ver
	if [ ! -f "$dir/.complete" ]; then
		mkdir -p "$dir"
		tmp=$(mktemp -d "$dir.XXXXXX")
		tar -C "$tmp" -xJf "$TM_KSRC" \
			"$srcpkg/scripts/checkpatch.pl" \
			"$srcpkg/scripts/spelling.txt" \
			"$srcpkg/scripts/const_structs.checkpatch" \
			"$srcpkg/.clang-format"
		cp "$tmp/$srcpkg/scripts/"* "$tmp/$srcpkg/.clang-format" "$dir/"
		rm -rf "$tmp"
		touch "$dir/.complete"
	fi
	echo "$dir"
}

case ${1:-} in
build) build ;;
dir)
	d=$TM_CACHE/debug-kernel/$(cache_key)
	[ -f "$d/.complete" ] || die "debug kernel not built yet: tests/debug/kernel.sh build"
	echo "$d"
	;;
key) cache_key ;;
tools) tools ;;
*)
	sed -n '4,14p' "$0" >&2
	exit 2
	;;
esac
