/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between supported kernels lives here.  The TM_HAVE_*
 * macros come from tm_probes.h, which Kbuild generates by compiling the
 * programs in probes/ against the target kernel (see Kbuild).
 */
#ifndef TM_COMPAT_H
#define TM_COMPAT_H

#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/percpu_counter.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "tm_probes.h"

/*
 * The sample cache must stay a cache of its own so that /proc/slabinfo
 * and failslab can name it.  Before SLAB_NO_MERGE existed, the cheapest
 * guard is SLAB_NOLEAKTRACE, also one of the flags that SLUB never
 * merges: a constructor, the other one, makes SLUB keep its free pointer
 * after the object (96 bytes a sample instead of 88, 42 samples a page
 * instead of 46).  The price, on such old kernels only, is that kmemleak
 * does not track samples; a leaked one still shows at unload, when the
 * cache is destroyed with objects in it.
 */
#ifdef TM_HAVE_SLAB_NO_MERGE
#define TM_SLAB_NO_MERGE SLAB_NO_MERGE
#else
#define TM_SLAB_NO_MERGE SLAB_NOLEAKTRACE
#endif

#if defined(TM_HAVE_GET_MM_COUNTER_SUM) && defined(CONFIG_SMP)
/*
 * Resident pages of @mm, exactly as /proc/PID/status counts VmRSS on
 * these kernels: the file, anon and shmem counters, each a per-CPU
 * counter summed by get_mm_counter_sum() under its own lock with
 * interrupts off, and each clamped at zero.  Three such calls walk the
 * CPUs three times and turn interrupts off and on three times; this
 * takes the three locks at once and walks the CPUs once, for the same
 * exact sums (15% fewer instructions per sample; bench/README.md): the
 * lock is what keeps a CPU's share, being folded into the total
 * meanwhile, from being counted twice or not at all.  The counters share
 * one lock class and are always taken in this order, hence the
 * subclasses.
 */
static inline unsigned long tm_mm_rss(struct mm_struct *mm)
{
	struct percpu_counter *file = &mm->rss_stat[MM_FILEPAGES];
	struct percpu_counter *anon = &mm->rss_stat[MM_ANONPAGES];
	struct percpu_counter *shmem = &mm->rss_stat[MM_SHMEMPAGES];
	unsigned long flags;
	s64 f, a, sh;
	int cpu;

	local_irq_save(flags);
	raw_spin_lock(&file->lock);
	raw_spin_lock_nested(&anon->lock, 1);
	raw_spin_lock_nested(&shmem->lock, 2);
	f = file->count;
	a = anon->count;
	sh = shmem->count;
	/* The CPUs that __percpu_counter_sum() visits. */
	for_each_cpu_or(cpu, cpu_online_mask, cpu_dying_mask) {
		f += *per_cpu_ptr(file->counters, cpu);
		a += *per_cpu_ptr(anon->counters, cpu);
		sh += *per_cpu_ptr(shmem->counters, cpu);
	}
	raw_spin_unlock(&shmem->lock);
	raw_spin_unlock(&anon->lock);
	raw_spin_unlock(&file->lock);
	local_irq_restore(flags);
	return max_t(s64, f, 0) + max_t(s64, a, 0) + max_t(s64, sh, 0);
}
#else
/* Without per-CPU RSS counters /proc reads them plainly, and so do we. */
static inline unsigned long tm_mm_rss(struct mm_struct *mm)
{
	return get_mm_rss(mm);
}
#endif

typedef unsigned long (*tm_shrink_fn)(struct shrinker *,
				      struct shrink_control *);

#ifdef TM_HAVE_SHRINKER_ALLOC

static inline struct shrinker *
tm_shrinker_create(const char *name, tm_shrink_fn count, tm_shrink_fn scan)
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
	return s;
}

static inline void tm_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}

#else /* !TM_HAVE_SHRINKER_ALLOC */

static inline int tm_shrinker_register(struct shrinker *s, const char *name)
{
#ifdef TM_HAVE_REGISTER_SHRINKER_NAMED
	return register_shrinker(s, "%s", name);
#else
	return register_shrinker(s);
#endif
}

static inline struct shrinker *
tm_shrinker_create(const char *name, tm_shrink_fn count, tm_shrink_fn scan)
{
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (tm_shrinker_register(s, name)) {
		kfree(s);
		return NULL;
	}
	return s;
}

static inline void tm_shrinker_destroy(struct shrinker *s)
{
	unregister_shrinker(s);
	kfree(s);
}

#endif /* TM_HAVE_SHRINKER_ALLOC */

#endif /* TM_COMPAT_H */
