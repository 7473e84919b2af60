// SPDX-License-Identifier: GPL-2.0
/*
 * The write protocol: one command per write(), "PID" to monitor a process,
 * "+PID" to monitor it and follow its descendants, "-PID" to forget it,
 * "follow" to turn the file into a stream.  The number is read by
 * kstrtoint(), after the checks that keep the documented strictness:
 * kstrtoint() would also take a second sign, leading zeros and a NUL
 * before the end of the write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "command.h"
#include "reader.h"
#include "tasks.h"

int tm_cmd_parse(const char *buf, size_t len, enum tm_cmd_op *op, pid_t *nr)
{
	char str[TM_CMD_MAX + 1];
	const char *digits = str;
	int v;

	if (len > TM_CMD_MAX || memchr(buf, '\0', len))
		return -EINVAL;
	memcpy(str, buf, len);
	str[len] = '\0';
	*op = TM_CMD_ADD;
	if (*digits == '-')
		*op = TM_CMD_REMOVE;
	else if (*digits == '+')
		*op = TM_CMD_FOLLOW;
	if (*op != TM_CMD_ADD)
		digits++;
	if (*digits < '1' || *digits > '9')
		return -EINVAL;
	/* Decimal digits up to INT_MAX and at most one trailing newline. */
	if (kstrtoint(digits, 10, &v))
		return -EINVAL;
	*nr = v;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tm_cmd_parse);

bool tm_cmd_is_follow(const char *buf, size_t len)
{
	static const char word[] = "follow";
	size_t n = sizeof(word) - 1;

	if (len == n + 1 && buf[n] == '\n')
		len = n;
	return len == n && !memcmp(buf, word, n);
}
EXPORT_SYMBOL_IF_KUNIT(tm_cmd_is_follow);

ssize_t tm_cmd_write(struct file *file, const char __user *ubuf, size_t count,
		     loff_t *ppos)
{
	char buf[TM_CMD_MAX];
	struct tm_access acc;
	enum tm_cmd_op op;
	pid_t nr;
	int err;

	if (!count || count > sizeof(buf))
		return -EINVAL;
	/* Copied before any lock is taken: a fault here may reclaim. */
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (tm_cmd_is_follow(buf, count)) {
		err = tm_reader_follow(file);
		return err ? err : count;
	}
	err = tm_cmd_parse(buf, count, &op, &nr);
	if (err)
		return err;
	/* The opener's rights, not the writer's: the file may be passed on. */
	tm_access_of_file(file, &acc);
	switch (op) {
	case TM_CMD_REMOVE:
		err = tm_task_remove(nr, &acc);
		break;
	case TM_CMD_FOLLOW:
		err = tm_task_follow(nr, &acc);
		break;
	default:
		err = tm_task_add(nr, &acc);
	}
	return err ? err : count;
}
