// SPDX-License-Identifier: GPL-2.0
/* Before Linux 6.16: sched_process_exit passes the exiting task alone. */
#include <linux/mm.h>
#include <linux/sched.h>
#include <trace/events/sched.h>

static void tm_cb(void *data, struct task_struct *p)
{
}

void tm_probe(void);
void tm_probe(void)
{
	check_trace_callback_type_sched_process_exit(tm_cb);
}
