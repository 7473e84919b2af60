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

#include "chardev.h"
#include "reader.h"

static struct miscdevice tm_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KBUILD_MODNAME,
	.fops = &tm_history_fops,
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
