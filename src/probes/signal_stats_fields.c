// SPDX-License-Identifier: GPL-2.0
/*
 * Every field procstat.c reads to total a thread group's statistics,
 * with the type it expects: a copy of what the unexported
 * thread_group_cputime() reads.  compat.h refuses to build without it.
 */
#include <linux/build_bug.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seqlock.h>

#define TM_FIELD_IS(obj, field, type) \
	static_assert(__same_type(((obj *)0)->field, type))

TM_FIELD_IS(struct signal_struct, stats_lock, seqlock_t);
TM_FIELD_IS(struct signal_struct, utime, u64);
TM_FIELD_IS(struct signal_struct, stime, u64);
TM_FIELD_IS(struct signal_struct, sum_sched_runtime, unsigned long long);
TM_FIELD_IS(struct signal_struct, min_flt, unsigned long);
TM_FIELD_IS(struct signal_struct, maj_flt, unsigned long);
TM_FIELD_IS(struct signal_struct, nvcsw, unsigned long);
TM_FIELD_IS(struct signal_struct, nivcsw, unsigned long);
TM_FIELD_IS(struct task_struct, utime, u64);
TM_FIELD_IS(struct task_struct, stime, u64);
TM_FIELD_IS(struct task_struct, se.sum_exec_runtime, u64);
TM_FIELD_IS(struct task_struct, min_flt, unsigned long);
TM_FIELD_IS(struct task_struct, maj_flt, unsigned long);
TM_FIELD_IS(struct task_struct, nvcsw, unsigned long);
TM_FIELD_IS(struct task_struct, nivcsw, unsigned long);
