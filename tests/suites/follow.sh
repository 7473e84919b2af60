# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# follow: "+PID" (docs/interface.md, "Following descendants"): a
# followed process's children, forked while it is followed or already
# there at the write, and theirs, are listed each with its own history
# ended by its exit record; -PID of one leaves its descendants followed;
# the limits stop following and /sys/kernel/taskmonitor_follow_dropped
# counts what they stopped; the write's errors.
#
# Every process of the trees below writes its own PID ($$ of a new sh)
# and the status it chose to a file the test reads: the truth the
# histories are held against.  The test's shells wait at FIFO gates
# (gate NAME, open_gate NAME) so that "+PID" comes before what it must
# see.
#
# Helpers from tests/helpers used here: tmwrite (zombiekid through common.sh).

# shellcheck disable=SC2034 # TM_TIMEOUT is read by the runner
# shellcheck disable=SC1091 # common.sh is in /tm/suites at run time
. "${TM_DIR:-/tm}/suites/common.sh"

TM_TIMEOUT=300
DROPPED=/sys/kernel/taskmonitor_follow_dropped

# gate NAME: a FIFO that "read -r x <NAME" waits at until open_gate NAME.
gate() {
	mkfifo "$1" || fail "test bug: cannot make FIFO $1"
}

# open_gate NAME: lets the shell waiting at NAME through.
open_gate() {
	: >"$1"
}

# pid_in FILE: the PID a process of the test wrote to FILE, once it has.
pid_in() {
	wait_for 60 test -s "$1" || fail "no process wrote $1"
	cat "$1"
}

# is_followed PID: PID is listed and followed ("+PID" says EEXIST).
# Not for wait_for: on a process that is not, the write follows it.
is_followed() {
	[ "$(tmwrite "$TC_DEV" "+$1")" = EEXIST ]
}

# kids.sh N: forks N children one after the other; child i writes
# "PID STATUS" to want.txt and exits with STATUS = 7 i mod 256; a status
# that is not the one chosen goes to bad.txt.
write_kids_script() {
	cat >kids.sh <<'EOF'
read -r x <go
i=1
while [ "$i" -le "$1" ]; do
	rc=$((i * 7 % 256))
	sh -c 'echo "$$ $1" >>want.txt; exit "$1"' sh "$rc"
	got=$?
	[ "$got" = "$rc" ] || echo "child $i: \$? $got, chose $rc" >>bad.txt
	i=$((i + 1))
done
EOF
}

# run_kids N: starts kids.sh N in the background, waiting at gate go;
# its PID in $root.
run_kids() {
	write_kids_script
	gate go
	sh kids.sh "$1" &
	root=$!
}

# exit_records: how many exit records the history holds.
exit_records() {
	grep -c ' exit [0-9]*$' "$TC_DEV"
}

# records_at_least N: the history holds N exit records or more.
records_at_least() {
	[ "$(exit_records)" -ge "$1" ]
}

# records_are N: the history holds N exit records.
records_are() {
	[ "$(exit_records)" = "$1" ]
}

# dropped_at_least N: taskmonitor_follow_dropped is N or more.
dropped_at_least() {
	[ "$(cat "$DROPPED")" -ge "$1" ]
}

# lines_are FILE N: FILE has N lines.
lines_are() {
	[ "$(wc -l <"$1" 2>/dev/null)" = "$2" ]
}

# owned_by PID USER: PID's real and effective uids are USER's.
owned_by() {
	[ "$(awk '$1 == "Uid:" { print $2, $3 }' "/proc/$1/status" 2>/dev/null)" = "$(uid_of "$2") $(uid_of "$2")" ]
}

# udev_rule: the owner and mode the shipped udev rule gives the device
# (the guest has no udev), so that a member of taskmonitor may write.
udev_rule() {
	chgrp taskmonitor "$TC_DEV" || fail "cannot chgrp $TC_DEV"
	chmod 0660 "$TC_DEV" || fail "cannot chmod $TC_DEV"
}

# ended_all WANT: every PID of WANT has an exit record.
ended_all() {
	hist >now.txt
	[ -z "$(records_against "$1" now.txt)" ]
}

