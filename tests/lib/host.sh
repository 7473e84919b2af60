# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared host-side functions of the taskmonitor test harness, sourced by
# tests/run.sh, tests/compile.sh, tests/deps.sh and friends.  Nothing in
# here touches the host's own kernel: modules are only ever built here and
# loaded inside QEMU guests.
#
# Environment (all optional):
#   TM_CACHE   downloaded kernel packages and extracted kernels
#              (default /var/cache/taskmonitor, outside the checkout so
#              that fresh clones reuse it)
#   TM_BUILD   per-kernel build trees, initramfs, logs (default ./build)
#   K61, K612  kernel ABI to use for the 6.1 and 6.12 series, e.g.
#              6.1.0-55 or 6.12.115+deb12 (default: newest ABI for which
#              both the image and all header packages exist)
#   TM_ACCEL   kvm or tcg (default: probe once, see tm_accel)
#   JOBS       parallel jobs for kernel module builds (default 2)

TM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TM_CACHE=${TM_CACHE:-/var/cache/taskmonitor}
TM_BUILD=${TM_BUILD:-$TM_TOP/build}
JOBS=${JOBS:-2}
# The header flavours every ABI is compiled against.
TM_FLAVOURS=${TM_FLAVOURS:-amd64 rt-amd64 cloud-amd64}
TM_SERIES=${TM_SERIES:-6.1 6.12}

tm_msg() { printf '%s\n' "$*" >&2; }
tm_die() { tm_msg "error: $*"; exit 2; }

# tm_abi SERIES: the ABI (6.1.0-56, 6.12.117+deb12) to use for a series.
tm_abi() {
	local series=$1 override abi candidates
	case $series in
	6.1) override=${K61:-} ;;
	6.12) override=${K612:-} ;;
	*) tm_die "unknown kernel series '$series' (6.1 or 6.12)" ;;
	esac
	if [ -n "$override" ]; then
		# Accept a full kernel release too: strip the flavour.
		override=${override%-amd64}
		override=${override%-rt}
		override=${override%-cloud}
		echo "$override"
		return 0
	fi
	# Newest first; an ABI qualifies when apt knows the generic image
	# and the headers of every flavour.
	candidates=$(apt-cache pkgnames "linux-image-$series." 2>/dev/null |
		grep -E "^linux-image-${series//./\\.}\.[^-]+(-[0-9]+)?-amd64-unsigned\$" |
		sed -e 's/^linux-image-//' -e 's/-amd64-unsigned$//' | sort -Vr)
	local names
	names=$(apt-cache pkgnames "linux-headers-$series." 2>/dev/null)
	for abi in $candidates; do
		local f ok=1
		for f in $TM_FLAVOURS; do
			grep -qxF "linux-headers-$abi-$f" <<<"$names" || ok=0
		done
		if [ $ok = 1 ]; then
			echo "$abi"
			return 0
		fi
	done
	return 1
}

# tm_kver SPEC: a full kernel release from 6.1, 6.12, 6.1-rt, 6.12-cloud
# or a full release such as 6.12.117+deb12-rt-amd64 (returned as is).
tm_kver() {
	local spec=$1 series flavour abi
	case $spec in
	*-amd64) echo "$spec"; return 0 ;;
	esac
	series=${spec%%-*}
	flavour=amd64
	case $spec in
	*-rt) flavour=rt-amd64 ;;
	*-cloud) flavour=cloud-amd64 ;;
	"$series") ;;
	*) tm_die "cannot parse kernel '$spec' (6.1, 6.12, 6.1-rt, 6.12-cloud or a full release)" ;;
	esac
	abi=$(tm_abi "$series") ||
		tm_die "no Debian $series ABI with image and headers found (run 'make deps' or apt-get update)"
	echo "$abi-$flavour"
}

# tm_kdir KVER: the kernel build directory of installed headers.
tm_kdir() {
	if [ -d "/usr/src/linux-headers-$1" ]; then
		echo "/usr/src/linux-headers-$1"
	else
		echo "/lib/modules/$1/build"
	fi
}

