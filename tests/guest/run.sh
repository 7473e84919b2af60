#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /tm/run.sh: the taskmonitor test runner inside the QEMU guest.
#
#   run.sh [-t GLOBS] [-T SECONDS] [-r FILE] SUITE.sh...
#
# Sources each suite and runs its test_* functions (those defined at the
# start of a line: "test_name() {"), in file then
# definition order, each in a shell of its own with a timeout (-T, default
# 120 s; a suite may set TM_TIMEOUT, and TM_TIMEOUT_<test> for one test).
# GLOBS (comma-separated) selects tests by suite/test name; "!GLOB"
# excludes.  A test passes
# iff it returns 0, the kernel log gained no bad line while it ran
# (tm_scan_kmsg) and taskmonitor, if the test left it loaded, unloads.
# Prints one "TM-RESULT PASS|FAIL suite/test[: reason]" per test on
# stdout and, with -r, appends the protocol lines to FILE (the host reads
# the second serial port).

# shellcheck disable=SC1091 # the guest path of tests/guest/lib.sh
. /tm/lib.sh

globs='*'
deftimeout=120
results=
while getopts t:T:r: opt; do
	case $opt in
	t) globs=$OPTARG ;;
	T) deftimeout=$OPTARG ;;
	r) results=$OPTARG ;;
	*) echo "usage: run.sh [-t GLOBS] [-T SECONDS] [-r FILE] SUITE.sh..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# emit LINE: a protocol line, on stdout and on the results channel.
emit() {
	echo "$*"
	if [ -n "$results" ]; then
		echo "$*" >>"$results"
	fi
}

# matches NAME GLOB: does suite/test NAME match GLOB?  A glob without a
# slash may also match the suite or the test name alone.
matches() {
	# shellcheck disable=SC2254 # the glob is meant to match
	case $1 in $2) return 0 ;; esac
	case $2 in */*) return 1 ;; esac
	# shellcheck disable=SC2254
	case ${1%%/*} in $2) return 0 ;; esac
	# shellcheck disable=SC2254
	case ${1#*/} in $2) return 0 ;; esac
	return 1
}

# selected NAME: is suite/test NAME selected by the globs?  It must match
# one glob (if there is any glob without "!") and no "!glob".
selected() {
	_pos=0
	_hit=0
	_out=0
	set -f
	for _g in $(echo "$globs" | tr ',' ' '); do
		case $_g in
		!*)
			matches "$1" "${_g#!}" && _out=1
			;;
		*)
			_pos=1
			matches "$1" "$_g" && _hit=1
			;;
		esac
	done
	set +f
	[ $_out = 0 ] && { [ $_pos = 0 ] || [ $_hit = 1 ]; }
}

# tests_of FILE: the test_* functions FILE defines, in order.
tests_of() {
	sed -n 's/^\(test_[A-Za-z0-9_]*\)[[:space:]]*()[[:space:]]*.*$/\1/p' "$1"
}

# timeout_of FILE TEST: the timeout of one test (TM_TIMEOUT_<test>, else
# the suite's TM_TIMEOUT, else the default).
timeout_of() {
	_t=$(suite_var "$1" "TM_TIMEOUT_$2")
	[ -n "$_t" ] || _t=$(suite_var "$1" TM_TIMEOUT)
	echo "${_t:-$deftimeout}"
}

# suite_var FILE NAME: the value that the suite FILE gives NAME, if any
# (timeouts; TM_BAD_EXTRA, TM_KMSG_EXPECTED: read by tm_scan_kmsg).
suite_var() {
	# shellcheck disable=SC1090 # a suite
	(
		. "$1" >/dev/null 2>&1
		eval "printf '%s' \"\${$2:-}\""
	)
}

# oneline TEXT: TEXT squeezed to one line of at most 400 characters.
oneline() {
	printf '%s' "$*" | tr '\n\r\t' '   ' | cut -c 1-400
}