# A shell running a loop of short children: each one is listed, and its
# history is its exit record alone (the interval is an hour: no sweep
# after the load), with the status the child chose; none is missing and
# nothing else is listed.
test_follow_children_each_recorded() {
	n=40
	tm_load interval_ms=3600000
	run_kids $n
	expect_write "$TC_DEV" "+$root" OK
	open_gate go
	reap "$root"
	[ ! -e bad.txt ] || fail "test bug: $(cat bad.txt)"
	[ "$(wc -l <want.txt)" = $n ] || fail "test bug: $(wc -l <want.txt) children ran, $n forked"
	wait_for 60 ended_all want.txt || fail "not every child has its exit record: $(records_against want.txt now.txt)"
	echo stop >"$TC_SYS"
	hist >h.txt
	bad=$(records_against want.txt h.txt)
	[ -z "$bad" ] || fail "$bad"
	# Each child lived less than an interval: one line each.
	many=$(awk 'NR == FNR { k[$1] = 1; next } $2 in k { c[$2]++ } END { for (p in c) if (c[p] != 1) print p, c[p] }' want.txt h.txt)
	[ -z "$many" ] || fail "children with more than their exit record: $many"
	# The shell itself ends with exit 0.
	echo "$root 0" >root.txt
	bad=$(records_against root.txt h.txt)
	[ -z "$bad" ] || fail "the followed shell: $bad"
	pids_in h.txt | sort >got.txt
	{ cut -d ' ' -f 1 want.txt; echo "$root"; } | sort >expected.txt
	cmp -s got.txt expected.txt || fail "processes listed: $(tr '\n' ' ' <got.txt), expected the shell and its $n children"
}

# A followed child's children are followed too, also when they are
# forked at once, before the worker has listed their parent.
test_follow_grandchildren() {
	n=12
	tm_load interval_ms=100
	cat >mid.sh <<'EOF'
sh -c 'echo "$$ $1" >>want.txt; exit "$1"' sh $(($1 + 100))
sh -c 'sh -c "echo \$\$ \$1 >>want.txt; exit \$1" sh $(($1 + 150)); echo "$$ $1" >>want.txt; exit "$1"' sh $(($1 + 50))
echo "$$ $1" >>want.txt
exit "$1"
EOF
	gate go
	sh -c 'read -r x <go; i=1; while [ $i -le '$n' ]; do sh mid.sh $i; i=$((i + 1)); done' &
	root=$!
	expect_write "$TC_DEV" "+$root" OK
	open_gate go
	reap "$root"
	# Each round: a child, two grandchildren and a great-grandchild.
	[ "$(wc -l <want.txt)" = $((n * 4)) ] || fail "test bug: $(wc -l <want.txt) processes ran, $((n * 4)) forked"
	wait_for 60 ended_all want.txt || fail "not every descendant has its exit record: $(records_against want.txt now.txt)"
	bad=$(records_against want.txt now.txt)
	[ -z "$bad" ] || fail "$bad"
}

# -PID of a followed process removes its history alone: the child it
# forked before stays listed and followed (its own child is listed),
# and a child it forks after the -PID is not.
test_follow_remove_parent_keeps_children() {
	tm_load interval_ms=100
	gate go
	gate g2
	gate g3
	cat >mid.sh <<'EOF'
echo $$ >c.pid
sh -c 'echo $$ >g.pid; read -r x <g2; sh -c "echo \$\$ 9 >>want.txt; exit 9"; echo "$$ 8" >>want.txt; exit 8' &
read -r y <g3
sh -c 'echo $$ >k.pid; exit 4'
echo late >late.txt
EOF
	sh -c 'read -r x <go; sh mid.sh; sh -c "echo \$\$ 3 >>want.txt; exit 3"' &
	root=$!
	expect_write "$TC_DEV" "+$root" OK
	open_gate go
	c=$(pid_in c.pid)
	g=$(pid_in g.pid)
	wait_samples 20 "$c" 1 || fail "the child $c of the followed $root is not listed"
	wait_samples 20 "$g" 1 || fail "the grandchild $g is not listed"
	expect_write "$TC_DEV" "-$c" OK
	[ "$(nlines "$c")" = 0 ] || fail "-$c left $(nlines "$c") samples"
	open_gate g2
	open_gate g3
	reap "$root"
	k=$(pid_in k.pid)
	# $g's child and $g, then the shell's last child, forked after the
	# one $c forked: once it is recorded, that one would be listed.
	wait_for 60 lines_are want.txt 3 || fail "test bug: want.txt: $(cat want.txt)"
	wait_for 60 ended_all want.txt || fail "after -$c: $(records_against want.txt now.txt)"
	hist >h.txt
	[ "$(nlines "$c" h.txt)" = 0 ] || fail "the removed $c is listed again"
	[ "$(nlines "$k" h.txt)" = 0 ] || fail "$k, forked by $c after -$c, was followed"
	expect_write "$TC_DEV" "-$k" ENOENT
	expect_write "$TC_DEV" "-$c" ENOENT
}

