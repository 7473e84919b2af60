/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_FORMAT_H
#define TM_FORMAT_H

#include <linux/types.h>

struct task_sample;

/* Longest sample line: 11 keys and 11 numbers of at most 20 digits. */
#define TM_LINE_MAX 320

/* The shortest possible line: every number a single digit. */
#define TM_LINE_MIN 80

/*
 * Writes the sample line of @s for a reader that sees the process as @nr,
 * newline included, to @buf (at least TM_LINE_MAX bytes, not terminated).
 * Returns the line's length.
 */
size_t tm_format_sample(char *buf, pid_t nr, const struct task_sample *s);

#endif /* TM_FORMAT_H */
