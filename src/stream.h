/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_STREAM_H
#define TM_STREAM_H

#include <linux/compiler.h>
#include <linux/poll.h>
#include <linux/types.h>

#include "tasks.h"

struct file;
struct pid_namespace;
struct tm_stream;

/*
 * The follow-mode stream of one open file (stream.c): the samples that
 * file has not been given yet, as they are taken.
 */
struct tm_stream *tm_stream_create(struct pid_namespace *ns,
				   const struct tm_access *acc);
void tm_stream_destroy(struct tm_stream *st);

/* read() and poll() of a file in follow mode. */
ssize_t tm_stream_read(struct tm_stream *st, struct file *file,
		       char __user *ubuf, size_t count);
__poll_t tm_stream_poll(struct tm_stream *st, struct file *file,
			poll_table *wait);

/* @t left the list and its history is cleared: report what is lost. */
void tm_stream_task_removed(struct tm_task *t);

/* How many streams are open (read without a lock by the hooks). */
extern unsigned int tm_nr_streams;

void tm_stream_wake(void);

/*
 * Called after every append: wakes the streams, at the cost of one load
 * when none is open.
 */
static inline void tm_stream_appended(void)
{
	if (READ_ONCE(tm_nr_streams))
		tm_stream_wake();
}

#endif /* TM_STREAM_H */
