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
#   K61, K612, K510, K72, ...  kernel ABI to use for a series instead
#              of the one tests/kernels names, e.g. K61=6.1.0-55
#   TM_DEBIAN_MIRROR  the Debian mirror of the suite chroots (default:
#              the one the host's apt uses)
#   TM_ACCEL   kvm or tcg (default: probe once, see tm_accel)
#   JOBS       parallel jobs for kernel module builds (default 2)

TM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TM_CACHE=${TM_CACHE:-/var/cache/taskmonitor}
TM_BUILD=${TM_BUILD:-$TM_TOP/build}
JOBS=${JOBS:-2}
# The header flavours every ABI is compiled against.
TM_FLAVOURS=${TM_FLAVOURS:-amd64 rt-amd64 cloud-amd64}
# The file naming the kernel of each series (see its header).
TM_KERNELS_FILE=${TM_KERNELS_FILE:-$TM_TOP/tests/kernels}
# The host's own Debian suite: its series come from the host's apt.
TM_HOST_SUITE=${TM_HOST_SUITE:-$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")}

tm_msg() { printf '%s\n' "$*" >&2; }
tm_die() { tm_msg "error: $*"; exit 2; }

# tm_kernels_field SERIES COLUMN: a column (2 suite, 3 abi, 4- boot
# flavours) of the series' line in tests/kernels; status 1 if unlisted.
tm_kernels_field() {
	awk -v s="$1" -v c="$2" '!/^#/ && $1 == s {
		out = $c; for (i = c + 1; c >= 4 && i <= NF; i++) out = out " " $i
		print out; found = 1 } END { exit !found }' "$TM_KERNELS_FILE"
}

# tm_all_series: every series tests/kernels names, in its order.
tm_all_series() {
	awk '!/^#/ && NF >= 3 { print $1 }' "$TM_KERNELS_FILE"
}

# tm_host_series: the series of the host's own suite (host headers).
tm_host_series() {
	awk -v h="$TM_HOST_SUITE" '!/^#/ && $2 == h { print $1 }' "$TM_KERNELS_FILE"
}
TM_SERIES=${TM_SERIES:-$(tm_host_series | tr '\n' ' ')}

# tm_default_kernels: what make check boots: every series of
# tests/kernels in the flavours its boot column names (6.1, 7.2-rt),
# leaving out those marked "+" unless TM_WIDE=1 (make check-wide).
tm_default_kernels() {
	awk -v wide="${TM_WIDE:-0}" '!/^#/ && NF >= 4 { for (i = 4; i <= NF; i++) {
		f = $i
		if (sub(/^\+/, "", f) && wide != 1) continue
		print $1 (f == "amd64" ? "" : "-" substr(f, 1, index(f, "-") - 1)) } }' \
		"$TM_KERNELS_FILE" | tr '\n' ' '
}

# tm_abi SERIES: the ABI (6.1.0-56, 6.12.117+deb12) to use for a series:
# K<series without dots> if set (K61, K612), else what tests/kernels says.
tm_abi() {
	local series=$1 var override
	var=K${series//./}
	override=${!var:-}
	if [ -n "$override" ]; then
		# Accept a full kernel release too: strip the flavour.
		override=${override%-amd64}
		override=${override%-rt}
		override=${override%-cloud}
		echo "$override"
		return 0
	fi
	tm_kernels_field "$series" 3 ||
		tm_die "kernel series '$series' is not in $TM_KERNELS_FILE ($(tm_all_series | tr '\n' ' '))"
}

# tm_newest_abi SERIES: the newest ABI of SERIES that Debian offers with
# the image and the headers of every flavour (host apt for the host's
# suite, the suite's chroot otherwise).
tm_newest_abi() {
	local series=$1 suite root abi names candidates
	suite=$(tm_kernels_field "$series" 2) || return 1
	if [ "$suite" = "$TM_HOST_SUITE" ]; then
		names=$(apt-cache pkgnames linux- 2>/dev/null)
	else
		root=$(tm_suite_root "$suite") || return 1
		names=$(tm_in_root "$root" apt-cache pkgnames linux- 2>/dev/null)
	fi
	# Every ABI of any minor release of the series' major.minor and
	# later (sid moves from 7.2 to 7.3): the images, newest first.
	candidates=$(grep -E '^linux-(image|binary)-' <<<"$names" |
		sed -n -E 's/^linux-(image|binary)-(unsigned-)?([0-9][^-]*(-[0-9]+)?)-amd64(-unsigned)?$/\3/p' |
		sort -Vru)
	for abi in $candidates; do
		local f ok=1
		for f in $TM_FLAVOURS; do
			grep -qxF "linux-headers-$abi-$f" <<<"$names" || ok=0
		done
		[ $ok = 1 ] || continue
		# Only the series' own line (5.10 stays 5.10), but sid's moves on.
		case $suite in
		sid | unstable | trixie | forky | testing) ;;
		*) [[ $abi == "$series".* ]] || continue ;;
		esac
		echo "$abi"
		return 0
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
	*) tm_die "cannot parse kernel '$spec' (a series of tests/kernels such as 6.1, with -rt or -cloud, or a full release)" ;;
	esac
	abi=$(tm_abi "$series") || exit 2
	echo "$abi-$flavour"
}

