// SPDX-License-Identifier: GPL-2.0
/*
 * Following: "+PID" lists a process, the descendants it has, and every
 * process that it or a followed process forks from then on, each one
 * followed in turn (docs/interface.md).
 *
 * Forks are seen by a probe on the sched_process_fork tracepoint, found
 * and hooked as exitrec.c hooks sched_process_exit.  It runs in the
 * forking task before the child first runs, where it may neither
 * allocate nor (on PREEMPT_RT) take a spinlock_t.  It returns at once
 * while nothing is followed, and for threads; for the fork of a followed
 * process it takes a record from a pool set aside at load, fills it and
 * queues the worker, which lists the child in process context as added
 * by whoever wrote the "+PID" its ancestor descends from, a few
 * milliseconds of forks at a time (TM_BATCH_MS, exitrec.h).  A pool that
 * runs dry, or a limit the worker meets, is counted in
 * /sys/kernel/taskmonitor_follow_dropped, never silent.
 *
 * Locking: tm_fork_lock, a raw spinlock (the probes take it), protects
 * the pool: its free list, the worker's queue and the table of pending
 * records by child pid.  A record stays in that table from the fork
 * until the child is listed.  The exit probe looks there first, then in
 * the table of listed tasks, and the worker lists the child first, then
 * takes the record out under the lock: an exit finds either the record
 * (the worker then hands the exit over to the listed task) or the listed
 * task, never neither.  The fork probe looks up a forking process in the
 * same order, so that a child still pending passes following on to the
 * children it forks at once.
 *
 * "+PID"'s walk of the descendants runs under RCU.  A descendant may
 * fork after the walk passed and before it is listed: while a walk goes
 * on the probe looks for a followed ancestor of the forking process, not
 * just for the process itself (tm_follow_walkers).  The walk starts one
 * grace period after it made itself known, so that a probe which did not
 * see it has ended and its child is on the task list the walk reads.
 *
 * Unload unhooks the probe, waits for probes under way and drains the
 * worker (every record listed or dropped) before freeing the pool.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "exitrec.h"
#include "follow.h"
#include "tasks.h"

/* Forks that may wait to be listed at once; more are dropped. */
#define TM_FORK_RECORDS 1024

/* A fork of a followed process, from the probe to the worker. */
struct tm_fork_rec {
	struct list_head node; /* on the free list or the queue */
	struct hlist_node pending; /* in tm_fork_pending by @child */
	struct pid *child; /* its thread-group ID, referenced */
	struct tm_task *from; /* the followed process, referenced */
	kuid_t uid; /* the child's, at the fork */
	kuid_t euid;
	bool exited; /* @exit filled by the exit probe */
	struct tm_exit_info exit;
};

static DEFINE_RAW_SPINLOCK(tm_fork_lock);
static struct tm_fork_rec *tm_fork_pool;
static LIST_HEAD(tm_fork_free);
static LIST_HEAD(tm_fork_queue);
static DEFINE_HASHTABLE(tm_fork_pending, 8);
/* Records in tm_fork_pending: written under the lock, read without. */
static unsigned int tm_nr_pending;
/* "+PID" walks under way (tm_follow_descendants()). */
static atomic_t tm_follow_walkers = ATOMIC_INIT(0);
static atomic_long_t tm_follow_dropped = ATOMIC_LONG_INIT(0);

static struct tracepoint *tm_fork_tp;
static struct workqueue_struct *tm_fork_wq;
static void tm_fork_worker(struct work_struct *w);
static DECLARE_DELAYED_WORK(tm_fork_dwork, tm_fork_worker);

/* Counts @n descendants not listed; the first loss is logged. */
static void tm_follow_lost(long n)
{
	if (n && !atomic_long_fetch_add(n, &tm_follow_dropped))
		pr_warn("following stopped by a limit: see /sys/kernel/taskmonitor_follow_dropped\n");
}

bool tm_follow_pending(void)
{
	/* Pairs with tm_fork_done(): the child is listed before. */
	return smp_load_acquire(&tm_nr_pending);
}

static struct tm_fork_rec *tm_fork_find_locked(struct pid *pid)
{
	struct tm_fork_rec *r;

	hash_for_each_possible(tm_fork_pending, r, pending, (unsigned long)pid)
		if (r->child == pid)
			return r;
	return NULL;
}

/* Whether @p is listed and followed, as its task if so.  Under RCU. */
static struct tm_task *tm_followed_rcu(struct task_struct *p)
{
	struct tm_task *t = tm_task_find_rcu(task_tgid(p));

	/* Pairs with tm_task_follow_listed_locked(): @follow_acc is set. */
	return t && smp_load_acquire(&t->followed) ? t : NULL;
}

/*
 * The followed process a fork by @parent descends from: @parent's own,
 * or while a walk goes on its nearest followed ancestor.  Under RCU.
 */