# The descendants a process has at "+PID" are listed and followed when
# the write returns (one listed by a plain add before becomes
# followed); a process that is not a descendant is not listed; a
# descendant's later child is followed.
test_follow_descendants_present() {
	tm_load interval_ms=100
	gate g1
	gate g2
	cat >b.sh <<'EOF'
echo $$ >b.pid
sh -c 'echo $$ >c.pid; read -r x <g1; exit 5'
sh -c 'echo "$$ 6" >>want.txt; exit 6'
read -r y <g2
EOF
	sh -c 'echo $$ >a.pid; sh b.sh' &
	a=$(pid_in a.pid)
	b=$(pid_in b.pid)
	c=$(pid_in c.pid)
	sleep 1000 &
	s=$!
	expect_write "$TC_DEV" "$b" OK
	expect_write "$TC_DEV" "+$a" OK
	for p in $b $c; do
		is_followed "$p" || fail "descendant $p of $a not followed at once"
	done
	expect_write "$TC_DEV" "$s" OK
	expect_write "$TC_DEV" "+$a" EEXIST
	echo "$c 5" >>want.txt
	open_gate g1
	wait_for 60 lines_are want.txt 2 || fail "test bug: b.sh did not go on"
	wait_for 60 ended_all want.txt || fail "descendants: $(records_against want.txt now.txt)"
	open_gate g2
	kill "$s"
}

# A limit stops following, and each child not listed is counted: with
# max_tasks M, the followed shell and M - 1 of its N children are
# listed, N - M + 1 are counted in taskmonitor_follow_dropped (root
# only), and the first loss is logged.  For a member of the taskmonitor
# group, max_user_tasks does the same.
test_follow_limits_counted() {
	n=20
	m=6
	tm_load interval_ms=3600000 max_tasks=$m
	[ "$(stat -c %a "$DROPPED")" = 400 ] || fail "$DROPPED: mode $(stat -c %a "$DROPPED"), expected 400"
	tm_as tmuser cat "$DROPPED" >/dev/null 2>&1 && fail "tmuser can read $DROPPED"
	d0=$(cat "$DROPPED")
	[ "$d0" = 0 ] || fail "$DROPPED is $d0 after the load"
	run_kids $n
	expect_write "$TC_DEV" "+$root" OK
	open_gate go
	reap "$root"
	[ "$(wc -l <want.txt)" = $n ] || fail "test bug: $(wc -l <want.txt) children ran"
	wait_for 60 dropped_at_least $((n - m + 1)) || fail "$DROPPED: $(cat "$DROPPED"), expected $((n - m + 1))"
	# Every one listed has ended: each shows its exit record.
	wait_for 60 records_are "$m" || fail "$(exit_records) processes listed with max_tasks $m"
	[ "$(cat "$DROPPED")" = $((n - m + 1)) ] || fail "$DROPPED: $(cat "$DROPPED"), expected $((n - m + 1))"
	[ "$(tm_kmsg | grep -c 'taskmonitor: following stopped by a limit: see /sys/kernel/taskmonitor_follow_dropped')" = 1 ] ||
		fail "the first loss was not logged once: $(tm_kmsg | grep -c 'following stopped')"

	# max_user_tasks, for a member following its own shell.
	tm_unload
	rm -f want.txt go
	k=4
	tm_load interval_ms=3600000 max_user_tasks=$k
	udev_rule
	gate go
	# runas itself, not tm_as, a function: $! is then the member's shell.
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sh kids.sh $n &
	member=$!
	wait_for 20 owned_by "$member" tmmember || fail "test bug: $member is not tmmember's"
	r=$(tm_as tmmember tmwrite "$TC_DEV" "+$member")
	[ "$r" = OK ] || fail "tmmember: +$member: $r"
	open_gate go
	reap "$member"
	wait_for 60 dropped_at_least $((n - k + 1)) || fail "$DROPPED: $(cat "$DROPPED"), expected $((n - k + 1)) with max_user_tasks $k"
	wait_for 60 records_are "$k" || fail "$(exit_records) processes listed with max_user_tasks $k"
	[ "$(cat "$DROPPED")" = $((n - k + 1)) ] || fail "$DROPPED: $(cat "$DROPPED"), expected $((n - k + 1))"
}

