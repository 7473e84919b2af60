/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_READER_H
#define TM_READER_H

#include <linux/fs.h>

/*
 * The debugfs file and /dev/taskmonitor: read streams the whole history
 * (seq_file), or follows it (stream.c) once "follow" is written; write
 * takes the commands.
 */
extern const struct file_operations tm_history_fops;

/* Turns @file, opened with tm_history_fops, into a follow-mode stream. */
int tm_reader_follow(struct file *file);

#endif /* TM_READER_H */
