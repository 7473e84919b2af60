// SPDX-License-Identifier: GPL-2.0
/* Linux 6.0 to 6.6: register_shrinker() takes a printf-style name. */
#include <linux/mm.h>

int tm_probe(struct shrinker *s);
int tm_probe(struct shrinker *s)
{
	return register_shrinker(s, "%s", "probe");
}