# tm_kernel_notices SERIES...: a notice for each SERIES for which Debian
# now has a newer kernel than tests/kernels names (from the host's apt
# lists, or the suite chroot's, refreshed when a few hours old).  Never
# fails: a new kernel is news, not a broken build.
tm_kernel_notices() {
	local series abi newest suite root
	for series in "$@"; do
		abi=$(tm_kernels_field "$series" 3)
		suite=$(tm_kernels_field "$series" 2)
		# The chroot's lists, if more than a few hours old, are refreshed.
		if [ "$suite" != "$TM_HOST_SUITE" ] && root=$(tm_suite_root "$suite" 2>/dev/null) &&
			! find "$root/var/lib/apt/lists" -maxdepth 1 -name '*Release' -mmin -360 | grep -q .; then
			(tm_lock "$root.lock"; tm_in_root "$root" apt-get update -q >/dev/null 2>&1) || true
		fi
		newest=$(tm_newest_abi "$series" 2>/dev/null) || continue
		[ "$newest" != "$abi" ] || continue
		[ "$(printf '%s\n%s\n' "$abi" "$newest" | sort -V | tail -n 1)" = "$newest" ] || continue
		echo "notice: Debian $suite has a newer $series kernel, $newest, than tests/kernels names ($abi): bump its line"
	done
}

# tm_suite_of KVER: the Debian suite a kernel release comes from (the
# tests/kernels line whose ABI it starts with), else the host's.
tm_suite_of() {
	local series abi
	for series in $(tm_all_series); do
		abi=$(tm_abi "$series")
		case $1 in
		"$abi"-*) tm_kernels_field "$series" 2; return 0 ;;
		esac
	done
	echo "$TM_HOST_SUITE"
}

# tm_root_of KVER: the suite chroot that builds for KVER, created (and
# given KVER's headers) if need be; nothing for a kernel of the host's
# own suite, whose headers the host has.
tm_root_of() {
	local suite root
	suite=$(tm_suite_of "$1")
	[ "$suite" != "$TM_HOST_SUITE" ] || return 0
	root=$(tm_suite_root "$suite") || return 1
	tm_root_headers "$root" "$1" || return 1
	echo "$root"
}

# tm_kdir KVER: the kernel build directory of installed headers (inside
# the suite chroot for a kernel of another suite: see tm_build_kmod).
tm_kdir() {
	local root=
	[ -n "${2:-}" ] && root=$2
	if [ -d "$root/usr/src/linux-headers-$1" ]; then
		echo "/usr/src/linux-headers-$1"
	else
		echo "/lib/modules/$1/build"
	fi
}

# tm_mirror: the Debian mirror the host's apt uses for its own suite.
tm_mirror() {
	local m=${TM_DEBIAN_MIRROR:-}
	[ -n "$m" ] || m=$(apt-cache policy 2>/dev/null |
		awk -v s="$TM_HOST_SUITE/main" '$3 == s && $4 == "amd64" { print $2; exit }')
	[ -n "$m" ] || tm_die "this host's apt knows no $TM_HOST_SUITE mirror (set TM_DEBIAN_MIRROR, or apt-get update)"
	echo "$m"
}