static struct tm_task *tm_follow_source_rcu(struct task_struct *parent)
{
	bool walking = atomic_read_acquire(&tm_follow_walkers);
	struct task_struct *a = parent;
	struct tm_task *t;

	do {
		t = tm_followed_rcu(a);
		if (t)
			return t;
		a = rcu_dereference(a->real_parent);
	} while (walking && task_pid_nr(a)); /* up to the idle task */
	return NULL;
}

/* Sets a record aside for @child, to be listed as @from's descendant. */
static int tm_fork_record_locked(struct tm_task *from,
				 struct task_struct *child)
{
	struct tm_fork_rec *r;
	const struct cred *cred;

	r = list_first_entry_or_null(&tm_fork_free, struct tm_fork_rec, node);
	if (!r)
		return -ENOSPC;
	/* Removed meanwhile: it no longer passes following on. */
	if (!kref_get_unless_zero(&from->ref))
		return -ENOENT;
	list_move_tail(&r->node, &tm_fork_queue);
	r->from = from;
	r->child = get_pid(task_tgid(child));
	cred = __task_cred(child);
	r->uid = cred->uid;
	r->euid = cred->euid;
	r->exited = false;
	hash_add(tm_fork_pending, &r->pending, (unsigned long)r->child);
	WRITE_ONCE(tm_nr_pending, tm_nr_pending + 1);
	return 0;
}

void tm_fork_seen(struct task_struct *parent, struct task_struct *child)
{
	struct tm_fork_rec *pr;
	struct tm_task *from;
	int err = -ENOENT;

	/* Processes are followed, not threads (CLONE_THREAD). */
	if (!thread_group_leader(child))
		return;
	if (!tm_tasks_followed() && !tm_follow_pending())
		return;
	rcu_read_lock();
	raw_spin_lock(&tm_fork_lock);
	/* A child still pending passes on its own record's ancestor. */
	pr = tm_fork_find_locked(task_tgid(parent));
	from = pr ? pr->from : tm_follow_source_rcu(parent);
	if (from)
		err = tm_fork_record_locked(from, child);
	raw_spin_unlock(&tm_fork_lock);
	rcu_read_unlock();
	if (!err)
		queue_delayed_work(tm_fork_wq, &tm_fork_dwork,
				   msecs_to_jiffies(TM_BATCH_MS));
	else if (err == -ENOSPC)
		tm_follow_lost(1);
}

bool tm_follow_exit_seen(struct task_struct *p)
{
	struct tm_fork_rec *r;

	if (!tm_follow_pending())
		return false;
	raw_spin_lock(&tm_fork_lock);
	r = tm_fork_find_locked(task_tgid(p));
	/* Before 6.16 several exiting threads may come: the first counts. */
	if (r && !r->exited) {
		r->exited = true;
		tm_exit_capture(&r->exit, p);
	}
	raw_spin_unlock(&tm_fork_lock);
	return r;
}

/*
 * Takes @r, whose child is now listed as @t (NULL if it could not be),
 * out of the pending table, and hands an exit kept with it over to @t.
 */
static void tm_fork_done(struct tm_fork_rec *r, struct tm_task *t)
{
	struct tm_exit_info exit = {};
	bool exited, handed = false;

	raw_spin_lock(&tm_fork_lock);
	hash_del(&r->pending);
	exited = r->exited;
	if (exited) {
		exit = r->exit;
		if (t && !test_and_set_bit(0, &t->exit_seen)) {
			t->exit = exit;
			handed = true;
		}
	}
	list_add(&r->node, &tm_fork_free);
	/* Pairs with tm_follow_pending(): the child is listed before. */
	smp_store_release(&tm_nr_pending, tm_nr_pending - 1);
	raw_spin_unlock(&tm_fork_lock);
	if (handed)
		tm_exit_queue(t);
	else if (exited)
		tm_exit_release(&exit);
}

/* Lists the child of @r, followed, as added by its ancestor's follower. */
static void tm_fork_list(struct tm_fork_rec *r)
{
	struct tm_task *from = r->from, *t = NULL;
	struct pid *child = r->child;
	int err;

	/* from->follow_acc was set before the probe saw it followed. */
	err = tm_task_add_followed(child, r->uid, r->euid, &from->follow_acc,
				   tm_memcg_get(from->memcg), &t);
	tm_fork_done(r, t);
	if (err && err != -EEXIST)
		tm_follow_lost(1);
	if (t)
		tm_task_put(t);
	tm_task_put(from);
	put_pid(child);
}

static void tm_fork_worker(struct work_struct *w)
{
	struct tm_fork_rec *r;

	for (;;) {
		raw_spin_lock(&tm_fork_lock);
		r = list_first_entry_or_null(&tm_fork_queue, struct tm_fork_rec,
					     node);
		if (r)
			list_del_init(&r->node);
		raw_spin_unlock(&tm_fork_lock);
		if (!r)
			return;
		tm_fork_list(r);
		cond_resched();
	}
}

