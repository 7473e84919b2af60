# SPDX-License-Identifier: GPL-2.0
#
# Static checks and the debug kernel (issue 5), included by the top-level
# Makefile:
#   make lint           checkpatch --strict, sparse (C=2), shellcheck and
#                       clang-format; also a stage of `make check`
#   make check-debug    boot a KASAN/UBSAN/kmemleak/lockdep/... kernel built
#                       from Debian's linux-source-6.12 (once per machine,
#                       cached in $(TM_CACHE)/debug-kernel) with
#                       panic_on_warn=1 and run every suite, the KUnit,
#                       torture, fault-injection and fuzzing suites too
#   make check-planted  each bug in tests/debug/planted/ must make
#                       check-debug fail, with a message that names it
#   make debug-kernel   only build the debug kernel
# See docs/testing.md.

DEPS += linux-source-6.12 clang-format

CHECK_STAGES += check-lint

.PHONY: lint check-lint check-debug check-planted debug-kernel

lint: deps-ensure
	@tests/lint.sh

check-lint: check-start
	@echo "== static checks: checkpatch --strict, sparse, shellcheck, clang-format"
	@tests/lint.sh --results $(RESULTS)/lint.txt || [ $$? = 1 ]

check-debug: deps-ensure
	@tests/debug/check.sh

check-planted: deps-ensure
	@tests/debug/planted.sh

debug-kernel: deps-ensure
	@tests/debug/kernel.sh build

help::
	@echo "Static checks and the debug kernel (mk/debug.mk, docs/testing.md):"
	@echo "  make lint           checkpatch --strict, sparse C=2, shellcheck, clang-format (part of check)"
	@echo "  make check-debug    every suite plus KUnit, torture, failslab and fuzzing in a debug"
	@echo "                      kernel (KASAN, UBSAN, kmemleak, lockdep, panic_on_warn=1); builds"
	@echo "                      it from linux-source-6.12 the first time (~15 min on 2 cores)"
	@echo "  make check-planted  prove that each planted bug (tests/debug/planted) fails check-debug"
	@echo "  TM_FUZZ_SEED=N TM_FUZZ_ITER=N  replay the fuzzer (check-debug prints its seed)"