# tm_in_root ROOT CMD...: run CMD chrooted into ROOT, with a clean
# environment, in a mount namespace of its own (so nothing stays mounted,
# whatever happens) holding /proc (objtool reads it), /dev, and $TM_BUILD
# at its own path (the module build trees).
tm_in_root() {
	local root=$1
	shift
	mkdir -p "$TM_BUILD" "$root$TM_BUILD"
	# shellcheck disable=SC2016 # the inner shell expands them
	unshare --mount --propagation private -- /bin/sh -c '
		root=$1 build=$2
		shift 2
		mount -t proc proc "$root/proc" &&
			mount --bind /dev "$root/dev" &&
			mount --bind "$build" "$root$build" || exit 2
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			chroot "$root" "$@"' tm-chroot "$root" "$TM_BUILD" "$@"
}

# tm_suite_root SUITE: $TM_CACHE/chroots/SUITE, a minimal Debian SUITE
# (debootstrap --variant=minbase, plus make) that builds modules for that
# suite's kernels with its own gcc and kbuild; made once, under a lock,
# and reused by every checkout.  Prints its path.
tm_suite_root() {
	local suite=$1 root=$TM_CACHE/chroots/$1
	if [ ! -f "$root/.complete" ]; then
		(
			tm_lock "$TM_CACHE/.lock-chroot-$suite"
			[ -f "$root/.complete" ] && exit 0
			tm_make_suite_root "$suite" "$root"
		) >&2 || return 1
	fi
	echo "$root"
}

