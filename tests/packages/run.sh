#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/packages/run.sh [--results FILE] [--no-boot]
#
# The package test of `make check-packages` (issue 4), as root:
#   build       make dist deb rpm (mk/packaging.mk)
#   lintian     no error, no warning
#   rpmlint     nothing but what tests/packages/rpmlintrc explains
#   lists       the tarball's and the packages' files are exactly the
#               expected ones, and one version is everywhere (lists.sh)
#   release     in the tarball extracted to a directory with no git, as a
#               user of a release has it: make dist remakes the same
#               tarball byte for byte, make deb and make rpm build
#               packages that pass lists.sh, and rpmbuild -ba on the
#               shipped taskmonitor.spec with the tarball in SOURCES
#               builds the .rpm and .src.rpm of VERSION
#   deb-install apt-get install ./taskmonitor-dkms_*.deb and the 6.1
#               headers into a fresh Debian 12 (debootstrap, see
#               chroot.sh): dkms says installed, the .ko is in
#               /lib/modules/<6.1>/, signed with the DKMS key, the group
#               exists
#   dkms-skip   a kernel older than 5.10 is skipped with dkms's exit 77
#   kernel-upgrade  installing the 6.12 headers (and so the 6.12 image)
#               builds and installs the module for 6.12 with no further
#               command
#   boot-6.1, boot-6.12  each DKMS-built .ko boots in the QEMU harness
#               (tests/run.sh) on its own kernel and is loaded with
#               modprobe target=PID, with the shipped modprobe.d file and
#               an admin's /etc/modprobe.d file (guest/package.sh)
#   deb-purge   apt-get purge leaves nothing in /var/lib/dkms,
#               /lib/modules, /usr/src, /usr/lib; the group stays
#   rpm-install rpm -i --nodeps of the .rpm on the same system: %pre made
#               the group, %post built and installed for 6.1 and 6.12
#   rpm-reinstall  rpm -U --replacepkgs keeps the module installed
#               (%preun's dkms remove is cancelled on an upgrade)
#   rpm-erase   rpm -e removes it all
#   tools-deb, tools-rpm  taskmonitor-tools installs taskmonitorctl, which
#               runs, its man page and bash completion; removal leaves no
#               taskmonitorctl
#   no-kernel-calls  no package script ran modprobe, insmod or rmmod
# Prints a "TM-RESULT PASS|FAIL packages/<step>[: reason]" line per step
# (also appended to FILE with --results) and ends with "N passed, N
# failed"; exits 1 if a step failed, 2 on a usage error.  Kernel
# ABIs: those of the QEMU harness (tm_kver in tests/lib/host.sh; K61 and
# K612 override).  Logs: build/logs/packages/.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/host.sh
. "$here/../lib/host.sh"
# shellcheck source=tests/packages/chroot.sh
. "$here/chroot.sh"
# shellcheck source=tests/packages/steps.sh
. "$here/steps.sh"
pkg_args "$@"

# One package test at a time on this machine: they share the cached base
# and, from one checkout, build/packages.
pkg_lock

version=$(cat "$TM_TOP/VERSION")
out=$TM_TOP/build/packages
tarball=$out/taskmonitor-$version.tar.gz
deb=$out/taskmonitor-dkms_${version}_all.deb
rpm=$out/taskmonitor-dkms-$version-1.noarch.rpm
tools_deb=$out/taskmonitor-tools_${version}_$(dpkg --print-architecture).deb
tools_rpm=$out/taskmonitor-tools-$version-1.$(rpm --eval '%{_arch}').rpm
pkgmake=(make --no-print-directory -C "$TM_TOP" -f mk/packaging.mk)
logs=$TM_BUILD/logs/packages
rm -rf "$logs"
mkdir -p "$logs"
k61=$(tm_kver 6.1)
k612=$(tm_kver 6.12)
t_start=$(date +%s)

# in_root CMD...: CMD in the test system, its output in the step's log
# with the time of each line.
in_root() {
	local rc line
	echo "# $*" >&2
	set +e
	pkg_chroot "$root" "$@" 2>&1 | while IFS= read -r line; do
		printf '%(%T)T %s\n' -1 "$line"
	done >&2
	rc=${PIPESTATUS[0]}
	set -e
	return "$rc"
}

# dkms_state KVER: "installed", "built", ... or nothing, for our module.
dkms_state() {
	pkg_chroot "$root" dkms status -m taskmonitor -v "$version" -k "$1" 2>/dev/null |
		sed -n "s|^taskmonitor/$version, $1, [^:]*: \([a-z]*\).*|\1|p"
}

