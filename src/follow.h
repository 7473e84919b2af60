/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_FOLLOW_H
#define TM_FOLLOW_H

#include <linux/types.h>

struct pid;
struct task_struct;
struct tm_access;

/*
 * Hooks sched_process_fork, sets the fork records aside and makes
 * /sys/kernel/taskmonitor_follow_dropped; -ENOENT without the event.
 */
int tm_follow_init(void);
/*
 * Unhooks it, waits for the probes under way and lists every fork
 * recorded before it frees the records.  Called before the exit
 * record's teardown (the worker hands exits over to its work queue).
 */
void tm_follow_exit(void);

/*
 * Lists, followed, as added by @acc, every process that descends from
 * @root (listed and followed already) and is not followed yet.
 */
void tm_follow_descendants(struct pid *root, const struct tm_access *acc);

/* Whether some fork record waits to be listed (read without a lock). */
bool tm_follow_pending(void);
/*
 * The exit probe's part: if @p's fork is still being listed, keeps its
 * exit with the fork record and returns true.  Called under RCU.
 */
bool tm_follow_exit_seen(struct task_struct *p);

#endif /* TM_FOLLOW_H */
