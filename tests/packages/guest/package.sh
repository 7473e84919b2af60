# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Guest suite of the package test (tests/packages/run.sh), run by the
# harness's /tm/run.sh in a kernel that DKMS built taskmonitor.ko for in
# the Debian 12 chroot.  The overlay tests/packages/run.sh makes puts:
#   /lib/modules/KVER/extra/taskmonitor.ko   the DKMS-built module (--ko)
#   /usr/lib/modprobe.d/taskmonitor.conf     the file the .deb installed
#   /lib/modprobe.d -> ../usr/lib/modprobe.d as on Debian 12, where /lib
#                                            is /usr/lib (kmod reads
#                                            /lib/modprobe.d)
#   /tm/pkg/version                          the VERSION file
# Each test loads the module with modprobe, as a user would, and puts the
# modprobe.d files back as shipped when it ends.  kmod's tools are called
# by their path: busybox sh would run its own applets of the same names,
# which do not read /usr/lib/modprobe.d.

PKG_SHIPPED=/usr/lib/modprobe.d/taskmonitor.conf
PKG_ADMIN=/etc/modprobe.d/taskmonitor.conf
PKG_PARAMS=/sys/module/taskmonitor/parameters
MODPROBE=/sbin/modprobe
MODINFO=/sbin/modinfo
RMMOD=/sbin/rmmod

# pkg_setup: a CPU-burning target in $PKG_PID, the shipped file saved.
pkg_setup() {
	[ -f "$PKG_SHIPPED" ] || fail "$PKG_SHIPPED is missing from the overlay"
	cp "$PKG_SHIPPED" "$TM_TMP/shipped.conf"
	sh -c 'while :; do :; done' &
	PKG_PID=$!
	trap pkg_cleanup EXIT
}

pkg_cleanup() {
	kill "$PKG_PID" 2>/dev/null
	cp "$TM_TMP/shipped.conf" "$PKG_SHIPPED"
	rm -f "$PKG_ADMIN" /etc/modprobe.d/local-taskmonitor.conf
	tm_loaded && $RMMOD taskmonitor
}

# pkg_modprobe ARGS...: modprobe taskmonitor ARGS, or fail the test.
pkg_modprobe() {
	_out=$($MODPROBE taskmonitor "$@" 2>&1) ||
		fail "$MODPROBE taskmonitor $*: ${_out:-failed}"
	tm_loaded || fail "$MODPROBE taskmonitor $* left no $TM_SYSFS"
}

# pkg_param NAME EXPECTED: the loaded module's parameter must be EXPECTED.
pkg_param() {
	_v=$(cat "$PKG_PARAMS/$1") || fail "no parameter $1"
	[ "$_v" = "$2" ] || fail "parameter $1 is $_v, expected $2"
}

# pkg_samples: the number of samples of $PKG_PID in the history.
pkg_samples() {
	grep -c "^pid $PKG_PID " "$TM_DEBUGFS" 2>/dev/null || true
}

# pkg_history_grows SECONDS: the history of $PKG_PID gets at least two
# samples within SECONDS, then more.
pkg_history_grows() {
	wait_for "$1" sh -c "[ \$(grep -c '^pid $PKG_PID ' $TM_DEBUGFS) -ge 2 ]" ||
		fail "fewer than 2 samples of $PKG_PID after $1 s: $(head -n 3 "$TM_DEBUGFS")"
	_n=$(pkg_samples)
	wait_for "$1" sh -c "[ \$(grep -c '^pid $PKG_PID ' $TM_DEBUGFS) -gt $_n ]" ||
		fail "the history of $PKG_PID stopped at $_n samples"
}

# The DKMS-built module is the one modprobe finds, with the version of
# the VERSION file and the vermagic of this kernel.
test_dkms_module_found() {
	_want=$(cat /tm/pkg/version)
	_path=$($MODINFO -n taskmonitor 2>&1) || fail "$MODINFO taskmonitor: $_path"
	[ "$_path" = "/lib/modules/$(uname -r)/extra/taskmonitor.ko" ] ||
		fail "modprobe would load $_path"
	_v=$($MODINFO -F version taskmonitor)
	[ "$_v" = "$_want" ] || fail "module version $_v, VERSION says $_want"
	_vm=$($MODINFO -F vermagic taskmonitor)
	case $_vm in
	"$(uname -r) "*) ;;
	*) fail "vermagic '$_vm' is not that of $(uname -r)" ;;
	esac
}

# With the shipped file as installed (every option commented out) the
# module loads with the documented defaults and samples its target.
test_shipped_defaults() {
	pkg_setup
	_active=$($MODPROBE -c | grep '^options taskmonitor' || true)
	[ -z "$_active" ] || fail "the shipped file sets options: $_active"
	pkg_modprobe target="$PKG_PID"
	pkg_param target "$PKG_PID"
	pkg_param interval_ms 1000
	pkg_param max_samples 65536
	pkg_param reserve 64
	pkg_history_grows 10
	[ "$(cat /sys/module/taskmonitor/version)" = "$(cat /tm/pkg/version)" ] ||
		fail "loaded version $(cat /sys/module/taskmonitor/version)"
}

# The shipped file is read from /usr/lib/modprobe.d: with its commented
# defaults made active, modprobe passes exactly them, and they are the
# module's real defaults; a value changed there reaches the module.
test_shipped_file_read() {
	pkg_setup
	sed -e 's/^#\(options taskmonitor interval_ms=\)/\1/' \
		-e 's/^#\(options taskmonitor max_samples=\)/\1/' \
		-e 's/^#\(options taskmonitor reserve=\)/\1/' \
		"$TM_TMP/shipped.conf" >"$PKG_SHIPPED"
	_opts=$($MODPROBE -c | sed -n 's/^options taskmonitor //p' | tr '\n' ' ')
	[ "$_opts" = "interval_ms=1000 max_samples=65536 reserve=64 " ] ||
		fail "active shipped defaults give options '$_opts'"
	pkg_modprobe target="$PKG_PID"
	pkg_param interval_ms 1000
	pkg_param max_samples 65536
	pkg_param reserve 64
	$RMMOD taskmonitor || fail "rmmod"
	sed -i 's/^options taskmonitor max_samples=65536$/options taskmonitor max_samples=4242/' \
		"$PKG_SHIPPED"
	pkg_modprobe target="$PKG_PID"
	pkg_param max_samples 4242
	pkg_history_grows 10
}

# An admin's /etc/modprobe.d file is read too: one of another name adds
# to the shipped file, one of the same name hides it, and the command
# line wins over both.
test_admin_override() {
	pkg_setup
	sed -i 's/^#options taskmonitor max_samples=65536$/options taskmonitor max_samples=4242/' \
		"$PKG_SHIPPED"
	echo 'options taskmonitor interval_ms=250' >/etc/modprobe.d/local-taskmonitor.conf
	pkg_modprobe target="$PKG_PID"
	pkg_param interval_ms 250
	pkg_param max_samples 4242
	pkg_history_grows 5
	$RMMOD taskmonitor || fail "rmmod"
	rm /etc/modprobe.d/local-taskmonitor.conf

	echo 'options taskmonitor interval_ms=250' >"$PKG_ADMIN"
	pkg_modprobe target="$PKG_PID"
	pkg_param target "$PKG_PID"
	pkg_param interval_ms 250
	pkg_param max_samples 65536
	pkg_history_grows 5
	$RMMOD taskmonitor || fail "rmmod"

	pkg_modprobe target="$PKG_PID" interval_ms=300
	pkg_param interval_ms 300
}
