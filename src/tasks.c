// SPDX-License-Identifier: GPL-2.0
/*
 * The monitored processes and their histories.
 *
 * Locking:
 * - tm_tasks_lock (mutex) serializes changes to the list of tasks and
 *   its indexes (by pid, per user, the exited list) and each task's
 *   "removed" flag.  Readers and the sampler take it only to step from
 *   one task to the next (tm_task_next()), never across a whole sweep or
 *   read; the shrinker does not take it at all: it walks the list under
 *   RCU (tasks are unlinked with list_del_rcu() and freed after a grace
 *   period).
 * - A task's own mutex, t->lock, protects its history and last known
 *   IDs.  The only nesting is tm_tasks_lock then a task lock.  The
 *   shrinker only ever trylocks task locks.
 * - No allocation happens under either lock, so reclaim (and with it our
 *   shrinker) never runs while one of them is held.
 * - Appending a sample happens inside an RCU read section, inside t->lock,
 *   after checking tm_history_paused: tm_history_set_paused(true) then
 *   waits for a grace period, after which no append can happen ("stop").
 *
 * A sweep or a reader holds a reference to the task it is at, with no
 * lock, so it may still hold a task that has just been removed: its
 * "cleared" flag, set under its lock when its history is emptied for
 * good, makes it refuse the sample.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "compat.h"
#include "tasks.h"
#include "store.h"
#include "params.h"
#include "procstat.h"

static LIST_HEAD(tm_tasks);
static DEFINE_MUTEX(tm_tasks_lock);
static unsigned int tm_nr_tasks; /* listed; written under the lock */
static u64 tm_next_id; /* under the lock */
/* The listed tasks by struct pid, for the duplicate check (the lock). */
static DEFINE_HASHTABLE(tm_tasks_by_pid, 10);
/* The listed tasks found exited, in the order found (the lock). */
static LIST_HEAD(tm_exited);
static unsigned int tm_nr_exited; /* under the lock */
/* Appends are refused (tm_history_set_paused()). */
static bool tm_history_paused;

/* How many tasks a non-administrator listed, by euid (tm_tasks_lock). */
struct tm_user {
	struct hlist_node node;
	kuid_t euid;
	unsigned int nr_tasks;
};

static DEFINE_HASHTABLE(tm_users, 6);
static atomic_long_t tm_nr_samples = ATOMIC_LONG_INIT(0);

/*
 * When the kernel last reclaimed memory through our shrinker (jiffies,
 * meaningful once tm_reclaim_seen is set: jiffies start near the wrap).
 */
static unsigned long tm_reclaim_until;
static bool tm_reclaim_seen;

/* History primitives; the caller holds t->lock. */

static void tm_history_append_locked(struct tm_task *t, struct task_sample *s)
{
	s->next = NULL;
	s->seq = t->next_seq++;
	if (t->tail)
		t->tail->next = s;
	else
		t->head = s;
	t->tail = s;
	t->nr_samples++;
	atomic_long_inc(&tm_nr_samples);

	if (!t->recent)
		t->recent = s;
	else if (t->nr_samples > TM_RECENT_WINDOW)
		t->recent = t->recent->next;
}

static void tm_history_drop_oldest_locked(struct tm_task *t)
{
	struct task_sample *s = t->head;

	t->head = s->next;
	if (!t->head)
		t->tail = NULL;
	if (t->recent == s)
		t->recent = t->head;
	t->nr_samples--;
	atomic_long_dec(&tm_nr_samples);
	/* A reader holding @s resumes at the new head. */
	s->next = TM_SAMPLE_UNLINKED;
	tm_sample_put(s);
}

/* Empties @t's history for good: @t is leaving the list or being freed. */
static void tm_history_clear(struct tm_task *t)
{
	mutex_lock(&t->lock);
	t->cleared = true;
	while (t->head)
		tm_history_drop_oldest_locked(t);
	mutex_unlock(&t->lock);
}

/* Task life cycle. */

static void tm_task_release(struct kref *ref)
{
	struct tm_task *t = container_of(ref, struct tm_task, ref);

	tm_history_clear(t);
	put_pid(t->pid);
	tm_memcg_put(t->memcg);
	/* The shrinker may still be looking at it, under RCU. */
	kfree_rcu(t, rcu);
}

void tm_task_put(struct tm_task *t)
{
	kref_put(&t->ref, tm_task_release);
}