# The errors of "+PID": the syntax of PID with one '+', EEXIST only for
# a followed process, the permission of a plain add.
test_follow_write_errors() {
	tm_load interval_ms=100
	sleep 1000 &
	p=$!
	sleep 1000 &
	q=$!
	make_zombie
	z=$ZOMBIE
	n=$(free_pid)
	for f in "$TC_DEV" "$TC_DBG"; do
		for bad in "+" "+\n" "+0" "+0$p" "++$p" "+-$p" "-+$p" "+ $p" "+$p " "+$p\n\n" "+${p}x" \
			"+2147483648" "+$p+"; do
			expect_write "$f" "$bad" EINVAL
		done
	done
	expect_write "$TC_DEV" "-$p" ENOENT
	expect_write "$TC_DEV" "+$n" ESRCH
	expect_write "$TC_DEV" "+$z" ESRCH
	expect_write "$TC_DEV" "+$p" OK
	expect_write "$TC_DEV" "+$p" EEXIST
	expect_write "$TC_DBG" "+$p\n" EEXIST
	expect_write "$TC_DEV" "$p" EEXIST
	# Listed by a plain add: "+" turns following on, once.
	expect_write "$TC_DEV" "$q" OK
	expect_write "$TC_DEV" "+$q\n" OK
	expect_write "$TC_DEV" "+$q" EEXIST
	wait_samples 10 "$q" 1 || fail "no sample of $q"
	expect_write "$TC_DEV" "-$q" OK
	expect_write "$TC_DEV" "+$q" OK
	# A member may follow its own processes only.
	udev_rule
	r=$(tm_as tmmember tmwrite "$TC_DEV" "+$p")
	[ "$r" = EPERM ] || fail "tmmember: +$p (root's): $r, expected EPERM"
	# shellcheck disable=SC2046 # split on purpose
	runas $(uargs tmmember) sleep 1000 &
	mp=$!
	wait_for 20 owned_by "$mp" tmmember || fail "test bug: $mp is not tmmember's"
	r=$(tm_as tmmember tmwrite "$TC_DEV" "+$mp")
	[ "$r" = OK ] || fail "tmmember: +$mp (its own): $r"
	kill "$p" "$q" "$mp"
}

# Unloading while a followed shell forks without end (fork records
# pending, children being listed, exits being handed over): rmmod
# succeeds, its files are gone, and every sample made was freed.
test_follow_unload_while_forking() {
	tm_load interval_ms=20
	gate go
	sh -c 'read -r x <go; while :; do sh -c "echo \$\$ >>kids.txt; exit 3"; done' &
	root=$!
	expect_write "$TC_DEV" "+$root" OK
	open_gate go
	wait_for 60 records_at_least 20 || fail "fewer than 20 children recorded: $(exit_records)"
	tm_unload
	[ ! -e "$DROPPED" ] || fail "$DROPPED is still there after rmmod"
	c=$(tm_unload_reports | tail -n 1)
	# shellcheck disable=SC2086 # split on purpose
	set -- $c
	[ -n "$1" ] || fail "no 'taskmonitor: unloaded: ...' line in the kernel log"
	[ "$1" -ge 20 ] || fail "unload log: $1 samples created, 20 children were recorded"
	[ "$2" = "$1" ] || fail "unload log: $1 created, $2 freed"
	[ "$3" = 0 ] || fail "unload log: $3 live"
	kill "$root"
}
