// SPDX-License-Identifier: GPL-2.0
/*
 * The monitored processes: the list of them and its rules (adding and
 * removing, the limits, the lookup by pid, the expiry of exited ones),
 * and the sampling of one of them into its history (store.c).
 *
 * Locking (store.c states the rules of the histories themselves):
 * - tm_tasks_lock (mutex) serializes changes to the list of tasks and
 *   its indexes (by pid, per user, the exited list) and each task's
 *   "removed" flag.  Readers take it only to step from one task to the
 *   next (tm_task_next()), never across a whole read.  The sampler and
 *   the shrinker do not take it at all: the sampler walks the list in an
 *   SRCU read section (tm_tasks_srcu), the shrinker under RCU.  Tasks are
 *   unlinked with list_del_rcu(), and a task whose last reference goes
 *   keeps its pid, memory cgroup and memory until both kinds of walk are
 *   done with it: an SRCU grace period, then an RCU one (kfree_rcu()).
 *   No one waits for a sweep: the release is a callback (call_srcu()).
 * - A task's history lock, t->history.lock, protects its history and
 *   its last known IDs.  The only nesting is tm_tasks_lock then a history
 *   lock.  The shrinker only ever trylocks history locks.
 * - No allocation happens under either lock, so reclaim (and with it our
 *   shrinker) never runs while one of them is held.
 * - The table by pid is also read under RCU, by the sched_process_exit
 *   and sched_process_fork probes (exitrec.c, follow.c), which may not
 *   sleep: they only take references with kref_get_unless_zero() and
 *   never drop one.
 *
 * A reader holds a reference to the task it is at, a sweep its SRCU read
 * section, with no lock, so either may still be at a task that has just
 * been removed: its history's "cleared" flag, set under the history's
 * lock when it is emptied for good, makes it refuse the sample.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/srcu.h>

#include "compat.h"
#include "tasks.h"
#include "store.h"
#include "params.h"
#include "procstat.h"
#include "exitrec.h"
#include "follow.h"
#include "stream.h"

VISIBLE_IF_KUNIT struct list_head tm_tasks = LIST_HEAD_INIT(tm_tasks);
EXPORT_SYMBOL_IF_KUNIT(tm_tasks);
VISIBLE_IF_KUNIT struct mutex tm_tasks_lock =
	__MUTEX_INITIALIZER(tm_tasks_lock);
EXPORT_SYMBOL_IF_KUNIT(tm_tasks_lock);
VISIBLE_IF_KUNIT unsigned int tm_nr_tasks; /* listed; written under the lock */
EXPORT_SYMBOL_IF_KUNIT(tm_nr_tasks);
VISIBLE_IF_KUNIT u64 tm_next_id; /* under the lock */
EXPORT_SYMBOL_IF_KUNIT(tm_next_id);
static unsigned int tm_nr_followed; /* listed and followed; the lock */
/*
 * The listed tasks by struct pid, for the duplicate check (changed under
 * the lock) and the exit probe (under RCU).
 */
static DEFINE_HASHTABLE(tm_tasks_by_pid, 10);
/* The listed tasks found exited, in the order found (the lock). */
static LIST_HEAD(tm_exited);
static unsigned int tm_nr_exited; /* under the lock */
/* The sampler's walk of the list (tm_tasks_sample()). */
DEFINE_STATIC_SRCU(tm_tasks_srcu);

/* How many tasks a non-administrator listed, by euid (tm_tasks_lock). */
struct tm_user {
	struct hlist_node node;
	kuid_t euid;
	unsigned int nr_tasks;
};

static DEFINE_HASHTABLE(tm_users, 6);

/* Task life cycle. */

/* After an SRCU grace period: no sweep is sampling @head's task any more. */
static void tm_task_free(struct rcu_head *head)
{
	struct tm_task *t = container_of(head, struct tm_task, rcu);

	if (t->exit_sample)
		tm_sample_put(t->exit_sample);
	put_pid(t->pid);
	tm_memcg_put(t->memcg);
	/* The shrinker and the exit probe may still see it, under RCU. */
	kfree_rcu(t, rcu);
}

static void tm_task_release(struct kref *ref)
{
	struct tm_task *t = container_of(ref, struct tm_task, ref);

	tm_history_clear(&t->history);
	/* A sweep may still be sampling it (tm_tasks_sample()). */
	call_srcu(&tm_tasks_srcu, &t->rcu, tm_task_free);
}

