/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between supported kernels lives here.  The TM_HAVE_*
 * macros come from tm_probes.h, which Kbuild generates by compiling the
 * programs in probes/ against the target kernel (see Kbuild).
 */
#ifndef TM_COMPAT_H
#define TM_COMPAT_H

#include <linux/build_bug.h>
#include <linux/export.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "tm_probes.h"

/*
 * The KUnit tests (kunit/, a module of their own) reach the functions and
 * lists they test through EXPORT_SYMBOL_IF_KUNIT(), which exports them in
 * the EXPORTED_FOR_KUNIT_TESTING namespace only on kernels built with
 * KUnit; VISIBLE_IF_KUNIT makes what they need non-static there alone.
 * Kernels older than <kunit/visibility.h> get the same definitions here.
 */
#ifdef TM_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
/* Every kernel without the header names a namespace by an identifier. */
#define EXPORT_SYMBOL_IF_KUNIT(symbol) \
	EXPORT_SYMBOL_NS(symbol, EXPORTED_FOR_KUNIT_TESTING)
#define VISIBLE_IF_KUNIT
#else
/* Exports nothing: a declaration that does nothing takes the ';'. */
#define EXPORT_SYMBOL_IF_KUNIT(symbol) static_assert(1, #symbol)
#define VISIBLE_IF_KUNIT static
#endif

/* For the test module: the namespace, as an identifier or a string. */
#ifdef TM_HAVE_SYMBOL_NS_IDENTIFIER
#define TM_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#else
#define TM_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#endif

/*
 * The sample cache must stay a cache of its own so that /proc/slabinfo
 * and failslab can name it.  Before SLAB_NO_MERGE existed, the cheapest
 * guard is SLAB_NOLEAKTRACE, also one of the flags that SLUB never
 * merges: a constructor, the other one, makes SLUB keep its free pointer
 * after the object, 8 more bytes a sample.  The price, on such old
 * kernels only, is that kmemleak does not track samples; a leaked one
 * still shows at unload, when the cache is destroyed with objects in it.
 */
#ifdef TM_HAVE_SLAB_NO_MERGE
#define TM_SLAB_NO_MERGE SLAB_NO_MERGE
#else
#define TM_SLAB_NO_MERGE SLAB_NOLEAKTRACE
#endif

#ifdef TM_HAVE_GET_MM_COUNTER_SUM
/*
 * Resident pages of @mm, exactly as /proc/PID/status counts VmRSS on
 * kernels whose RSS counters are per-CPU: each counter summed over the
 * CPUs under its own lock by get_mm_counter_sum().
 */
static inline unsigned long tm_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter_sum(mm, MM_FILEPAGES) +
	       get_mm_counter_sum(mm, MM_ANONPAGES) +
	       get_mm_counter_sum(mm, MM_SHMEMPAGES);
}
#else
/* Without per-CPU RSS counters /proc reads them plainly, and so do we. */
static inline unsigned long tm_mm_rss(struct mm_struct *mm)
{
	return get_mm_rss(mm);
}
#endif

/*
 * The kernel exports no way to read the CPU times, page faults and
 * context switches of a whole thread group (thread_group_cputime() and
 * thread_group_cputime_adjusted() are not exported: the Module.symvers
 * probe in Kbuild says so), so procstat.c sums the fields of the signal
 * struct and of each thread itself, as /proc's do_task_stat() does.  The
 * probe probes/signal_stats_fields.c names every field it reads: if one
 * is renamed or changes type, the build stops here rather than reading
 * something else.
 */
#ifdef TM_EXPORTS_THREAD_GROUP_CPUTIME_ADJUSTED
#warning \
	"thread_group_cputime_adjusted() is exported here: procstat.c should call it"
#endif
#ifndef TM_HAVE_SIGNAL_STATS_FIELDS
#error "a field procstat.c reads changed: see probes/signal_stats_fields.c"
#endif

/*
 * A sample's start time and parent come from fields that no exported
 * function returns for a process other than current, so procstat.c
 * reads them as /proc's do_task_stat() does; likewise the storage I/O
 * counters, summed as do_io_accounting() does.  The probes
 * probes/task_identity_fields.c and probes/task_io_fields.c name every
 * field: if one changes, the build stops here.
 */
#ifndef TM_HAVE_TASK_IDENTITY_FIELDS
#error "a field procstat.c reads changed: see probes/task_identity_fields.c"
#endif
#ifndef TM_HAVE_TASK_IO_FIELDS
#error "a field procstat.c reads changed: see probes/task_io_fields.c"
#endif

