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

/* How many intervals late the sampler may be and still catch up. */
#define TM_CATCHUP_MAX 16

/*
 * The deadline after @deadline: the next one on the grid, even if @now is
 * already past it, unless @now is TM_CATCHUP_MAX intervals or more past
 * it; then the first one later than @now.
 */
u64 tm_next_deadline(u64 deadline, u64 interval, u64 now);

#endif /* TM_SAMPLER_H */