# tm_glob_match NAME GLOBS: GLOBS is a comma- or space-separated list of
# shell globs matched against suite/test; a glob without a slash is also
# matched against the suite and the test name on their own.  NAME is
# selected if it matches a glob (or there is only "!GLOB"s) and matches
# no "!GLOB".  The guest runner implements the same rule.
tm_glob_match() {
	local name=$1 g pos=0 hit=0 list
	IFS=', ' read -r -a list <<<"${2:-*}"
	for g in "${list[@]}"; do
		if [[ $g == !* ]]; then
			tm_glob_one "$name" "${g#!}" && return 1
		else
			pos=1
			tm_glob_one "$name" "$g" && hit=1
		fi
	done
	[ $pos = 0 ] || [ $hit = 1 ]
}

tm_glob_one() {
	# shellcheck disable=SC2053 # $2 is a glob on purpose
	[[ $1 == $2 ]] ||
		{ [[ $2 != */* ]] && { [[ ${1%%/*} == $2 ]] || [[ ${1#*/} == $2 ]]; }; }
}

# tm_lock FILE: take an exclusive lock for the rest of the calling
# (sub)shell, waiting for other engineers' runs that share the tree or
# the cache.
tm_lock() {
	local file=$1 fd
	mkdir -p "$(dirname "$file")"
	exec {fd}>"$file"
	if ! flock -n "$fd"; then
		tm_msg "waiting for the lock $file (another run is using it)"
		flock "$fd"
	fi
}