/* Reads the UIDs of a live process; -ESRCH if it is gone or a zombie. */
static int tm_pid_owner(struct pid *pid, kuid_t *uid, kuid_t *euid)
{
	struct task_struct *task;
	int err = -ESRCH;

	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	if (task && atomic_read(&task->signal->live)) {
		const struct cred *cred = __task_cred(task);

		*uid = cred->uid;
		*euid = cred->euid;
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

const struct tm_access tm_access_module = { .admin = true };

void tm_access_of_file(const struct file *file, struct tm_access *acc)
{
	acc->euid = file->f_cred->euid;
	/* Not a capability in a user namespace that anyone can create. */
	acc->admin = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
}

void tm_access_of_caller(struct tm_access *acc)
{
	acc->euid = current_euid();
	acc->admin = capable(CAP_SYS_ADMIN);
}

static bool tm_ids_allowed(kuid_t uid, kuid_t euid, const struct tm_access *acc)
{
	return acc->admin ||
	       (uid_eq(uid, acc->euid) && uid_eq(euid, acc->euid));
}

static struct tm_task *tm_task_create(struct pid *pid, kuid_t uid, kuid_t euid)
{
	struct tm_task *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	INIT_LIST_HEAD(&t->node);
	INIT_LIST_HEAD(&t->exited_node);
	kref_init(&t->ref);
	mutex_init(&t->lock);
	t->pid = get_pid(pid);
	/* Its samples are charged to whoever asked for them. */
	t->memcg = tm_memcg_get_current();
	t->uid = uid;
	t->euid = euid;
	return t;
}

static bool tm_task_listed_locked(struct pid *pid)
{
	struct tm_task *t;

	hash_for_each_possible(tm_tasks_by_pid, t, pid_node, (unsigned long)pid)
		if (t->pid == pid)
			return true;
	return false;
}

static struct tm_user *tm_user_find_locked(kuid_t euid)
{
	struct tm_user *u;

	hash_for_each_possible(tm_users, u, node, __kuid_val(euid))
		if (uid_eq(u->euid, euid))
			return u;
	return NULL;
}

/*
 * Counts @t against @acc's user, unless an administrator added it; the
 * user's entry is made from *@spare (allocated before the lock) if it
 * has none yet.
 */
static int tm_user_charge_locked(struct tm_task *t, const struct tm_access *acc,
				 struct tm_user **spare)
{
	struct tm_user *u;

	if (acc->admin)
		return 0;
	u = tm_user_find_locked(acc->euid);
	if (u && u->nr_tasks >= tm_max_user_tasks())
		return -EDQUOT;
	if (!u) {
		u = *spare;
		*spare = NULL;
		u->euid = acc->euid;
		hash_add(tm_users, &u->node, __kuid_val(u->euid));
	}
	u->nr_tasks++;
	t->user = u;
	return 0;
}

static void tm_user_uncharge_locked(struct tm_task *t)
{
	struct tm_user *u = t->user;

	t->user = NULL;
	if (u && !--u->nr_tasks) {
		hash_del(&u->node);
		kfree(u);
	}
}

/* Lists @t for @acc, or says why not. */
static int tm_task_link_locked(struct tm_task *t, const struct tm_access *acc,
			       struct tm_user **spare)
{
	int err;

	if (tm_task_listed_locked(t->pid))
		return -EEXIST;
	if (tm_nr_tasks >= tm_max_tasks())
		return -ENOSPC;
	err = tm_user_charge_locked(t, acc, spare);
	if (err)
		return err;
	t->id = ++tm_next_id;
	list_add_tail_rcu(&t->node, &tm_tasks);
	hash_add(tm_tasks_by_pid, &t->pid_node, (unsigned long)t->pid);
	WRITE_ONCE(tm_nr_tasks, tm_nr_tasks + 1);
	return 0;
}

/*
 * Takes @t off the list (and every index) onto @victims, through its
 * exited_node: its node stays readable for walkers under RCU.
 */
static void tm_task_unlink_locked(struct tm_task *t, struct list_head *victims)
{
	list_del_rcu(&t->node);
	hash_del(&t->pid_node);
	if (!list_empty(&t->exited_node)) {
		list_del(&t->exited_node);
		tm_nr_exited--;
	}
	list_add_tail(&t->exited_node, victims);
	tm_user_uncharge_locked(t);
	t->removed = true;
	WRITE_ONCE(tm_nr_tasks, tm_nr_tasks - 1);
}

static int tm_task_add_pid(struct pid *pid, const struct tm_access *acc)
{
	struct tm_user *spare = NULL;
	struct tm_task *t;
	kuid_t uid, euid;
	int err;

	err = tm_pid_owner(pid, &uid, &euid);
	if (err)
		return err;
	if (!tm_ids_allowed(uid, euid, acc))
		return -EPERM;

	t = tm_task_create(pid, uid, euid);
	if (!acc->admin)
		spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!t || (!acc->admin && !spare)) {
		err = -ENOMEM;
	} else {
		mutex_lock(&tm_tasks_lock);
		err = tm_task_link_locked(t, acc, &spare);
		mutex_unlock(&tm_tasks_lock);
	}
	kfree(spare);
	if (err && t)
		tm_task_put(t);
	return err;
}

/* @nr is looked up in the caller's PID namespace. */
int tm_task_add(pid_t nr, const struct tm_access *acc)
{
	struct pid *pid = find_get_pid(nr);
	int err;

	if (!pid)
		return -ESRCH;
	err = tm_task_add_pid(pid, acc);
	put_pid(pid);
	return err;
}

bool tm_task_allowed(struct tm_task *t, const struct tm_access *acc)
{
	kuid_t uid, euid;

	if (acc->admin)
		return true;
	/* A live process is judged on its current IDs, else on the last. */
	if (tm_pid_owner(t->pid, &uid, &euid)) {
		mutex_lock(&t->lock);
		uid = t->uid;
		euid = t->euid;
		mutex_unlock(&t->lock);
	}
	return tm_ids_allowed(uid, euid, acc);
}

/*
 * Moves every listed task that @ns sees as @nr to @victims, or none of
 * them if one may not be removed by the caller.
 */
static int tm_take_victims_locked(pid_t nr, struct pid_namespace *ns,
				  const struct tm_access *acc,
				  struct list_head *victims)
{
	struct tm_task *t, *tmp;
	bool found = false;

	list_for_each_entry(t, &tm_tasks, node) {
		if (pid_nr_ns(t->pid, ns) != nr)
			continue;
		if (!tm_task_allowed(t, acc))
			return -EPERM;
		found = true;
	}
	if (!found)
		return -ENOENT;

	list_for_each_entry_safe(t, tmp, &tm_tasks, node)
		if (pid_nr_ns(t->pid, ns) == nr)
			tm_task_unlink_locked(t, victims);
	return 0;
}

static void tm_tasks_dispose(struct list_head *victims)
{
	struct tm_task *t, *tmp;

	list_for_each_entry_safe(t, tmp, victims, exited_node) {
		list_del_init(&t->exited_node);
		/* Free the history now, even if a reader still holds @t. */
		tm_history_clear(t);
		tm_task_put(t);
	}
}

int tm_task_remove(pid_t nr, const struct tm_access *acc)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	LIST_HEAD(victims);
	int err;

	mutex_lock(&tm_tasks_lock);
	err = tm_take_victims_locked(nr, ns, acc, &victims);
	mutex_unlock(&tm_tasks_lock);
	if (!err)
		tm_tasks_dispose(&victims);
	return err;
}