void tm_task_put(struct tm_task *t)
{
	kref_put(&t->ref, tm_task_release);
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_put);

/* Reads the UIDs of a live process; -ESRCH if it is gone or a zombie. */
int tm_pid_owner(struct pid *pid, kuid_t *uid, kuid_t *euid)
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
EXPORT_SYMBOL_IF_KUNIT(tm_access_module);

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

/* A task for @pid, its samples charged to @memcg (a reference it keeps). */
static struct tm_task *tm_task_alloc(struct pid *pid, kuid_t uid, kuid_t euid,
				     struct mem_cgroup *memcg)
{
	struct tm_task *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t) {
		tm_memcg_put(memcg);
		return NULL;
	}
	t->memcg = memcg;
	/* The exit probe may not allocate: its sample is set aside now. */
	t->exit_sample = tm_sample_alloc_exit(t->memcg);
	if (!t->exit_sample) {
		tm_memcg_put(t->memcg);
		kfree(t);
		return NULL;
	}
	INIT_LIST_HEAD(&t->node);
	INIT_LIST_HEAD(&t->exited_node);
	kref_init(&t->ref);
	tm_history_init(&t->history);
	t->pid = get_pid(pid);
	t->uid = uid;
	t->euid = euid;
	return t;
}

#if IS_ENABLED(CONFIG_KUNIT)
/* For the tests, which list tasks by hand: charged to the caller. */
struct tm_task *tm_task_create(struct pid *pid, kuid_t uid, kuid_t euid)
{
	return tm_task_alloc(pid, uid, euid, tm_memcg_get_current());
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_create);
#endif

static struct tm_task *tm_task_find_locked(struct pid *pid)
{
	struct tm_task *t;

	hash_for_each_possible(tm_tasks_by_pid, t, pid_node, (unsigned long)pid)
		if (t->pid == pid)
			return t;
	return NULL;
}

struct tm_task *tm_task_find_rcu(struct pid *pid)
{
	struct tm_task *t;

	hash_for_each_possible_rcu(tm_tasks_by_pid, t, pid_node,
				   (unsigned long)pid)
		if (t->pid == pid)
			return t;
	return NULL;
}

u64 tm_tasks_last_id(void)
{
	u64 id;

	mutex_lock(&tm_tasks_lock);
	id = tm_next_id;
	mutex_unlock(&tm_tasks_lock);
	return id;
}

bool tm_tasks_listed(void)
{
	return READ_ONCE(tm_nr_tasks);
}

bool tm_tasks_followed(void)
{
	return READ_ONCE(tm_nr_followed);
}
EXPORT_SYMBOL_IF_KUNIT(tm_tasks_followed);

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

	if (tm_task_find_locked(t->pid))
		return -EEXIST;
	if (tm_nr_tasks >= tm_max_tasks())
		return -ENOSPC;
	err = tm_user_charge_locked(t, acc, spare);
	if (err)
		return err;
	t->id = ++tm_next_id;
	list_add_tail_rcu(&t->node, &tm_tasks);
	/* Publishes @t, "followed" included, to the probes. */
	hash_add_rcu(tm_tasks_by_pid, &t->pid_node, (unsigned long)t->pid);
	WRITE_ONCE(tm_nr_tasks, tm_nr_tasks + 1);
	if (t->followed)
		WRITE_ONCE(tm_nr_followed, tm_nr_followed + 1);
	return 0;
}

/* Follows the listed @t for @acc: -EEXIST if it is followed already. */
static int tm_task_follow_listed_locked(struct tm_task *t,
					const struct tm_access *acc)
{
	if (t->followed)
		return -EEXIST;
	t->follow_acc = *acc;
	/* The probe that sees "followed" sees @follow_acc too. */
	smp_store_release(&t->followed, true);
	WRITE_ONCE(tm_nr_followed, tm_nr_followed + 1);
	return 0;
}

/*
 * Takes @t off the list (and every index) onto @victims, through its
 * exited_node: its node stays readable for walkers under RCU.
 */
static void tm_task_unlink_locked(struct tm_task *t, struct list_head *victims)
{
	list_del_rcu(&t->node);
	hash_del_rcu(&t->pid_node);
	if (!list_empty(&t->exited_node)) {
		list_del(&t->exited_node);
		tm_nr_exited--;
	}
	list_add_tail(&t->exited_node, victims);
	tm_user_uncharge_locked(t);
	t->removed = true;
	WRITE_ONCE(tm_nr_tasks, tm_nr_tasks - 1);
	if (t->followed)
		WRITE_ONCE(tm_nr_followed, tm_nr_followed - 1);
}

