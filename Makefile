# SPDX-License-Identifier: GPL-2.0
# Top-level Makefile of taskmonitor.  `make help` lists the targets.
#
# Everything that runs the module does so inside QEMU guests booting
# Debian's own kernels (tests/run.sh); nothing here loads a module into
# the kernel of the machine it runs on.

KDIR ?= /lib/modules/$(shell uname -r)/build

# Kernel series that `make check` compiles (every flavour) and boots;
# empty: every series tests/kernels names, booted in the flavours it
# names there.
KERNELS ?=
# Globs (comma-separated) over suite/test names: which tests to run.
TESTS ?= *
# Kernel ABIs, e.g. K61=6.1.0-55 K612=6.12.115+deb12; empty: the one
# tests/kernels names (K510, K72, ... likewise for its other series).
K61 ?=
K612 ?=
# Downloaded and extracted kernels, kept outside the checkout.
TM_CACHE ?= /var/cache/taskmonitor
# The kernel `make demo` and `make shell` boot.
DEMO_KERNEL ?= 6.12
# Jobs for module builds (the machines have 2 cores, shared).
JOBS ?= 2
# TM_WIDE=1: also boot the kernels tests/kernels marks "+" (make check-wide).
TM_WIDE ?=
export KERNELS TESTS K61 K612 TM_CACHE JOBS TM_WIDE

# Debian packages the project needs; `make deps` adds the linux-headers
# of every flavour of the chosen ABIs.  Extend with EXTRA_DEPS=..., or
# from an included mk/*.mk with `DEPS += ...`; `DEPS_NO_SERVICES += UNIT`
# names a service a package enables that must stay disabled and stopped.
DEPS := qemu-system-x86 busybox-static cpio kmod build-essential bc flex \
	bison libelf-dev libssl-dev dwarves sparse shellcheck gnuplot-nox \
	sysstat util-linux debootstrap
DEPS += $(EXTRA_DEPS)

# The stages of `make check`, in order.  Each writes "TM-RESULT PASS|FAIL
# name[: reason]" lines to $(RESULTS)/<stage>.txt and exits 0 when it
# merely found failures, so that every stage runs and the summary counts
# them all.  An included mk/*.mk may add its own with CHECK_STAGES += ...
RESULTS := build/results
CHECK_STAGES := check-compile check-boot check-selftest

.DEFAULT_GOAL := all

# `make help` is a double-colon rule: an included mk/*.mk may add its own
# `help::` lines, printed after these.
help::
	@echo "Targets:"
	@echo "  make           build src/taskmonitor.ko for the running kernel (KDIR= to choose another)"
	@echo "  make deps      install every Debian package the project needs (root; apt-get)"
	@echo "  make check     everything: compile against every header set of tests/kernels with"
	@echo "                 W=1 (no warning allowed; other suites' in debootstrapped chroots),"
	@echo "                 then boot its kernels in QEMU and run the suites; installs missing"
	@echo "                 packages first.  Ends with 'N passed, N failed'."
	@echo "  make check-wide  make check, also booting the kernels tests/kernels marks '+'"
	@echo "                 (5.10 and sid's generic and PREEMPT_RT kernels)"
	@echo "  make demo      boot Debian $(DEMO_KERNEL) in QEMU, load taskmonitor on a CPU burner"
	@echo "                 and show its history growing"
	@echo "  make shell     boot Debian $(DEMO_KERNEL) with the module and helpers to a shell"
	@echo "  make clean     remove build products (build/, src/ objects)"
	@echo "  make clean-cache  remove the downloaded kernels in $(TM_CACHE)"
	@echo "Variables:"
	@echo "  KERNELS=\"6.1 7.2\"   series to check (default: tests/kernels; 6.1-rt, 7.2-cloud,"
	@echo "                     full releases also boot)"
	@echo "  TESTS=GLOBS        run only matching suite/test names, e.g. TESTS='00-basic/*'"
	@echo "  K61=6.1.0-NN K72=7.2.NN+deb14 ...  kernel ABIs (default: what tests/kernels names)"
	@echo "  DEMO_KERNEL=6.12   kernel for demo and shell"
	@echo "  TM_CACHE=$(TM_CACHE)  kernel cache; EXTRA_DEPS=... more packages for deps"
	@echo "  TM_ACCEL=kvm|tcg   force the QEMU accelerator (default: probe KVM, else TCG)"
	@echo "Details of the test harness: tests/README.md"

-include $(sort $(wildcard mk/*.mk))

DEPS += $(PACKAGING_DEPS)

.PHONY: all module clean help deps deps-ensure check check-start \
	check-compile check-boot check-selftest check-wide demo shell clean-cache
.NOTPARALLEL:

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules

deps:
	TM_NO_SERVICES="$(DEPS_NO_SERVICES)" tests/deps.sh --install $(DEPS)

deps-ensure:
	@TM_NO_SERVICES="$(DEPS_NO_SERVICES)" tests/deps.sh --ensure $(DEPS)

check: check-start $(CHECK_STAGES)
	@tests/summary.sh $(RESULTS)

# make check plus the boots tests/kernels marks "+" (5.10, sid's kernels).
check-wide:
	@$(MAKE) --no-print-directory check TM_WIDE=1

check-start: deps-ensure
	@rm -rf $(RESULTS)
	@mkdir -p $(RESULTS)

check-compile: check-start
	@echo "== compiling with W=1 against every header set of: $(or $(KERNELS),every series of tests/kernels)"
	@tests/compile.sh --results $(RESULTS)/compile.txt $(KERNELS) || [ $$? = 1 ]

check-boot: check-start
	@tests/run.sh --selftest --results $(RESULTS)/boot.txt || [ $$? = 1 ]

check-selftest: check-start
	@tests/selftest/host.sh --results $(RESULTS)/selftest-host.txt || [ $$? = 1 ]

demo: deps-ensure
	@tests/run.sh --demo --kernel $(DEMO_KERNEL)

shell: deps-ensure
	@tests/run.sh --shell --kernel $(DEMO_KERNEL)

clean:
	if [ -d $(KDIR) ]; then $(MAKE) -C $(KDIR) M=$(CURDIR)/src clean; fi
	rm -rf build

clean-cache:
	rm -rf $(TM_CACHE)
