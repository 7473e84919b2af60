// SPDX-License-Identifier: GPL-2.0
/*
 * The exit record: when the last thread of a monitored process exits,
 * one last sample with its final totals and its exit status.
 *
 * The sched_process_exit tracepoint is not exported to modules by name,
 * so it is found with for_each_kernel_tracepoint() and hooked with
 * tracepoint_probe_register(); compat.h gives the probe the prototype of
 * the running kernel.  The probe runs in the exiting task, inside the
 * tracepoint's read-side section (preemption disabled, or SRCU on the
 * newest kernels), where it may not sleep: no allocation and (on
 * PREEMPT_RT) no spinlock_t.  It only finds the task under RCU, claims its
 * exit once, reads what it cannot read later (the status, the parent,
 * the mm where it still exists) and puts the task on a lock-free list
 * for the exit work, which takes the totals and appends the sample set
 * aside when the process was added.  The work gathers the exits of a
 * few milliseconds (TM_BATCH_MS), or TM_BATCH_EXITS exits if they come
 * sooner: waking a worker for each exit would cost more than the record
 * itself.  With no process listed and no fork being listed (follow.c) it
 * returns at its first tests.
 * While sampling is stopped it records nothing: the exit record is
 * taken only if sampling runs both when the process ends and when the
 * work appends it (docs/interface.md).
 *
 * Unload unhooks the probe, waits for probes under way
 * (tracepoint_synchronize_unregister()) and drains the work queue before
 * anything is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/llist.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "exitrec.h"
#include "follow.h"
#include "tasks.h"

static struct tracepoint *tm_exit_tp;
static struct workqueue_struct *tm_exit_wq;
static LLIST_HEAD(tm_exits);
static atomic_t tm_exits_batched = ATOMIC_INIT(0);
static void tm_exit_work(struct work_struct *w);
static DECLARE_DELAYED_WORK(tm_exit_dwork, tm_exit_work);

/*
 * The status as a shell shows it in $?, from the status wait() reports:
 * the group's exit code if the group was told to exit, else the
 * leader's own (wait_task_zombie() decides the same way).
 */
static u8 tm_exit_status(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	int code;

	if (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT)
		code = READ_ONCE(sig->group_exit_code);
	else
		code = READ_ONCE(p->group_leader->exit_code);
	if (code & 0x7f)
		return 128 + (code & 0x7f);
	return (code >> 8) & 0xff;
}

/* What must be read in the exiting task itself; under RCU. */
void tm_exit_capture(struct tm_exit_info *e, struct task_struct *p)
{
	struct task_struct *parent;

	e->status = tm_exit_status(p);
	/* From Linux 6.16 the probe runs before the mm is released. */
	e->mm_known = !!p->mm;
	if (p->mm) {
		e->rss = tm_mm_rss(p->mm);
		e->vsz = READ_ONCE(p->mm->total_vm);
	}
	parent = rcu_dereference(p->group_leader->real_parent);
	e->parent = get_pid(task_tgid(parent));
	e->leader = get_task_struct(p->group_leader);
}

/* Drops what tm_exit_capture() took, for an exit that is not recorded. */
void tm_exit_release(struct tm_exit_info *e)
{
	put_pid(e->parent);
	e->parent = NULL;
	if (e->leader)
		put_task_struct(e->leader);
	e->leader = NULL;
}

/*
 * Hands @t, with a reference for the work, over to the next batch.  A
 * batch is cut short at TM_BATCH_EXITS: each exit pins its leader's
 * task_struct until the work runs, and a fork loop would otherwise pin
 * so many of them that the task_struct cache grows new slabs for the
 * next forks and frees them after each batch (bench/README.md, section
 * 7).
 */
static void tm_exit_batch(struct tm_task *t)
{
	llist_add(&t->exit_node, &tm_exits);
	if (atomic_inc_return(&tm_exits_batched) >= TM_BATCH_EXITS)
		mod_delayed_work(tm_exit_wq, &tm_exit_dwork, 0);
	else
		queue_delayed_work(tm_exit_wq, &tm_exit_dwork,
				   msecs_to_jiffies(TM_BATCH_MS));
}

void tm_exit_queue(struct tm_task *t)
{
	kref_get(&t->ref);
	tm_exit_batch(t);
}

void tm_exit_seen(struct task_struct *p, bool group_dead)
{
	struct tm_task *t;

	if (!group_dead || tm_history_is_paused())
		return;
	if (!tm_follow_pending() && !tm_tasks_listed())
		return;
	rcu_read_lock();
	/*
	 * A child whose fork is still being listed has its exit kept with
	 * its fork record; the worker looks there after listing it, so the
	 * table of listed tasks must be looked at second (follow.c).
	 */
	if (tm_follow_exit_seen(p))
		goto out;
	t = tm_task_find_rcu(task_tgid(p));
	/*
	 * Before 6.16 several exiting threads may come here: the first one
	 * counts.  The reference goes to the work, which drops it: the
	 * probe never drops one, since a last put would sleep.
	 */
	if (t && !test_and_set_bit(0, &t->exit_seen) &&
	    kref_get_unless_zero(&t->ref)) {
		tm_exit_capture(&t->exit, p);
		tm_exit_batch(t);
	}
out:
	rcu_read_unlock();
}

/* Appends the exit records queued, oldest first. */
static void tm_exit_work(struct work_struct *w)
{
	struct llist_node *list;
	struct tm_task *t, *next;

	atomic_set(&tm_exits_batched, 0);
	list = llist_reverse_order(llist_del_all(&tm_exits));

	llist_for_each_entry_safe(t, next, list, exit_node) {
		/* Whatever became of the process since, its leader is here. */
		tm_task_record_exit(t);
		put_task_struct(t->exit.leader);
		t->exit.leader = NULL;
		tm_task_put(t);
		cond_resched();
	}
}

static void tm_find_exit_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_exit"))
		*(struct tracepoint **)priv = tp;
}

int tm_exitrec_init(void)
{
	int err;

	for_each_kernel_tracepoint(tm_find_exit_tp, &tm_exit_tp);
	if (!tm_exit_tp) {
		pr_err("this kernel has no sched_process_exit tracepoint: cannot record exits\n");
		return -ENOENT;
	}
	tm_exit_wq = alloc_workqueue("taskmonitor_exit", WQ_UNBOUND, 0);
	if (!tm_exit_wq)
		return -ENOMEM;
	err = tracepoint_probe_register(tm_exit_tp, (void *)tm_exit_probe,
					NULL);
	if (err) {
		destroy_workqueue(tm_exit_wq);
		return err;
	}
	return 0;
}

void tm_exitrec_exit(void)
{
	tracepoint_probe_unregister(tm_exit_tp, (void *)tm_exit_probe, NULL);
	tracepoint_synchronize_unregister();
	/* Runs a batch still waiting: every record queued is appended. */
	flush_delayed_work(&tm_exit_dwork);
	destroy_workqueue(tm_exit_wq);
}
