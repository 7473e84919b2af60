// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the histories: appending and the cap, the window of
 * recent samples that sysfs reads, a reader copying batches and the
 * sample it holds being trimmed away, the shrinker's share of each
 * history and its choice of victims, and adding and removing processes.
 *
 * The tests call into taskmonitor.ko, loaded first, and reach its list
 * of tasks through EXPORT_SYMBOL_IF_KUNIT() (tasks.h).  The samples come
 * from its "task_sample" cache; its sampler is stopped while the suite
 * runs, so that only the tests add samples.  The "process" sampled is
 * the test's own kthread.
 */
#define TM_KUNIT_TEST /* tasks.h: what tasks.c makes visible to the tests */

#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "../sampler.h"
#include "../store.h"
#include "../tasks.h"

struct tm_history_test {
	struct tm_sample_counts before;
};

static int tm_history_test_init(struct kunit *test)
{
	struct tm_history_test *priv;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	tm_sample_counts(&priv->before);
	test->priv = priv;
	return 0;
}

static void tm_history_test_exit(struct kunit *test)
{
	struct tm_history_test *priv = test->priv;
	struct tm_sample_counts after;

	tm_tasks_exit();
	tm_sample_counts(&after);
	/* Every sample created by the test was freed: none leaked. */
	KUNIT_EXPECT_EQ(test, after.created - priv->before.created,
			after.freed - priv->before.freed);
	KUNIT_EXPECT_EQ(test, tm_history_samples(), 0L);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tm_nr_tasks), 0U);
}

/* taskmonitor.ko's sampler would sample the tasks the tests list. */
static int tm_history_suite_init(struct kunit_suite *suite)
{
	tm_sampler_stop();
	return 0;
}

static void tm_history_suite_exit(struct kunit_suite *suite)
{
	if (tm_sampler_start())
		pr_err("taskmonitor's sampler did not restart after the tests\n");
}

/*
 * Lists a new task for @pid, as tm_task_add() would but with no check,
 * so that a test may list one process several times; returns it.
 */
static struct tm_task *tm_test_list(struct kunit *test, struct pid *pid)
{
	struct tm_task *t;

	t = tm_task_create(pid, GLOBAL_ROOT_UID, GLOBAL_ROOT_UID);
	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&tm_tasks_lock);
	t->id = ++tm_next_id;
	list_add_tail(&t->node, &tm_tasks);
	WRITE_ONCE(tm_nr_tasks, tm_nr_tasks + 1);
	mutex_unlock(&tm_tasks_lock);
	return t;
}

static struct tm_task *tm_test_task(struct kunit *test)
{
	return tm_test_list(test, task_tgid(current));
}

/*
 * Checks the invariants of @t's history: ts never decreases from head to
 * tail, nr_samples counts the list, tail is its last element and recent is
 * min(nr_samples, TM_RECENT_WINDOW) samples from the end.  Returns the
 * number of samples.
 */
static unsigned long tm_test_check(struct kunit *test, struct tm_task *t)
{
	struct task_sample *s, *last = NULL;
	unsigned long n = 0, from_recent = 0;
	bool in_window = false;

	mutex_lock(&t->history.lock);
	for (s = t->history.head; s; s = s->next) {
		if (s == t->history.recent)
			in_window = true;
		if (in_window)
			from_recent++;
		if (last)
			KUNIT_EXPECT_LE(test, last->ts, s->ts);
		last = s;
		n++;
	}
	KUNIT_EXPECT_PTR_EQ(test, last, t->history.tail);
	KUNIT_EXPECT_EQ(test, n, t->history.nr_samples);
	if (n) {
		KUNIT_EXPECT_TRUE_MSG(test, in_window,
				      "recent is not in the history");
		KUNIT_EXPECT_EQ(test, from_recent,
				min_t(unsigned long, n, TM_RECENT_WINDOW));
	} else {
		KUNIT_EXPECT_NULL(test, t->history.head);
		KUNIT_EXPECT_NULL(test, t->history.recent);
	}
	mutex_unlock(&t->history.lock);
	return n;
}

