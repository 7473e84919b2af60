// SPDX-License-Identifier: GPL-2.0
/*
 * The follow-mode stream: an open file that was written "follow" reads
 * the samples it has not been given yet (docs/interface.md).
 *
 * Each stream keeps a cursor per process, in an xarray indexed by the
 * task's id: a reference to the last sample it gave, or, as an xarray
 * value, the seq of the next one due (before it gave any).  The follow
 * write gives every listed process a cursor at its oldest sample, so
 * that what is dropped from then on can be counted; a process listed
 * later owes the stream everything from its first sample.
 *
 * Locking:
 * - tm_streams_lock (mutex) protects the list of streams and
 *   tm_nr_streams.
 * - A stream's lock (mutex) protects all of it; it nests tm_tasks_lock
 *   and history locks (tm_task_next(), tm_history_first_seq()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "store.h"
#include "stream.h"
#include "tasks.h"

struct tm_stream {
	struct list_head node; /* in tm_streams */
	struct mutex lock; /* protects the fields below */
	/* task id -> last sample given (referenced), or xa_mk_value(due) */
	struct xarray cursors;
	u64 start_id; /* tasks listed at the follow write have ids up to it */
	struct pid_namespace *ns; /* the opener's, held */
	struct tm_access acc; /* the opener's */
};

static LIST_HEAD(tm_streams);
static DEFINE_MUTEX(tm_streams_lock);
unsigned int tm_nr_streams; /* under tm_streams_lock, read with READ_ONCE */

/* Cursors. */

static void tm_cursor_put(void *entry)
{
	if (entry && !xa_is_value(entry))
		tm_sample_put(entry);
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
