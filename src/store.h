/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_STORE_H
#define TM_STORE_H

#include <linux/kref.h>
#include <linux/poison.h>
#include <linux/types.h>

struct mem_cgroup;

/*
 * One snapshot of a process, immutable once it is linked into a history.
 *
 * A history is only ever appended at its tail and trimmed at its head,
 * so a singly linked FIFO is enough; it saves the 8 bytes of a list_head
 * prev pointer in every sample (88 bytes instead of 96).  A sample taken
 * off its history gets next = TM_SAMPLE_UNLINKED, so a reader that still
 * holds a reference can tell that it has to resume at the history's head.
 */
struct task_sample {
	struct task_sample *next;
	struct kref ref;
	u32 threads;
	u32 seq; /* order in its history (wraps; compare with tm_seq_after) */
	u64 ts; /* CLOCK_BOOTTIME, ns */
	u64 utime; /* ns */
	u64 stime; /* ns */
	u64 rss; /* pages */
	u64 vsz; /* pages */
	u64 minflt;
	u64 majflt;
	u64 nvcsw;
	u64 nivcsw;
};

/* Whether sequence number @a comes after @b, across the wrap. */
static inline bool tm_seq_after(u32 a, u32 b)
{
	return (s32)(a - b) > 0;
}

#define TM_SAMPLE_UNLINKED ((struct task_sample *)LIST_POISON1)

/* Counters of the sample life cycle, for the unload report and bench. */
struct tm_sample_counts {
	long created;
	long freed;
	long skipped;
};

int tm_sample_init(unsigned int reserve);
void tm_sample_exit(void);

struct task_sample *tm_sample_alloc(struct mem_cgroup *memcg);
void tm_sample_skipped(void);

static inline void tm_sample_get(struct task_sample *s)
{
	kref_get(&s->ref);
}

void tm_sample_put(struct task_sample *s);

void tm_sample_counts(struct tm_sample_counts *c);

#endif /* TM_STORE_H */
