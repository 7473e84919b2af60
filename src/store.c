// SPDX-License-Identifier: GPL-2.0
/*
 * The history store: the samples of each monitored process, from their
 * allocation to their last reference.
 *
 * Samples come from a slab cache of their own, with a mempool that keeps
 * a reserve for when the kernel is short of memory, and are freed when
 * their last reference (kref) goes: a history holds one on each of its
 * samples, a reader one on the sample it stands on.  A history is a FIFO:
 * appended at its tail by the sampler, trimmed at its head by the cap and
 * the shrinker, emptied for good when its process leaves the list.
 *
 * Locking:
 * - A history's mutex, tm_history.lock, protects everything in struct
 *   tm_history and the next pointers of its samples; the rest of a sample
 *   is never written once it is linked.  tasks.c also keeps a process's
 *   last known IDs under it, so that they change with the sample that saw
 *   them.
 * - Lock order: tm_tasks_lock (tasks.c), then a history's lock, then an
 *   RCU read section (an append).  A history's lock never nests in
 *   another's.
 * - No allocation happens under a history's lock, so reclaim (and with it
 *   our shrinker) never runs while one is held.  The shrinker runs inside
 *   reclaim and inside the RCU walk of the list (tasks.c), so it only
 *   ever trylocks a history (tm_history_shrink()): it never waits.
 * - The pause switch, tm_history_paused, is read inside an RCU read
 *   section within the append: tm_history_set_paused(true) then waits for
 *   a grace period, after which no append can happen ("stop").
 * - The counters (tm_nr_samples, the life cycle's) are atomic and the
 *   reclaim hint is read and written once: no lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/mempool.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "compat.h"
#include "procstat.h"
#include "store.h"
#include "stream.h"

static struct kmem_cache *tm_sample_cache;
static mempool_t *tm_sample_pool;

static atomic_long_t tm_created = ATOMIC_LONG_INIT(0);
static atomic_long_t tm_freed = ATOMIC_LONG_INIT(0);
static atomic_long_t tm_skipped = ATOMIC_LONG_INIT(0);
/* Samples in all histories. */
static atomic_long_t tm_nr_samples = ATOMIC_LONG_INIT(0);
/* Appends are refused (tm_history_set_paused()). */
static bool tm_history_paused;

/*
 * When the kernel last reclaimed memory through our shrinker (jiffies,
 * meaningful once tm_reclaim_seen is set: jiffies start near the wrap).
 */
static unsigned long tm_reclaim_until;
static bool tm_reclaim_seen;

int tm_sample_init(unsigned int reserve)
{
	tm_sample_cache = kmem_cache_create("task_sample",
					    sizeof(struct task_sample), 0,
					    TM_SLAB_NO_MERGE, NULL);
	if (!tm_sample_cache)
		return -ENOMEM;

	tm_sample_pool = mempool_create_slab_pool(reserve, tm_sample_cache);
	if (!tm_sample_pool) {
		kmem_cache_destroy(tm_sample_cache);
		return -ENOMEM;
	}
	return 0;
}

void tm_sample_exit(void)
{
	mempool_destroy(tm_sample_pool);
	kmem_cache_destroy(tm_sample_cache);
}

/*
 * Called with no lock held; the sample is charged to @memcg (if not
 * NULL), the reserve's are charged to nobody.  The first attempt may enter direct reclaim
 * once (and so call our own shrinker, which is why no history lock may be
 * held here) but never retries hard nor wakes the OOM killer.  When that
 * fails the mempool reserve is used without sleeping: mempool_alloc() with
 * a sleeping mask would wait for a sample to be freed, possibly forever,
 * and the sampler must stay stoppable.
 */
static void tm_sample_init_fields(struct task_sample *s)
{
	s->next = NULL;
	s->parent = NULL;
	s->has_exit = false;
	kref_init(&s->ref);
	atomic_long_inc(&tm_created);
}

