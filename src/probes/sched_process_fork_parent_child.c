// SPDX-License-Identifier: GPL-2.0
/*
 * sched_process_fork passes the forking task and the child, on every
 * kernel taskmonitor supports; compat.h refuses to build without it.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <trace/events/sched.h>

static void tm_cb(void *data, struct task_struct *parent,
		  struct task_struct *child)
{
}

void tm_probe(void);
void tm_probe(void)
{
	check_trace_callback_type_sched_process_fork(tm_cb);
}
