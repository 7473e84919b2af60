# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The Debian 12 system the package tests install into, sourced by
# tests/packages/run.sh (bash).
#
# A pristine base (debootstrap --variant=minbase bookworm, plus the few
# things every real Debian system has that minbase lacks) is kept in
# $TM_PKG_CACHE/bookworm-chroot, outside the checkout, and reused across
# runs.  It is rebuilt when it is missing, was left half-made, fails a
# health check, or was made by an older recipe.  Every test run works in
# an overlay on top of it (pkg_enter), so the base itself is never
# changed by a test and each run starts from the same system; the .debs
# apt downloads are kept in $TM_PKG_CACHE/bookworm-debs, bound in as apt's
# archive directory.
#
# Nothing here may load a module into the host's kernel, which the chroot
# shares: modprobe, insmod and rmmod are diverted in the base to a stub
# that refuses and records the call (pkg_kernel_calls lists them).

TM_PKG_CACHE=${TM_PKG_CACHE:-${TM_CACHE:-/var/cache/taskmonitor}}
PKG_BASE=$TM_PKG_CACHE/bookworm-chroot
PKG_DEBS=$TM_PKG_CACHE/bookworm-debs
# Bump when the recipe below changes, so that older bases are rebuilt.
PKG_RECIPE=5
# Installed into the base besides minbase: what a Debian system has and
# the tests use (ps for dkms's --rpm_safe_upgrade check, openssl for the
# DKMS signing key, rpm for the .rpm test).
PKG_BASE_EXTRA="procps openssl rpm"
# The module tools a package script could use to touch the kernel.
PKG_GUARDED="/sbin/modprobe /sbin/insmod /sbin/rmmod"
# Where the stub records calls, inside the chroot.
PKG_GUARD_LOG=/var/log/pkgtest-kernel-calls

pkg_log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
pkg_die() { pkg_log "error: $*"; exit 1; }

# pkg_mirrors: "MAIN SECURITY", the Debian mirrors this host's apt uses
# for bookworm and bookworm-security (no mirror is named in the tree).
pkg_mirrors() {
	local main sec
	main=${TM_DEBIAN_MIRROR:-$(apt-cache policy 2>/dev/null |
		awk '$3 == "bookworm/main" && $4 == "amd64" { print $2; exit }')}
	sec=${TM_DEBIAN_SECURITY_MIRROR:-$(apt-cache policy 2>/dev/null |
		awk '$3 == "bookworm-security/main" && $4 == "amd64" { print $2; exit }')}
	[ -n "$main" ] || pkg_die "this host's apt knows no bookworm mirror (set TM_DEBIAN_MIRROR, or apt-get update)"
	[ -n "$sec" ] || pkg_die "this host's apt knows no bookworm-security mirror (set TM_DEBIAN_SECURITY_MIRROR)"
	echo "$main $sec"
}

# pkg_mounts_under DIR: the mount points at or below DIR, deepest first.
pkg_mounts_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r
}

# pkg_umount_all DIR: unmount everything at or below DIR; lazily as a
# last resort, so that nothing is left behind.
pkg_umount_all() {
	local m
	for m in $(pkg_mounts_under "$1"); do
		umount "$m" 2>/dev/null || umount -l "$m" ||
			pkg_log "warning: cannot unmount $m"
	done
}

# pkg_kill_in ROOT: end the processes whose root directory is ROOT (what a
# failed step may have left running in the chroot), by PID.
pkg_kill_in() {
	local p r pids=
	for p in /proc/[0-9]*; do
		r=$(readlink "$p/root" 2>/dev/null) || continue
		[ "$r" = "$1" ] && pids="$pids ${p#/proc/}"
	done
	[ -z "$pids" ] && return 0
	pkg_log "ending processes left in $1:$pids"
	# shellcheck disable=SC2086 # one argument per PID
	kill -9 $pids 2>/dev/null || true
}

# pkg_bind ROOT: bind /proc, /sys, /dev and /dev/pts into ROOT.
pkg_bind() {
	local d
	for d in proc sys dev dev/pts; do
		mount --bind "/$d" "$1/$d"
	done
}