/* Whether @p descends from the process @root.  Under RCU. */
static bool tm_descends_from(struct task_struct *p, struct pid *root)
{
	struct task_struct *a = rcu_dereference(p->real_parent);

	for (; task_pid_nr(a); a = rcu_dereference(a->real_parent))
		if (task_tgid(a) == root)
			return true;
	return false;
}

/*
 * Counts the processes that descend from @root and are not followed,
 * and puts a reference to the first @max of them in @found.
 */
static unsigned int tm_descendants(struct pid *root, struct pid **found,
				   unsigned int max)
{
	struct task_struct *p;
	unsigned int n = 0;

	rcu_read_lock();
	for_each_process(p) {
		if (!tm_descends_from(p, root) || tm_followed_rcu(p))
			continue;
		if (n < max)
			found[n] = get_pid(task_tgid(p));
		n++;
	}
	rcu_read_unlock();
	return n;
}

/* Lists @pid, followed, for @acc, unless it has ended meanwhile. */
static void tm_follow_one(struct pid *pid, const struct tm_access *acc)
{
	kuid_t uid, euid;
	int err;

	if (tm_pid_owner(pid, &uid, &euid))
		return;
	err = tm_task_add_followed(pid, uid, euid, acc, tm_memcg_get_current(),
				   NULL);
	if (err && err != -EEXIST)
		tm_follow_lost(1);
}

void tm_follow_descendants(struct pid *root, const struct tm_access *acc)
{
	struct pid **found = NULL;
	unsigned int n, i;

	atomic_inc(&tm_follow_walkers);
	/*
	 * A fork probe that did not see the walk has ended now, and the
	 * child it saw is on the task list.
	 */
	synchronize_rcu();
	n = tm_descendants(root, NULL, 0);
	if (n)
		found = kvmalloc_array(n, sizeof(*found), GFP_KERNEL);
	if (n && !found)
		tm_follow_lost(n);
	if (found) {
		/* Any beyond the count was forked since: the probe's. */
		n = min(n, tm_descendants(root, found, n));
		for (i = 0; i < n; i++) {
			tm_follow_one(found[i], acc);
			put_pid(found[i]);
		}
		kvfree(found);
	}
	/* A probe that sees no walk sees every descendant listed. */
	smp_mb__before_atomic();
	atomic_dec(&tm_follow_walkers);
}

static ssize_t taskmonitor_follow_dropped_show(struct kobject *kobj,
					       struct kobj_attribute *attr,
					       char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&tm_follow_dropped));
}

/* Root only: how much of a user's following failed is not for others. */
static struct kobj_attribute tm_dropped_attr =
	__ATTR(taskmonitor_follow_dropped, 0400,
	       taskmonitor_follow_dropped_show, NULL);

static void tm_find_fork_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		*(struct tracepoint **)priv = tp;
}

int tm_follow_init(void)
{
	unsigned int i;
	int err = -ENOMEM;

	for_each_kernel_tracepoint(tm_find_fork_tp, &tm_fork_tp);
	if (!tm_fork_tp) {
		pr_err("this kernel has no sched_process_fork tracepoint: cannot follow forks\n");
		return -ENOENT;
	}
	tm_fork_pool =
		kcalloc(TM_FORK_RECORDS, sizeof(*tm_fork_pool), GFP_KERNEL);
	if (!tm_fork_pool)
		return -ENOMEM;
	for (i = 0; i < TM_FORK_RECORDS; i++)
		list_add_tail(&tm_fork_pool[i].node, &tm_fork_free);
	tm_fork_wq = alloc_workqueue("taskmonitor_fork", WQ_UNBOUND, 0);
	if (!tm_fork_wq)
		goto out_pool;
	err = sysfs_create_file(kernel_kobj, &tm_dropped_attr.attr);
	if (err)
		goto out_wq;
	err = tracepoint_probe_register(tm_fork_tp, (void *)tm_fork_probe,
					NULL);
	if (err)
		goto out_file;
	return 0;

out_file:
	sysfs_remove_file(kernel_kobj, &tm_dropped_attr.attr);
out_wq:
	destroy_workqueue(tm_fork_wq);
out_pool:
	kfree(tm_fork_pool);
	return err;
}

void tm_follow_exit(void)
{
	tracepoint_probe_unregister(tm_fork_tp, (void *)tm_fork_probe, NULL);
	tracepoint_synchronize_unregister();
	/* Runs a batch still waiting: every fork recorded is listed. */
	flush_delayed_work(&tm_fork_dwork);
	destroy_workqueue(tm_fork_wq);
	/* With no record pending the exit probe never looks at the pool. */
	WARN_ON_ONCE(READ_ONCE(tm_nr_pending));
	kfree(tm_fork_pool);
	sysfs_remove_file(kernel_kobj, &tm_dropped_attr.attr);
}