void tm_history_exit(void)
{
	LIST_HEAD(victims);
	struct tm_task *t, *tmp;

	mutex_lock(&tm_tasks_lock);
	list_for_each_entry_safe(t, tmp, &tm_tasks, node)
		tm_task_unlink_locked(t, &victims);
	mutex_unlock(&tm_tasks_lock);
	tm_tasks_dispose(&victims);
}

/* Puts @t, just found exited, on the exited list. */
static void tm_task_note_exit(struct tm_task *t)
{
	mutex_lock(&tm_tasks_lock);
	if (!t->removed && list_empty(&t->exited_node)) {
		t->exited_at = jiffies;
		list_add_tail(&t->exited_node, &tm_exited);
		tm_nr_exited++;
	}
	mutex_unlock(&tm_tasks_lock);
}

void tm_tasks_reap_exited(unsigned long keep, unsigned int max)
{
	LIST_HEAD(victims);
	struct tm_task *t, *tmp;

	mutex_lock(&tm_tasks_lock);
	list_for_each_entry_safe(t, tmp, &tm_exited, exited_node) {
		if (tm_nr_exited <= max &&
		    time_before(jiffies, t->exited_at + keep))
			break;
		tm_task_unlink_locked(t, &victims);
	}
	mutex_unlock(&tm_tasks_lock);
	tm_tasks_dispose(&victims);
}

/* Sampling. */

void tm_history_note_reclaim(void)
{
	WRITE_ONCE(tm_reclaim_until, jiffies + TM_RECLAIM_HOLD);
	WRITE_ONCE(tm_reclaim_seen, true);
}

static bool tm_history_reclaiming(void)
{
	return READ_ONCE(tm_reclaim_seen) &&
	       time_before(jiffies, READ_ONCE(tm_reclaim_until));
}

unsigned long tm_history_limit(unsigned long had, unsigned int cap,
			       bool reclaiming)
{
	unsigned long limit = cap ? cap : ULONG_MAX;

	if (reclaiming)
		limit = min(limit, max(had, 1UL));
	return limit;
}

