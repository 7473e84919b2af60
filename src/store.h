/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_STORE_H
#define TM_STORE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/poison.h>
#include <linux/sched.h>
#include <linux/types.h>

struct mem_cgroup;
struct pid;
struct pid_namespace;
struct tm_cputime;

/*
 * One snapshot of a process, immutable once it is linked into a history.
 *
 * A history is only ever appended at its tail and trimmed at its head,
 * so a singly linked FIFO is enough; it saves the 8 bytes of a list_head
 * prev pointer in every sample.  A sample taken
 * off its history gets next = TM_SAMPLE_UNLINKED, so a reader that still
 * holds a reference can tell that it has to resume at the history's head.
 */
struct task_sample {
	struct task_sample *next;
	struct kref ref;
	u32 threads;
	u32 seq; /* order in its history (wraps; compare with tm_seq_after) */
	pid_t ppid; /* in a copy only: see tm_sample_copy() */
	u64 ts; /* CLOCK_BOOTTIME, ns */
	u64 utime; /* ns */
	u64 stime; /* ns */
	u64 rss; /* pages */
	u64 vsz; /* pages */
	u64 minflt;
	u64 majflt;
	u64 nvcsw;
	u64 nivcsw;
	u64 start; /* CLOCK_BOOTTIME, ns, when the process started */
	u64 rbytes;
	u64 wbytes;
	/*
	 * The parent, held: a reader in any PID namespace can then be told
	 * its number there.  NULL in a copy, which carries that number in
	 * @ppid instead.
	 */
	struct pid *parent;
	char comm[TASK_COMM_LEN];
	bool has_exit; /* the exit record, its history's last sample */
	u8 exit_status; /* of the exit record: as $? shows it */
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
/*
 * A sample set aside for a process's exit record, charged to @memcg: from
 * the cache alone (the reserve is the sampler's), may sleep; NULL if
 * there is no memory.
 */
struct task_sample *tm_sample_alloc_exit(struct mem_cgroup *memcg);
void tm_sample_skipped(void);

static inline void tm_sample_get(struct task_sample *s)
{
	kref_get(&s->ref);
}

void tm_sample_put(struct task_sample *s);

/*
 * Copies @src, which the caller keeps alive (a lock of its history), for
 * a reader in @ns.  The copy holds no reference: the parent becomes its
 * PID in @ns (0 if it has none there), in @dst->ppid.
 */
void tm_sample_copy(struct task_sample *dst, const struct task_sample *src,
		    struct pid_namespace *ns);

void tm_sample_counts(struct tm_sample_counts *c);

/*
 * How many of a history's newest samples can be reached quickly from
 * tm_history.recent.  More than the sysfs file can ever show (4095 bytes
 * of lines of at least TM_LINE_MIN bytes).
 */
#define TM_RECENT_WINDOW 64

/* The samples of one process, oldest first (locking: see store.c). */
struct tm_history {
	struct mutex lock; /* protects the fields below */
	bool cleared; /* emptied for good: takes no more samples */
	struct task_sample *head; /* oldest */
	struct task_sample *tail; /* newest */
	struct task_sample *recent; /* TM_RECENT_WINDOW-th newest, or head */
	unsigned long nr_samples;
	u32 next_seq; /* seq of the next sample appended */
	u64 utime; /* last CPU times reported, kept monotonic */
	u64 stime;
};

/* Sets up @h, zeroed by its owner's allocation. */
void tm_history_init(struct tm_history *h);

/* Empties @h for good: its process is leaving the list or being freed. */
void tm_history_clear(struct tm_history *h);

/*
 * For how long after the kernel last reclaimed memory through our
 * shrinker the histories stop growing (see tm_history_limit()).
 */
#define TM_RECLAIM_HOLD HZ

/* Called by the shrinker when the kernel is short of memory. */
void tm_history_note_reclaim(void);
/* Whether the kernel reclaimed memory through us less than a hold ago. */
bool tm_history_reclaiming(void);

/*
 * The most samples a history of @had samples may keep once one more is
 * appended: @cap (0: no limit), and while the kernel is reclaiming, no
 * more than it had (at least one), so that each new sample replaces the
 * oldest and the sampler does not undo the shrinker's work.
 */
unsigned long tm_history_limit(unsigned long had, unsigned int cap,
			       bool reclaiming);

/*
 * Appends @s to @h, its CPU times settled from @ct against the last ones
 * reported so that neither half goes back, then drops the oldest samples
 * beyond tm_history_limit(@cap, @reclaiming).  The caller holds h->lock.
 * Returns false, keeping nothing and leaving the caller its reference to
 * @s, if @h was cleared, appends are paused, or @h ends with an exit
 * record (which the cap and the shrinker never drop: it is the newest).
 */
bool tm_history_add_locked(struct tm_history *h, struct task_sample *s,
			   const struct tm_cputime *ct, unsigned int cap,
			   bool reclaiming);

/*
 * Stops (@paused) or resumes the appending of samples.  Once it has
 * returned with @paused, no sample is appended any more.
 */
void tm_history_set_paused(bool paused);
/* Whether appends are paused ("stop"), read without waiting. */
bool tm_history_is_paused(void);

/*
 * Copies to @dst up to @max samples of @h that follow *@last (from the
 * head if *@last is NULL or was dropped), and moves *@last, a reference,
 * to the last one copied.  A plain reader's view of a history is the
 * history as it stood when the reader reached it: a first call (*@last
 * NULL) sets *@end to the seq of the newest sample then, and no call
 * copies a sample after *@end.  With @end NULL (the follow-mode stream)
 * every sample there is may be copied.  The copies are for a reader in
 * @ns (see tm_sample_copy()).  Returns how many; 0 at the end of that
 * view.
 */
unsigned int tm_history_copy(struct tm_history *h, struct pid_namespace *ns,
			     struct task_sample **last, u32 *end,
			     struct task_sample *dst, unsigned int max);

/*
 * The seq of @h's oldest sample, or of the next one appended if it has
 * none, in *@seq; false if @h was cleared for good.
 */
bool tm_history_first_seq(struct tm_history *h, u32 *seq);

/* How many samples all the histories hold together. */
long tm_history_samples(void);

/*
 * A history of @nr samples out of @total gives back its share of
 * @nr_to_scan, rounded up so that short histories give too, and never
 * its newest sample.
 */
unsigned long tm_shrink_share(unsigned long nr, unsigned long total,
			      unsigned long nr_to_scan);

/*
 * Drops @h's oldest samples, its share (tm_shrink_share()) of
 * @nr_to_scan out of @total, unless its lock is busy; returns how many.
 * For the shrinker: it never waits.
 */
unsigned long tm_history_shrink(struct tm_history *h, unsigned long total,
				unsigned long nr_to_scan);

#endif /* TM_STORE_H */
