// SPDX-License-Identifier: GPL-2.0
/* Linux 6.5 and later: a cache can refuse to be merged with another. */
#include <linux/slab.h>

slab_flags_t tm_probe(void);
slab_flags_t tm_probe(void)
{
	return SLAB_NO_MERGE;
}
