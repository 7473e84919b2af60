# SPDX-License-Identifier: GPL-2.0
#
# taskmonitorctl (ctl/, issue 14), included by the top-level Makefile:
#   make ctl          build ctl/taskmonitorctl
#   make check-ctl    its host-side tests: a warning-free build with the
#                     distribution's flags, unit tests and the program on
#                     hand-written histories under ASan + UBSan, export
#                     against Debian's promtool, node_exporter and
#                     prometheus, systemd-analyze verify of the units, and
#                     a libFuzzer run of the parser and export's lines
#                     (TM_CTL_FUZZ_SECONDS, default 20); a stage of `make check`.
#   make bench-ctl    the speed goal: show --summary over 10^6 samples
#                     against cat + wc -l, and its peak RSS, on the host;
#                     export of 1,000 processes against the timer's 15 s

CTL_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# clang for libFuzzer, python3 for the tests' checks; Prometheus's own
# programs for the tests of export, systemd-analyze for its units (their services are left stopped and
# disabled: see DEPS_NO_SERVICES).
DEPS += clang python3 prometheus prometheus-node-exporter systemd
DEPS_NO_SERVICES += prometheus.service prometheus-node-exporter.service

CHECK_STAGES += check-ctl

.PHONY: ctl check-ctl bench-ctl

ctl:
	$(MAKE) -C $(CTL_TOP)/ctl

check-ctl: check-start
	@echo "== taskmonitorctl: build, unit tests, histories (ASan+UBSan), fuzzer"
	@$(CTL_TOP)/ctl/tests/check.sh --results $(RESULTS)/ctl.txt || [ $$? = 1 ]

# Issue 14's speed goal on this host: show --summary over 10^6 samples
# against cat + wc -l, and its peak RSS (a figure, never a failure).
bench-ctl:
	@$(CTL_TOP)/ctl/tests/speed.sh

help::
	@echo "taskmonitorctl (mk/ctl.mk, ctl/):"
	@echo "  make ctl           build ctl/taskmonitorctl"
	@echo "  make check-ctl     its host tests: unit, histories under ASan+UBSan, export against"
	@echo "                     promtool, node_exporter and prometheus, units, fuzzer (part"
	@echo "                     of check); TM_CTL_FUZZ_SECONDS=20"
	@echo "  make bench-ctl     show --summary over 10^6 samples vs cat + wc -l, export of"
	@echo "                     1,000 processes, on the host"