static void tm_test_sample(struct kunit *test, struct tm_task *t,
			   unsigned int times, unsigned int cap)
{
	while (times--)
		tm_task_sample(t, cap);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(t->exited));
}

/* At the cap, each new sample drops the oldest one. */
static void tm_history_cap(struct kunit *test)
{
	struct task_sample *tails[10];
	struct tm_task *t = tm_test_task(test);
	struct task_sample *s;
	int i;

	for (i = 0; i < 10; i++) {
		tm_task_sample(t, 4);
		tails[i] = t->history.tail;
		KUNIT_EXPECT_EQ(test, tm_test_check(test, t),
				(unsigned long)min(i + 1, 4));
	}
	/* What is left is the four newest, in order. */
	mutex_lock(&t->history.lock);
	for (i = 6, s = t->history.head; i < 10 && s; i++, s = s->next)
		KUNIT_EXPECT_PTR_EQ(test, s, tails[i]);
	mutex_unlock(&t->history.lock);
	KUNIT_EXPECT_EQ(test, i, 10);
}

static void tm_history_cap_one(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);

	tm_test_sample(test, t, 5, 1);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, t->history.head, t->history.tail);
}

/* 0 is no cap at all; the recent window stays right past its size. */
static void tm_history_no_cap(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);
	unsigned int i;

	for (i = 1; i <= 3 * TM_RECENT_WINDOW + 1; i++) {
		tm_task_sample(t, 0);
		KUNIT_EXPECT_EQ(test, tm_test_check(test, t), (unsigned long)i);
	}
	KUNIT_EXPECT_EQ(test, tm_tasks_reclaimable(), 3UL * TM_RECENT_WINDOW);
}

/* A lower cap trims a long history at its next sample, window included. */
static void tm_history_cap_lowered(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);

	tm_test_sample(test, t, 2 * TM_RECENT_WINDOW, 0);
	tm_test_sample(test, t, 1, TM_RECENT_WINDOW + 3);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t),
			(unsigned long)TM_RECENT_WINDOW + 3);
	tm_test_sample(test, t, 1, 5);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 5UL);
	tm_test_sample(test, t, 1, 0);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 6UL);
}

/*
 * A reader copying a history in batches gets every sample once, in
 * order, and holds one reference (the last sample copied) at a time.
 */
static void tm_history_copy_batches(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);
	struct task_sample copy[8], *last = NULL;
	unsigned int n, i, seen = 0;
	u64 prev = 0;
	u32 end;

	tm_test_sample(test, t, 20, 0);
	while ((n = tm_history_copy(&t->history, &init_pid_ns, &last, &end,
				    copy, ARRAY_SIZE(copy)))) {
		KUNIT_EXPECT_EQ(test, n, min(8U, 20 - seen));
		for (i = 0; i < n; i++) {
			KUNIT_EXPECT_GE(test, copy[i].ts, prev);
			prev = copy[i].ts;
		}
		seen += n;
		KUNIT_EXPECT_EQ(test, last->ts, prev);
		KUNIT_EXPECT_EQ(test, kref_read(&last->ref), 2U);
	}
	KUNIT_EXPECT_EQ(test, seen, 20U);
	KUNIT_EXPECT_PTR_EQ(test, last, t->history.tail);
	tm_sample_put(last);
}

/*
 * The last sample copied is trimmed away while the reader is between
 * batches: it stays valid (KASAN would see a use after free otherwise),
 * says it was unlinked, and the next batch starts at the new head, but
 * shows nothing appended after the reader reached the history.
 */
