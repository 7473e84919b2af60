// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the statistics of a whole process.
 *
 * The kernel exports no helper that totals a thread group: of
 * thread_group_cputime() and thread_group_cputime_adjusted() neither is
 * exported (Kbuild reads Module.symvers to check the latter), and the
 * exported task_cputime_adjusted() covers one thread only, not the ones
 * that exited.  So the totals are summed here as /proc's do_task_stat()
 * does: the signal struct holds what exited threads accumulated, and
 * each live thread holds its own share.  A thread that exits moves its
 * share into the signal struct under sig->stats_lock, so the sum is taken
 * inside a read section of that seqlock and retried if an exit raced with
 * it.  The fields read are listed in probes/signal_stats_fields.c, which
 * stops the build (compat.h) if any of them changes.
 *
 * The storage I/O counters are summed the same way, as /proc's
 * do_io_accounting() does: an exiting thread adds its own to the signal
 * struct in the same seqlock write section, and a parent reaping a child
 * adds the child's whole total there, so these are /proc/PID/io's
 * read_bytes and write_bytes.
 *
 * RSS comes from the exported helpers, through compat.h's tm_mm_rss();
 * the name from get_task_comm().  The start time and the parent have no
 * accessor for another process: they are read as /proc does, the fields
 * guarded by probes/task_identity_fields.c (see compat.h).
 */
#include <linux/cred.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "compat.h"
#include "store.h"
#include "procstat.h"

static void tm_stats_sum_group(struct task_struct *leader,
			       struct task_sample *s, struct tm_cputime *ct)
{
	struct signal_struct *sig = leader->signal;
	struct task_struct *t;
	unsigned int seq;

	do {
		seq = read_seqbegin(&sig->stats_lock);
		ct->utime = sig->utime;
		ct->stime = sig->stime;
		ct->rtime = sig->sum_sched_runtime;
		s->minflt = sig->min_flt;
		s->majflt = sig->maj_flt;
		s->nvcsw = sig->nvcsw;
		s->nivcsw = sig->nivcsw;
		s->rbytes = 0;
		s->wbytes = 0;
		tm_io_add(&sig->ioac, &s->rbytes, &s->wbytes);
		for_each_thread(leader, t) {
			ct->utime += t->utime;
			ct->stime += t->stime;
			ct->rtime += t->se.sum_exec_runtime;
			s->minflt += t->min_flt;
			s->majflt += t->maj_flt;
			s->nvcsw += t->nvcsw;
			s->nivcsw += t->nivcsw;
			tm_io_add(&t->ioac, &s->rbytes, &s->wbytes);
		}
	} while (read_seqretry(&sig->stats_lock, seq));
	s->threads = get_nr_threads(leader);
}

/*
 * The leader may have exited while other threads run on, so take the
 * memory figures from the first thread that still has an mm.  task_lock()
 * keeps t->mm from being dropped while we read it.
 */
static void tm_stats_read_mm(struct task_struct *leader, struct task_sample *s)
{
	struct task_struct *t;

	s->rss = 0;
	s->vsz = 0;
	for_each_thread(leader, t) {
		struct mm_struct *mm;

		task_lock(t);
		mm = t->mm;
		if (mm) {
			s->rss = tm_mm_rss(mm);
			s->vsz = READ_ONCE(mm->total_vm);
		}
		task_unlock(t);
		if (mm || (t->flags & PF_KTHREAD))
			break;
	}
}

/*
 * The name as /proc/PID/comm shows it, into @comm.  get_task_comm() takes
 * the task's lock before Linux 6.13, a large part of a sample's cost
 * (bench/README.md), while a name seldom changes: @known, the name at
 * the process's previous sample, is first compared with the current one
 * without the lock, and the name is copied under it only when they
 * differ.  A name changing meanwhile can only make them differ (a name
 * is rewritten in place, always NUL-ended: newer kernels read it with no
 * lock at all), so the next sample sees every change.
 */
static void tm_stats_read_comm(struct task_struct *leader, char *comm,
			       struct tm_comm *known)
{
	/* Racy on purpose: a name being rewritten only reads as changed. */
	if (data_race(memcmp(leader->comm, known->name, TASK_COMM_LEN)))
		get_task_comm(known->name, leader);
	memcpy(comm, known->name, TASK_COMM_LEN);
}

/*
 * The start time and parent of the process, as fields 22 and 4 of
 * /proc/PID/stat show them: the leader's (an exec by another thread
 * makes that thread the leader, with the old start time).  Called under
 * rcu_read_lock(), which keeps real_parent valid.
 */
static void tm_stats_read_identity(struct task_struct *leader,
				   struct task_sample *s)
{
	struct task_struct *parent = rcu_dereference(leader->real_parent);

	s->start = leader->start_boottime;
	s->parent = get_pid(task_tgid(parent));
}

bool tm_stats_read(struct pid *pid, struct task_sample *s,
		   struct tm_cputime *ct, struct tm_owner *owner,
		   struct tm_comm *known_comm)
{
	struct task_struct *leader;
	bool alive = false;

	rcu_read_lock();
	leader = pid_task(pid, PIDTYPE_TGID);
	if (leader && atomic_read(&leader->signal->live)) {
		const struct cred *cred = __task_cred(leader);

		owner->uid = cred->uid;
		owner->euid = cred->euid;
		tm_stats_sum_group(leader, s, ct);
		tm_stats_read_mm(leader, s);
		tm_stats_read_identity(leader, s);
		tm_stats_read_comm(leader, s->comm, known_comm);
		alive = true;
	}
	rcu_read_unlock();
	return alive;
}

void tm_stats_read_exited(struct task_struct *leader, struct task_sample *s,
			  struct tm_cputime *ct)
{
	rcu_read_lock();
	tm_stats_sum_group(leader, s, ct);
	rcu_read_unlock();
	get_task_comm(s->comm, leader);
	s->start = leader->start_boottime;
}

void tm_cputime_settle(const struct tm_cputime *ct, u64 *utime, u64 *stime)
{
	u64 rtime = ct->rtime;
	u64 st;

	/* Nothing ran since the last sample, or runtime lags the ticks. */
	if (*utime + *stime >= rtime)
		return;

	if (!ct->stime)
		st = 0;
	else if (!ct->utime)
		st = rtime;
	else
		st = mul_u64_u64_div_u64(ct->stime, rtime,
					 ct->stime + ct->utime);

	/* Keep both halves monotonic; their sum is rtime either way. */
	if (st < *stime)
		st = *stime;
	if (rtime - st < *utime)
		st = rtime - *utime;
	*stime = st;
	*utime = rtime - st;
}
EXPORT_SYMBOL_IF_KUNIT(tm_cputime_settle);
