# SPDX-License-Identifier: GPL-2.0
#
# taskmonitorctl (ctl/, issue 14), included by the top-level Makefile:
#   make ctl          build ctl/taskmonitorctl
#   make check-ctl    its host-side tests: a warning-free build with the
#                     distribution's flags, unit tests and the program on
#                     hand-written histories under ASan + UBSan, and a
#                     libFuzzer run of the parser (TM_CTL_FUZZ_SECONDS,
#                     default 20); a stage of `make check`.

CTL_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# clang for libFuzzer, python3 for the tests' checks.
DEPS += clang python3

CHECK_STAGES += check-ctl

.PHONY: ctl check-ctl

ctl:
	$(MAKE) -C $(CTL_TOP)/ctl

check-ctl: check-start
	@echo "== taskmonitorctl: build, unit tests, histories (ASan+UBSan), fuzzer"
	@$(CTL_TOP)/ctl/tests/check.sh --results $(RESULTS)/ctl.txt || [ $$? = 1 ]

help::
	@echo "taskmonitorctl (mk/ctl.mk, ctl/):"
	@echo "  make ctl           build ctl/taskmonitorctl"
	@echo "  make check-ctl     its host tests: unit, histories under ASan+UBSan, fuzzer (part"
	@echo "                     of check); TM_CTL_FUZZ_SECONDS=20"
