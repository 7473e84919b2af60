#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/run.sh: boot Debian kernels in QEMU and run the taskmonitor test
# suites inside them.  See tests/README.md for the full story.
#
# For each kernel: fetch and cache the linux-image-*-unsigned package,
# build src/ for it (W=1), compile the static helpers, pack an initramfs
# (busybox, kmod, the module, the suites), boot it under KVM or TCG with a
# watchdog, keep the serial log in build/logs/, and report one TM-RESULT
# line per test.  A guest that dies or hangs fails the test it was in and
# every test it did not reach.

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib/host.sh"

usage() {
	cat <<'EOF'
usage: tests/run.sh [OPTIONS]

  --kernel K      kernel to boot; repeatable or comma-separated.  K is a
                  series of tests/kernels (5.10, 6.1, 6.12, 7.2, ...),
                  with -rt or -cloud for a flavour (the ABI that file
                  names, or K61=, K72=, ...), or a full release such as
                  6.12.117+deb12-amd64.  Default: $KERNELS or what
                  tests/kernels boots.
  --tests GLOBS   run only the tests whose suite/test name matches one of
                  the comma-separated globs (default: $TESTS or *)
  --image FILE --kdir DIR
                  boot the kernel image FILE (a bzImage) instead of a
                  Debian kernel, and build the modules against the kernel
                  build tree DIR (its include/config/kernel.release names
                  the kernel); replaces --kernel.  make check-debug uses
                  this for the debug kernel.
  --ko PATH       put PATH into the guest, at /tm/NAME.ko and at
                  /lib/modules/<kver>/extra/NAME.ko (depmod is run);
                  repeatable.  A taskmonitor.ko given this way replaces
                  the one built from src/, which is then not built.
  --overlay DIR   copy DIR's contents into the initramfs root, last, so it
                  may add suites (tm/suites/x.sh), modprobe.d files or
                  modules; repeatable
  --append ARGS   extra kernel command-line arguments
  --selftest      also run the harness self-test suites (tests/selftest)
                  with their deliberately broken module
  --test-timeout S  default per-test timeout in the guest (default 120)
  --grace S       how long past a test's own timeout, or between two
                  protocol lines otherwise, before the guest is declared
                  hung and killed (default 60; 300 for the boot itself)
  --timeout S     hard limit for one boot (default 3600)
  --results FILE  append the results, as TM-RESULT lines naming the
                  kernel, to FILE (make check uses this)
  --log-name N    name the logs build/logs/N.log and N.results instead
                  of after the kernel release
  --demo          run the demo instead of the suites (make demo)
  --shell         boot to an interactive shell on this terminal
  -q, --quiet     do not print the results as they arrive

Environment: TM_CACHE, TM_BUILD, K61, K612, K510, K72, TM_ACCEL (kvm|tcg), JOBS,
TM_QEMU_ARGS (more QEMU options, e.g. "-icount shift=0" for bench/run.sh).
Exit status: 0 all passed, 1 something failed, 2 usage or set-up error.
EOF
}

kernels=()
custom_image=
custom_kdir=
globs=${TESTS:-*}
kos=()
overlays=()
append=
selftest=0
test_timeout=120
grace=${TM_GRACE:-60}
boot_grace=${TM_BOOT_GRACE:-300}
hard_timeout=${TM_BOOT_TIMEOUT:-3600}
results_file=
log_name=
mode=run
quiet=0

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) IFS=', ' read -r -a ks <<<"$2"; kernels+=("${ks[@]}"); shift ;;
	--tests) globs=$2; shift ;;
	--image) custom_image=$(realpath "$2"); shift ;;
	--kdir) custom_kdir=$(realpath "$2"); shift ;;
	--ko) kos+=("$(realpath "$2")"); shift ;;
	--overlay) overlays+=("$(realpath "$2")"); shift ;;
	--append) append="$append $2"; shift ;;
	--selftest) selftest=1 ;;
	--test-timeout) test_timeout=$2; shift ;;
	--grace) grace=$2; shift ;;
	--timeout) hard_timeout=$2; shift ;;
	--results) results_file=$(realpath -m "$2"); shift ;;
	--log-name) log_name=$2; shift ;;
	--demo) mode=demo ;;
	--shell) mode=shell ;;
	-q | --quiet) quiet=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
