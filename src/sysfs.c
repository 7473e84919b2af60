// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/taskmonitor: the newest samples of all tasks that the
 * reading process may see, merged by time, in one page; "stop" and
 * "start" pause and resume sampling.
 *
 * A sysfs read cannot go past one page, so only the newest lines that fit
 * are shown.  Each history's newest TM_RECENT_WINDOW samples are
 * reachable from tm_history.recent, which is more than a page can hold,
 * so a read costs O(tasks), not O(samples).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "format.h"
#include "tasks.h"
#include "store.h"
#include "sampler.h"
#include "sysfs.h"

/* At most this many lines fit in a sysfs read. */
#define TM_SYSFS_LINES ((PAGE_SIZE - 1) / TM_LINE_MIN)

struct tm_recent_line {
	struct task_sample s; /* a copy: no reference to keep */
	u64 id; /* task order, breaks ties in ts */
	pid_t nr;
};

/* The newest samples seen so far, in no order; @oldest indexes the min. */
struct tm_recent {
	struct pid_namespace *ns;
	struct tm_access acc;
	unsigned int count;
	unsigned int oldest;
	struct tm_recent_line line[TM_SYSFS_LINES];
};

static int tm_recent_cmp(const void *a, const void *b)
{
	const struct tm_recent_line *x = a, *y = b;

	if (x->s.ts != y->s.ts)
		return x->s.ts < y->s.ts ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

static void tm_recent_find_oldest(struct tm_recent *r)
{
	unsigned int i;

	r->oldest = 0;
	for (i = 1; i < r->count; i++)
		if (tm_recent_cmp(&r->line[i], &r->line[r->oldest]) < 0)
			r->oldest = i;
}

/* Called under @s's history lock, which keeps @s alive for the copy. */
static void tm_recent_offer(struct tm_recent *r, const struct task_sample *s,
			    u64 id, pid_t nr)
{
	struct tm_recent_line cand = { .id = id, .nr = nr };
	unsigned int slot;

	tm_sample_copy(&cand.s, s, r->ns);

	if (r->count < TM_SYSFS_LINES) {
		slot = r->count++;
	} else {
		if (tm_recent_cmp(&cand, &r->line[r->oldest]) <= 0)
			return;
		slot = r->oldest;
	}
	r->line[slot] = cand;
	tm_recent_find_oldest(r);
}

/* Offers the newest samples of @t, if the reader may see it. */
static void tm_recent_collect(struct tm_task *t, struct tm_recent *r)
{
	struct task_sample *s;
	unsigned long skip;
	pid_t nr = pid_nr_ns(t->pid, r->ns);

	if (!nr || !tm_task_allowed(t, &r->acc))
		return;
	mutex_lock(&t->history.lock);
	/* Only the task's newest TM_SYSFS_LINES samples can be shown. */
	skip = min_t(unsigned long, t->history.nr_samples, TM_RECENT_WINDOW);
	skip = skip > TM_SYSFS_LINES ? skip - TM_SYSFS_LINES : 0;
	for (s = t->history.recent; s; s = s->next) {
		if (skip) {
			skip--;
			continue;
		}
		tm_recent_offer(r, s, t->id, nr);
	}
	mutex_unlock(&t->history.lock);
}

/* Emits the newest lines that fit in a page, oldest first. */
static ssize_t tm_recent_emit(struct tm_recent *r, char *buf)
{
	size_t room = PAGE_SIZE - 1;
	unsigned int first = r->count, i;
	int len = 0;

	sort(r->line, r->count, sizeof(r->line[0]), tm_recent_cmp, NULL);
	while (first > 0) {
		size_t n = tm_sample_line_len(r->line[first - 1].nr,
					      &r->line[first - 1].s);
		if (n > room)
			break;
		room -= n;
		first--;
	}
	for (i = first; i < r->count; i++)
		len += tm_sysfs_emit_sample(buf, len, r->line[i].nr,
					    &r->line[i].s);
	return len;
}

static ssize_t taskmonitor_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct tm_task *t, *next;
	struct tm_recent *r;
	ssize_t len;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->ns = task_active_pid_ns(current);
	/* show() gets no file: the reader is the caller. */
	tm_access_of_caller(&r->acc);
	/* One task at a time: no lock of the list is held across the read. */
	for (t = tm_task_next(NULL); t; t = next) {
		tm_recent_collect(t, r);
		next = tm_task_next(t);
		tm_task_put(t);
	}
	len = tm_recent_emit(r, buf);
	kfree(r);
	return len;
}

static ssize_t taskmonitor_store(struct kobject *kobj,
				 struct kobj_attribute *attr, const char *buf,
				 size_t count)
{
	if (sysfs_streq(buf, "stop"))
		tm_sampler_set_paused(true);
	else if (sysfs_streq(buf, "start"))
		tm_sampler_set_paused(false);
	else
		return -EINVAL;
	return count;
}

static struct kobj_attribute tm_sysfs_attr =
	__ATTR(taskmonitor, 0644, taskmonitor_show, taskmonitor_store);

int tm_sysfs_init(void)
{
	return sysfs_create_file(kernel_kobj, &tm_sysfs_attr.attr);
}

void tm_sysfs_exit(void)
{
	sysfs_remove_file(kernel_kobj, &tm_sysfs_attr.attr);
}
