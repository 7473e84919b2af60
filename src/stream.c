// SPDX-License-Identifier: GPL-2.0
/*
 * The follow-mode stream: an open file that was written "follow" reads
 * the samples it has not been given yet, blocking until there are some,
 * and polls readable when there are (docs/interface.md).
 *
 * Each stream keeps a cursor per process, in an xarray indexed by the
 * task's id: a reference to the last sample it gave, or, as an xarray
 * value, the seq of the next one due (before it gave any).  A read walks
 * the list in passes (tm_task_next()), and at each task compares the
 * history's next seq with the cursor's, without a lock, so that a task
 * with nothing new costs a lookup; the samples it has are copied in
 * batches under the history's lock (tm_history_copy()), resuming after
 * the cursor's sample, or at the head if that sample was dropped.  Seqs
 * are consecutive within a history, so the distance from the cursor to
 * the first sample still there is the number lost (the cap, the
 * shrinker), reported as a line "lost N" before it.  A history emptied
 * for good (its process removed) cannot be met any more, so removals
 * are told to every stream (tm_stream_task_removed()) and the count of
 * what it had not given is reported at its next read.
 *
 * A new pass starts only if something was appended since the previous
 * one started: every append, while a stream is open, bumps
 * tm_stream_gen and wakes the readers waiting for it.  With no stream
 * open an append costs one load (tm_stream_appended()).
 *
 * Locking:
 * - tm_streams_lock (mutex) protects the list of streams and
 *   tm_nr_streams.  It is taken by the follow write, the release and
 *   the removal of a task, never by a read.
 * - A stream's lock (mutex) protects all of it and serializes its
 *   readers; it is taken inside tm_streams_lock, and nests
 *   tm_tasks_lock and history locks (tm_task_next(), tm_history_copy()).
 *   It is never taken under either of those: the removal hook runs once
 *   the history is cleared and tm_tasks_lock released.
 * - No lock is held while a reader sleeps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "format.h"
#include "store.h"
#include "stream.h"
#include "tasks.h"

/* Samples copied at each visit of a history. */
#define TM_STREAM_BATCH 16

struct tm_stream {
	struct list_head node; /* in tm_streams */
	struct mutex lock; /* protects the fields below */
	/* task id -> last sample given (referenced), or xa_mk_value(due) */
	struct xarray cursors;
	u64 start_id; /* tasks listed at the follow write have ids up to it */
	struct pid_namespace *ns; /* the opener's, held */
	struct tm_access acc; /* the opener's */
	struct tm_task *task; /* where the pass stands (referenced), or NULL */
	bool checked; /* @task's visibility was judged in this pass */
	bool visible; /* ... and this is the verdict */
	bool passed; /* a pass was started (at @pass_gen) */
	long pass_gen; /* tm_stream_gen when the last pass started */
	u64 lost; /* to report before the next sample line */
	pid_t nr; /* @task's PID in @ns */
	unsigned int nr_copies, cur; /* @copy[@cur..@nr_copies) wait */
	int line_len; /* bytes in @line, the next line to give */
	char line[TM_LINE_MAX];
	struct task_sample copy[TM_STREAM_BATCH];
};

static LIST_HEAD(tm_streams);
static DEFINE_MUTEX(tm_streams_lock);
unsigned int tm_nr_streams; /* under tm_streams_lock, read with READ_ONCE */
static atomic_long_t tm_stream_gen = ATOMIC_LONG_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(tm_stream_wq);

void tm_stream_wake(void)
{
	/* A pass that sees the new generation sees the new sample. */
	smp_mb__before_atomic();
	atomic_long_inc(&tm_stream_gen);
	/* Pairs with the barrier of the waiter's prepare_to_wait(). */
	if (wq_has_sleeper(&tm_stream_wq))
		wake_up_interruptible_poll(&tm_stream_wq,
					   EPOLLIN | EPOLLRDNORM);
}

/* Cursors. */

/* The seq due next after the cursor @entry. */
static u32 tm_cursor_due(void *entry)
{
	if (xa_is_value(entry))
		return xa_to_value(entry);
	return ((struct task_sample *)entry)->seq + 1;
}

static void tm_cursor_put(void *entry)
{
	if (entry && !xa_is_value(entry))
		tm_sample_put(entry);
}

/*
 * The cursor of @t: whether the stream knows what @t owes it, and if so
 * the seq due.  A task added after the follow write owes everything from
 * its first sample; one listed before it was given a cursor then, unless
 * it left the list meanwhile.
 */