# pkg_chroot ROOT CMD...: run CMD in ROOT with a clean environment.
pkg_chroot() {
	local root=$1
	shift
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive TERM=dumb chroot "$root" "$@"
}

# pkg_guard_script: the stub that replaces modprobe, insmod and rmmod in
# the base.  The chroot shares the host's kernel, into which nothing may
# be loaded and from which nothing may be removed.  Queries that only read
# files (mkinitramfs's modprobe --show-depends) go to the real tool;
# anything else is refused and recorded in PKG_GUARD_LOG.
pkg_guard_script() {
	sed "s|@LOG@|$PKG_GUARD_LOG|" <<-'EOF'
		#!/bin/sh
		# taskmonitor-guard: see tests/packages/chroot.sh in taskmonitor.
		if [ "${0##*/}" = modprobe ]; then
			for a in "$@"; do
				case $a in
				--show-depends | -D | --dry-run | -n | --showconfig | -c | --show-modversions | --dump-modversions | --resolve-alias | -R)
					exec "$0.pkgtest-real" "$@" ;;
				esac
			done
		fi
		echo "$0 $*" >>@LOG@
		echo "package test chroot: refusing to run $0 $*" >&2
		exit 1
	EOF
}

# pkg_base_healthy: is the cached base complete, of this recipe, sane?
pkg_base_healthy() {
	[ -f "$PKG_BASE/.taskmonitor-base" ] || return 1
	[ "$(cat "$PKG_BASE/.taskmonitor-base")" = "recipe $PKG_RECIPE" ] || return 1
	[ -z "$(pkg_mounts_under "$PKG_BASE")" ] || return 1
	pkg_chroot "$PKG_BASE" /bin/true 2>/dev/null || return 1
	[ -z "$(pkg_chroot "$PKG_BASE" dpkg --audit 2>&1)" ] || return 1
	local g
	for g in $PKG_GUARDED; do
		grep -q taskmonitor-guard "$PKG_BASE$g" 2>/dev/null || return 1
	done
}