struct task_sample *tm_sample_alloc(struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = tm_memcg_use(memcg);
	struct task_sample *s;

	s = kmem_cache_alloc(tm_sample_cache, GFP_KERNEL | __GFP_NORETRY |
						      __GFP_NOWARN |
						      TM_GFP_ACCOUNT);
	tm_memcg_use(old);
	if (!s)
		s = mempool_alloc(tm_sample_pool, GFP_NOWAIT | __GFP_NOWARN);
	if (!s) {
		tm_sample_skipped();
		return NULL;
	}
	tm_sample_init_fields(s);
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(tm_sample_alloc);

struct task_sample *tm_sample_alloc_exit(struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = tm_memcg_use(memcg);
	struct task_sample *s;

	s = kmem_cache_alloc(tm_sample_cache, GFP_KERNEL | TM_GFP_ACCOUNT);
	tm_memcg_use(old);
	if (s)
		tm_sample_init_fields(s);
	return s;
}

void tm_sample_skipped(void)
{
	atomic_long_inc(&tm_skipped);
}

static void tm_sample_release(struct kref *ref)
{
	struct task_sample *s = container_of(ref, struct task_sample, ref);

	put_pid(s->parent);
	/* Refills the reserve first, then returns memory to the cache. */
	mempool_free(s, tm_sample_pool);
	atomic_long_inc(&tm_freed);
}

void tm_sample_put(struct task_sample *s)
{
	kref_put(&s->ref, tm_sample_release);
}
EXPORT_SYMBOL_IF_KUNIT(tm_sample_put);

void tm_sample_copy(struct task_sample *dst, const struct task_sample *src,
		    struct pid_namespace *ns)
{
	*dst = *src;
	dst->parent = NULL;
	dst->ppid = src->parent ? pid_nr_ns(src->parent, ns) : 0;
}
EXPORT_SYMBOL_IF_KUNIT(tm_sample_copy);

void tm_sample_counts(struct tm_sample_counts *c)
{
	c->created = atomic_long_read(&tm_created);
	c->freed = atomic_long_read(&tm_freed);
	c->skipped = atomic_long_read(&tm_skipped);
}
EXPORT_SYMBOL_IF_KUNIT(tm_sample_counts);

/* Histories. */

void tm_history_init(struct tm_history *h)
{
	mutex_init(&h->lock);
}

/* History primitives; the caller holds h->lock. */

static void tm_history_append_locked(struct tm_history *h,
				     struct task_sample *s)
{
	s->next = NULL;
	s->seq = h->next_seq;
	/* Read without the lock by the follow-mode streams. */
	WRITE_ONCE(h->next_seq, h->next_seq + 1);
	if (h->tail)
		h->tail->next = s;
	else
		h->head = s;
	h->tail = s;
	h->nr_samples++;
	atomic_long_inc(&tm_nr_samples);

	if (!h->recent)
		h->recent = s;
	else if (h->nr_samples > TM_RECENT_WINDOW)
		h->recent = h->recent->next;
}

static void tm_history_drop_oldest_locked(struct tm_history *h)
{
	struct task_sample *s = h->head;

	h->head = s->next;
	if (!h->head)
		h->tail = NULL;
	if (h->recent == s)
		h->recent = h->head;
	h->nr_samples--;
	atomic_long_dec(&tm_nr_samples);
	/* A reader holding @s resumes at the new head. */
	s->next = TM_SAMPLE_UNLINKED;
	tm_sample_put(s);
}

void tm_history_clear(struct tm_history *h)
{
	mutex_lock(&h->lock);
	h->cleared = true;
	while (h->head)
		tm_history_drop_oldest_locked(h);
	mutex_unlock(&h->lock);
}

/* Appending. */

void tm_history_note_reclaim(void)
{
	WRITE_ONCE(tm_reclaim_until, jiffies + TM_RECLAIM_HOLD);
	WRITE_ONCE(tm_reclaim_seen, true);
}

bool tm_history_reclaiming(void)
{
	return READ_ONCE(tm_reclaim_seen) &&
	       time_before(jiffies, READ_ONCE(tm_reclaim_until));
}

unsigned long tm_history_limit(unsigned long had, unsigned int cap,
			       bool reclaiming)
{
	unsigned long limit = cap ? cap : ULONG_MAX;

	if (reclaiming)
		limit = min(limit, max(had, 1UL));
	return limit;
}
EXPORT_SYMBOL_IF_KUNIT(tm_history_limit);

bool tm_history_add_locked(struct tm_history *h, struct task_sample *s,
			   const struct tm_cputime *ct, unsigned int cap,
			   bool reclaiming)
{
	unsigned long limit;

	/* tm_history_set_paused() waits for this section to end. */
	rcu_read_lock();
	if (h->cleared || READ_ONCE(tm_history_paused) ||
	    (h->tail && h->tail->has_exit)) {
		/*
		 * Removed since the sweep took it, stopped, or its process
		 * has ended and has its exit record: keep nothing.
		 */
		rcu_read_unlock();
		return false;
	}
	tm_cputime_settle(ct, &h->utime, &h->stime);
	s->utime = h->utime;
	s->stime = h->stime;
	limit = tm_history_limit(h->nr_samples, cap, reclaiming);
	tm_history_append_locked(h, s);
	while (h->nr_samples > limit)
		tm_history_drop_oldest_locked(h);
	rcu_read_unlock();
	tm_stream_appended();
	return true;
}

void tm_history_set_paused(bool paused)
{
	WRITE_ONCE(tm_history_paused, paused);
	/* An append that saw the old value has ended after this. */
	if (paused)
		synchronize_rcu();
}
EXPORT_SYMBOL_IF_KUNIT(tm_history_set_paused);

bool tm_history_is_paused(void)
{
	return READ_ONCE(tm_history_paused);
}

/* Readers. */

/*
 * One hold of the lock for many lines, and one reference for them all
 * instead of a get and a put per line: the caller formats the copies.
 */
unsigned int tm_history_copy(struct tm_history *h, struct pid_namespace *ns,
			     struct task_sample **last, u32 *end,
			     struct task_sample *dst, unsigned int max)
{
	struct task_sample *prev = *last, *s, *copied = NULL;
	unsigned int n = 0;

	mutex_lock(&h->lock);
	if (end && !prev && h->tail)
		*end = h->tail->seq;
	/* Histories lose samples only at their head: resume there. */
	s = !prev || prev->next == TM_SAMPLE_UNLINKED ? h->head : prev->next;
	for (; s && n < max && !(end && tm_seq_after(s->seq, *end));
	     s = s->next) {
		tm_sample_copy(&dst[n++], s, ns);
		copied = s;
	}
	if (copied)
		tm_sample_get(copied);
	mutex_unlock(&h->lock);
	if (copied) {
		if (prev)
			tm_sample_put(prev);
		*last = copied;
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tm_history_copy);

bool tm_history_first_seq(struct tm_history *h, u32 *seq)
{
	bool live;

	mutex_lock(&h->lock);
	live = !h->cleared;
	*seq = h->head ? h->head->seq : h->next_seq;
	mutex_unlock(&h->lock);
	return live;
}

/* Reclaim. */

long tm_history_samples(void)
{
	return atomic_long_read(&tm_nr_samples);
}
EXPORT_SYMBOL_IF_KUNIT(tm_history_samples);

unsigned long tm_shrink_share(unsigned long nr, unsigned long total,
			      unsigned long nr_to_scan)
{
	u64 share;

	if (nr <= 1 || !total)
		return 0;
	share = div64_u64((u64)nr * nr_to_scan + total - 1, total);
	return min_t(u64, share, nr - 1);
}
EXPORT_SYMBOL_IF_KUNIT(tm_shrink_share);

unsigned long tm_history_shrink(struct tm_history *h, unsigned long total,
				unsigned long nr_to_scan)
{
	unsigned long share, freed;

	if (!mutex_trylock(&h->lock))
		return 0;
	share = tm_shrink_share(h->nr_samples, total, nr_to_scan);
	freed = share;
	while (share--)
		tm_history_drop_oldest_locked(h);
	mutex_unlock(&h->lock);
	return freed;
}