static bool tm_stream_due(struct tm_stream *st, struct tm_task *t, void *entry,
			  u32 *due)
{
	if (entry) {
		*due = tm_cursor_due(entry);
		return true;
	}
	*due = 0;
	return t->id > st->start_id;
}

/* Gives every listed task a cursor at its oldest sample (follow write). */
static int tm_stream_mark_start(struct tm_stream *st)
{
	struct tm_task *t, *next;
	int err = 0;

	mutex_lock(&st->lock);
	for (t = tm_task_next(NULL); t; t = next) {
		u32 seq;

		if (!err && t->id <= st->start_id &&
		    tm_history_first_seq(&t->history, &seq))
			err = xa_err(xa_store(&st->cursors, t->id,
					      xa_mk_value(seq), GFP_KERNEL));
		next = tm_task_next(t);
		tm_task_put(t);
	}
	mutex_unlock(&st->lock);
	return err;
}

/* Life cycle. */

static void tm_stream_free(struct tm_stream *st)
{
	unsigned long id;
	void *entry;

	xa_for_each(&st->cursors, id, entry)
		tm_cursor_put(entry);
	xa_destroy(&st->cursors);
	if (st->task)
		tm_task_put(st->task);
	put_pid_ns(st->ns);
	kfree(st);
}

struct tm_stream *tm_stream_create(struct pid_namespace *ns,
				   const struct tm_access *acc)
{
	struct tm_stream *st = kzalloc(sizeof(*st), GFP_KERNEL);

	if (!st)
		return ERR_PTR(-ENOMEM);
	mutex_init(&st->lock);
	xa_init(&st->cursors);
	st->ns = get_pid_ns(ns);
	st->acc = *acc;
	/* Listed first, so that no removal after start_id escapes it. */
	mutex_lock(&tm_streams_lock);
	list_add_tail(&st->node, &tm_streams);
	WRITE_ONCE(tm_nr_streams, tm_nr_streams + 1);
	mutex_unlock(&tm_streams_lock);
	st->start_id = tm_tasks_last_id();
	if (tm_stream_mark_start(st)) {
		tm_stream_destroy(st);
		return ERR_PTR(-ENOMEM);
	}
	return st;
}

void tm_stream_destroy(struct tm_stream *st)
{
	mutex_lock(&tm_streams_lock);
	list_del(&st->node);
	WRITE_ONCE(tm_nr_streams, tm_nr_streams - 1);
	mutex_unlock(&tm_streams_lock);
	tm_stream_free(st);
}

/* Removal of a task. */

/* What @t, emptied for good, still owed @st; forgets its cursor. */
static u32 tm_stream_forget(struct tm_stream *st, struct tm_task *t, u32 end)
{
	void *entry = xa_erase(&st->cursors, t->id);
	u32 due, lost = 0;

	if (tm_stream_due(st, t, entry, &due) && tm_seq_after(end, due) &&
	    pid_nr_ns(t->pid, st->ns) && tm_task_allowed(t, &st->acc))
		lost = end - due;
	tm_cursor_put(entry);
	return lost;
}

void tm_stream_task_removed(struct tm_task *t)
{
	struct tm_stream *st;
	bool lost = false;
	u32 end;

	if (!READ_ONCE(tm_nr_streams))
		return;
	/* Cleared: no sample will be appended, the next seq stays. */
	tm_history_first_seq(&t->history, &end);
	mutex_lock(&tm_streams_lock);
	list_for_each_entry(st, &tm_streams, node) {
		u32 n;

		mutex_lock(&st->lock);
		n = tm_stream_forget(st, t, end);
		st->lost += n;
		mutex_unlock(&st->lock);
		if (n)
			lost = true;
	}
	mutex_unlock(&tm_streams_lock);
	if (lost)
		tm_stream_wake();
}

/* The walk. */

/* Whether @st's opener may see @st->task, judged once per pass. */
static bool tm_stream_visible(struct tm_stream *st)
{
	if (!st->checked) {
		st->nr = pid_nr_ns(st->task->pid, st->ns);
		st->visible = st->nr && tm_task_allowed(st->task, &st->acc);
		st->checked = true;
	}
	return st->visible;
}

/*
 * Copies the next samples of @st->task that @st was not given; counts
 * the ones lost before them.  Returns how many, or -ENOMEM.
 */
