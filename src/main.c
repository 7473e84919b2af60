// SPDX-License-Identifier: GPL-2.0
/*
 * taskmonitor: an in-kernel history of the CPU and memory statistics of
 * chosen processes, sampled by a kthread at a set interval and shown
 * through sysfs, debugfs and /dev/taskmonitor.
 *
 * Start-up builds from the inside out (memory, reclaim, the tasks, the
 * sampler, then the files user space sees) and unload tears down in the
 * reverse order, so that nothing can reach a part already gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "chardev.h"
#include "debugfs.h"
#include "exitrec.h"
#include "follow.h"
#include "tasks.h"
#include "params.h"
#include "store.h"
#include "sampler.h"
#include "shrinker.h"
#include "sysfs.h"

static void tm_add_targets(void)
{
	unsigned int i, count;
	const int *target = tm_targets(&count);

	for (i = 0; i < count; i++) {
		int err = target[i] > 0 ?
				  tm_task_add(target[i], &tm_access_module) :
				  -ESRCH;

		if (err == -ESRCH)
			pr_warn("target %d: no such process, skipped\n",
				target[i]);
		else if (err == -EEXIST)
			pr_warn("target %d: given twice, monitored once\n",
				target[i]);
		else if (err)
			pr_warn("target %d: not monitored (error %d)\n",
				target[i], err);
	}
}

static void tm_report_counts(void)
{
	struct tm_sample_counts c;

	tm_sample_counts(&c);
	pr_info("unloaded: %ld samples created, %ld freed, %ld live, %ld skipped\n",
		c.created, c.freed, c.created - c.freed, c.skipped);
}

static int tm_start_interfaces(void)
{
	int err;

	err = tm_sysfs_init();
	if (err)
		return err;
	err = tm_chardev_init();
	if (err) {
		tm_sysfs_exit();
		return err;
	}
	tm_debugfs_init();
	return 0;
}

static void tm_stop_interfaces(void)
{
	tm_debugfs_exit();
	tm_chardev_exit();
	tm_sysfs_exit();
}

static int __init tm_init(void)
{
	int err;

	err = tm_sample_init(tm_reserve());
	if (err)
		return err;
	err = tm_shrinker_init();
	if (err)
		goto out_samples;
	err = tm_exitrec_init();
	if (err)
		goto out_shrinker;
	err = tm_follow_init();
	if (err)
		goto out_exitrec;
	tm_add_targets();
	err = tm_sampler_start();
	if (err)
		goto out_tasks;
	err = tm_start_interfaces();
	if (err)
		goto out_sampler;
	pr_info("loaded, version %s\n", TM_VERSION);
	return 0;

out_sampler:
	tm_sampler_stop();
out_tasks:
	tm_follow_exit();
out_exitrec:
	tm_exitrec_exit();
	tm_tasks_exit();
out_shrinker:
	tm_shrinker_exit();
out_samples:
	tm_sample_exit();
	return err;
}

static void __exit tm_exit(void)
{
	tm_stop_interfaces();
	tm_sampler_stop();
	/* Before the exit record's: its worker hands exits over to it. */
	tm_follow_exit();
	tm_exitrec_exit();
	tm_shrinker_exit();
	tm_tasks_exit();
	tm_report_counts();
	tm_sample_exit();
}

module_init(tm_init);
module_exit(tm_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The taskmonitor developers");
MODULE_DESCRIPTION("History of CPU and memory statistics of chosen processes");
MODULE_VERSION(TM_VERSION);
