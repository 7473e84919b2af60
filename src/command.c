// SPDX-License-Identifier: GPL-2.0
/*
 * The write protocol: one command per write(), "PID" to monitor a process
 * and "-PID" to forget it.  Parsed by hand rather than with kstrtoint(),
 * which accepts a '+' sign and octal or hex prefixes that would make
 * "010" mean PID 8.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/uaccess.h>

#include "command.h"
#include "tasks.h"

int tm_cmd_parse(const char *buf, size_t len, bool *remove, pid_t *nr)
{
	const char *p = buf, *end = buf + len;
	u64 v = 0;

	if (end > p && end[-1] == '\n')
		end--;
	*remove = p < end && *p == '-';
	if (*remove)
		p++;
	if (p == end || *p < '1' || *p > '9')
		return -EINVAL;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -EINVAL;
	}
	*nr = v;
	return 0;
}

ssize_t tm_cmd_write(struct file *file, const char __user *ubuf, size_t count,
		     loff_t *ppos)
{
	char buf[TM_CMD_MAX];
	bool remove;
	pid_t nr;
	int err;

	if (!count || count > sizeof(buf))
		return -EINVAL;
	/* Copied before any lock is taken: a fault here may reclaim. */
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	err = tm_cmd_parse(buf, count, &remove, &nr);
	if (err)
		return err;
	err = remove ? tm_task_remove(nr, true) : tm_task_add(nr, true);
	return err ? err : count;
}