static void tm_history_copy_resumes(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);
	struct task_sample copy[2], *last = NULL;
	u64 ts;
	u32 end;

	tm_test_sample(test, t, 3, 0);
	KUNIT_ASSERT_EQ(test,
			tm_history_copy(&t->history, &init_pid_ns, &last, &end,
					copy, 2),
			2U);
	ts = copy[1].ts;
	tm_test_sample(test, t, 1, 2);
	KUNIT_EXPECT_PTR_EQ(test, last->next, TM_SAMPLE_UNLINKED);
	KUNIT_ASSERT_EQ(test,
			tm_history_copy(&t->history, &init_pid_ns, &last, &end,
					copy, 2),
			1U);
	KUNIT_EXPECT_GE(test, copy[0].ts, ts);
	KUNIT_EXPECT_EQ(test, copy[0].ts, t->history.head->ts);
	KUNIT_EXPECT_PTR_EQ(test, last, t->history.head);
	KUNIT_EXPECT_EQ(test,
			tm_history_copy(&t->history, &init_pid_ns, &last, &end,
					copy, 2),
			0U);
	tm_sample_put(last);
}

/*
 * A reader's view is the history when it reached it: however many
 * samples are appended between its batches, it copies at most the cap,
 * and none of the new ones.
 */
static void tm_history_copy_snapshot(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);
	struct task_sample copy[3], *last = NULL;
	unsigned int n, seen = 0;
	u32 end, newest;

	tm_test_sample(test, t, 10, 10);
	newest = t->history.tail->seq;
	while ((n = tm_history_copy(&t->history, &init_pid_ns, &last, &end,
				    copy, ARRAY_SIZE(copy)))) {
		KUNIT_EXPECT_FALSE(test, tm_seq_after(copy[n - 1].seq, newest));
		seen += n;
		tm_test_sample(test, t, 4, 10);
	}
	KUNIT_EXPECT_GT(test, seen, 0U);
	KUNIT_EXPECT_LE(test, seen, 10U);
	KUNIT_EXPECT_TRUE(test, tm_seq_after(t->history.tail->seq, newest));
	tm_sample_put(last);
}

/* While the kernel reclaims, a history keeps its length, capped or not. */
static void tm_history_limit_while_reclaiming(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, tm_history_limit(0, 0, false), ULONG_MAX);
	KUNIT_EXPECT_EQ(test, tm_history_limit(7, 5, false), 5UL);
	KUNIT_EXPECT_EQ(test, tm_history_limit(0, 0, true), 1UL);
	KUNIT_EXPECT_EQ(test, tm_history_limit(0, 5, true), 1UL);
	KUNIT_EXPECT_EQ(test, tm_history_limit(1, 0, true), 1UL);
	KUNIT_EXPECT_EQ(test, tm_history_limit(300, 0, true), 300UL);
	KUNIT_EXPECT_EQ(test, tm_history_limit(3, 5, true), 3UL);
	/* A cap lowered below the length still trims to the cap. */
	KUNIT_EXPECT_EQ(test, tm_history_limit(9, 5, true), 5UL);
}

/* Properties of tm_shrink_share() over random histories. */
static void tm_history_shrink_share_props(struct kunit *test)
{
	unsigned long nr[8];
	int round, i, k;

	KUNIT_EXPECT_EQ(test, tm_shrink_share(0, 0, 10), 0UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(1, 1, 10), 0UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(1, 100, 10), 0UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(5, 0, 10), 0UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(10, 40, 8), 2UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(30, 40, 8), 6UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(2, 1000, 1), 1UL);
	KUNIT_EXPECT_EQ(test, tm_shrink_share(100, 100, 1000), 99UL);

	for (round = 0; round < 5000; round++) {
		unsigned long total = 0, reclaimable = 0, sum = 0, scan;
		bool capped, singles;

		k = 1 + get_random_u32_below(ARRAY_SIZE(nr));
		for (i = 0; i < k; i++) {
			nr[i] = get_random_u32_below(4) ?
					1 + get_random_u32_below(100) :
					1 + get_random_u32_below(1000000);
			total += nr[i];
			reclaimable += nr[i] - 1;
		}
		scan = 1 + get_random_u32_below(get_random_u32_below(2) ? 128 :
									  4096);
		capped = false;
		singles = false;
		for (i = 0; i < k; i++) {
			unsigned long share =
				tm_shrink_share(nr[i], total, scan);
			u64 exact = (u64)nr[i] * scan;

			/* Never the newest sample. */
			KUNIT_EXPECT_LT(test, share, nr[i] ? nr[i] : 1);
			/* At least the proportional share, unless capped... */
			if (share < nr[i] - 1)
				KUNIT_EXPECT_GE(test, (u64)share * total,
						exact);
			/* ...and never more than one above it. */
			KUNIT_EXPECT_LT(test, (u64)share * total,
					exact + total);
			sum += share;
			capped |= nr[i] > 1 && share == nr[i] - 1;
			singles |= nr[i] == 1;
		}
		/*
		 * Rounding up, the histories give at least what was asked,
		 * unless some are too short to give their share.
		 */
		if (!capped && !singles)
			KUNIT_EXPECT_GE(test, sum, scan);
		KUNIT_EXPECT_LE(test, sum, reclaimable);
	}
}

