// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/taskmonitor: the debugfs protocol on a misc character device, for
 * systems where debugfs is not mounted or is locked down (Secure Boot).
 * Owner and mode come from the udev rule; the write path checks that an
 * unprivileged writer touches only its own processes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "tm_chardev.h"
#include "tm_cmd.h"
#include "tm_seq.h"

static int tm_chardev_open(struct inode *inode, struct file *file)
{
	/* misc_open() left the miscdevice here; seq_open() wants it empty. */
	file->private_data = NULL;
	return tm_seq_open(inode, file);
}

static const struct file_operations tm_chardev_fops = {
	.owner = THIS_MODULE,
	.open = tm_chardev_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.write = tm_cmd_write,
	.release = tm_seq_release,
};

static struct miscdevice tm_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &tm_chardev_fops,
	.mode = 0600,
};

int tm_chardev_init(void)
{
	return misc_register(&tm_miscdev);
}

void tm_chardev_exit(void)
{
	misc_deregister(&tm_miscdev);
}