#ifdef CONFIG_TASK_IO_ACCOUNTING
static inline void tm_io_add(const struct task_io_accounting *ioac, u64 *rbytes,
			     u64 *wbytes)
{
	*rbytes += ioac->read_bytes;
	*wbytes += ioac->write_bytes;
}
#else
/* The kernel counts no storage I/O: both stay 0, as documented. */
static inline void tm_io_add(const struct task_io_accounting *ioac, u64 *rbytes,
			     u64 *wbytes)
{
}
#endif

/*
 * The exit record is taken from the sched_process_exit tracepoint
 * (exitrec.c).  Linux 6.16 gave it a group_dead argument (and moved it
 * before the task's mm is released); before, the probe tells the last
 * thread of a process by the signal struct's count of live threads,
 * which several exiting threads may see at zero: exitrec.c takes the
 * first of them only.  The status wait() reports is read as
 * wait_task_zombie() does, from fields that no function returns; the
 * probe probes/exit_status_fields.c names them.
 */
#ifndef TM_HAVE_EXIT_STATUS_FIELDS
#error "a field exitrec.c reads changed: see probes/exit_status_fields.c"
#endif

void tm_exit_seen(struct task_struct *p, bool group_dead);

#if defined(TM_HAVE_SCHED_PROCESS_EXIT_GROUP_DEAD)
static inline void tm_exit_probe(void *data, struct task_struct *p,
				 bool group_dead)
{
	tm_exit_seen(p, group_dead);
}
#elif defined(TM_HAVE_SCHED_PROCESS_EXIT_TASK)
static inline void tm_exit_probe(void *data, struct task_struct *p)
{
	tm_exit_seen(p, !atomic_read(&p->signal->live));
}
#else
#error "unknown sched_process_exit prototype: see probes/sched_process_exit_*.c"
#endif

/*
 * Following (follow.c) hooks sched_process_fork, whose prototype every
 * supported kernel shares: probes/sched_process_fork_parent_child.c
 * stops the build if it changes.  Its walk up a process's ancestors
 * reads real_parent, a field probes/task_identity_fields.c names.
 */
void tm_fork_seen(struct task_struct *parent, struct task_struct *child);

#ifdef TM_HAVE_SCHED_PROCESS_FORK_PARENT_CHILD
static inline void tm_fork_probe(void *data, struct task_struct *parent,
				 struct task_struct *child)
{
	tm_fork_seen(parent, child);
}
#else
#error "unknown sched_process_fork prototype: see probes/sched_process_fork_parent_child.c"
#endif

/*
 * Samples are charged to the memory cgroup of the process that asked for
 * the monitoring.  The sampler, a kthread, names that group with
 * set_active_memcg(), an inline that needs int_active_memcg, which not
 * every kernel exports: Kbuild reads Module.symvers (TM_EXPORTS_*).
 * Without it the samples are charged to no group.
 */
#if defined(CONFIG_MEMCG) && defined(TM_EXPORTS_INT_ACTIVE_MEMCG)
#define TM_GFP_ACCOUNT __GFP_ACCOUNT

/* The memory cgroup of the calling process, referenced; NULL for none. */
static inline struct mem_cgroup *tm_memcg_get_current(void)
{
	return get_mem_cgroup_from_mm(current->mm);
}

/* Charges the caller's accounted allocations to @memcg; returns the old. */
static inline struct mem_cgroup *tm_memcg_use(struct mem_cgroup *memcg)
{
	return set_active_memcg(memcg);
}

static inline void tm_memcg_put(struct mem_cgroup *memcg)
{
	mem_cgroup_put(memcg);
}

/* Another reference to @memcg (NULL for none), for a task of its own. */
static inline struct mem_cgroup *tm_memcg_get(struct mem_cgroup *memcg)
{
	if (memcg)
		css_get(&memcg->css);
	return memcg;
}
#else
#define TM_GFP_ACCOUNT 0

static inline struct mem_cgroup *tm_memcg_get_current(void)
{
	return NULL;
}

static inline struct mem_cgroup *tm_memcg_use(struct mem_cgroup *memcg)
{
	return NULL;
}

static inline void tm_memcg_put(struct mem_cgroup *memcg)
{
}

static inline struct mem_cgroup *tm_memcg_get(struct mem_cgroup *memcg)
{
	return NULL;
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
