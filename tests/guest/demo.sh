#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /tm/demo.sh: what `make demo` shows inside the guest.  Starts a process
# that burns CPU, loads taskmonitor with target=<its pid> and prints
# /sys/kernel/debug/taskmonitor a few times, so the history can be seen
# growing, then the same history through taskmonitorctl show.  Exits
# non-zero if the module does not load or shows no history of the target.

# shellcheck disable=SC1091 # the guest path of tests/guest/lib.sh
. /tm/lib.sh

rounds=${TM_DEMO_ROUNDS:-4}
interval=${TM_DEMO_INTERVAL:-2}
shown=${TM_DEMO_LINES:-4}

echo
echo "=== taskmonitor demo on Linux $(uname -r) ($(nproc) CPUs, QEMU)"
burner -t 1 &
pid=$!
echo "\$ burner -t 1 &              # a CPU-burning process, pid $pid"
echo "\$ insmod taskmonitor.ko target=$pid"
if ! out=$(insmod "$TM_KO" "target=$pid" 2>&1); then
	echo "insmod failed: $out"
	dmesg | tail -n 5
	kill "$pid"
	exit 1
fi
dmesg | grep -F taskmonitor | tail -n 3

first=
last=
t=0
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	sleep "$interval"
	t=$((t + interval))
	echo
	echo "\$ cat $TM_DEBUGFS        # ${t} s after loading"
	if [ ! -r "$TM_DEBUGFS" ]; then
		echo "($TM_DEBUGFS does not exist: this build of the module has no debugfs history)"
		continue
	fi
	cat "$TM_DEBUGFS" >/tmp/demo.out
	n=$(nlines "$pid" /tmp/demo.out)
	if [ "$n" -gt "$shown" ]; then
		echo "... ($n samples of pid $pid; the newest $shown:)"
	fi
	grep "^pid $pid " /tmp/demo.out | tail -n "$shown"
	[ "$n" -gt 0 ] || continue
	line=$(grep "^pid $pid " /tmp/demo.out | tail -n 1)
	[ -n "$first" ] || first=$(grep "^pid $pid " /tmp/demo.out | head -n 1)
	last=$line
done

echo
echo "\$ taskmonitorctl show $pid     # the same history as rates, as pidstat shows them"
taskmonitorctl show "$pid" | { read -r head; echo "$head"; tail -n "$shown"; }
echo
echo "\$ taskmonitorctl show --summary"
taskmonitorctl show --summary

rmmod taskmonitor
kill "$pid"
echo
if [ -z "$last" ]; then
	echo "=== no samples of pid $pid were shown"
	exit 1
fi
u0=$(val "$first" usr)
u1=$(val "$last" usr)
echo "=== usr time of pid $pid: $u0 ns in the oldest sample shown, $u1 ns in the newest"
[ "$u1" -gt "$u0" ] 2>/dev/null
