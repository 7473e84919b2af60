#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/deps.sh --check|--ensure|--install [PACKAGE...]
#
# The Debian packages the project needs are the PACKAGEs given (the
# Makefile passes its DEPS) plus the linux-headers packages of every
# flavour of the ABIs tests/kernels names for the host's own suite (K61,
# K612 override).  The kernels of other suites get their headers in a
# chroot of their suite, which the harness makes with debootstrap (in
# DEPS) when it first needs it.
#   --check    list what is missing; exit 1 if anything is
#   --ensure   install only if something is missing (make check, demo)
#   --install  apt-get update, then install what is missing (make deps)

set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/host.sh disable=SC1091
. "$(dirname "${BASH_SOURCE[0]}")/lib/host.sh"

action=${1:---check}
shift || true
base=("$@")

# missing: print the packages that are not installed; "apt lists" when
# the ABIs cannot be worked out because apt knows no kernel packages.
missing() {
	local p s abi f pkgs=("${base[@]}")
	for s in $TM_SERIES; do
		if ! abi=$(tm_abi "$s"); then
			echo "(apt lists without linux-headers-$s.*)"
			continue
		fi
		for f in $TM_FLAVOURS; do
			pkgs+=("linux-headers-$abi-$f")
		done
	done
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

# Some packages (prometheus, prometheus-node-exporter) start and enable
# their daemon when installed; the project only runs them itself, in its
# tests.  While apt runs, a policy-rc.d (unless the machine has its own)
# forbids starting any service; afterwards the units the Makefile lists
# in TM_NO_SERVICES are disabled, and stopped if they run.
policy=/usr/sbin/policy-rc.d
services_off_begin() {
	[ ! -e $policy ] || return 0
	printf '#!/bin/sh\n# tests/deps.sh: no service starts while it installs\nexit 101\n' >$policy
	chmod 0755 $policy
	trap 'rm -f $policy' EXIT
}

services_off_end() {
	local u
	if grep -q 'tests/deps.sh' $policy 2>/dev/null; then
		rm -f $policy
		trap - EXIT
	fi
	command -v systemctl >/dev/null || return 0
	for u in ${TM_NO_SERVICES:-}; do
		systemctl disable --quiet "$u" 2>/dev/null || true
		if [ -d /run/systemd/system ]; then
			systemctl stop "$u" 2>/dev/null || true
		fi
	done
}

install() {
	local todo
	[ "$(id -u)" = 0 ] || tm_die "installing packages needs root"
	export DEBIAN_FRONTEND=noninteractive
	echo "deps: apt-get update" >&2
	apt-get update -q >&2
	mapfile -t todo < <(missing | grep -v '^(')
	if [ "$(missing | grep -c '^(' || true)" != 0 ]; then
		tm_die "apt offers no linux-headers packages of the $TM_SERIES kernels tests/kernels names (apt-get update, or bump tests/kernels)"
	fi
	if [ ${#todo[@]} -eq 0 ]; then
		echo "deps: everything is installed" >&2
		return 0
	fi
	echo "deps: installing ${todo[*]}" >&2
	services_off_begin
	apt-get install -y -q --no-install-recommends "${todo[@]}" >&2
	services_off_end
}

case $action in
--check)
	m=$(missing)
	[ -z "$m" ] || { echo "$m"; exit 1; }
	;;
--ensure)
	m=$(missing)
	if [ -n "$m" ]; then
		echo "deps: missing: $(echo "$m" | tr '\n' ' ')" >&2
		install
	fi
	;;
--install)
	install
	;;
*)
	tm_die "usage: tests/deps.sh --check|--ensure|--install [PACKAGE...]"
	;;
esac
