// SPDX-License-Identifier: GPL-2.0
/*
 * The fields procstat.c reads for a sample's start time and parent,
 * which no exported function returns for a process other than current:
 * what /proc's do_task_stat() reads for fields 4 and 22.  compat.h
 * refuses to build without it.
 */
#include <linux/build_bug.h>
#include <linux/sched.h>

void tm_probe(struct task_struct *t);
void tm_probe(struct task_struct *t)
{
	BUILD_BUG_ON(!__same_type(t->start_boottime, u64));
	BUILD_BUG_ON(!__same_type(t->real_parent, struct task_struct *));
}
