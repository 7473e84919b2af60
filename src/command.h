/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_COMMAND_H
#define TM_COMMAND_H

#include <linux/types.h>

struct file;

/* Longest accepted write, in bytes. */
#define TM_CMD_MAX 32

/* What a command asks for: "PID", "-PID" or "+PID". */
enum tm_cmd_op {
	TM_CMD_ADD,
	TM_CMD_REMOVE,
	TM_CMD_FOLLOW,
};

/*
 * Parses one command: "PID", "-PID" or "+PID", decimal, no sign but one
 * leading '-' or '+', no leading zero, at most one trailing newline.
 * Returns 0 or -EINVAL.
 */
int tm_cmd_parse(const char *buf, size_t len, enum tm_cmd_op *op, pid_t *nr);

/* Whether the command is "follow", with at most one trailing newline. */
bool tm_cmd_is_follow(const char *buf, size_t len);

/* The write() of the debugfs file and of /dev/taskmonitor. */
ssize_t tm_cmd_write(struct file *file, const char __user *ubuf, size_t count,
		     loff_t *ppos);

#endif /* TM_COMMAND_H */
