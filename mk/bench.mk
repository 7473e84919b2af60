# SPDX-License-Identifier: GPL-2.0
#
# Benchmark targets of taskmonitor, included by the top-level Makefile:
#   make bench         the whole benchmark in the QEMU harness, on
#                      $(BENCH_KERNELS); prints the tables and refreshes
#                      bench/README.md, bench/results/ and the PNGs
#   make bench-smoke   the tiny version (N=10, a few seconds per kernel)
#                      that `make check` runs so that the bench cannot
#                      rot: fails if the machinery breaks, never on timing
# See bench/README.md for what is measured and how.

BENCH_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# Debian packages the bench needs on the host, for `make deps`
# (bench/run.sh also installs them itself when they are missing).
BENCH_DEPS := sysstat gnuplot-nox

BENCH_KERNELS ?= 6.1 6.12
BENCH_SMOKE_KERNELS ?= $(BENCH_KERNELS)

.PHONY: bench bench-smoke

bench:
	$(BENCH_TOP)/bench/run.sh $(foreach k,$(BENCH_KERNELS),--kernel $(k))

bench-smoke:
	$(BENCH_TOP)/bench/run.sh --smoke $(foreach k,$(BENCH_SMOKE_KERNELS),--kernel $(k))
