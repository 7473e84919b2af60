// SPDX-License-Identifier: GPL-2.0
/*
 * tmbroken: a module that is broken on purpose, so that the test harness
 * can prove it catches each kind of breakage.  bug= chooses how:
 *   none   behaves
 *   null   writes through a NULL pointer in init (an Oops kills insmod)
 *   warn   hits a WARN in init
 *   leak   leaves an object allocated in its own slab cache, so that
 *          kmem_cache_destroy() at unload complains
 *   hang   spins forever in init (insmod never returns)
 *   freeze stops every CPU with interrupts off, forever (the whole guest
 *          stops, as in a deadlock with interrupts disabled)
 * Never load it outside a test guest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "none, null, warn, leak, hang or freeze");

static struct kmem_cache *tmbroken_cache;
static void *tmbroken_leaked;
static int tmbroken_spin = 1;

/* A constructor keeps SLUB from merging the cache into another one. */
static void tmbroken_ctor(void *obj)
{
	memset(obj, 0, 64);
}

static int tmbroken_freeze(void *unused)
{
	while (READ_ONCE(tmbroken_spin))
		cpu_relax();
	return 0;
}

static int __init tmbroken_init(void)
{
	pr_info("loading with bug=%s\n", bug);
	if (!strcmp(bug, "null")) {
		int *volatile p = NULL;

		*p = 1;
	} else if (!strcmp(bug, "warn")) {
		WARN(1, "tmbroken: deliberate warning\n");
	} else if (!strcmp(bug, "leak")) {
		tmbroken_cache = kmem_cache_create("tmbroken_cache", 64, 0, 0,
						   tmbroken_ctor);
		if (!tmbroken_cache)
			return -ENOMEM;
		tmbroken_leaked = kmem_cache_alloc(tmbroken_cache, GFP_KERNEL);
		if (!tmbroken_leaked) {
			kmem_cache_destroy(tmbroken_cache);
			return -ENOMEM;
		}
	} else if (!strcmp(bug, "hang")) {
		while (READ_ONCE(tmbroken_spin))
			cpu_relax();
	} else if (!strcmp(bug, "freeze")) {
		stop_machine(tmbroken_freeze, NULL, cpu_online_mask);
	} else if (strcmp(bug, "none")) {
		return -EINVAL;
	}
	return 0;
}

static void __exit tmbroken_exit(void)
{
	/* The leaked object is deliberately not freed first. */
	kmem_cache_destroy(tmbroken_cache);
	pr_info("unloaded\n");
}

module_init(tmbroken_init);
module_exit(tmbroken_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberately broken module for the taskmonitor harness self-test");
