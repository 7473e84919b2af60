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

void tm_probe(struct signal_struct *sig, struct task_struct *t);
void tm_probe(struct signal_struct *sig, struct task_struct *t)
{
	BUILD_BUG_ON(!__same_type(sig->stats_lock, seqlock_t));
	BUILD_BUG_ON(!__same_type(sig->utime, u64));
	BUILD_BUG_ON(!__same_type(sig->stime, u64));
	BUILD_BUG_ON(!__same_type(sig->sum_sched_runtime, unsigned long long));
	BUILD_BUG_ON(!__same_type(sig->min_flt, unsigned long));
	BUILD_BUG_ON(!__same_type(sig->maj_flt, unsigned long));
	BUILD_BUG_ON(!__same_type(sig->nvcsw, unsigned long));
	BUILD_BUG_ON(!__same_type(sig->nivcsw, unsigned long));
	BUILD_BUG_ON(!__same_type(t->utime, u64));
	BUILD_BUG_ON(!__same_type(t->stime, u64));
	BUILD_BUG_ON(!__same_type(t->se.sum_exec_runtime, u64));
	BUILD_BUG_ON(!__same_type(t->min_flt, unsigned long));
	BUILD_BUG_ON(!__same_type(t->maj_flt, unsigned long));
	BUILD_BUG_ON(!__same_type(t->nvcsw, unsigned long));
	BUILD_BUG_ON(!__same_type(t->nivcsw, unsigned long));
}