# ko_of KVER: the module file DKMS installed for KVER, inside the root.
ko_of() {
	find "$root/lib/modules/$1" -name 'taskmonitor.ko*' 2>/dev/null | head -n 1
}

# expect_installed KVER: dkms status and the file agree it is installed.
expect_installed() {
	local kver=$1 state ko signer vermagic
	state=$(dkms_state "$kver")
	[ "$state" = installed ] || why "dkms status for $kver is '${state:-nothing}', not installed"
	ko=$(ko_of "$kver")
	[ -n "$ko" ] || why "no taskmonitor.ko under /lib/modules/$kver/"
	vermagic=$(pkg_chroot "$root" modinfo -F vermagic "${ko#"$root"}")
	[[ $vermagic == "$kver "* ]] || why "${ko#"$root"} is not built for $kver ($vermagic)"
	grep -q "^${ko#"$root/lib/modules/$kver/"}:" "$root/lib/modules/$kver/modules.dep" ||
		why "depmod did not register ${ko#"$root"} for $kver"
	signer=$(pkg_chroot "$root" modinfo -F signer "${ko#"$root"}" || true)
	echo "$kver: ${ko#"$root"}, signed by '${signer:-nobody}'" >&2
	[ "$signer" = "DKMS module signing key" ] ||
		why "${ko#"$root"} is not signed with the DKMS key (signer '$signer')"
}

