// SPDX-License-Identifier: GPL-2.0
/*
 * Linux 6.2 moved RSS counters to per-CPU counters; later kernels (and
 * Debian's 6.12) read them exactly for /proc with get_mm_counter_sum().
 */
#include <linux/mm.h>

unsigned long tm_probe(struct mm_struct *mm);
unsigned long tm_probe(struct mm_struct *mm)
{
	return get_mm_counter_sum(mm, MM_ANONPAGES);
}