/*
 * Lists @pid, owned by @uid/@euid, as added by @acc, its samples charged
 * to @memcg (a reference the call takes over).  With @follow it is
 * followed too, also if it was listed already: then the answer is
 * -EEXIST only if it was followed already.  *@out, if given, gets a
 * reference to the task listed for @pid on success and on -EEXIST.
 */
static int tm_task_insert(struct pid *pid, kuid_t uid, kuid_t euid,
			  const struct tm_access *acc, struct mem_cgroup *memcg,
			  bool follow, struct tm_task **out)
{
	struct tm_user *spare = NULL;
	struct tm_task *t, *listed = NULL;
	int err = -ENOMEM;

	t = tm_task_alloc(pid, uid, euid, memcg);
	if (!acc->admin)
		spare = kzalloc(sizeof(*spare), GFP_KERNEL);
	if (!t || (!acc->admin && !spare))
		goto out;
	if (follow) {
		t->followed = true;
		t->follow_acc = *acc;
	}
	mutex_lock(&tm_tasks_lock);
	err = tm_task_link_locked(t, acc, &spare);
	if (!err)
		listed = t;
	else if (err == -EEXIST)
		listed = tm_task_find_locked(pid);
	if (err == -EEXIST && follow)
		err = tm_task_follow_listed_locked(listed, acc);
	if (listed && out) {
		kref_get(&listed->ref);
		*out = listed;
	}
	mutex_unlock(&tm_tasks_lock);
out:
	kfree(spare);
	if (t && listed != t)
		tm_task_put(t);
	return err;
}

/* Lists (@follow: and follows) @pid for @acc, if @acc may add it. */
static int tm_task_add_pid(struct pid *pid, const struct tm_access *acc,
			   bool follow)
{
	kuid_t uid, euid;
	int err;

	err = tm_pid_owner(pid, &uid, &euid);
	if (err)
		return err;
	if (!tm_ids_allowed(uid, euid, acc))
		return -EPERM;
	return tm_task_insert(pid, uid, euid, acc, tm_memcg_get_current(),
			      follow, NULL);
}

/* @nr is looked up in the caller's PID namespace. */
int tm_task_add(pid_t nr, const struct tm_access *acc)
{
	struct pid *pid = find_get_pid(nr);
	int err;

	if (!pid)
		return -ESRCH;
	err = tm_task_add_pid(pid, acc, false);
	put_pid(pid);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_add);

int tm_task_add_followed(struct pid *pid, kuid_t uid, kuid_t euid,
			 const struct tm_access *acc, struct mem_cgroup *memcg,
			 struct tm_task **out)
{
	return tm_task_insert(pid, uid, euid, acc, memcg, true, out);
}

/* The permission of a plain add is judged here, once, on @nr alone. */
int tm_task_follow(pid_t nr, const struct tm_access *acc)
{
	struct pid *pid = find_get_pid(nr);
	int err;

	if (!pid)
		return -ESRCH;
	err = tm_task_add_pid(pid, acc, true);
	if (!err)
		tm_follow_descendants(pid, acc);
	put_pid(pid);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_follow);

bool tm_task_allowed(struct tm_task *t, const struct tm_access *acc)
{
	kuid_t uid, euid;

	if (acc->admin)
		return true;
	/* A live process is judged on its current IDs, else on the last. */
	if (tm_pid_owner(t->pid, &uid, &euid)) {
		mutex_lock(&t->history.lock);
		uid = t->uid;
		euid = t->euid;
		mutex_unlock(&t->history.lock);
	}
	return tm_ids_allowed(uid, euid, acc);
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_allowed);

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
		tm_history_clear(&t->history);
		tm_stream_task_removed(t);
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
EXPORT_SYMBOL_IF_KUNIT(tm_task_remove);

void tm_tasks_exit(void)
{
	LIST_HEAD(victims);
	struct tm_task *t, *tmp;

	mutex_lock(&tm_tasks_lock);
	list_for_each_entry_safe(t, tmp, &tm_tasks, node)
		tm_task_unlink_locked(t, &victims);
	mutex_unlock(&tm_tasks_lock);
	tm_tasks_dispose(&victims);
	/* tm_task_free() is our code: let it run before the module goes. */
	srcu_barrier(&tm_tasks_srcu);
}
EXPORT_SYMBOL_IF_KUNIT(tm_tasks_exit);

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