/*
 * The shrinker takes from each history in proportion to its length, the
 * oldest first, and keeps every history's newest sample.
 */
static void tm_history_shrink_victims(struct kunit *test)
{
	struct tm_task *t[3];
	static const unsigned int len[3] = { 1, 10, 30 };
	struct task_sample *order[30], *s;
	int i, j;

	for (i = 0; i < 3; i++) {
		t[i] = tm_test_task(test);
		tm_test_sample(test, t[i], len[i], 0);
	}
	mutex_lock(&t[2]->history.lock);
	for (j = 0, s = t[2]->history.head; s && j < 30; s = s->next)
		order[j++] = s;
	mutex_unlock(&t[2]->history.lock);
	KUNIT_ASSERT_EQ(test, j, 30);

	KUNIT_EXPECT_EQ(test, tm_tasks_reclaimable(), 38UL);
	/* 41 samples: shares ceil(1*8/41)=0 (newest), ceil(80/41)=2, ceil(240/41)=6. */
	KUNIT_EXPECT_EQ(test, tm_tasks_shrink(8), 8UL);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t[0]), 1UL);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t[1]), 8UL);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t[2]), 24UL);
	/* The oldest six went. */
	KUNIT_EXPECT_PTR_EQ(test, t[2]->history.head, order[6]);
	KUNIT_EXPECT_EQ(test, tm_tasks_reclaimable(), 30UL);

	/* Asked for more than there is: all but the newest of each. */
	KUNIT_EXPECT_EQ(test, tm_tasks_shrink(1000), 30UL);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, tm_test_check(test, t[i]), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, t[2]->history.head, order[29]);
	KUNIT_EXPECT_EQ(test, tm_tasks_reclaimable(), 0UL);
	KUNIT_EXPECT_EQ(test, tm_tasks_shrink(100), 0UL);
}

/*
 * The shrinker never waits: a busy history is skipped; a busy list is
 * not (it walks the list under RCU), so readers cannot starve it.
 */
static void tm_history_shrink_trylock(struct kunit *test)
{
	struct tm_task *a = tm_test_task(test), *b = tm_test_task(test);

	tm_test_sample(test, a, 10, 0);
	tm_test_sample(test, b, 10, 0);

	mutex_lock(&a->history.lock);
	KUNIT_EXPECT_EQ(test, tm_tasks_shrink(100), 9UL);
	mutex_unlock(&a->history.lock);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, a), 10UL);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, b), 1UL);

	mutex_lock(&tm_tasks_lock);
	KUNIT_EXPECT_EQ(test, tm_tasks_shrink(100), 9UL);
	mutex_unlock(&tm_tasks_lock);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, a), 1UL);
}

/* Once paused, no sample is appended; resumed, sampling goes on. */
static void tm_history_paused_appends_nothing(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);

	tm_history_set_paused(true);
	tm_test_sample(test, t, 3, 0);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 0UL);
	tm_history_set_paused(false);
	tm_test_sample(test, t, 3, 0);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 3UL);
}