if [ -n "$custom_image$custom_kdir" ]; then
	if [ ! -f "$custom_image" ] || [ ! -d "$custom_kdir" ]; then
		tm_die "--image FILE and --kdir DIR go together, and must exist"
	fi
	[ -f "$custom_kdir/include/config/kernel.release" ] ||
		tm_die "$custom_kdir is not a built kernel tree (no include/config/kernel.release)"
	[ ${#kernels[@]} -eq 0 ] || tm_die "--image replaces --kernel"
	kernels=("$(cat "$custom_kdir/include/config/kernel.release")")
	# Modules for that kernel are built against its own tree.
	tm_kdir() { echo "$custom_kdir"; }
fi
# The globs travel on the kernel command line, where a space would split
# them into separate arguments.
globs=${globs// /,}
[ -n "$globs" ] || globs='*'
if [ ${#kernels[@]} -eq 0 ]; then
	# shellcheck disable=SC2206 # a list of words
	kernels=(${KERNELS:-$(tm_default_kernels)})
fi
if [ -n "$log_name" ] && [ ${#kernels[@]} -gt 1 ]; then
	tm_die "--log-name needs a single --kernel"
fi
for f in "${kos[@]}" "${overlays[@]}"; do
	[ -e "$f" ] || tm_die "no such file or directory: $f"
done

own_ko=
for f in "${kos[@]}"; do
	[ "$(basename "$f")" = taskmonitor.ko ] && own_ko=$f
done

now() { echo "${EPOCHREALTIME%.*}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

total_pass=0
total_fail=0
helpers=$(tm_build_helpers)
mkdir -p "$TM_BUILD/logs"

# result KVER STATUS NAME [REASON [shown]]: report one test; "shown"
# when it was already printed as it arrived.
result() {
	local kver=$1 status=$2 name=$3 reason=${4:-} line
	line="TM-RESULT $status $name${reason:+: $reason}"
	[ $quiet = 1 ] || [ "${5:-}" = shown ] || echo "$line"
	if [ -n "$results_file" ]; then
		echo "TM-RESULT $status $kver/$name${reason:+: $reason}" >>"$results_file"
	fi
	if [ "$status" = PASS ]; then
		total_pass=$((total_pass + 1))
	else
		total_fail=$((total_fail + 1))
	fi
}

# first_error LOG: the first compiler diagnostic, or the last line.
first_error() {
	local l
	l=$(grep -m 1 -E '(error|warning):|No rule|not found|cannot' "$1" || true)
	[ -n "$l" ] || l=$(tail -n 1 "$1")
	echo "$l"
}

# pack_initramfs KVER ROOT KO: fill ROOT and write ROOT.cpio.
pack_initramfs() {
	local kver=$1 root=$2 ko=$3 kdir=$TM_CACHE/kernels/$1 a lib f
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/modprobe.d,root,tmp,proc,sys,dev,run} \
		"$root"/tm/{bin,suites,selftest} "$root/lib/modules/$kver/extra"
	chmod 1777 "$root/tmp"

	cp /bin/busybox "$root/bin/busybox"
	for a in $(busybox --list-full); do
		[ -e "$root/$a" ] || ln -s /bin/busybox "$root/$a"
	done
	# kmod's own tools, so that modprobe reads modprobe.d like on a real
	# system; its shared libraries come along.
	cp "$(command -v kmod)" "$root/sbin/kmod"
	for a in modprobe depmod insmod rmmod lsmod modinfo; do
		rm -f "$root/sbin/$a" "$root/bin/$a"
		ln -s kmod "$root/sbin/$a"
	done
	for lib in $(ldd "$(command -v kmod)" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		for a in "$kdir/lib/modules/$kver/$f" "$kdir/usr/lib/modules/$kver/$f"; do
			[ -f "$a" ] && cp "$a" "$root/lib/modules/$kver/"
		done
	done
	# The kernel's own modules the suites load (see TM_GUEST_MODULES).
	tm_guest_modules "$kver" | while read -r a f; do
		mkdir -p "$root/lib/modules/$kver/kernel/$(dirname "$a")"
		cp "$f" "$root/lib/modules/$kver/kernel/$(dirname "$a")/"
	done

	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
tmuser:x:1000:1000:unprivileged test user:/tmp:/bin/sh
tmmember:x:1001:1001:test user in the taskmonitor group:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
	cat >"$root/etc/group" <<'EOF'
root:x:0:
tmuser:x:1000:
tmmember:x:1001:
taskmonitor:x:1100:tmmember
nogroup:x:65534:
EOF
	echo "root::19000:0:99999:7:::" >"$root/etc/shadow"
	chmod 600 "$root/etc/shadow"
	echo /bin/sh >"$root/etc/shells"
	echo tmguest >"$root/etc/hostname"

	install -m 755 "$TM_TOP/tests/guest/init" "$root/init"
	install -m 755 "$TM_TOP/tests/guest/run.sh" "$root/tm/run.sh"
	install -m 644 "$TM_TOP/tests/guest/lib.sh" "$root/tm/lib.sh"
	install -m 755 "$TM_TOP/tests/guest/demo.sh" "$root/tm/demo.sh"
	cp "$helpers"/* "$root/tm/bin/"
	for f in "$TM_TOP"/tests/suites/*.sh; do
		[ -e "$f" ] && cp "$f" "$root/tm/suites/"
	done
	if [ $selftest = 1 ]; then
		cp "$TM_TOP/tests/selftest/selftest.sh" "$root/tm/selftest/"
		cp "$TM_BUILD/$kver/tmbroken/tmbroken.ko" "$root/tm/selftest/"
	fi
	if [ -n "$ko" ]; then
		cp "$ko" "$root/tm/taskmonitor.ko"
		cp "$ko" "$root/lib/modules/$kver/extra/taskmonitor.ko"
	fi
	for f in "${kos[@]}"; do
		cp "$f" "$root/tm/"
		cp "$f" "$root/lib/modules/$kver/extra/"
	done
	for f in "${overlays[@]}"; do
		cp -a "$f/." "$root/"
	done
	depmod -b "$root" "$kver"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$root.cpio"
}

# boot_reason LOG: the most telling line of a console log of a guest
# that died: the panic, else the first bad kernel message, else the last
# line.
boot_reason() {
	local l
	l=$(tr -d '\r' <"$1" | grep -m 1 -F 'Kernel panic' || true)
	[ -n "$l" ] || l=$(tr -d '\r' <"$1" | grep -m 1 -E 'Oops|BUG:|WARNING:|general protection' || true)
	[ -n "$l" ] || l=$(tr -d '\r' <"$1" | grep -v '^[[:space:]]*$' | tail -n 1 || true)
	printf '%s' "${l:-(empty console log)}" | cut -c 1-300
}

# selected_in DIR: does a test that the guest will run from /tm/DIR
# match the globs?  Saves booting for nothing.
selected_in() {
	local d f files=()
	if [ "$1" = selftest ]; then
		files=("$TM_TOP/tests/selftest/selftest.sh")
	else
		files=("$TM_TOP/tests/$1"/*.sh)
	fi
	for d in "${overlays[@]}"; do
		files+=("$d/tm/$1"/*.sh)
	done
	for f in "${files[@]}"; do
		[ -f "$f" ] && suite_selected "$f" && return 0
	done
	return 1
}

# suite_selected FILE: does one of FILE's test_* functions match?
suite_selected() {
	local t suite
	suite=$(basename "$1" .sh)
	while read -r t; do
		tm_glob_match "$suite/$t" "$globs" && return 0
	done < <(sed -n 's/^\(test_[A-Za-z0-9_]*\)[[:space:]]*().*$/\1/p' "$1")
	return 1
}

# boot_once KVER NAME DIRS: boot the packed initramfs once, running the
# suites of the comma-separated /tm/DIRS, logs named NAME; report.
boot_once() {
	local kver=$1 name=$2 dirs=$3 log res
	local t0 t_boot="" qpid deadline hard seen=0 done=0 hung=0 planned=-1
	local current="" line n tmo bt started
	log=$TM_BUILD/logs/$name.log
	res=$TM_BUILD/logs/$name.results
	booted=1

	# tsc=reliable: a TCG vCPU the busy host did not run for a while makes
	# the clocksource watchdog call QEMU's TSC unstable, and the switch
	# rewrites sched_clock's static keys while other vCPUs run that code;
	# 7.2 once died of an int3 in sched_clock_cpu() doing so.  QEMU's TSC
	# is stable: the watchdog's verdict is the host's load, not the guest's.
	local cmdline="console=ttyS0,115200 panic=-1 log_buf_len=4M tsc=reliable tm_mode=$mode tm_dirs=$dirs tm_tests=$globs tm_timeout=$test_timeout"
	[ $mode = demo ] && cmdline="$cmdline quiet"
	cmdline="$cmdline$append"
	# shellcheck disable=SC2207,SC2206 # words of a command line
	local qemu=($(tm_qemu_base) $(tm_accel_args "$accel") ${TM_QEMU_ARGS:-} -kernel "$vmlinuz" -initrd "$initrd")

	if [ $mode = shell ]; then
		echo "== $kver: interactive shell (accel $accel); 'poweroff -f' ends it"
		"${qemu[@]}" -serial mon:stdio -serial null -append "$cmdline"
		return 0
	fi

	echo "== $kver: booting ($dirs, accel $accel), serial log $log"
	: >"$log"
	: >"$res"
	t0=$(now)
	"${qemu[@]}" -serial "file:$log" -serial "file:$res" -append "$cmdline" \
		>"$TM_BUILD/logs/$name.qemu" 2>&1 &
	qpid=$!
	if [ $mode = demo ]; then
		tail -n +1 --pid="$qpid" -f "$log" | tr -d '\r' |
			sed -u '/^\[ *[0-9.]*\] /d; /^tm: booted/d' &
	fi
	started=$(date +%s)
	deadline=$((started + boot_grace))
	hard=$((started + hard_timeout))
	# Read the protocol lines as they come; once QEMU has exited, read
	# what is left one last time.
	local alive=1
	while [ $alive = 1 ]; do
		sleep 1
		kill -0 "$qpid" 2>/dev/null || alive=0
		n=$(wc -l <"$res")
		while [ "$seen" -lt "$n" ]; do
			seen=$((seen + 1))
			line=$(sed -n "${seen}p" "$res" | tr -d '\r')
			case $line in
			"TM-BOOTED "*)
				bt=${line#TM-BOOTED }
				t_boot=${bt%% *}
				deadline=$(($(date +%s) + grace))
				;;
			"TM-PLANNED "*)
				planned=${line#TM-PLANNED }
				deadline=$(($(date +%s) + grace))
				;;
			"TM-TEST "*)
				current=${line#TM-TEST }
				tmo=${current##*timeout=}
				current=${current% timeout=*}
				case $tmo in '' | *[!0-9]*) tmo=$test_timeout ;; esac
				deadline=$(($(date +%s) + tmo + grace))
				;;
			"TM-RESULT "*)
				[ $quiet = 1 ] || echo "$line"
				current=
				deadline=$(($(date +%s) + grace))
				;;
			"TM-DONE "* | "TM-DEMO-EXIT "*)
				done=1
				deadline=$(($(date +%s) + grace))
				;;
			esac
		done
		[ $alive = 1 ] || break
		if [ "$(date +%s)" -ge "$deadline" ] || [ "$(date +%s)" -ge "$hard" ]; then
			hung=$(($(date +%s) - started))
			kill "$qpid" 2>/dev/null || true
			break
		fi
	done
	wait "$qpid" 2>/dev/null || true
	wait 2>/dev/null || true
	local elapsed
	elapsed=$(secs "$t0" "$(now)")

	if [ $mode = demo ]; then
		local rc
		rc=$(sed -n 's/^TM-DEMO-EXIT \([0-9]*\).*/\1/p' "$res" | tr -d '\r')
		echo "== $kver: demo ended after $elapsed s (boot ${t_boot:-?} s, accel $accel)"
		if [ "$rc" = 0 ]; then
			total_pass=$((total_pass + 1))
		else
			echo "demo failed: ${rc:+exit status $rc}${rc:-guest $( [ "$hung" != 0 ] && echo hung || echo died ): $(boot_reason "$log")}"
			total_fail=$((total_fail + 1))
		fi
		return 0
	fi

	# Report what the guest said, then what it could not say.
	local why status tname reason
	if [ "$hung" != 0 ]; then
		why="guest hung: no progress, killed after $hung s; last console line: $(boot_reason "$log")"
	else
		why="guest died: $(boot_reason "$log")"
	fi
	declare -A reported=()
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		"TM-RESULT PASS "* | "TM-RESULT FAIL "*)
			status=${line#TM-RESULT }
			status=${status%% *}
			tname=${line#TM-RESULT "$status" }
			reason=
			if [ "$status" = FAIL ]; then
				reason=${tname#*: }
				tname=${tname%%: *}
			fi
			reported[$tname]=1
			result "$kver" "$status" "$tname" "$reason" shown
			;;
		esac
	done <"$res"
	if [ "$done" != 1 ]; then
		if [ "$planned" = -1 ]; then
			result "$kver" FAIL boot "$why"
		fi
		while IFS= read -r line; do
			line=${line%$'\r'}
			case $line in
			"TM-PLAN "*)
				tname=${line#TM-PLAN }
				[ -z "${reported[$tname]:-}" ] || continue
				if [ "$tname" = "$current" ]; then
					result "$kver" FAIL "$tname" "$why"
				else
					result "$kver" FAIL "$tname" "not run: ${why%%:*}${current:+ during $current}"
				fi
				;;
			esac
		done <"$res"
	fi
	echo "== $kver: booted in ${t_boot:-?} s (accel $accel), ran in $elapsed s; serial log $log"
}

# run_kernel KVER: the whole pipeline for one kernel.
run_kernel() {
	local kver=$1 name=${log_name:-$1} ko root

	echo "== $kver: preparing"
	if [ -n "$custom_image" ]; then
		vmlinuz=$custom_image
	elif ! vmlinuz=$(tm_fetch_kernel "$kver"); then
		result "$kver" FAIL boot "cannot fetch the image of $kver ($(tm_kernel_debs "$kver" | tr " " "|"))"
		return 0
	fi
	if [ -n "$own_ko" ]; then
		ko=$own_ko
	else
		if ! tm_build_kmod src "$TM_TOP/src" "$kver"; then
			result "$kver" FAIL build "taskmonitor does not build: $(first_error "$TM_BUILD/$kver/src.log")"
			return 0
		fi
		ko=$TM_BUILD/$kver/src/taskmonitor.ko
	fi
	if [ $selftest = 1 ] &&
		! tm_build_kmod tmbroken "$TM_TOP/tests/selftest/tmbroken" "$kver"; then
		result "$kver" FAIL selftest-build "tmbroken does not build: $(first_error "$TM_BUILD/$kver/tmbroken.log")"
		return 0
	fi
	root=$TM_BUILD/$kver/initramfs
	pack_initramfs "$kver" "$root" "$ko"
	accel=$(tm_accel "$vmlinuz" "$root.cpio")
	initrd=$root.cpio

	if [ $mode != run ]; then
		boot_once "$kver" "$name" suites
		return 0
	fi
	# The suites and the harness self-test boot separately: a suite may
	# leave the kernel in a state (lockdown, memory pressure, taint) that
	# the self-test must not inherit, and the self-test's NULL dereference
	# leaves a module stuck half-loaded.
	if selected_in suites; then
		boot_once "$kver" "$name" suites
	fi
	if [ $selftest = 1 ] && selected_in selftest; then
		boot_once "$kver" "$name-selftest" selftest
	fi
	if [ "$booted" = 0 ]; then
		echo "== $kver: no test matches '$globs'"
	fi
}


for k in "${kernels[@]}"; do
	if [ -n "$custom_image" ]; then
		kver=$k
	else
		kver=$(tm_kver "$k")
	fi
	# One run per kernel build tree at a time: engineers share the tree.
	exec {lockfd}>"$TM_BUILD/.lock-$kver"
	if ! flock -n "$lockfd"; then
		tm_msg "waiting for another run using $kver"
		flock "$lockfd"
	fi
	booted=0
	run_kernel "$kver"
	exec {lockfd}>&-
done

[ $mode = shell ] && exit 0
if [ $mode = demo ]; then
	[ $total_fail = 0 ]
	exit
fi
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ] || exit 1