void tm_task_sample(struct tm_task *t, unsigned int cap)
{
	bool reclaiming = tm_history_reclaiming();
	struct task_sample *s = tm_sample_alloc(t->memcg);
	struct tm_cputime ct;
	unsigned long limit;
	kuid_t uid, euid;
	bool owner_known;

	if (!s)
		return;
	if (!tm_stats_read(t->pid, s, &ct)) {
		WRITE_ONCE(t->exited, true);
		tm_sample_put(s);
		tm_task_note_exit(t);
		return;
	}
	s->ts = ktime_get_boottime_ns();
	owner_known = !tm_pid_owner(t->pid, &uid, &euid);

	mutex_lock(&t->lock);
	if (owner_known) {
		t->uid = uid;
		t->euid = euid;
	}
	/* tm_history_set_paused() waits for this section to end. */
	rcu_read_lock();
	if (t->cleared || READ_ONCE(tm_history_paused)) {
		/* Removed since the sweep took it, or stopped: keep nothing. */
		rcu_read_unlock();
		mutex_unlock(&t->lock);
		tm_sample_put(s);
		return;
	}
	tm_cputime_settle(&ct, &t->utime, &t->stime);
	s->utime = t->utime;
	s->stime = t->stime;
	limit = tm_history_limit(t->nr_samples, cap, reclaiming);
	tm_history_append_locked(t, s);
	while (t->nr_samples > limit)
		tm_history_drop_oldest_locked(t);
	rcu_read_unlock();
	mutex_unlock(&t->lock);
}

void tm_history_set_paused(bool paused)
{
	WRITE_ONCE(tm_history_paused, paused);
	/* An append that saw the old value has ended after this. */
	if (paused)
		synchronize_rcu();
}

/* Readers. */

struct tm_task *tm_task_next(struct tm_task *prev)
{
	struct tm_task *t = NULL, *it;

	mutex_lock(&tm_tasks_lock);
	if (!prev) {
		t = list_first_entry_or_null(&tm_tasks, struct tm_task, node);
	} else if (!prev->removed) {
		if (!list_is_last(&prev->node, &tm_tasks))
			t = list_next_entry(prev, node);
	} else {
		/* @prev left the list: resume after its place in the order. */
		list_for_each_entry(it, &tm_tasks, node) {
			if (it->id > prev->id) {
				t = it;
				break;
			}
		}
	}
	if (t)
		kref_get(&t->ref);
	mutex_unlock(&tm_tasks_lock);
	return t;
}

/*
 * One hold of the lock for many lines, and one reference for them all
 * instead of a get and a put per line: the caller formats the copies.
 */
unsigned int tm_history_copy(struct tm_task *t, struct task_sample **last,
			     u32 *end, struct task_sample *dst,
			     unsigned int max)
{
	struct task_sample *prev = *last, *s, *copied = NULL;
	unsigned int n = 0;

	mutex_lock(&t->lock);
	if (!prev && t->tail)
		*end = t->tail->seq;
	/* Histories lose samples only at their head: resume there. */
	s = !prev || prev->next == TM_SAMPLE_UNLINKED ? t->head : prev->next;
	for (; s && n < max && !tm_seq_after(s->seq, *end); s = s->next) {
		dst[n++] = *s;
		copied = s;
	}
	if (copied)
		tm_sample_get(copied);
	mutex_unlock(&t->lock);
	if (copied) {
		if (prev)
			tm_sample_put(prev);
		*last = copied;
	}
	return n;
}

/* Reclaim. */

/* Each history keeps its newest sample, so that is not reclaimable. */
unsigned long tm_history_reclaimable(void)
{
	long n = atomic_long_read(&tm_nr_samples) - READ_ONCE(tm_nr_tasks);

	return n > 0 ? n : 0;
}

/*
 * A history of @nr samples out of @total gives back its share of
 * @nr_to_scan, rounded up so that short histories give too, and never
 * its newest sample.
 */
unsigned long tm_shrink_share(unsigned long nr, unsigned long total,
			      unsigned long nr_to_scan)
{
	u64 share;

	if (nr <= 1 || !total)
		return 0;
	share = div64_u64((u64)nr * nr_to_scan + total - 1, total);
	return min_t(u64, share, nr - 1);
}

unsigned long tm_history_shrink(unsigned long nr_to_scan)
{
	unsigned long total, freed = 0;
	struct tm_task *t;

	total = atomic_long_read(&tm_nr_samples);
	rcu_read_lock();
	list_for_each_entry_rcu(t, &tm_tasks, node) {
		unsigned long share;

		if (!mutex_trylock(&t->lock))
			continue;
		share = tm_shrink_share(t->nr_samples, total, nr_to_scan);
		freed += share;
		while (share--)
			tm_history_drop_oldest_locked(t);
		mutex_unlock(&t->lock);
	}
	rcu_read_unlock();
	return freed;
}
