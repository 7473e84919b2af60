/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_PARAMS_H
#define TM_PARAMS_H

#include <linux/types.h>

#define TM_MAX_TARGETS 64
#define TM_INTERVAL_MS_MIN 1U
#define TM_INTERVAL_MS_MAX 3600000U
#define TM_RESERVE_MAX 65536U
#define TM_TASKS_MAX 1048576U
#define TM_EXITED_KEEP_S_MAX 86400U

/* Current sampling period, in nanoseconds. */
u64 tm_interval_ns(void);
/* Current per-task history cap; 0 means no cap. */
unsigned int tm_max_samples(void);
/* Most tasks listed at once. */
unsigned int tm_max_tasks(void);
/* Most tasks listed at once by one non-administrator user. */
unsigned int tm_max_user_tasks(void);
/* How long, in jiffies, and how many exited tasks are kept. */
unsigned long tm_exited_keep(void);
unsigned int tm_max_exited(void);
/* Samples to pre-allocate in the mempool (load time only). */
unsigned int tm_reserve(void);
/* PIDs given with target= at load, and how many there are. */
const int *tm_targets(unsigned int *count);

#endif /* TM_PARAMS_H */