# tm_make_suite_root SUITE ROOT: debootstrap it (the caller holds the lock).
tm_make_suite_root() {
	local suite=$1 root=$2 mirror new=$2.new log=$2.log
	mirror=$(tm_mirror)
	tm_msg "creating the Debian $suite chroot $root (debootstrap, a few minutes, once)"
	rm -rf "$new"
	mkdir -p "$(dirname "$root")"
	if ! debootstrap --variant=minbase --arch=amd64 --include=make \
		"$suite" "$new" "$mirror" >"$log" 2>&1; then
		tail -n 5 "$log" >&2
		tm_die "debootstrap of $suite failed (log: $log)"
	fi
	echo "deb $mirror $suite main" >"$new/etc/apt/sources.list"
	# sid's Release file may be past its Valid-Until on the mirror.
	cat >"$new/etc/apt/apt.conf.d/90taskmonitor" <<-'EOF'
		APT::Install-Recommends "false";
		Acquire::Check-Valid-Until "false";
	EOF
	# The headers pull in the kernel image: not its thousands of modules
	# (the guests boot the harness's own copy of the image), no manuals.
	cat >"$new/etc/dpkg/dpkg.cfg.d/90taskmonitor" <<-'EOF'
		path-exclude=/lib/modules/*/kernel/*
		path-exclude=/usr/lib/modules/*/kernel/*
		path-exclude=/usr/share/man/*
		path-exclude=/usr/share/locale/*
		path-exclude=/usr/share/doc/*
	EOF
	mkdir -p "$new/etc/initramfs-tools/conf.d"
	echo 'MODULES=list' >"$new/etc/initramfs-tools/conf.d/taskmonitor"
	rm -rf "$root"
	mv "$new" "$root"
	touch "$root/.complete"
}

# tm_root_headers ROOT KVER: install the headers of KVER in the suite
# chroot ROOT unless they are there (a kernel bump refreshes the chroot).
tm_root_headers() {
	local root=$1 kver=$2
	[ -f "$root/usr/src/linux-headers-$kver/Makefile" ] && return 0
	(
		tm_lock "$root.lock"
		[ -f "$root/usr/src/linux-headers-$kver/Makefile" ] && exit 0
		tm_msg "installing linux-headers-$kver in $root"
		# apt's lists are refreshed only when they lack the package.
		{
			tm_in_root "$root" apt-get install -y -q "linux-headers-$kver" || {
				tm_in_root "$root" apt-get update -q &&
					tm_in_root "$root" apt-get install -y -q "linux-headers-$kver"
			} && tm_in_root "$root" apt-get clean
		} >>"$root.log" 2>&1 ||
			tm_die "cannot install linux-headers-$kver in $root (log: $root.log)"
	) >&2
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

# tm_kernel_debs KVER: the package names that may hold KVER's image,
# most likely first (sid ships it in linux-binary-*, linux-image-* being a
# metapackage there).
tm_kernel_debs() {
	echo "linux-image-$1-unsigned linux-binary-unsigned-$1 linux-binary-$1 linux-image-$1"
}

# tm_vmlinuz DIR KVER: the image in an extracted kernel package.
tm_vmlinuz() {
	local f
	for f in "$1/boot/vmlinuz-$2" "$1/usr/lib/modules/$2/vmlinuz" \
		"$1/usr/lib/modules/$2/vmlinuz.unsigned" "$1/lib/modules/$2/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# tm_fetch_kernel KVER: make sure $TM_CACHE/kernels/KVER holds the
# extracted kernel image package; prints the vmlinuz path.  A kernel of
# another suite is downloaded by that suite's chroot's apt.
tm_fetch_kernel() {
	local kver=$1 dir deb pkg root=
	dir=$TM_CACHE/kernels/$kver
	if [ "$(tm_suite_of "$kver")" != "$TM_HOST_SUITE" ]; then
		root=$(tm_root_of "$kver") || return 1
	fi
	if [ ! -f "$dir/.complete" ]; then
		(
			tm_lock "$TM_CACHE/.lock"
			[ -f "$dir/.complete" ] && exit 0
			mkdir -p "$TM_CACHE/debs"
			deb=
			for pkg in $(tm_kernel_debs "$kver"); do
				deb=$(find "$TM_CACHE/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
				[ -z "$deb" ] || break
				tm_kernel_download "$pkg" "$root"
				deb=$(find "$TM_CACHE/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort -V | tail -n 1)
				[ -z "$deb" ] || break
			done
			[ -n "$deb" ] || tm_die "could not download any of $(tm_kernel_debs "$kver")"
			tm_msg "extracting $(basename "$deb")"
			rm -rf "$dir"
			mkdir -p "$dir"
			dpkg-deb -x "$deb" "$dir"
			tm_vmlinuz "$dir" "$kver" >/dev/null || tm_die "$deb holds no vmlinuz of $kver"
			touch "$dir/.complete"
		) || return 1
	fi
	tm_vmlinuz "$dir" "$kver"
}

# The kernel modules every guest gets, when its kernel has them (paths
# under lib/modules/KVER/kernel, no suffix): brd, the RAM disk of
# identity/test_io_bytes_match_proc, the one block device the guest can
# have without a disk image.
TM_GUEST_MODULES=${TM_GUEST_MODULES:-drivers/block/brd}

# tm_guest_modules KVER: "PATH FILE" for each of TM_GUEST_MODULES found
# in KVER's extracted packages ($TM_CACHE/kernels/KVER).  Where the image
# package holds no modules (sid's linux-binary-*), linux-modules-KVER is
# downloaded and extracted beside it once.
tm_guest_modules() {
	local kver=$1 dir=$TM_CACHE/kernels/$1 m f root=
	[ -f "$dir/.complete" ] || return 0
	if [ ! -d "$dir/lib/modules/$kver/kernel" ] &&
		[ ! -d "$dir/usr/lib/modules/$kver/kernel" ] &&
		[ ! -f "$dir/.modules-complete" ]; then
		if [ "$(tm_suite_of "$kver")" != "$TM_HOST_SUITE" ]; then
			root=$(tm_root_of "$kver") || return 0
		fi
		(
			tm_lock "$TM_CACHE/.lock"
			[ -f "$dir/.modules-complete" ] && exit 0
			mkdir -p "$TM_CACHE/debs"
			f=$(find "$TM_CACHE/debs" -maxdepth 1 -name "linux-modules-${kver}_*.deb" | sort -V | tail -n 1)
			if [ -z "$f" ]; then
				tm_kernel_download "linux-modules-$kver" "$root"
				f=$(find "$TM_CACHE/debs" -maxdepth 1 -name "linux-modules-${kver}_*.deb" | sort -V | tail -n 1)
			fi
			[ -n "$f" ] || { tm_msg "warning: no linux-modules-$kver: its guests get no $TM_GUEST_MODULES"; exit 0; }
			tm_msg "extracting $(basename "$f")"
			dpkg-deb -x "$f" "$dir" && touch "$dir/.modules-complete"
		) >&2 || true
	fi
	for m in $TM_GUEST_MODULES; do
		for f in "$dir/lib/modules/$kver/kernel/$m".ko* "$dir/usr/lib/modules/$kver/kernel/$m".ko*; do
			[ -f "$f" ] && echo "$m $f"
		done
	done
	return 0
}

# tm_kernel_download PKG [ROOT]: apt-get download PKG into
# $TM_CACHE/debs, with the host's apt or, given ROOT, that chroot's.
tm_kernel_download() {
	local pkg=$1 root=${2:-} tmp
	if [ -z "$root" ]; then
		(cd "$TM_CACHE/debs" && apt-get download -q "$pkg" 2>&1 |
			grep -v 'unsandboxed as root' >&2) || true
		return 0
	fi
	# Only a package that exists: the others are tried in turn.
	tm_in_root "$root" apt-cache show "$pkg" >/dev/null 2>&1 || return 0
	tm_msg "downloading $pkg (Debian $(basename "$root"))"
	tmp=$TM_BUILD/.download-$pkg
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tm_in_root "$root" sh -c "cd '$tmp' && apt-get download -q '$pkg'" 2>&1 |
		grep -v 'unsandboxed as root' >&2 || true
	mv "$tmp"/*.deb "$TM_CACHE/debs/" 2>/dev/null || true
	rm -rf "$tmp"
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
	local name=$1 srcdir=$2 kver=$3 kdir out log root
	out=$TM_BUILD/$kver/$name
	log=$TM_BUILD/$kver/$name.log
	mkdir -p "$TM_BUILD/$kver"
	if ! root=$(tm_root_of "$kver" 2>"$log"); then
		echo "no $(tm_suite_of "$kver") chroot with the headers of $kver" >>"$log"
		return 1
	fi
	kdir=$(tm_kdir "$kver" "$root")
	if [ ! -f "$root$kdir/Makefile" ]; then
		echo "no headers for $kver in $root$kdir (run 'make deps')" >"$log"
		return 1
	fi
	tm_sync_tree "$srcdir" "$out"
	cp -p "$TM_TOP/VERSION" "$TM_BUILD/$kver/VERSION"
	if [ -n "$root" ]; then
		tm_in_root "$root" make -j"$JOBS" -C "$kdir" M="$out" W=1 modules >"$log" 2>&1
	else
		make -j"$JOBS" -C "$kdir" M="$out" W=1 modules >"$log" 2>&1
	fi
}

# tm_build_warnings LOG: the compiler diagnostics in a build log.
tm_build_warnings() {
	grep -E '(warning|error):' "$1" | grep -v 'Skipping BTF generation' || true
}

# tm_build_helpers: compile every tests/helpers/*.c statically into
# $TM_BUILD/helpers; prints that directory.  A helper is rebuilt when its
# source or any shared header of tests/helpers/ is newer than it.
tm_build_helpers() {
	local out=$TM_BUILD/helpers c bin h hdr=''
	mkdir -p "$out"
	for h in "$TM_TOP"/tests/helpers/*.h; do
		[ -e "$h" ] || continue
		if [ -z "$hdr" ] || [ "$h" -nt "$hdr" ]; then
			hdr=$h
		fi
	done
	for c in "$TM_TOP"/tests/helpers/*.c; do
		[ -e "$c" ] || continue
		bin=$out/$(basename "$c" .c)
		if [ ! -x "$bin" ] || [ "$c" -nt "$bin" ] ||
			{ [ -n "$hdr" ] && [ "$hdr" -nt "$bin" ]; }; then
			gcc -static -O2 -pthread -Wall -Wextra -Werror -o "$bin.tmp" "$c" ||
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
