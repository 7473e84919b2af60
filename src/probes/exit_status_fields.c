// SPDX-License-Identifier: GPL-2.0
/*
 * The fields the exit record's status is read from, as wait() computes
 * it in wait_task_zombie() (no function returns it), and the count of
 * live threads that tells the last one before Linux 6.16.  compat.h
 * refuses to build without it.
 */
#include <linux/build_bug.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

void tm_probe(struct signal_struct *sig, struct task_struct *t);
void tm_probe(struct signal_struct *sig, struct task_struct *t)
{
	BUILD_BUG_ON(!__same_type(sig->flags, unsigned int));
	BUILD_BUG_ON(!__same_type(sig->group_exit_code, int));
	BUILD_BUG_ON(!__same_type(sig->live, atomic_t));
	BUILD_BUG_ON(!__same_type(t->exit_code, int));
	BUILD_BUG_ON(!SIGNAL_GROUP_EXIT);
}
