/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_READER_H
#define TM_READER_H

#include <linux/fs.h>

/*
 * The debugfs file and /dev/taskmonitor: read streams the whole history
 * (seq_file), write takes the add/remove commands.
 */
extern const struct file_operations tm_history_fops;

#endif /* TM_READER_H */
