// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming the whole history with seq_file, shared by the debugfs file
 * and /dev/taskmonitor.
 *
 * seq_file stops and restarts its iterator every time the buffer is full.
 * Finding the n-th sample again from the start on each restart would make
 * a read quadratic in the history length, so the iterator instead keeps a
 * reference on the task and on the last sample it reached, across reads.
 * The sample may be reclaimed meanwhile; it then says so (its next pointer
 * is TM_SAMPLE_UNLINKED) and the walk resumes at the head of its history,
 * since histories only lose samples from their head.
 *
 * A read shows each history as it stood when the walk reached it: at
 * most the cap's number of lines, none taken after that moment, however
 * many read() calls the walk spans.  The samples appended meanwhile show
 * to the next read from the start.
 *
 * Rather than taking the history's lock and a reference for every line,
 * the iterator copies up to TM_SEQ_BATCH samples under one hold of the
 * lock and hands out the copies, one seq_file record per sample: a
 * sample taken or reclaimed meanwhile may or may not show, as with any
 * read in progress.
 *
 * A file written "follow" turns into a stream (stream.c) for good: its
 * reads and polls go there, since seq_file can neither block nor poll.
 * The stream is published once, with a release, so that a read racing
 * with the write sees it whole or not at all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "command.h"
#include "format.h"
#include "tasks.h"
#include "store.h"
#include "stream.h"
#include "reader.h"

/* Samples copied at each visit of a history. */
#define TM_SEQ_BATCH 32

struct tm_iter {
	struct tm_stream *stream; /* set once by "follow", or NULL */
	struct pid_namespace *ns; /* the opener's */
	struct tm_access acc; /* the opener's */
	struct tm_task *task; /* referenced, or NULL */
	struct task_sample *last; /* referenced: the last one copied, or NULL */
	struct task_sample *cur; /* in @copy: the record to show, or NULL */
	u32 end; /* seq of @task's newest sample when the walk reached it */
	loff_t pos; /* seq_file index of @cur */
	pid_t nr; /* @task's PID in @ns */
	unsigned int nr_copies;
	struct task_sample copy[TM_SEQ_BATCH]; /* the next lines of @task */
};

static void tm_iter_drop(struct tm_iter *it)
{
	if (it->last)
		tm_sample_put(it->last);
	if (it->task)
		tm_task_put(it->task);
	it->last = NULL;
	it->task = NULL;
	it->cur = NULL;
}

/* Copies the next samples of the task; NULL at the end of its history. */
static struct task_sample *tm_iter_fill(struct tm_iter *it)
{
	it->nr_copies = tm_history_copy(&it->task->history, it->ns, &it->last,
					&it->end, it->copy, TM_SEQ_BATCH);
	it->cur = it->nr_copies ? it->copy : NULL;
	return it->cur;
}

/*
 * Stands the iterator on the first sample of @t or of a later task that
 * has one, is visible in the reader's namespace and that the opener of
 * the file may see.  Takes over the
 * reference on @t.
 */
static struct task_sample *tm_iter_enter(struct tm_iter *it, struct tm_task *t)
{
	while (t) {
		struct tm_task *next;

		it->nr = pid_nr_ns(t->pid, it->ns);
		if (it->nr && tm_task_allowed(t, &it->acc)) {
			it->task = t;
			if (tm_iter_fill(it))
				return it->cur;
			it->task = NULL;
		}
		next = tm_task_next(t);
		tm_task_put(t);
		t = next;
	}
	it->cur = NULL;
	return NULL;
}

/* Moves one line on. */
static struct task_sample *tm_iter_advance(struct tm_iter *it)
{
	struct tm_task *t;

	it->cur++;
	if (it->cur < it->copy + it->nr_copies)
		return it->cur;
	if (tm_iter_fill(it))
		return it->cur;
	t = tm_task_next(it->task);
	tm_iter_drop(it);
	return tm_iter_enter(it, t);
}

static void *tm_seq_start(struct seq_file *m, loff_t *pos)
{
	struct tm_iter *it = m->private;
	struct task_sample *s;

	/* The usual case: resume where the previous read stopped. */
	if (*pos && *pos == it->pos)
		return it->cur;

	/* A rewind: walk from the start (seq_file's seeks restart at 0). */
	tm_iter_drop(it);
	s = tm_iter_enter(it, tm_task_next(NULL));
	for (it->pos = 0; s && it->pos < *pos; it->pos++)
		s = tm_iter_advance(it);
	it->pos = *pos;
	return s;
}

static void *tm_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct tm_iter *it = m->private;

	it->pos = ++*pos;
	return tm_iter_advance(it);
}

static void tm_seq_stop(struct seq_file *m, void *v)
{
	/* The iterator keeps its references until the next read. */
}

static int tm_seq_show(struct seq_file *m, void *v)
{
	struct tm_iter *it = m->private;

	tm_seq_put_sample(m, it->nr, v);
	return 0;
}

static const struct seq_operations tm_seq_ops = {
	.start = tm_seq_start,
	.next = tm_seq_next,
	.stop = tm_seq_stop,
	.show = tm_seq_show,
};

static int tm_seq_open(struct inode *inode, struct file *file)
{
	struct tm_iter *it;

	/* misc_open() leaves its miscdevice here; seq_open() wants NULL. */
	file->private_data = NULL;
	it = __seq_open_private(file, &tm_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->ns = get_pid_ns(task_active_pid_ns(current));
	tm_access_of_file(file, &it->acc);
	return 0;
}

static struct tm_stream *tm_file_stream(struct file *file)
{
	struct seq_file *m = file->private_data;
	struct tm_iter *it = m->private;

	/* Pairs with the release of tm_reader_follow(). */
	return smp_load_acquire(&it->stream);
}

int tm_reader_follow(struct file *file)
{
	struct seq_file *m = file->private_data;
	struct tm_iter *it = m->private;
	struct tm_stream *st;

	if (tm_file_stream(file))
		return 0;
	st = tm_stream_create(it->ns, &it->acc);
	if (IS_ERR(st))
		return PTR_ERR(st);
	/*
	 * Following twice at once: the first one stays.  The release pairs
	 * with tm_file_stream()'s acquire: the stream is seen whole.
	 */
	if (cmpxchg_release(&it->stream, NULL, st))
		tm_stream_destroy(st);
	return 0;
}

static ssize_t tm_history_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct tm_stream *st = tm_file_stream(file);

	if (st)
		return tm_stream_read(st, file, ubuf, count);
	return seq_read(file, ubuf, count, ppos);
}

static __poll_t tm_history_poll(struct file *file, poll_table *wait)
{
	struct tm_stream *st = tm_file_stream(file);

	if (st)
		return tm_stream_poll(st, file, wait);
	/* A plain read never blocks, as with a file without poll(). */
	return DEFAULT_POLLMASK;
}

static int tm_seq_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct tm_iter *it = m->private;

	if (it->stream)
		tm_stream_destroy(it->stream);
	tm_iter_drop(it);
	put_pid_ns(it->ns);
	return seq_release_private(inode, file);
}

const struct file_operations tm_history_fops = {
	.owner = THIS_MODULE,
	.open = tm_seq_open,
	.read = tm_history_read,
	.poll = tm_history_poll,
	.llseek = seq_lseek,
	.write = tm_cmd_write,
	.release = tm_seq_release,
};
