/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_SHRINKER_H
#define TM_SHRINKER_H

int tm_shrinker_init(void);
void tm_shrinker_exit(void);

#endif /* TM_SHRINKER_H */
