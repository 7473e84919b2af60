/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_TASKS_H
#define TM_TASKS_H

#include <linux/kref.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "procstat.h"
#include "store.h"

struct file;
struct pid;
struct pid_namespace;
struct mem_cgroup;
struct task_struct;
struct tm_user;

/* What the exit probe reads in the exiting task itself (exitrec.c). */
struct tm_exit_info {
	struct task_struct *leader; /* referenced */
	struct pid *parent; /* referenced */
	u64 rss; /* pages, if @mm_known */
	u64 vsz;
	bool mm_known;
	u8 status;
};

/*
 * What a file's user may do, decided when the file was opened: with
 * CAP_SYS_ADMIN in the initial user namespace (@admin), any process;
 * otherwise only processes whose real and effective UIDs equal @euid.
 */
struct tm_access {
	kuid_t euid;
	bool admin;
};

/*
 * A monitored process.  The global list of them is changed under
 * tm_tasks_lock and may be walked under RCU or SRCU (tasks.c); its
 * history has its own lock (store.c).
 */
struct tm_task {
	struct list_head node;
	struct hlist_node pid_node; /* in the table by pid (tm_tasks_lock) */
	/* on the exited list, then on a list to dispose of (tm_tasks_lock) */
	struct list_head exited_node;
	unsigned long exited_at; /* jiffies when found exited (tm_tasks_lock) */
	struct tm_user *user; /* who added it, if counted (tm_tasks_lock) */
	struct kref ref;
	struct rcu_head rcu; /* freed after a grace period: see tasks.c */
	struct pid *pid; /* thread-group ID, held: PID reuse is harmless */
	struct mem_cgroup *memcg; /* charged for its samples, held, or NULL */
	u64 id; /* order of addition, never reused */
	kuid_t uid; /* the process's real and effective UIDs, as last */
	kuid_t euid; /* seen (added or sampled): under history.lock */
	bool removed; /* off the list (tm_tasks_lock) */
	bool exited; /* no longer sampled (READ_ONCE) */
	struct tm_comm comm; /* at its last sample: the sampler's */
	/*
	 * Following (follow.c): the processes it forks are listed too, as
	 * added by @follow_acc.  Both are set once, under tm_tasks_lock,
	 * before @followed turns true (read by the fork probe under RCU).
	 */
	bool followed;
	struct tm_access follow_acc;
	struct tm_history history;

	/*
	 * The exit record (exitrec.c).  @exit_sample is set aside at the
	 * add (the probe may not allocate); the probe sets bit 0 of
	 * @exit_seen, fills @exit after it and puts the task on the exit
	 * work's list by @exit_node; the work owns them from then on.
	 */
	struct task_sample *exit_sample;
	unsigned long exit_seen;
	struct llist_node exit_node;
	struct tm_exit_info exit;
};

/* Takes every task off the list and frees its history (unload). */
void tm_tasks_exit(void);

/* The rights of @file's opener (its f_cred, kept for the file's life). */
void tm_access_of_file(const struct file *file, struct tm_access *acc);
/* The rights of the calling process, for files that get no struct file. */
void tm_access_of_caller(struct tm_access *acc);
/* The module's own rights, for the targets given at load. */
extern const struct tm_access tm_access_module;

/* Whether @acc may see, add or remove @t. */
bool tm_task_allowed(struct tm_task *t, const struct tm_access *acc);

/*
 * Lists the process @nr: -ESRCH, -EPERM, -EEXIST, -ENOSPC (max_tasks
 * listed), -EDQUOT (a non-administrator's max_user_tasks) or -ENOMEM.
 */
int tm_task_add(pid_t nr, const struct tm_access *acc);
/*
 * Lists the process @nr as tm_task_add() does and follows it: -EEXIST
 * only if it is followed already (a listed one becomes followed).
 */
int tm_task_follow(pid_t nr, const struct tm_access *acc);
int tm_task_remove(pid_t nr, const struct tm_access *acc);
void tm_task_put(struct tm_task *t);

/*
 * Frees the exited tasks kept longer than @keep jiffies, and the oldest
 * ones beyond @max.
 */
void tm_tasks_reap_exited(unsigned long keep, unsigned int max);

/* Takes one sample of @t, or marks it exited. */
void tm_task_sample(struct tm_task *t, unsigned int cap);
/* Samples every listed task that has not exited: one sweep. */
void tm_tasks_sample(unsigned int cap);

/* The id of the task listed last (0 if none ever was). */
u64 tm_tasks_last_id(void);

/*
 * For following (follow.c): lists @pid, owned by @uid/@euid, followed,
 * as added by @acc, its samples charged to @memcg (a reference the call
 * takes over); a listed one becomes followed.  0, or -EEXIST if it was
 * followed already: then *@out (if given) holds a reference to its
 * task.  Else -ENOSPC, -EDQUOT or -ENOMEM.
 */
int tm_task_add_followed(struct pid *pid, kuid_t uid, kuid_t euid,
			 const struct tm_access *acc, struct mem_cgroup *memcg,
			 struct tm_task **out);
/* The UIDs of a live process; -ESRCH if it is gone or a zombie. */
int tm_pid_owner(struct pid *pid, kuid_t *uid, kuid_t *euid);

/* Whether any process is listed (read without a lock, for the probe). */
bool tm_tasks_listed(void);
/* Whether any listed process is followed (likewise). */
bool tm_tasks_followed(void);

/*
 * The listed task of the process whose thread-group ID is @pid, or NULL:
 * valid until rcu_read_unlock(), which the caller holds; no reference
 * taken.  Does not sleep.
 */
struct tm_task *tm_task_find_rcu(struct pid *pid);

/*
 * Appends @t's exit record, from the exit fields the probe filled, and
 * marks @t exited.  Called by the exit work, in process context.
 */
void tm_task_record_exit(struct tm_task *t);

/*
 * Walks the list for readers: returns a new reference to the task after
 * @prev (the first one if NULL), or NULL at the end.  @prev may have left the list
 * meanwhile: the walk goes on after its place in the order.
 */
struct tm_task *tm_task_next(struct tm_task *prev);
/*
 * Shrinker support: the samples that may be reclaimed (each history keeps
 * its newest), and a scan of every history for its share of @nr_to_scan.
 */
unsigned long tm_tasks_reclaimable(void);
unsigned long tm_tasks_shrink(unsigned long nr_to_scan);

/*
 * Static but for the KUnit tests (kunit/tasks_test.c), which list tasks
 * by hand: VISIBLE_IF_KUNIT in tasks.c.  The test file defines
 * TM_KUNIT_TEST so that it compiles, for sparse, without KUnit too.
 */
#if IS_ENABLED(CONFIG_KUNIT) || defined(TM_KUNIT_TEST)
extern struct list_head tm_tasks;
extern struct mutex tm_tasks_lock;
extern unsigned int tm_nr_tasks;
extern u64 tm_next_id;
struct tm_task *tm_task_create(struct pid *pid, kuid_t uid, kuid_t euid);
#endif

#endif /* TM_TASKS_H */
