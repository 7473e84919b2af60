# SPDX-License-Identifier: GPL-2.0
#
# Benchmark targets of taskmonitor (issue 6), included by the top-level
# Makefile:
#   make bench         the whole benchmark in the QEMU harness, on
#                      $(BENCH_KERNELS); prints the tables and refreshes
#                      bench/README.md, bench/results/ and the PNGs;
#                      BENCH_ICOUNT=1 counts instructions instead (QEMU
#                      -icount; no timeliness, no PNG; its own table);
#                      then taskmonitorctl's speed on the host (bench-ctl)
#   make bench-smoke   the tiny version (N=10, a few seconds per kernel)
#                      that cannot rot: fails if the machinery breaks
#                      (no sample, no figure), never on a timing; also a
#                      stage of `make check` (check-bench-smoke)
#   make bench-ab AB='REV...'  the module's cost alone, for several builds
#                      of src/ (git revisions, "." the working tree)
#                      interleaved in one guest; BENCH_ICOUNT=1 counts
#                      instructions instead of time (QEMU -icount)
#   make bench-history only sections 2, 3 and 5 (memory, reading,
#                      reclaim), for work on the reader
#   make bench-follow  only section 6 (a follow-mode reader against
#                      re-reading the whole history), for work on the
#                      stream; BENCH_ICOUNT=1 counts instructions
#   make bench-fork    only section 7 (a fork + exit with the module away,
#                      idle or following the forker; a followed fork
#                      storm against pidstat and a /proc poller);
#                      BENCH_ICOUNT=1 counts instructions
#   make bench-profile where the guest's instructions go, function by
#                      function (a QEMU plugin): per task-sample of 1000
#                      sleepers, and per fork + exit with and without
#                      following
# See bench/README.md for what is measured and how.

BENCH_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# The bench needs sysstat (pidstat) and gnuplot-nox on the host; they are
# in the top-level DEPS, and bench/run.sh installs them when missing.

BENCH_KERNELS ?= $(or $(KERNELS),6.1 6.12)
BENCH_SMOKE_KERNELS ?= $(BENCH_KERNELS)
AB ?= HEAD .
BENCH_ICOUNT ?=

CHECK_STAGES += check-bench-smoke

.PHONY: bench bench-smoke bench-ab bench-history bench-follow bench-fork bench-profile check-bench-smoke

# After the guests, taskmonitorctl's speed goal (issue 14): host-side, a
# few seconds once its histories exist (mk/ctl.mk, bench-ctl).
bench:
	$(BENCH_TOP)/bench/run.sh $(if $(BENCH_ICOUNT),--icount) \
		$(foreach k,$(BENCH_KERNELS),--kernel $(k))
	@echo "== taskmonitorctl (host): ctl/tests/speed.sh"
	@$(BENCH_TOP)/ctl/tests/speed.sh

bench-smoke:
	$(BENCH_TOP)/bench/run.sh --smoke $(foreach k,$(BENCH_SMOKE_KERNELS),--kernel $(k))

bench-ab:
	$(BENCH_TOP)/bench/run.sh --ab '$(AB)' $(if $(BENCH_ICOUNT),--icount) \
		$(foreach k,$(BENCH_KERNELS),--kernel $(k))

bench-history:
	$(BENCH_TOP)/bench/run.sh --history $(foreach k,$(BENCH_KERNELS),--kernel $(k))

bench-follow:
	$(BENCH_TOP)/bench/run.sh --follow $(if $(BENCH_ICOUNT),--icount) \
		$(foreach k,$(BENCH_KERNELS),--kernel $(k))

bench-fork:
	$(BENCH_TOP)/bench/run.sh --fork $(if $(BENCH_ICOUNT),--icount) \
		$(foreach k,$(BENCH_KERNELS),--kernel $(k))

bench-profile:
	$(BENCH_TOP)/bench/profile/run.sh $(foreach k,$(BENCH_KERNELS),--kernel $(k))

check-bench-smoke: check-start
	@echo "== bench smoke run (N=10, no timing judged) on: $(BENCH_SMOKE_KERNELS)"
	@$(BENCH_TOP)/bench/run.sh --smoke --results $(RESULTS)/bench-smoke.txt \
		$(foreach k,$(BENCH_SMOKE_KERNELS),--kernel $(k)) || [ $$? = 1 ]

help::
	@echo "Benchmark (mk/bench.mk, bench/README.md):"
	@echo "  make bench         module vs pidstat vs a /proc poller, memory per sample, read"
	@echo "                     throughput, timeliness and reclaim in QEMU; about 20-40 min per"
	@echo "                     kernel under TCG; updates bench/README.md and its PNGs;"
	@echo "                     then make bench-ctl (taskmonitorctl's speed, on the host)"
	@echo "  make bench-smoke   the same machinery at N=10 (part of check); no timing judged"
	@echo "  make bench-ab AB='REV...'  only the module's cost at 10 ms, for each build of src/"
	@echo "                     at the git revisions REV ('.' = working tree; default 'HEAD .'),"
	@echo "                     interleaved in one guest; a few minutes per kernel"
	@echo "  make bench-history  only memory, reading and reclaim (sections 2, 3, 5); a few"
	@echo "                     minutes per kernel; BENCH_HIST_SIZES=\"10000 100000 1000000\""
	@echo "  make bench-follow  only following vs re-reading the whole history (section 6)"
	@echo "  make bench-fork    only a fork + exit's cost and a followed fork storm (section 7)"
	@echo "                     BENCH_FORK_PAIRS=1000 BENCH_STORM_CHILDREN=10000 BENCH_REPEAT=5"
	@echo "  make bench-profile  instructions per function (QEMU plugin, -icount, one vCPU): per"
	@echo "                     task-sample and per fork + exit; PROF_TASKS PROF_SWEEPS PROF_PAIRS PROF_REPEAT PROF_TOP"
	@echo "  BENCH_ICOUNT=1     with bench, bench-ab, bench-follow or bench-fork: QEMU -icount, CPU time = instructions"
	@echo "                     (1 ns each); bench then skips timeliness and has its own table"
	@echo "  BENCH_AB_NS=\"1 100 1000 4000\" BENCH_REPEAT=5  sizes and repeats of bench-ab"
	@echo "  BENCH_KERNELS=\"6.1 6.12\"  kernels of the bench (default: KERNELS)"
