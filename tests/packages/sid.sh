#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/packages/sid.sh [--results FILE] [--no-boot]
#
# The package test on Debian's newest distribution (issue 18): sid's dkms
# and debhelper are newer than Debian 12's and behave differently, and
# its kernel is the one users upgrade to next.  As root:
#   sid-build        make deb (mk/packaging.mk)
#   sid-deb-install  apt-get install ./taskmonitor-dkms_*.deb into an
#                    overlay of the harness's cached sid chroot
#                    ($TM_CACHE/chroots/sid, see tests/lib/host.sh), which
#                    holds the headers of the sid kernel tests/kernels
#                    names: sid's dkms must say installed for that kernel,
#                    with the .ko under /lib/modules/<kver>/, built for it
#                    and known to depmod
#   sid-boot         that DKMS-built .ko boots in the QEMU harness on sid's
#                    kernel and is loaded with modprobe, with the shipped
#                    modprobe.d file and an admin's (guest/package.sh)
#   sid-deb-purge    apt-get purge leaves nothing of it in /var/lib/dkms,
#                    /lib/modules or /usr/src
#   sid-no-kernel-calls  no package script ran modprobe, insmod or rmmod
# Prints one "TM-RESULT PASS|FAIL packages/<step>[: reason]" line per step
# (appended to FILE with --results), then "N passed, N failed"; exits 1
# if a step failed, 2 on a usage error.  Logs: build/logs/packages-sid/.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/host.sh
. "$here/../lib/host.sh"
# shellcheck source=tests/packages/chroot.sh
. "$here/chroot.sh"
# shellcheck source=tests/packages/steps.sh
. "$here/steps.sh"
pkg_args "$@"

version=$(cat "$TM_TOP/VERSION")
deb=$TM_TOP/build/packages/taskmonitor-dkms_${version}_all.deb
logs=$TM_BUILD/logs/packages-sid
rm -rf "$logs"
mkdir -p "$logs"
series=$(awk '!/^#/ && $2 == "sid" { print $1; exit }' "$TM_KERNELS_FILE")
[ -n "$series" ] || tm_die "tests/kernels names no sid kernel"
kver=$(tm_kver "$series")
t_start=$(date +%s)

in_root() {
	echo "# $*" >&2
	pkg_chroot "$root" "$@" >&2
}

ko_of() {
	find "$root/lib/modules/$1" "$root/usr/lib/modules/$1" -name 'taskmonitor.ko*' 2>/dev/null | head -n 1
}