static int tm_stream_fill(struct tm_stream *st)
{
	struct tm_task *t = st->task;
	void *entry = xa_load(&st->cursors, t->id);
	struct task_sample *last = NULL;
	bool known;
	u32 due;
	int n;

	known = tm_stream_due(st, t, entry, &due);
	/* The usual case, a history with nothing new: no lock. */
	if (known && !tm_seq_after(READ_ONCE(t->history.next_seq), due))
		return 0;
	if (!tm_stream_visible(st))
		return 0;
	/* Made now, so that storing the new cursor cannot fail. */
	if (!entry && xa_reserve(&st->cursors, t->id, GFP_KERNEL))
		return -ENOMEM;
	if (entry && !xa_is_value(entry))
		last = entry;
	n = tm_history_copy(&t->history, st->ns, &last, NULL, st->copy,
			    TM_STREAM_BATCH);
	if (!n) {
		xa_release(&st->cursors, t->id);
		return 0;
	}
	/* tm_history_copy() moved the reference to @last. */
	xa_store(&st->cursors, t->id, last, GFP_KERNEL);
	if (known && tm_seq_after(st->copy[0].seq, due))
		st->lost += st->copy[0].seq - due;
	st->nr_copies = n;
	st->cur = 0;
	return n;
}

/* Moves the pass to the next task; false at the end of the list. */
static bool tm_stream_step(struct tm_stream *st)
{
	struct tm_task *t = tm_task_next(st->task);

	if (st->task)
		tm_task_put(st->task);
	st->task = t;
	st->checked = false;
	return t;
}

/*
 * Puts the next line into @st->line: 1, or 0 if there is none now (the
 * pass is over and nothing was appended since it started), or -ENOMEM.
 */
static int tm_stream_next_line(struct tm_stream *st)
{
	long gen;
	int n;

	for (;;) {
		if (st->lost) {
			st->line_len = snprintf(st->line, sizeof(st->line),
						"lost %llu\n", st->lost);
			st->lost = 0;
			return 1;
		}
		if (st->cur < st->nr_copies) {
			st->line_len =
				tm_format_sample(st->line, sizeof(st->line),
						 st->nr, &st->copy[st->cur++]);
			return 1;
		}
		if (st->task) {
			n = tm_stream_fill(st);
			if (n < 0)
				return n;
			/* The end of a pass: the caller decides on the next. */
			if (!n && !tm_stream_step(st))
				return 0;
			continue;
		}
		gen = atomic_long_read_acquire(&tm_stream_gen);
		if (st->passed && gen == st->pass_gen)
			return 0;
		st->passed = true;
		st->pass_gen = gen;
		if (!tm_stream_step(st))
			return 0;
	}
}

/* Whole lines into @ubuf: bytes copied, -EINVAL, -EFAULT or 0 (none). */
static ssize_t tm_stream_copy_lines(struct tm_stream *st, char __user *ubuf,
				    size_t count)
{
	size_t done = 0;
	int err;

	while (done < count) {
		if (!st->line_len) {
			err = tm_stream_next_line(st);
			if (err <= 0)
				return done ? done : err;
		}
		if (st->line_len > count - done)
			break;
		if (copy_to_user(ubuf + done, st->line, st->line_len))
			return done ? done : -EFAULT;
		done += st->line_len;
		st->line_len = 0;
	}
	/* The next line is longer than the whole buffer. */
	return done ? done : -EINVAL;
}

/* Whether a waiting reader has something to look at. */
static bool tm_stream_stirred(struct tm_stream *st, long seen)
{
	return atomic_long_read(&tm_stream_gen) != seen || READ_ONCE(st->lost);
}

ssize_t tm_stream_read(struct tm_stream *st, struct file *file,
		       char __user *ubuf, size_t count)
{
	bool again = true;
	ssize_t ret;
	long seen;

	if (!count)
		return 0;
	for (;;) {
		if (mutex_lock_interruptible(&st->lock))
			return -ERESTARTSYS;
		ret = tm_stream_copy_lines(st, ubuf, count);
		seen = st->pass_gen;
		mutex_unlock(&st->lock);
		if (ret)
			return ret;
		if (signal_pending(current))
			return -ERESTARTSYS;
		/* Appended during the pass: one more pass before giving up. */
		if (tm_stream_stirred(st, seen) &&
		    (again || !(file->f_flags & O_NONBLOCK))) {
			again = false;
			cond_resched();
			continue;
		}
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(tm_stream_wq,
					     tm_stream_stirred(st, seen)))
			return -ERESTARTSYS;
	}
}

__poll_t tm_stream_poll(struct tm_stream *st, struct file *file,
			poll_table *wait)
{
	int ready;

	poll_wait(file, &tm_stream_wq, wait);
	mutex_lock(&st->lock);
	ready = st->line_len ? 1 : tm_stream_next_line(st);
	mutex_unlock(&st->lock);
	if (ready < 0)
		return EPOLLERR;
	return ready ? EPOLLIN | EPOLLRDNORM : 0;
}
