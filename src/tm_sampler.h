/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_SAMPLER_H
#define TM_SAMPLER_H

#include <linux/types.h>

int tm_sampler_start(void);
void tm_sampler_stop(void);

/* Makes the sampler re-read interval_ms now (it may not be running). */
void tm_sampler_kick(void);

/* Pauses or resumes sampling (sysfs "stop" / "start"). */
void tm_sampler_set_paused(bool paused);

/* Next deadline after @deadline that is later than @now. */
u64 tm_next_deadline(u64 deadline, u64 interval, u64 now);

#endif /* TM_SAMPLER_H */