# pkg_make_base: build the base from scratch into $PKG_BASE.
pkg_make_base() {
	local new=$PKG_BASE.new main sec g
	read -r main sec <<<"$(pkg_mirrors)"
	pkg_log "building the Debian 12 base in $PKG_BASE (debootstrap, a few minutes)"
	# What a killed run left mounted (we hold the lock: no run is
	# using them) would otherwise be deleted through its mount point.
	pkg_kill_in "$new"
	pkg_umount_all "$new"
	pkg_umount_all "$PKG_BASE"
	[ -z "$(pkg_mounts_under "$new")$(pkg_mounts_under "$PKG_BASE")" ] ||
		pkg_die "cannot unmount what is mounted under $PKG_BASE"
	rm -rf "$new" "$PKG_BASE"
	mkdir -p "$PKG_DEBS/partial"
	if ! debootstrap --variant=minbase --arch=amd64 --cache-dir="$PKG_DEBS" \
		bookworm "$new" "$main" >"$TM_PKG_CACHE/debootstrap.log" 2>&1; then
		pkg_kill_in "$new"
		pkg_umount_all "$new"
		tail -n 20 "$TM_PKG_CACHE/debootstrap.log" >&2
		pkg_die "debootstrap failed (log: $TM_PKG_CACHE/debootstrap.log)"
	fi
	cat >"$new/etc/apt/sources.list" <<-EOF
		deb $main bookworm main
		deb $main bookworm-updates main
		deb $sec bookworm-security main
	EOF
	# No manuals, translations, or the kernel images' own modules:
	# smaller and much faster (the 6.12 headers depend on the 6.12 image,
	# whose 4000 modules depmod would index twice), and nothing the tests
	# look at: DKMS builds against the headers, the guests boot the QEMU
	# harness's own copy of each kernel, and the packages' files are
	# listed from the .deb and .rpm themselves.
	cat >"$new/etc/dpkg/dpkg.cfg.d/pkgtest-small" <<-'EOF'
		path-exclude=/usr/share/man/*
		path-exclude=/usr/share/locale/*
		path-exclude=/usr/share/info/*
		path-exclude=/lib/modules/*/kernel/*
		path-exclude=/usr/lib/modules/*/kernel/*
	EOF
	echo 'APT::Install-Recommends "false";' >"$new/etc/apt/apt.conf.d/90pkgtest-no-recommends"
	for g in $PKG_GUARDED; do
		pkg_chroot "$new" dpkg-divert --quiet --local --rename \
			--divert "$g.pkgtest-real" --add "$g"
		pkg_guard_script >"$new$g"
		chmod 0755 "$new$g"
	done
	# initramfs-tools comes with the 6.12 kernel (the headers depend on the
	# image); a small initramfs is enough and much faster to make.
	mkdir -p "$new/etc/initramfs-tools/conf.d"
	echo 'MODULES=list' >"$new/etc/initramfs-tools/conf.d/pkgtest-small"
	(
		set -e
		trap 'pkg_kill_in "$new"; pkg_umount_all "$new"' EXIT
		pkg_bind "$new"
		mount --bind "$PKG_DEBS" "$new/var/cache/apt/archives"
		pkg_chroot "$new" apt-get update -q >/dev/null
		# shellcheck disable=SC2086 # one argument per package
		pkg_chroot "$new" apt-get install -y -q $PKG_BASE_EXTRA >/dev/null
	) || pkg_die "could not install $PKG_BASE_EXTRA in the base"
	pkg_chroot "$new" apt-get clean
	echo "recipe $PKG_RECIPE" >"$new/.taskmonitor-base"
	mv "$new" "$PKG_BASE"
}

# pkg_lock: take the lock of the package tests for as long as the calling
# shell lives, so that a second run (another checkout, another engineer)
# waits instead of rebuilding the base or the packages under the first.
pkg_lock() {
	[ -z "${PKG_LOCK_FD:-}" ] || return 0
	mkdir -p "$TM_PKG_CACHE"
	exec {PKG_LOCK_FD}>"$TM_PKG_CACHE/bookworm-chroot.lock"
	if ! flock -n "$PKG_LOCK_FD"; then
		pkg_log "waiting for another package test run (lock $TM_PKG_CACHE/bookworm-chroot.lock)"
		flock "$PKG_LOCK_FD"
	fi
}

# pkg_ensure_base: a healthy base in $PKG_BASE, built if need be, under
# the lock.
pkg_ensure_base() {
	pkg_lock
	if pkg_base_healthy; then
		pkg_log "reusing the Debian 12 base in $PKG_BASE"
	else
		pkg_make_base
		pkg_base_healthy || pkg_die "the new base in $PKG_BASE is not healthy"
	fi
}

# pkg_enter WORKDIR: an overlay of the base at WORKDIR/root, with /proc,
# /sys, /dev and the .deb cache bound in; prints the root.  The caller
# must arrange for pkg_leave WORKDIR to run on exit.
pkg_enter() {
	local w=$1
	mkdir -p "$w/upper" "$w/work" "$w/root"
	mount -t overlay taskmonitor-pkgtest \
		-o "lowerdir=$PKG_BASE,upperdir=$w/upper,workdir=$w/work" "$w/root"
	pkg_bind "$w/root"
	mount --bind "$PKG_DEBS" "$w/root/var/cache/apt/archives"
	echo "$w/root"
}

# pkg_leave WORKDIR: end what runs in the overlay, unmount it all and
# delete it.
pkg_leave() {
	local w=$1
	[ -d "$w" ] || return 0
	pkg_kill_in "$w/root"
	pkg_umount_all "$w/root"
	if [ -n "$(pkg_mounts_under "$w")" ]; then
		pkg_log "warning: $w still has mounts; not deleting it"
		return 1
	fi
	rm -rf "$w"
}

# pkg_kernel_calls ROOT: the module-tool calls the stub refused, if any.
pkg_kernel_calls() {
	cat "$1$PKG_GUARD_LOG" 2>/dev/null || true
}
