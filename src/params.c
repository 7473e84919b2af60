// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters.  Validation happens in the setters so that a bad
 * value is refused with EINVAL and the old value kept, both at load and
 * for run-time writes to /sys/module/taskmonitor/parameters/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/time64.h>

#include "params.h"
#include "sampler.h"

static int target[TM_MAX_TARGETS];
static unsigned int target_count;
module_param_array(target, int, &target_count, 0444);
MODULE_PARM_DESC(target,
		 "PIDs to monitor from load (up to 64, comma-separated)");

static unsigned int interval_ms = 1000;
static unsigned int max_samples = 65536;
static unsigned int reserve = 64;

static int tm_param_set_ranged(const char *val, unsigned int *dst,
			       unsigned int min, unsigned int max)
{
	unsigned int v;
	int err;

	err = kstrtouint(val, 10, &v);
	if (err)
		return -EINVAL;
	if (v < min || v > max)
		return -EINVAL;
	WRITE_ONCE(*dst, v);
	return 0;
}

static int tm_param_set_interval(const char *val, const struct kernel_param *kp)
{
	int err = tm_param_set_ranged(val, kp->arg, TM_INTERVAL_MS_MIN,
				      TM_INTERVAL_MS_MAX);

	if (!err)
		tm_sampler_kick();
	return err;
}

static const struct kernel_param_ops tm_interval_ops = {
	.set = tm_param_set_interval,
	.get = param_get_uint,
};
module_param_cb(interval_ms, &tm_interval_ops, &interval_ms, 0644);
MODULE_PARM_DESC(interval_ms,
		 "Sampling period in ms, 1..3600000 (default 1000)");

static int tm_param_set_max_samples(const char *val,
				    const struct kernel_param *kp)
{
	return tm_param_set_ranged(val, kp->arg, 0, UINT_MAX);
}

static const struct kernel_param_ops tm_max_samples_ops = {
	.set = tm_param_set_max_samples,
	.get = param_get_uint,
};
module_param_cb(max_samples, &tm_max_samples_ops, &max_samples, 0644);
MODULE_PARM_DESC(max_samples, "History cap per task, 0 = none (default 65536)");

static int tm_param_set_reserve(const char *val, const struct kernel_param *kp)
{
	return tm_param_set_ranged(val, kp->arg, 0, TM_RESERVE_MAX);
}

static const struct kernel_param_ops tm_reserve_ops = {
	.set = tm_param_set_reserve,
	.get = param_get_uint,
};
module_param_cb(reserve, &tm_reserve_ops, &reserve, 0444);
MODULE_PARM_DESC(reserve,
		 "Samples pre-allocated in the mempool, 0..65536 (default 64)");

static unsigned int max_tasks = 65536;
static unsigned int max_user_tasks = 16384;
static unsigned int exited_keep_s = 300;
static unsigned int max_exited = 16384;

static int tm_param_set_tasks(const char *val, const struct kernel_param *kp)
{
	return tm_param_set_ranged(val, kp->arg, 1, TM_TASKS_MAX);
}

static const struct kernel_param_ops tm_tasks_ops = {
	.set = tm_param_set_tasks,
	.get = param_get_uint,
};
module_param_cb(max_tasks, &tm_tasks_ops, &max_tasks, 0644);
MODULE_PARM_DESC(max_tasks,
		 "Most processes listed at once, 1..1048576 (default 65536)");
module_param_cb(max_user_tasks, &tm_tasks_ops, &max_user_tasks, 0644);
MODULE_PARM_DESC(max_user_tasks,
		 "Per-user cap on listed processes, 1..1048576 (default 16384)");

static int tm_param_set_max_exited(const char *val,
				   const struct kernel_param *kp)
{
	return tm_param_set_ranged(val, kp->arg, 0, TM_TASKS_MAX);
}

static const struct kernel_param_ops tm_max_exited_ops = {
	.set = tm_param_set_max_exited,
	.get = param_get_uint,
};
module_param_cb(max_exited, &tm_max_exited_ops, &max_exited, 0644);
MODULE_PARM_DESC(max_exited,
		 "Most exited processes kept, 0..1048576 (default 16384)");

static int tm_param_set_keep(const char *val, const struct kernel_param *kp)
{
	return tm_param_set_ranged(val, kp->arg, 0, TM_EXITED_KEEP_S_MAX);
}

static const struct kernel_param_ops tm_keep_ops = {
	.set = tm_param_set_keep,
	.get = param_get_uint,
};
module_param_cb(exited_keep_s, &tm_keep_ops, &exited_keep_s, 0644);
MODULE_PARM_DESC(exited_keep_s,
		 "Seconds exited processes are kept, 0..86400 (default 300)");

unsigned int tm_max_tasks(void)
{
	return READ_ONCE(max_tasks);
}

unsigned int tm_max_user_tasks(void)
{
	return READ_ONCE(max_user_tasks);
}

unsigned long tm_exited_keep(void)
{
	return (unsigned long)READ_ONCE(exited_keep_s) * HZ;
}

unsigned int tm_max_exited(void)
{
	return READ_ONCE(max_exited);
}

u64 tm_interval_ns(void)
{
	return (u64)READ_ONCE(interval_ms) * NSEC_PER_MSEC;
}

unsigned int tm_max_samples(void)
{
	return READ_ONCE(max_samples);
}

unsigned int tm_reserve(void)
{
	return reserve;
}

const int *tm_targets(unsigned int *count)
{
	*count = target_count;
	return target;
}
