/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_EXITREC_H
#define TM_EXITREC_H

struct task_struct;
struct tm_exit_info;
struct tm_task;

/*
 * Exits and forks of followed processes are handed to kernel workers in
 * batches: the first queues the work this many milliseconds ahead, the
 * next ones join it.  Waking a worker for each would cost more than the
 * work itself (bench/README.md, section 7).
 */
#define TM_BATCH_MS 10
/* ... or fewer, when this many exits are waiting (exitrec.c). */
#define TM_BATCH_EXITS 8

/* Hooks sched_process_exit; -ENOENT if the kernel has no such event. */
int tm_exitrec_init(void);
/* Unhooks it and waits for every probe and exit work under way. */
void tm_exitrec_exit(void);

/*
 * Reads into @e, in the exiting task @p, what its exit record needs
 * (the probe's part); takes references that the exit work, or
 * tm_exit_release(), drops.  Called under RCU.
 */
void tm_exit_capture(struct tm_exit_info *e, struct task_struct *p);
void tm_exit_release(struct tm_exit_info *e);
/* Queues @t's exit work, @t->exit filled and its exit_seen bit set. */
void tm_exit_queue(struct tm_task *t);

#endif /* TM_EXITREC_H */
