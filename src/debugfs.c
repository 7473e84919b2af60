// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/taskmonitor: the whole history, and the add/remove
 * protocol.  debugfs may be absent or locked down; the module then works
 * on without it (/dev/taskmonitor offers the same), so errors are not
 * fatal, as the debugfs API intends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>

#include "debugfs.h"
#include "reader.h"

static struct dentry *tm_debugfs_file;

void tm_debugfs_init(void)
{
	tm_debugfs_file = debugfs_create_file(KBUILD_MODNAME, 0644, NULL, NULL,
					      &tm_history_fops);
	if (IS_ERR(tm_debugfs_file))
		pr_info("debugfs unavailable (%ld); /dev/%s still works\n",
			PTR_ERR(tm_debugfs_file), KBUILD_MODNAME);
}

void tm_debugfs_exit(void)
{
	debugfs_remove(tm_debugfs_file);
	tm_debugfs_file = NULL;
}