/* tm_task_add() and tm_task_remove() answer as docs/interface.md says. */
static void tm_history_add_remove(struct kunit *test)
{
	pid_t me = task_tgid_vnr(current);
	struct tm_task *t;

	KUNIT_EXPECT_EQ(test, tm_task_add(me, &tm_access_module), 0);
	KUNIT_EXPECT_EQ(test, tm_task_add(me, &tm_access_module), -EEXIST);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tm_nr_tasks), 1U);
	t = tm_task_next(NULL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	tm_test_sample(test, t, 3, 0);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 3UL);
	KUNIT_EXPECT_EQ(test, tm_task_remove(me, &tm_access_module), 0);
	/* Removal frees the history even while @t is still referenced. */
	KUNIT_EXPECT_TRUE(test, t->removed);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 0UL);
	KUNIT_EXPECT_NULL(test, tm_task_next(t));
	tm_task_put(t);
	KUNIT_EXPECT_EQ(test, tm_task_remove(me, &tm_access_module), -ENOENT);
	KUNIT_EXPECT_EQ(test, tm_task_add(INT_MAX, &tm_access_module), -ESRCH);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tm_nr_tasks), 0U);
}

/*
 * An administrator may see any task; anyone else only a task whose real
 * and effective UIDs are both its own (the test's kthread is root's).
 */
static void tm_history_allowed(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);
	const struct tm_access root = { .euid = GLOBAL_ROOT_UID };
	const struct tm_access user = { .euid = KUIDT_INIT(1000) };
	const struct tm_access admin = { .euid = KUIDT_INIT(1000),
					 .admin = true };

	KUNIT_EXPECT_TRUE(test, tm_task_allowed(t, &root));
	KUNIT_EXPECT_FALSE(test, tm_task_allowed(t, &user));
	KUNIT_EXPECT_TRUE(test, tm_task_allowed(t, &admin));
}

static int tm_test_idle(void *unused)
{
	return 0;
}

/* A process that has exited is no longer sampled, and no sample leaks. */
static void tm_history_exited(struct kunit *test)
{
	struct task_struct *k;
	struct tm_task *t;
	struct pid *pid;

	k = kthread_create(tm_test_idle, NULL, "tm-kunit-exit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(k));
	pid = get_pid(task_tgid(k));
	kthread_stop(k);
	t = tm_test_list(test, pid);
	put_pid(pid);
	tm_task_sample(t, 0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(t->exited));
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 0UL);
	KUNIT_EXPECT_EQ(test, tm_task_add(pid_vnr(t->pid), &tm_access_module),
			-ESRCH);
}

/*
 * tm_task_follow() lists as tm_task_add() does; EEXIST only for a task
 * followed already, a plain-listed one becomes followed; -PID forgets
 * that, a second "+PID" after it follows again.
 */
static void tm_history_follow_add(struct kunit *test)
{
	pid_t me = task_tgid_vnr(current);
	struct tm_task *t;

	KUNIT_EXPECT_EQ(test, tm_task_add(me, &tm_access_module), 0);
	KUNIT_EXPECT_FALSE(test, tm_tasks_followed());
	KUNIT_EXPECT_EQ(test, tm_task_follow(me, &tm_access_module), 0);
	KUNIT_EXPECT_TRUE(test, tm_tasks_followed());
	KUNIT_EXPECT_EQ(test, tm_task_follow(me, &tm_access_module), -EEXIST);
	KUNIT_EXPECT_EQ(test, tm_task_add(me, &tm_access_module), -EEXIST);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tm_nr_tasks), 1U);
	t = tm_task_next(NULL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, t->followed);
	KUNIT_EXPECT_TRUE(test, t->follow_acc.admin);
	tm_task_put(t);
	KUNIT_EXPECT_EQ(test, tm_task_remove(me, &tm_access_module), 0);
	KUNIT_EXPECT_FALSE(test, tm_tasks_followed());
	KUNIT_EXPECT_EQ(test, tm_task_follow(me, &tm_access_module), 0);
	KUNIT_EXPECT_TRUE(test, tm_tasks_followed());
	KUNIT_EXPECT_EQ(test, tm_task_remove(me, &tm_access_module), 0);
	KUNIT_EXPECT_EQ(test, tm_task_follow(INT_MAX, &tm_access_module),
			-ESRCH);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tm_nr_tasks), 0U);
	KUNIT_EXPECT_FALSE(test, tm_tasks_followed());
}