# tm_fetch_kernel KVER: make sure $TM_CACHE/kernels/KVER holds the
# extracted linux-image-KVER-unsigned package; prints the vmlinuz path.
tm_fetch_kernel() {
	local kver=$1 dir deb pkg
	dir=$TM_CACHE/kernels/$kver
	if [ ! -f "$dir/.complete" ]; then
		(
			tm_lock "$TM_CACHE/.lock"
			[ -f "$dir/.complete" ] && exit 0
			pkg=linux-image-$kver-unsigned
			mkdir -p "$TM_CACHE/debs"
			deb=$(find "$TM_CACHE/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
			if [ -z "$deb" ]; then
				tm_msg "downloading $pkg"
				(cd "$TM_CACHE/debs" && apt-get download -q "$pkg" 2>&1 |
					grep -v 'unsandboxed as root' >&2) || true
				deb=$(find "$TM_CACHE/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
				[ -n "$deb" ] || tm_die "could not download $pkg"
			fi
			tm_msg "extracting $(basename "$deb")"
			rm -rf "$dir"
			mkdir -p "$dir"
			dpkg-deb -x "$deb" "$dir"
			[ -f "$dir/boot/vmlinuz-$kver" ] || tm_die "$deb holds no vmlinuz-$kver"
			touch "$dir/.complete"
		) || return 1
	fi
	echo "$dir/boot/vmlinuz-$kver"
}

# tm_sync_tree SRC DST: make DST a copy of SRC's files, leaving alone
# what the build generated there, and refreshing only changed files so
# that Kbuild can rebuild incrementally.
tm_sync_tree() {
	local src=$1 dst=$2 f
	mkdir -p "$dst"
	(cd "$src" && find . -type f ! -name '*.o' ! -name '*.ko' ! -name '*.cmd' \
		! -name '*.mod' ! -name '*.mod.c' ! -name '*.order' \
		! -name '*.symvers' ! -name 'tm_probes.h*' ! -name '.*.d') |
		while IFS= read -r f; do
			if ! cmp -s "$src/$f" "$dst/$f"; then
				mkdir -p "$(dirname "$dst/$f")"
				cp -p "$src/$f" "$dst/$f"
			fi
		done
	# Sources removed upstream must not linger in the copy.
	(cd "$dst" && find . -type f \( -name '*.c' -o -name '*.h' -o -name Kbuild \
		-o -name Makefile \) ! -name 'tm_probes.h' ! -name '*.mod.c') |
		while IFS= read -r f; do
			[ -e "$src/$f" ] || rm -f "$dst/$f"
		done
}

# tm_build_kmod NAME SRCDIR KVER: build the Kbuild tree SRCDIR for KVER in
# $TM_BUILD/KVER/NAME with W=1.  The whole output goes to
# $TM_BUILD/KVER/NAME.log; returns make's status.  The top-level VERSION
# file is copied beside the tree, where src/Kbuild looks for it.
tm_build_kmod() {
	local name=$1 srcdir=$2 kver=$3 kdir out log
	kdir=$(tm_kdir "$kver")
	out=$TM_BUILD/$kver/$name
	log=$TM_BUILD/$kver/$name.log
	mkdir -p "$TM_BUILD/$kver"
	if [ ! -f "$kdir/Makefile" ]; then
		echo "no headers for $kver in $kdir (run 'make deps')" >"$log"
		return 1
	fi
	tm_sync_tree "$srcdir" "$out"
	cp -p "$TM_TOP/VERSION" "$TM_BUILD/$kver/VERSION"
	make -j"$JOBS" -C "$kdir" M="$out" W=1 modules >"$log" 2>&1
}

# tm_build_warnings LOG: the compiler diagnostics in a build log.
tm_build_warnings() {
	grep -E '(warning|error):' "$1" | grep -v 'Skipping BTF generation' || true
}

# tm_build_helpers: compile every tests/helpers/*.c statically into
# $TM_BUILD/helpers; prints that directory.
tm_build_helpers() {
	local out=$TM_BUILD/helpers c bin
	mkdir -p "$out"
	for c in "$TM_TOP"/tests/helpers/*.c; do
		[ -e "$c" ] || continue
		bin=$out/$(basename "$c" .c)
		if [ ! -x "$bin" ] || [ "$c" -nt "$bin" ]; then
			gcc -static -O2 -pthread -Wall -Werror -o "$bin.tmp" "$c" ||
				tm_die "cannot compile helper $c"
			mv -f "$bin.tmp" "$bin"
		fi
	done
	# taskmonitorctl (ctl/), static like the helpers, for the ctl suite.
	make -s -C "$TM_TOP/ctl" static >&2 || tm_die "cannot build ctl/taskmonitorctl"
	cp "$TM_TOP/ctl/taskmonitorctl.static" "$out/taskmonitorctl"
	echo "$out"
}

# tm_qemu_base: the QEMU command line shared by every boot, without the
# accelerator, kernel, initrd and serial ports.
tm_qemu_base() {
	echo qemu-system-x86_64 -m "${TM_MEM:-1024}" -smp "${TM_SMP:-2}" \
		-nodefaults -display none -no-reboot
}

# tm_accel_args ACCEL
tm_accel_args() {
	case $1 in
	kvm) echo -accel kvm -cpu host ;;
	*) echo -accel tcg -cpu max ;;
	esac
}

# tm_accel VMLINUZ INITRD: kvm if /dev/kvm is usable and a test boot of
# the given kernel and initramfs (in probe mode) reaches user space, tcg
# otherwise.  TM_ACCEL overrides; the verdict is remembered in $TM_BUILD
# for this host kernel and QEMU.
tm_accel() {
	local vmlinuz=$1 initrd=$2 key cache dir verdict=tcg
	if [ -n "${TM_ACCEL:-}" ]; then
		echo "$TM_ACCEL"
		return 0
	fi
	key="$(uname -r) $(qemu-system-x86_64 --version | head -n 1)"
	cache=$TM_BUILD/accel
	if [ -f "$cache" ] && [ "$(head -n 1 "$cache")" = "$key" ]; then
		tail -n 1 "$cache"
		return 0
	fi
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		dir=$(mktemp -d)
		# shellcheck disable=SC2046 # word splitting of the base command
		timeout -k 5 30 $(tm_qemu_base) $(tm_accel_args kvm) \
			-kernel "$vmlinuz" -initrd "$initrd" \
			-serial null -serial "file:$dir/out" \
			-append "console=ttyS0 panic=-1 quiet tm_mode=probe" \
			>/dev/null 2>&1 || true
		grep -q TM-PROBE-OK "$dir/out" 2>/dev/null && verdict=kvm
		rm -rf "$dir"
	fi
	mkdir -p "$TM_BUILD"
	printf '%s\n%s\n' "$key" "$verdict" >"$cache"
	echo "$verdict"
}
