// SPDX-License-Identifier: GPL-2.0
/*
 * The storage I/O counters procstat.c sums for a whole process, as
 * /proc's do_io_accounting() does: the signal struct's (exited threads
 * and reaped children) and each live thread's.  No exported function
 * totals them.  compat.h refuses to build without it; a kernel without
 * CONFIG_TASK_IO_ACCOUNTING has no such fields and reports 0.
 */
#include <linux/build_bug.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

void tm_probe(struct signal_struct *sig, struct task_struct *t);
void tm_probe(struct signal_struct *sig, struct task_struct *t)
{
#ifdef CONFIG_TASK_IO_ACCOUNTING
	BUILD_BUG_ON(!__same_type(sig->ioac.read_bytes, u64));
	BUILD_BUG_ON(!__same_type(sig->ioac.write_bytes, u64));
	BUILD_BUG_ON(!__same_type(t->ioac.read_bytes, u64));
	BUILD_BUG_ON(!__same_type(t->ioac.write_bytes, u64));
#endif
}
