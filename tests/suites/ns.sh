# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# ns: PID namespaces.  pid is shown as seen from the reader's namespace,
# processes it cannot see are not shown to it, PIDs written are read in
# the writer's namespace, and target= in the loader's.

# shellcheck disable=SC2034 # TM_TIMEOUT_* are read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

# child_of PPID: the first process whose parent is PPID.
child_of() {
	for st in /proc/[0-9]*/stat; do
		[ "$(sed 's/^.*) //' "$st" 2>/dev/null | cut -d ' ' -f 2)" = "$1" ] || continue
		d=${st%/stat}
		echo "${d#/proc/}"
		return 0
	done
	return 1
}

# global_of NSPID PARENT: the global pid of the child of PARENT whose pid
# in its own namespace is NSPID.
global_of() {
	for st in /proc/[0-9]*/status; do
		awk -v n="$1" -v p="$2" '$1 == "PPid:" && $2 == p { pp = 1 } $1 == "NSpid:" && $NF == n && NF == 3 { ns = 1 } END { exit !(pp && ns) }' "$st" 2>/dev/null || continue
		d=${st%/status}
		echo "${d#/proc/}"
		return 0
	done
	return 1
}

TM_TIMEOUT_test_ns_reader_sees_own_pids=90

# A reader in a new PID namespace sees its processes under their pids
# there (its init is pid 1) and does not see outside processes at all,
# on all three files; what it writes is read in its namespace.
test_ns_reader_sees_own_pids() {
	sleep 1000 &
	o=$!
	tm_load interval_ms=20
	expect_write "$TC_DEV" "$o" OK
	cat >inner.sh <<'EOF'
sleep 1000 &
s=$!
echo "$s" >ns_s
echo "$(tmwrite /dev/taskmonitor 1) $(tmwrite /dev/taskmonitor "$s") $(tmwrite /dev/taskmonitor "$OUTER")" >ns_w
while [ ! -e ns_go ]; do sleep 0.1; done
cat /dev/taskmonitor >ns_dev.txt
cat /sys/kernel/debug/taskmonitor >ns_dbg.txt
cat /sys/kernel/taskmonitor >ns_sys.txt
echo "$(tmwrite /dev/taskmonitor "-$OUTER") $(tmwrite /sys/kernel/debug/taskmonitor "-$s")" >ns_rm
echo done >ns_done
while [ ! -e ns_quit ]; do sleep 0.1; done
kill "$s"
EOF
	OUTER=$o unshare -p -f --mount-proc sh inner.sh &
	u=$!
	wait_for 10 test -s ns_w || fail "the namespace did not start"
	[ "$(cat ns_w)" = "OK OK ESRCH" ] ||
		fail "writes inside the namespace (1, its sleep, outer pid $o): $(cat ns_w), expected OK OK ESRCH"
	si=$(cat ns_s)
	gi=$(child_of "$u") || fail "test bug: no init of the namespace"
	gs=$(global_of "$si" "$gi") || fail "test bug: no global pid for namespace pid $si"
	note "namespace init $gi (1), sleep $gs ($si), outside $o"
	for p in $gi $gs $o; do
		wait_samples 10 "$p" 3 || fail "no samples of $p seen from outside"
	done
	echo stop >"$TC_SYS"
	hist >out.txt
	[ "$(nlines 1 out.txt)" = 0 ] || fail "outside reader sees a 'pid 1' (the namespace's init is $gi outside)"
	touch ns_go
	wait_for 10 test -s ns_done || fail "the namespace did not read"
	# pid and ppid as the namespace sees them: its init is 1, its sleep
	# si, and a parent outside it (the init's, unshare) is 0 there.
	awk -v gi="$gi" -v gs="$gs" -v o="$o" -v si="$si" \
		'function inside(p) { return p == gi ? 1 : p == gs ? si : 0 }
		$2 == o { next }
		{ $2 = inside($2); for (i = 1; i < NF; i += 2) if ($i == "ppid") $(i + 1) = inside($(i + 1)); print }' out.txt >exp.txt
	grep -q "^pid 1 .* ppid 0 " exp.txt || fail "test bug: the expected view lacks init's parent 0"
	grep -q "^pid $si .* ppid 1 " exp.txt || fail "test bug: the expected view lacks the sleep's parent 1"
	[ -s exp.txt ] || fail "test bug: nothing expected"
	cmp -s ns_dev.txt exp.txt ||
		fail "device read in the namespace: $(pids_in ns_dev.txt | tr '\n' ' ')(${si} expected as its sleep, 1 as its init, $o hidden), $(wc -l <ns_dev.txt) lines, expected $(wc -l <exp.txt)"
	cmp -s ns_dbg.txt exp.txt || fail "debugfs read in the namespace differs from the translated outside view"
	newest_fitting exp.txt >exp_sys.txt
	cmp -s ns_sys.txt exp_sys.txt ||
		fail "sysfs read in the namespace: pids $(pids_in ns_sys.txt | tr '\n' ' '), $(wc -l <ns_sys.txt) lines; expected pids $(pids_in exp_sys.txt | tr '\n' ' '), $(wc -l <exp_sys.txt) lines"
	[ "$(cat ns_rm)" = "ENOENT OK" ] || fail "removals inside the namespace (-$o, -$si): $(cat ns_rm), expected ENOENT OK"
	listed=$(pids_in "$TC_DEV" | sort -n | tr '\n' ' ')
	[ "$listed" = "$(printf '%s\n' "$o" "$gi" | sort -n | tr '\n' ' ')" ] ||
		fail "after the namespace removed its sleep: listed '$listed', expected $o and $gi"
	touch ns_quit
}

# target= PIDs are looked up in the namespace of the process that loads
# the module.
test_ns_target_is_loader_namespace() {
	cat >inner.sh <<'EOF'
sleep 1000 &
echo "$!" >ns_s
insmod /tm/taskmonitor.ko target=1,$! interval_ms=20 >ns_ins 2>&1
echo $? >ns_rc
while [ ! -e ns_quit ]; do sleep 0.1; done
EOF
	unshare -p -f --mount-proc sh inner.sh &
	u=$!
	wait_for 20 test -s ns_rc || fail "insmod in the namespace did not finish"
	[ "$(cat ns_rc)" = 0 ] || fail "insmod in the namespace: $(cat ns_ins)"
	si=$(cat ns_s)
	gi=$(child_of "$u") || fail "test bug: no init of the namespace"
	gs=$(global_of "$si" "$gi") || fail "test bug: no global pid for namespace pid $si"
	wait_samples 10 "$gi" 2 || fail "target=1 in the namespace: its init ($gi) not monitored"
	wait_samples 10 "$gs" 2 || fail "target=$si in the namespace: its sleep ($gs) not monitored"
	listed=$(pids_in "$TC_DEV" | tr '\n' ' ')
	[ "$listed" = "$gi $gs " ] || fail "monitored: $listed, expected $gi $gs (global init, kthreadd must not be)"
	touch ns_quit
}
