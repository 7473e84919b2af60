/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_EXITREC_H
#define TM_EXITREC_H

struct work_struct;

/* Hooks sched_process_exit; -ENOENT if the kernel has no such event. */
int tm_exitrec_init(void);
/* Unhooks it and waits for every probe and exit work under way. */
void tm_exitrec_exit(void);

/* A task's exit work (tm_task.exit_work). */
void tm_exit_work(struct work_struct *w);

#endif /* TM_EXITREC_H */
