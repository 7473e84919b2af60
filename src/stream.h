/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_STREAM_H
#define TM_STREAM_H

#include <linux/compiler.h>
#include <linux/types.h>

#include "tasks.h"

struct pid_namespace;
struct tm_stream;

/*
 * The follow-mode stream of one open file (stream.c): the samples that
 * file has not been given yet, as they are taken.
 */
struct tm_stream *tm_stream_create(struct pid_namespace *ns,
				   const struct tm_access *acc);
void tm_stream_destroy(struct tm_stream *st);

/* How many streams are open (read without a lock by the hooks). */
extern unsigned int tm_nr_streams;

#endif /* TM_STREAM_H */