# tm_timeout_scale=N on the kernel command line multiplies every test's
# timeout (slow kernels: make check-debug boots KASAN and lockdep).
scale=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^tm_timeout_scale=\([1-9][0-9]*\)$/\1/p' | tail -n 1)
scale=${scale:-1}

plan=${TMPDIR:-/tmp}/tm-plan.$$
: >"$plan"
for f in "$@"; do
	[ -f "$f" ] || continue
	suite=$(basename "$f" .sh)
	for t in $(tests_of "$f"); do
		selected "$suite/$t" && echo "$f $suite $t" >>"$plan"
	done
done

n=0
while read -r f suite t; do
	emit "TM-PLAN $suite/$t"
	n=$((n + 1))
done <"$plan"
emit "TM-PLANNED $n"

pass=0
failed=0
i=0
while read -r f suite t; do
	i=$((i + 1))
	name=$suite/$t
	tmo=$(timeout_of "$f" "$t")
	case $tmo in '' | *[!0-9]*) tmo=$deftimeout ;; esac
	tmo=$((tmo * scale))
	work=${TMPDIR:-/tmp}/tm-test.$$.$i
	rm -rf "$work"
	mkdir -p "$work"
	chmod 0777 "$work"
	reason=$work/.reason
	: >"$reason"

	dmesg -c >/dev/null
	echo "$TM_MARK begin $name" >/dev/kmsg
	emit "TM-TEST $name timeout=$tmo"
	start=$(date +%s)

	# The test runs in a session of its own, so that it and whatever it
	# started can be killed as a group.
	# shellcheck disable=SC2016 # expanded by the inner shells
	TM_TMP=$work TM_REASON=$reason TM_TEST=$name TM_SUITE=$suite \
		setsid sh -c 'cd "$TM_TMP" || exit 97; . /tm/lib.sh; . "$1"; "$2"' \
		"$t" "$f" "$t" </dev/null &
	pid=$!
	# shellcheck disable=SC2016
	setsid sh -c 'sleep "$1"; echo x >"$2"; kill -9 -- "-$3"' watchdog \
		"$tmo" "$work/.timedout" "$pid" </dev/null >/dev/null 2>&1 &
	wd=$!
	reap "$pid"
	rc=$?
	kill -9 -- "-$wd" 2>/dev/null
	reap "$wd" 2>/dev/null
	# Whatever the test left running goes with it.
	kill -9 -- "-$pid" 2>/dev/null
	elapsed=$(($(date +%s) - start))

	why=
	if [ -f "$work/.timedout" ]; then
		why="timed out after $tmo s"
	elif [ "$rc" != 0 ]; then
		why=$(head -n 1 "$reason")
		[ -n "$why" ] || why="exit status $rc"
	fi

	# Unload taskmonitor if the test left it loaded; a reader that was
	# just killed may hold it for a moment.
	if tm_loaded; then
		tries=0
		while ! out=$(rmmod taskmonitor 2>&1); do
			tries=$((tries + 1))
			if [ $tries -ge 50 ]; then
				why="${why:+$why; }left taskmonitor loaded and rmmod failed: $out"
				break
			fi
			sleep 0.1
		done
	fi

	echo "$TM_MARK end $name" >/dev/kmsg
	dmesg -c >"$work/.kmsg"
	if bad=$(TM_BAD_EXTRA=$(suite_var "$f" TM_BAD_EXTRA) \
		TM_KMSG_EXPECTED=$(suite_var "$f" TM_KMSG_EXPECTED) \
		tm_scan_kmsg <"$work/.kmsg"); then
		why="kernel log: $bad${why:+; $why}"
	fi

	if [ -z "$why" ]; then
		pass=$((pass + 1))
		emit "TM-RESULT PASS $name"
	else
		failed=$((failed + 1))
		emit "TM-RESULT FAIL $name: $(oneline "$why")"
	fi
	echo "($name took $elapsed s)"
	rm -rf "$work"
done <"$plan"
rm -f "$plan"

emit "TM-DONE $pass passed, $failed failed"
[ "$failed" = 0 ]
