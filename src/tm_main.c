// SPDX-License-Identifier: GPL-2.0
/*
 * taskmonitor: an in-kernel history of the CPU and memory statistics of
 * chosen processes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "compat.h"

static int __init tm_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit tm_exit(void)
{
	pr_info("unloaded\n");
}

module_init(tm_init);
module_exit(tm_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The taskmonitor developers");
MODULE_DESCRIPTION("History of CPU and memory statistics of chosen processes");
MODULE_VERSION(TM_VERSION);