/*
 * Records an exit of @t as the exit work does, with status @status, the
 * test's own kthread standing in for the process's leader.
 */
static void tm_test_record_exit(struct tm_task *t, u8 status)
{
	t->exit.leader = get_task_struct(current);
	t->exit.parent = NULL;
	t->exit.mm_known = false;
	t->exit.status = status;
	tm_task_record_exit(t);
	put_task_struct(t->exit.leader);
	t->exit.leader = NULL;
}

/*
 * The exit record is the history's last sample: it carries the status,
 * no thread, the last sampled memory figures (before Linux 6.16 the
 * probe cannot read them), and nothing is appended after it.
 */
static void tm_history_exit_record_last(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);
	struct task_sample *last, *rec;

	tm_test_sample(test, t, 2, 0);
	last = t->history.tail;
	tm_test_record_exit(t, 137);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(t->exited));
	KUNIT_EXPECT_NULL(test, t->exit_sample);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 3UL);
	rec = t->history.tail;
	KUNIT_EXPECT_TRUE(test, rec->has_exit);
	KUNIT_EXPECT_EQ(test, rec->exit_status, 137);
	KUNIT_EXPECT_EQ(test, rec->threads, 0U);
	KUNIT_EXPECT_EQ(test, rec->rss, last->rss);
	KUNIT_EXPECT_EQ(test, rec->vsz, last->vsz);
	KUNIT_EXPECT_GE(test, rec->utime + rec->stime,
			last->utime + last->stime);
	KUNIT_EXPECT_FALSE(test, last->has_exit);
	/* A sweep that comes after it keeps nothing. */
	tm_task_sample(t, 0);
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 3UL);
	KUNIT_EXPECT_PTR_EQ(test, t->history.tail, rec);
}

/* A process that ends while sampling is stopped gets no exit record. */
static void tm_history_exit_record_paused(struct kunit *test)
{
	struct tm_task *t = tm_test_task(test);

	tm_test_sample(test, t, 1, 0);
	tm_history_set_paused(true);
	tm_test_record_exit(t, 0);
	tm_history_set_paused(false);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(t->exited));
	KUNIT_EXPECT_EQ(test, tm_test_check(test, t), 1UL);
	KUNIT_EXPECT_FALSE(test, t->history.tail->has_exit);
}

static struct kunit_case tm_history_test_cases[] = {
	KUNIT_CASE(tm_history_cap),
	KUNIT_CASE(tm_history_cap_one),
	KUNIT_CASE(tm_history_no_cap),
	KUNIT_CASE(tm_history_cap_lowered),
	KUNIT_CASE(tm_history_copy_batches),
	KUNIT_CASE(tm_history_copy_resumes),
	KUNIT_CASE(tm_history_copy_snapshot),
	KUNIT_CASE(tm_history_limit_while_reclaiming),
	KUNIT_CASE(tm_history_shrink_share_props),
	KUNIT_CASE(tm_history_shrink_victims),
	KUNIT_CASE(tm_history_shrink_trylock),
	KUNIT_CASE(tm_history_paused_appends_nothing),
	KUNIT_CASE(tm_history_add_remove),
	KUNIT_CASE(tm_history_follow_add),
	KUNIT_CASE(tm_history_allowed),
	KUNIT_CASE(tm_history_exited),
	KUNIT_CASE(tm_history_exit_record_last),
	KUNIT_CASE(tm_history_exit_record_paused),
	{}
};

static struct kunit_suite tm_history_test_suite = {
	.name = "taskmonitor_history",
	.suite_init = tm_history_suite_init,
	.suite_exit = tm_history_suite_exit,
	.init = tm_history_test_init,
	.exit = tm_history_test_exit,
	.test_cases = tm_history_test_cases,
};

kunit_test_suite(tm_history_test_suite);