# guard: divert the module tools of the overlay to the package test's
# stub (chroot.sh), wherever sid puts them: the chroot shares the host's
# kernel, into which nothing may be loaded.
guard() {
	local t g k
	in_root apt-get install -y -q kmod || why "cannot install kmod"
	for t in modprobe insmod rmmod; do
		g=$(pkg_chroot "$root" sh -c "command -v $t") || why "no $t in sid"
		pkg_chroot "$root" dpkg-divert --quiet --local --rename \
			--divert "$g.pkgtest-real" --add "$g"
		pkg_guard_script >"$root$g"
		chmod 0755 "$root$g"
	done
	# The harness's chroot got its kernels without kmod, so no depmod ran
	# for them, as it does on a real system; sid's dkms does not run
	# depmod for a kernel without a modules.dep ("not installed").
	for k in "$root"/lib/modules/*/; do
		in_root depmod -a "$(basename "$k")" || why "depmod $(basename "$k") failed"
	done
}

s_build() {
	make --no-print-directory -C "$TM_TOP" -f mk/packaging.mk deb >&2 || why "make deb failed"
}

s_deb_install() {
	local state ko vermagic
	guard
	cp "$deb" "$root/tmp/"
	in_root apt-get install -y -q "/tmp/$(basename "$deb")" ||
		why "apt-get install ./$(basename "$deb") failed in sid"
	state=$(pkg_chroot "$root" dkms status -m taskmonitor -v "$version" -k "$kver" 2>/dev/null |
		sed -n "s|^taskmonitor/$version, $kver, [^:]*: \([a-z]*\).*|\1|p")
	[ "$state" = installed ] || why "sid's dkms status for $kver is '${state:-nothing}', not installed"
	ko=$(ko_of "$kver")
	[ -n "$ko" ] || why "no taskmonitor.ko under /lib/modules/$kver/"
	vermagic=$(pkg_chroot "$root" modinfo -F vermagic "${ko#"$root"}")
	[[ $vermagic == "$kver "* ]] || why "${ko#"$root"} is not built for $kver ($vermagic)"
	grep -rqs "taskmonitor.ko" "$root"/{usr/,}lib/modules/"$kver"/modules.dep ||
		why "depmod did not register ${ko#"$root"} for $kver"
}

s_boot() {
	local ko ov=$work/overlay
	ko=$(ko_of "$kver")
	mkdir -p "$ov/tm/suites" "$ov/tm/pkg" "$ov/usr/lib/modprobe.d" "$ov/lib" "$work/ko"
	case $ko in
	*.xz) xz -dc "$ko" >"$work/ko/taskmonitor.ko" ;;
	*.zst) zstd -qdc "$ko" >"$work/ko/taskmonitor.ko" ;;
	*.gz) gzip -dc "$ko" >"$work/ko/taskmonitor.ko" ;;
	*) cp "$ko" "$work/ko/taskmonitor.ko" ;;
	esac
	cp "$root/usr/lib/modprobe.d/taskmonitor.conf" "$ov/usr/lib/modprobe.d/"
	ln -s ../usr/lib/modprobe.d "$ov/lib/modprobe.d"
	cp "$TM_TOP/VERSION" "$ov/tm/pkg/version"
	cp "$here/guest/package.sh" "$ov/tm/suites/package.sh"
	"$TM_TOP/tests/run.sh" --kernel "$kver" --ko "$work/ko/taskmonitor.ko" \
		--overlay "$ov" --tests package --log-name "package-$kver" >&2 ||
		why "$(grep -m 1 'TM-RESULT FAIL' "$TM_BUILD/logs/package-$kver.results" 2>/dev/null ||
			echo "tests/run.sh failed") (serial log: $TM_BUILD/logs/package-$kver.log)"
	[ "$(grep -c 'TM-RESULT PASS' "$TM_BUILD/logs/package-$kver.results")" -ge 4 ] ||
		why "fewer than 4 guest tests passed"
}

s_deb_purge() {
	local left
	in_root apt-get purge -y -q taskmonitor-dkms || why "apt-get purge taskmonitor-dkms failed"
	left=$(find "$root"/{var/lib/dkms,usr/lib/modules,usr/src} -name '*taskmonitor*' 2>/dev/null |
		sed "s|^$root||" | tr '\n' ' ' || true)
	[ -z "$left" ] || why "left behind: $left"
}

s_no_kernel_calls() {
	local calls
	calls=$(pkg_kernel_calls "$root")
	[ -z "$calls" ] || why "module tools were called: $(tr '\n' ';' <<<"$calls")"
}

# The sid system: an overlay of the harness's sid chroot, made (and given
# the headers of $kver) if need be; apt's downloads kept beside it.
sid_root=$(tm_root_of "$kver") || tm_die "cannot make the sid chroot with the headers of $kver"
PKG_BASE=$sid_root
PKG_DEBS=$TM_CACHE/chroots/sid-debs
mkdir -p "$PKG_DEBS/partial"
work=$(mktemp -d "$TM_CACHE/chroots/sid-run.XXXXXX")
root=$work/root
trap 'pkg_leave "$work"' EXIT
trap 'exit 130' INT TERM
pkg_enter "$work" >/dev/null

pkg_log "package test of taskmonitor $version in Debian sid: kernel $kver"
step sid-build s_build
step sid-deb-install s_deb_install needs
[ $boot = 0 ] || step sid-boot s_boot needs
step sid-deb-purge s_deb_purge needs
broken=''
step sid-no-kernel-calls s_no_kernel_calls

pkg_log "sid package test done in $(($(date +%s) - t_start)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
