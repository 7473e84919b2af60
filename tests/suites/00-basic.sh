# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The smallest proof that the module works in a real kernel: it loads,
# shows up in sysfs, and unloads cleanly.

test_load_unload() {
	! tm_loaded || fail "taskmonitor is loaded before the test"
	tm_load
	[ -d /sys/module/taskmonitor ] || fail "/sys/module/taskmonitor did not appear"
	grep -q '^taskmonitor ' /proc/modules || fail "taskmonitor is not in /proc/modules"
	tm_unload
	[ ! -e /sys/module/taskmonitor ] || fail "/sys/module/taskmonitor is still there"
}

test_load_unload_repeatedly() {
	i=0
	while [ $i -lt 5 ]; do
		tm_load
		tm_unload
		i=$((i + 1))
	done
}

# kmod's modprobe finds the module through depmod's modules.dep, as on a
# real system (the packaging tests rely on it).
test_modprobe_by_name() {
	modprobe --version | grep -q kmod || fail "modprobe is not kmod's: $(modprobe --version 2>&1)"
	modinfo -F filename taskmonitor | grep -q '/lib/modules/.*/taskmonitor.ko' ||
		fail "modinfo does not find taskmonitor: $(modinfo taskmonitor 2>&1)"
	modprobe taskmonitor || fail "modprobe taskmonitor failed"
	tm_loaded || fail "modprobe did not load taskmonitor"
	modprobe -r taskmonitor || fail "modprobe -r taskmonitor failed"
	! tm_loaded || fail "modprobe -r left taskmonitor loaded"
}
