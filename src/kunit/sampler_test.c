// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the sampler's deadlines, tm_next_deadline(): the next
 * deadline is on the original phase; it is the very next one while the
 * sampler is less than TM_CATCHUP_MAX intervals late (the missed ones are
 * made up), and the first one in the future when it is farther behind.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include <linux/time64.h>

#include "../sampler.h"

static void tm_deadline_cases(struct kunit *test)
{
	const u64 far = 1ULL << 62;
	/* When a sampler due at 1100 is TM_CATCHUP_MAX intervals late. */
	const u64 edge = 1100 + TM_CATCHUP_MAX * 100;

	/* On time: one interval later. */
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 1050), 1100ULL);
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 1000), 1100ULL);
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 1099), 1100ULL);
	/* Due or overdue: still the next one, to be swept at once. */
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 1100), 1100ULL);
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 1555), 1100ULL);
	/* The last lateness that is made up, and the first that is not. */
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, edge - 1), 1100ULL);
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, edge), edge + 100);
	/* Far behind: skip the missed ones, keep the phase. */
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 9955), 10000ULL);
	KUNIT_EXPECT_EQ(test, tm_next_deadline(1000, 100, 10000), 10100ULL);
	/* The shortest and the longest interval. */
	KUNIT_EXPECT_EQ(test, tm_next_deadline(0, NSEC_PER_MSEC, 0),
			(u64)NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test,
			tm_next_deadline(5, 3600000ULL * NSEC_PER_MSEC,
					 7200000ULL * NSEC_PER_MSEC),
			5 + 3600000ULL * NSEC_PER_MSEC);
	/* A clock far from zero, as after a long uptime. */
	KUNIT_EXPECT_EQ(test, tm_next_deadline(far, 1000, far + 999999),
			far + 1000000);
	KUNIT_EXPECT_EQ(test, tm_next_deadline(far, 1000, far + 1500),
			far + 1000);
}

static void tm_deadline_random(struct kunit *test)
{
	int i;

	for (i = 0; i < 20000; i++) {
		/* interval_ms is 1..3600000. */
		u64 interval = (1 + get_random_u32_below(3600000)) *
			       (u64)NSEC_PER_MSEC;
		u64 deadline = get_random_u64() >> 4;
		u64 late = get_random_u32_below(4) ?
				   get_random_u64() % (8 * interval) :
				   get_random_u64() % (1000 * interval);
		u64 now = deadline + late;
		u64 next = tm_next_deadline(deadline, interval, now);

		KUNIT_EXPECT_GT(test, next, deadline);
		KUNIT_EXPECT_EQ(test, (next - deadline) % interval, 0ULL);
		if (late < (TM_CATCHUP_MAX + 1) * interval) {
			/* Not that late: nothing skipped. */
			KUNIT_EXPECT_EQ(test, next, deadline + interval);
		} else {
			/* Far behind: the first deadline after now. */
			KUNIT_EXPECT_GT(test, next, now);
			KUNIT_EXPECT_LE(test, next - interval, now);
		}
	}
}

static struct kunit_case tm_sampler_test_cases[] = {
	KUNIT_CASE(tm_deadline_cases),
	KUNIT_CASE(tm_deadline_random),
	{}
};

static struct kunit_suite tm_sampler_test_suite = {
	.name = "taskmonitor_deadline",
	.test_cases = tm_sampler_test_cases,
};

kunit_test_suite(tm_sampler_test_suite);