void tm_task_sample(struct tm_task *t, unsigned int cap)
{
	bool reclaiming = tm_history_reclaiming();
	struct task_sample *s = tm_sample_alloc(t->memcg);
	struct tm_cputime ct;
	struct tm_owner owner;
	bool kept;

	if (!s)
		return;
	if (!tm_stats_read(t->pid, s, &ct, &owner, &t->comm)) {
		WRITE_ONCE(t->exited, true);
		tm_sample_put(s);
		tm_task_note_exit(t);
		return;
	}
	s->ts = ktime_get_boottime_ns();

	mutex_lock(&t->history.lock);
	t->uid = owner.uid;
	t->euid = owner.euid;
	kept = tm_history_add_locked(&t->history, s, &ct, cap, reclaiming);
	mutex_unlock(&t->history.lock);
	if (!kept)
		tm_sample_put(s);
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_sample);

/*
 * No lock and no reference per task: the SRCU read section keeps every
 * task it meets from being released under it (tm_task_release()), and
 * lets it sleep (allocations, history locks) as a sweep must.
 */
void tm_tasks_sample(unsigned int cap)
{
	struct tm_task *t;
	int idx;

	idx = srcu_read_lock(&tm_tasks_srcu);
	list_for_each_entry_srcu(t, &tm_tasks, node,
				 srcu_read_lock_held(&tm_tasks_srcu))
		if (!READ_ONCE(t->exited))
			tm_task_sample(t, cap);
	srcu_read_unlock(&tm_tasks_srcu, idx);
}

/*
 * The memory figures of the exit record: the process's own at its exit
 * where the probe could read them (from Linux 6.16), else the last
 * sampled ones (docs/interface.md).
 */
static void tm_exit_mm_locked(struct tm_task *t, struct task_sample *s)
{
	struct task_sample *last = t->history.tail;

	if (t->exit.mm_known) {
		s->rss = t->exit.rss;
		s->vsz = t->exit.vsz;
	} else {
		s->rss = last ? last->rss : 0;
		s->vsz = last ? last->vsz : 0;
	}
	/* A sweep that raced with the exit may have stamped a later ts. */
	if (last && last->ts > s->ts)
		s->ts = last->ts;
}

void tm_task_record_exit(struct tm_task *t)
{
	bool reclaiming = tm_history_reclaiming();
	struct task_sample *s;
	struct tm_cputime ct;
	bool kept;

	mutex_lock(&t->history.lock);
	s = t->exit_sample;
	t->exit_sample = NULL;
	mutex_unlock(&t->history.lock);
	tm_stats_read_exited(t->exit.leader, s, &ct);
	s->parent = t->exit.parent;
	t->exit.parent = NULL;
	s->ts = ktime_get_boottime_ns();
	s->threads = 0;
	s->has_exit = true;
	s->exit_status = t->exit.status;

	mutex_lock(&t->history.lock);
	tm_exit_mm_locked(t, s);
	kept = tm_history_add_locked(&t->history, s, &ct, tm_max_samples(),
				     reclaiming);
	mutex_unlock(&t->history.lock);
	if (!kept)
		tm_sample_put(s);
	WRITE_ONCE(t->exited, true);
	tm_task_note_exit(t);
}
EXPORT_SYMBOL_IF_KUNIT(tm_task_record_exit);

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
EXPORT_SYMBOL_IF_KUNIT(tm_task_next);

/* Reclaim: the walk is here, each history gives back its share itself. */

/* Each history keeps its newest sample, so that is not reclaimable. */
unsigned long tm_tasks_reclaimable(void)
{
	long n = tm_history_samples() - READ_ONCE(tm_nr_tasks);

	return n > 0 ? n : 0;
}
EXPORT_SYMBOL_IF_KUNIT(tm_tasks_reclaimable);

/* Walks the list under RCU: no lock that readers or writers hold. */
unsigned long tm_tasks_shrink(unsigned long nr_to_scan)
{
	unsigned long total, freed = 0;
	struct tm_task *t;

	total = tm_history_samples();
	rcu_read_lock();
	list_for_each_entry_rcu(t, &tm_tasks, node)
		freed += tm_history_shrink(&t->history, total, nr_to_scan);
	rcu_read_unlock();
	return freed;
}
EXPORT_SYMBOL_IF_KUNIT(tm_tasks_shrink);
