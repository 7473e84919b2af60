// SPDX-License-Identifier: GPL-2.0
/*
 * Gives the oldest samples back to the kernel under memory pressure.
 * The scan never sleeps on a lock: it runs from inside allocations, and
 * tm_history_shrink() only trylocks (see store.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/sched.h>

#include "compat.h"
#include "tasks.h"
#include "shrinker.h"

static struct shrinker *tm_shrinker;

static unsigned long tm_shrink_count(struct shrinker *shrinker,
				     struct shrink_control *sc)
{
	unsigned long n = tm_tasks_reclaimable();

	return n ? n : SHRINK_EMPTY;
}

static unsigned long tm_shrink_scan(struct shrinker *shrinker,
				    struct shrink_control *sc)
{
	unsigned long freed;

	/*
	 * kswapd and direct reclaim run with PF_MEMALLOC; drop_caches does
	 * not, and is no shortage: only a shortage stops histories growing.
	 */
	if (current->flags & PF_MEMALLOC)
		tm_history_note_reclaim();
	freed = tm_tasks_shrink(sc->nr_to_scan);
	return freed ? freed : SHRINK_STOP;
}

int tm_shrinker_init(void)
{
	tm_shrinker = tm_shrinker_create(KBUILD_MODNAME, tm_shrink_count,
					 tm_shrink_scan);
	return tm_shrinker ? 0 : -ENOMEM;
}

void tm_shrinker_exit(void)
{
	tm_shrinker_destroy(tm_shrinker);
	tm_shrinker = NULL;
}