# expect_gone: nothing of the package is left on the system.
expect_gone() {
	local left
	left=$(find "$root"/{var/lib/dkms,lib/modules,usr/src,usr/lib,usr/share/doc,usr/share/licenses,etc} \
		-name '*taskmonitor*' 2>/dev/null | sed "s|^$root||" | tr '\n' ' ' || true)
	[ -z "$left" ] || why "left behind: $left"
	if grep -l taskmonitor "$root"/lib/modules/*/modules.dep >/dev/null 2>&1; then
		why "modules.dep still names taskmonitor"
	fi
	pkg_chroot "$root" getent group taskmonitor >/dev/null ||
		why "the taskmonitor group was removed"
}

# --- the steps ------------------------------------------------------------

s_build() {
	"${pkgmake[@]}" dist deb rpm >&2 || why "make dist deb rpm failed"
}

s_lintian() {
	"${pkgmake[@]}" lintian >&2 || why "lintian: $(grep -E '^[EW]: ' "$logs/lintian.log" | head -n 3 | tr '\n' ' ')"
}

s_rpmlint() {
	"${pkgmake[@]}" rpmlint >&2 || why "rpmlint: $(grep -E ': [EW]: ' "$logs/rpmlint.log" | head -n 3 | tr '\n' ' ')"
}

s_lists() {
	local out
	out=$("$here/lists.sh" --tarball "$tarball" --deb "$deb" --rpm "$rpm") && { echo "$out" >&2; return 0; }
	echo "$out" >&2
	why "$(grep '^FAIL' <<<"$out" | tr '\n' ' ')"
}

s_release() {
	local rel=$work/release top rb
	top=$rel/taskmonitor-$version
	rb=$rel/rpmbuild
	rm -rf "$rel"
	mkdir -p "$rel" "$rb/SOURCES"
	tar -C "$rel" -xzf "$tarball"
	[ ! -e "$top/.git" ] || why "the tarball holds a .git"
	# As a user would run it: nothing inherited from this checkout's make.
	env -u SOURCE_DATE_EPOCH -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		make --no-print-directory -C "$top" dist deb rpm >&2 ||
		why "make dist deb rpm failed in the extracted tarball $top"
	cmp "$tarball" "$top/build/packages/$(basename "$tarball")" >&2 ||
		why "make dist in the extracted tarball made another tarball"
	"$here/lists.sh" --tarball "$top/build/packages/$(basename "$tarball")" \
		--deb "$top/build/packages/$(basename "$deb")" \
		--rpm "$top/build/packages/$(basename "$rpm")" >&2 ||
		why "the packages made in the extracted tarball fail lists.sh"
	cp "$tarball" "$rb/SOURCES/"
	# --nodeps: this Debian host's rpm database knows no BuildRequires.
	(cd "$top" && rpmbuild -ba --nodeps --define "_topdir $rb" taskmonitor.spec) >&2 ||
		why "rpmbuild -ba taskmonitor.spec failed in the extracted tarball"
	[ "$(rpm -qp --qf '%{VERSION}' "$rb/RPMS/noarch/taskmonitor-dkms-$version-1.noarch.rpm")" = "$version" ] ||
		why "rpmbuild -ba made no taskmonitor-dkms-$version-1.noarch.rpm"
	[ -f "$rb/SRPMS/taskmonitor-$version-1.src.rpm" ] ||
		why "rpmbuild -ba made no taskmonitor-$version-1.src.rpm"
	rm -rf "$rel"
}

s_deb_install() {
	in_root apt-get install -y "/tmp/$(basename "$deb")" "linux-headers-$k61" ||
		why "apt-get install ./$(basename "$deb") linux-headers-$k61 failed"
	expect_installed "$k61"
	pkg_chroot "$root" getent group taskmonitor >/dev/null || why "no taskmonitor group"
	[ -f "$root/var/lib/dkms/mok.pub" ] || why "dkms made no /var/lib/dkms/mok.pub"
}

# dkms 3.0.10 (Debian 12) ignores BUILD_EXCLUSIVE_KERNEL_MIN; the regular
# expression must skip an older kernel all the same, with exit 77.
s_dkms_skip() {
	local old=5.9.0-99-amd64 rc
	mkdir -p "$root/lib/modules/$old"
	ln -s "/usr/src/linux-headers-$k61" "$root/lib/modules/$old/build"
	set +e
	pkg_chroot "$root" dkms build -m taskmonitor -v "$version" -k "$old" >&2
	rc=$?
	set -e
	rm -rf "${root:?}/lib/modules/$old"
	[ $rc = 77 ] || why "dkms build for $old exited $rc, not 77"
}

s_kernel_upgrade() {
	in_root apt-get install -y "linux-headers-$k612" ||
		why "apt-get install linux-headers-$k612 failed"
	expect_installed "$k612"
	expect_installed "$k61"
}

# boot KVER: the DKMS-built module of KVER in the QEMU harness.
boot() {
	local kver=$1 ko ov=$work/overlay-$1
	ko=$(ko_of "$kver")
	[ -n "$ko" ] || why "no DKMS-built module for $kver"
	rm -rf "$ov"
	mkdir -p "$ov/tm/suites" "$ov/tm/pkg" "$ov/usr/lib/modprobe.d" "$ov/lib" "$work/ko-$kver"
	case $ko in
	*.xz) xz -dc "$ko" >"$work/ko-$kver/taskmonitor.ko" ;;
	*.zst) zstd -qdc "$ko" >"$work/ko-$kver/taskmonitor.ko" ;;
	*.gz) gzip -dc "$ko" >"$work/ko-$kver/taskmonitor.ko" ;;
	*) cp "$ko" "$work/ko-$kver/taskmonitor.ko" ;;
	esac
	# The modprobe.d file exactly as the .deb installed it.
	cp "$root/usr/lib/modprobe.d/taskmonitor.conf" "$ov/usr/lib/modprobe.d/"
	ln -s ../usr/lib/modprobe.d "$ov/lib/modprobe.d"
	cp "$TM_TOP/VERSION" "$ov/tm/pkg/version"
	cp "$here/guest/package.sh" "$ov/tm/suites/package.sh"
	"$TM_TOP/tests/run.sh" --kernel "$kver" --ko "$work/ko-$kver/taskmonitor.ko" \
		--overlay "$ov" --tests package --log-name "package-$kver" >&2 ||
		why "$(grep -m 1 'TM-RESULT FAIL' "$TM_BUILD/logs/package-$kver.results" 2>/dev/null ||
			echo "tests/run.sh failed") (serial log: $TM_BUILD/logs/package-$kver.log)"
	[ "$(grep -c 'TM-RESULT PASS' "$TM_BUILD/logs/package-$kver.results")" -ge 4 ] ||
		why "fewer than 4 guest tests passed"
}
s_boot_61() { boot "$k61"; }
s_boot_612() { boot "$k612"; }

s_deb_purge() {
	in_root apt-get purge -y taskmonitor-dkms || why "apt-get purge taskmonitor-dkms failed"
	local state
	# shellcheck disable=SC2016 # a dpkg-query format, not a shell expansion
	state=$(pkg_chroot "$root" dpkg-query -W -f '${db:Status-Status}' taskmonitor-dkms 2>/dev/null || true)
	case $state in
	'' | not-installed) ;;
	*) why "dpkg says taskmonitor-dkms is $state, not purged" ;;
	esac
	expect_gone
}

s_rpm_install() {
	# So that %pre has to make the group.
	in_root groupdel taskmonitor || why "groupdel taskmonitor failed"
	in_root rpm -i --nodeps "/tmp/$(basename "$rpm")" || why "rpm -i failed"
	pkg_chroot "$root" getent group taskmonitor >/dev/null || why "%pre made no taskmonitor group"
	expect_installed "$k61"
	expect_installed "$k612"
}

s_rpm_reinstall() {
	in_root rpm -U --replacepkgs --nodeps "/tmp/$(basename "$rpm")" || why "rpm -U --replacepkgs failed"
	expect_installed "$k61"
	expect_installed "$k612"
}

s_rpm_erase() {
	in_root rpm -e taskmonitor-dkms || why "rpm -e failed"
	expect_gone
}

# expect_tools HOW FILES: taskmonitorctl runs and says VERSION's version,
# its bash completion is there, and the package's file list FILES (the
# test system installs no manuals) holds the man page and the export
# timer, which the install left disabled (README.md: the administrator
# enables it).
expect_tools() {
	local v
	v=$(pkg_chroot "$root" taskmonitorctl --version) || why "$1: taskmonitorctl does not run"
	[ "$v" = "taskmonitorctl $version" ] || why "$1: taskmonitorctl --version says '$v'"
	grep -q '/usr/share/man/man1/taskmonitorctl\.1' <<<"$2" ||
		why "$1: no man page taskmonitorctl.1 in the package"
	[ -f "$root/usr/share/bash-completion/completions/taskmonitorctl" ] ||
		why "$1: no bash completion"
	grep -q 'systemd/system/taskmonitor-export\.timer' <<<"$2" ||
		why "$1: no taskmonitor-export.timer in the package"
	[ ! -e "$root/etc/systemd/system/timers.target.wants/taskmonitor-export.timer" ] ||
		why "$1: the install enabled taskmonitor-export.timer"
}

s_tools_deb() {
	in_root apt-get install -y "/tmp/$(basename "$tools_deb")" ||
		why "apt-get install ./$(basename "$tools_deb") failed"
	expect_tools "the .deb" "$(dpkg-deb -c "$tools_deb")"
	in_root apt-get purge -y taskmonitor-tools || why "apt-get purge taskmonitor-tools failed"
	[ ! -e "$root/usr/bin/taskmonitorctl" ] || why "purge left /usr/bin/taskmonitorctl"
}

s_tools_rpm() {
	in_root rpm -i --nodeps "/tmp/$(basename "$tools_rpm")" || why "rpm -i of the tools failed"
	expect_tools "the .rpm" "$(rpm -qlp "$tools_rpm" 2>/dev/null)"
	in_root rpm -e taskmonitor-tools || why "rpm -e taskmonitor-tools failed"
	[ ! -e "$root/usr/bin/taskmonitorctl" ] || why "rpm -e left /usr/bin/taskmonitorctl"
}

s_no_kernel_calls() {
	local calls
	calls=$(pkg_kernel_calls "$root")
	[ -z "$calls" ] || why "module tools were called: $(tr '\n' ';' <<<"$calls")"
}

# --- main -----------------------------------------------------------------

mkdir -p "$TM_PKG_CACHE"
work=$(mktemp -d "$TM_PKG_CACHE/run.XXXXXX")
root=$work/root
trap 'pkg_leave "$work"' EXIT
trap 'exit 130' INT TERM

pkg_log "package test of taskmonitor $version: kernels $k61 and $k612"
step build s_build
if [ -n "$broken" ]; then
	echo "$passed passed, $failed failed"
	exit 1
fi
step lintian s_lintian
step rpmlint s_rpmlint
step lists s_lists
step release s_release
broken=''

# The test system: an overlay of the cached Debian 12 base.
pkg_ensure_base 2>>"$logs/setup.log" || {
	report FAIL setup "could not make the Debian 12 system (log: $logs/setup.log)"
	echo "$passed passed, $failed failed"
	exit 1
}
for d in "$TM_PKG_CACHE"/run.*; do
	# What a run that was killed left (live runs hold the lock).
	[ "$d" = "$work" ] || pkg_leave "$d"
done
pkg_enter "$work" >/dev/null
pkg_chroot "$root" apt-get update -q >>"$logs/setup.log" 2>&1 || {
	report FAIL setup "apt-get update failed in the test system (log: $logs/setup.log)"
	echo "$passed passed, $failed failed"
	exit 1
}
cp "$deb" "$rpm" "$tools_deb" "$tools_rpm" "$root/tmp/"

step tools-deb s_tools_deb
step deb-install s_deb_install
step dkms-skip s_dkms_skip needs
step kernel-upgrade s_kernel_upgrade needs
if [ $boot = 1 ]; then
	step boot-6.1 s_boot_61 needs
	step boot-6.12 s_boot_612 needs
fi
step deb-purge s_deb_purge needs
# The .rpm test starts from wherever the .deb test left the system.
broken=''
step rpm-install s_rpm_install
step rpm-reinstall s_rpm_reinstall needs
step rpm-erase s_rpm_erase needs
step tools-rpm s_tools_rpm
step no-kernel-calls s_no_kernel_calls

pkg_log "package test done in $(($(date +%s) - t_start)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
