// SPDX-License-Identifier: GPL-2.0
/*
 * The sampling kthread.  It keeps to absolute deadlines (each one interval
 * after the previous deadline, not after the end of the previous sweep),
 * so that the sampling period does not drift by the cost of a sweep, and
 * it makes up the deadlines it missed, so that the rate holds too.  It is
 * freezable, so that it does not sample across suspend.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/freezer.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/sched.h>

#include "compat.h"
#include "tasks.h"
#include "params.h"
#include "store.h"
#include "sampler.h"

static struct task_struct *tm_sampler_thread;
static DEFINE_SPINLOCK(tm_sampler_thread_lock);
static bool tm_kicked;

/*
 * The pause switch.  Its promise (once "stop" has been written no sample
 * is added any more, not even by a sweep under way) is kept by the
 * history store (tm_history_set_paused()), not by a lock held across the
 * sweep: this lock only orders the writes of the switch.
 */
static DEFINE_MUTEX(tm_pause_lock);
static bool tm_paused; /* written under tm_pause_lock */

/*
 * One sweep samples every listed process that has not exited, with no
 * lock of the list held (tm_tasks_sample()), then frees the exited ones
 * that expired.
 */
static void tm_sweep(void)
{
	if (!READ_ONCE(tm_paused))
		tm_tasks_sample(tm_max_samples());
	tm_tasks_reap_exited(tm_exited_keep(), tm_max_exited());
}

u64 tm_next_deadline(u64 deadline, u64 interval, u64 now)
{
	deadline += interval;
	/*
	 * Less than TM_CATCHUP_MAX intervals late (a busy CPU, a slow
	 * sweep), the deadlines missed are swept at once, one after the
	 * other, so that a history still holds one sample per interval on
	 * average.  Farther behind (a machine that stalled), making them up
	 * would only stack samples of the same instant: skip them, keep the
	 * phase.
	 */
	if (now >= deadline && now - deadline >= TM_CATCHUP_MAX * interval)
		deadline +=
			(div64_u64(now - deadline, interval) + 1) * interval;
	return deadline;
}
EXPORT_SYMBOL_IF_KUNIT(tm_next_deadline);

/* Sleeps until @deadline (CLOCK_MONOTONIC ns), a kick or kthread_stop(). */
static void tm_sleep_until(u64 deadline, u64 interval)
{
	ktime_t expires = ns_to_ktime(deadline);
	/* Let the timer be late by 1/1024 of the interval, 1 ms at most. */
	u64 slack = min_t(u64, interval >> 10, NSEC_PER_MSEC);

	set_current_state(TASK_INTERRUPTIBLE);
	if (kthread_should_stop() || READ_ONCE(tm_kicked)) {
		__set_current_state(TASK_RUNNING);
		return;
	}
	schedule_hrtimeout_range(&expires, slack, HRTIMER_MODE_ABS);
}

static int tm_sampler_fn(void *unused)
{
	u64 interval = tm_interval_ns();
	u64 deadline = ktime_get_ns();

	set_freezable();
	while (!kthread_freezable_should_stop(NULL)) {
		u64 now = ktime_get_ns();

		if (READ_ONCE(tm_kicked)) {
			WRITE_ONCE(tm_kicked, false);
			interval = tm_interval_ns();
			deadline = now + interval;
		}
		if (now >= deadline) {
			tm_sweep();
			now = ktime_get_ns();
			deadline = tm_next_deadline(deadline, interval, now);
			/* Catching up: sweep again, with no sleep in between. */
			if (deadline <= now) {
				cond_resched();
				continue;
			}
		}
		tm_sleep_until(deadline, interval);
	}
	return 0;
}

int tm_sampler_start(void)
{
	struct task_struct *t;

	t = kthread_run(tm_sampler_fn, NULL, "taskmonitor");
	if (IS_ERR(t))
		return PTR_ERR(t);
	spin_lock(&tm_sampler_thread_lock);
	tm_sampler_thread = t;
	spin_unlock(&tm_sampler_thread_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(tm_sampler_start);

void tm_sampler_stop(void)
{
	struct task_struct *t;

	spin_lock(&tm_sampler_thread_lock);
	t = tm_sampler_thread;
	tm_sampler_thread = NULL;
	spin_unlock(&tm_sampler_thread_lock);
	if (t)
		kthread_stop(t);
}
EXPORT_SYMBOL_IF_KUNIT(tm_sampler_stop);

static void tm_sampler_wake(void)
{
	spin_lock(&tm_sampler_thread_lock);
	if (tm_sampler_thread)
		wake_up_process(tm_sampler_thread);
	spin_unlock(&tm_sampler_thread_lock);
}

void tm_sampler_kick(void)
{
	WRITE_ONCE(tm_kicked, true);
	tm_sampler_wake();
}

void tm_sampler_set_paused(bool paused)
{
	bool was_paused;

	mutex_lock(&tm_pause_lock);
	was_paused = tm_paused;
	WRITE_ONCE(tm_paused, paused);
	tm_history_set_paused(paused);
	mutex_unlock(&tm_pause_lock);
	/* On resume, start a fresh period rather than sampling at once. */
	if (was_paused && !paused)
		tm_sampler_kick();
}
