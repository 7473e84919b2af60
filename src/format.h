/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_FORMAT_H
#define TM_FORMAT_H

#include <linux/sched.h>
#include <linux/types.h>

struct seq_file;
struct task_sample;

/* The shortest possible line: every number a single digit, comm 1 byte. */
#define TM_LINE_MIN 120

/* The longest escaped name: every byte of it written \xHH, and a NUL. */
#define TM_COMM_ESCAPED_MAX (4 * (TASK_COMM_LEN - 1) + 1)

/*
 * Writes the name @comm (NUL-ended within TASK_COMM_LEN bytes) escaped
 * as docs/interface.md says into @buf, of TM_COMM_ESCAPED_MAX bytes, NUL
 * included; returns its length.
 */
int tm_comm_escape(const char *comm, char *buf);

/*
 * Appends the sample line of @s, for a reader that sees the process as
 * @nr, newline included, to @m.
 */
void tm_seq_put_sample(struct seq_file *m, pid_t nr,
		       const struct task_sample *s);

/*
 * Appends the same line at offset @at of the sysfs page @buf; returns the
 * bytes written (0 if it does not fit).
 */
int tm_sysfs_emit_sample(char *buf, int at, pid_t nr,
			 const struct task_sample *s);

/*
 * The longest line: every number at its widest, comm fully escaped, the
 * exit key.
 */
#define TM_LINE_MAX 640

/*
 * Writes the same line into @buf of @size bytes (snprintf()); returns
 * its length, which is @size or more if it did not fit.
 */
int tm_format_sample(char *buf, size_t size, pid_t nr,
		     const struct task_sample *s);

/* The length of that line. */
int tm_sample_line_len(pid_t nr, const struct task_sample *s);

#endif /* TM_FORMAT_H */
