// SPDX-License-Identifier: GPL-2.0
/*
 * Sample memory: a dedicated slab cache, a mempool that keeps a reserve of
 * samples for when the kernel is short of memory, and the kref release.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#include "compat.h"
#include "store.h"

static struct kmem_cache *tm_sample_cache;
static mempool_t *tm_sample_pool;

static atomic_long_t tm_created = ATOMIC_LONG_INIT(0);
static atomic_long_t tm_freed = ATOMIC_LONG_INIT(0);
static atomic_long_t tm_skipped = ATOMIC_LONG_INIT(0);

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
	s->next = NULL;
	kref_init(&s->ref);
	atomic_long_inc(&tm_created);
	return s;
}

void tm_sample_skipped(void)
{
	atomic_long_inc(&tm_skipped);
}

static void tm_sample_release(struct kref *ref)
{
	struct task_sample *s = container_of(ref, struct task_sample, ref);

	/* Refills the reserve first, then returns memory to the cache. */
	mempool_free(s, tm_sample_pool);
	atomic_long_inc(&tm_freed);
}

void tm_sample_put(struct task_sample *s)
{
	kref_put(&s->ref, tm_sample_release);
}

void tm_sample_counts(struct tm_sample_counts *c)
{
	c->created = atomic_long_read(&tm_created);
	c->freed = atomic_long_read(&tm_freed);
	c->skipped = atomic_long_read(&tm_skipped);
}
