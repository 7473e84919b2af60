// SPDX-License-Identifier: GPL-2.0
/*
 * Linux 6.16 and later: sched_process_exit passes group_dead, and fires
 * before the exiting task's mm is released.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <trace/events/sched.h>

static void tm_cb(void *data, struct task_struct *p, bool group_dead)
{
}

void tm_probe(void);
void tm_probe(void)
{
	check_trace_callback_type_sched_process_exit(tm_cb);
}
