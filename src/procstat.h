/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_PROCSTAT_H
#define TM_PROCSTAT_H

#include <linux/sched.h>
#include <linux/types.h>
#include <linux/uidgid.h>

struct pid;
struct task_sample;
struct task_struct;

/* CPU times of a whole process as the scheduler accounts them, in ns. */
struct tm_cputime {
	u64 utime; /* tick-based user time */
	u64 stime; /* tick-based system time */
	u64 rtime; /* precise runtime */
};

/* Who a process runs as: its real and effective UIDs. */
struct tm_owner {
	kuid_t uid;
	kuid_t euid;
};

/* A process's name, as a sample takes it. */
struct tm_comm {
	char name[TASK_COMM_LEN];
};

/*
 * Fills @s (all but ts, utime and stime), @ct and @owner from the process
 * whose thread-group ID is @pid; @s->parent gets a reference of its own.
 * @known_comm is the name this process had at its previous sample (all
 * zeros before its first), updated here: one caller at a time per
 * process.  Returns false when the process has exited: reaped, or every
 * thread of it gone (a zombie).
 */
bool tm_stats_read(struct pid *pid, struct task_sample *s,
		   struct tm_cputime *ct, struct tm_owner *owner,
		   struct tm_comm *known_comm);

/*
 * Fills the totals, name and start time of @s (not its parent, memory
 * and thread count) and @ct for the process led by @leader, whose last
 * thread has exited; the caller holds a reference to @leader.  The
 * process may have been reaped meanwhile: its threads' shares are then
 * all in its signal struct.
 */
void tm_stats_read_exited(struct task_struct *leader, struct task_sample *s,
			  struct tm_cputime *ct);

/*
 * Splits @ct->rtime between user and system time in the proportion of the
 * tick-based times, the way /proc/PID/stat does, and never below the
 * previous split in *@utime / *@stime, which are updated.
 */
void tm_cputime_settle(const struct tm_cputime *ct, u64 *utime, u64 *stime);

#endif /* TM_PROCSTAT_H */
