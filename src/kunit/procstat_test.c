// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of tm_cputime_settle(): the split of the precise runtime
 * between user and system time follows the tick-based proportion, adds up
 * to the runtime, and neither half ever decreases, whatever the ticks do.
 */
#include <kunit/test.h>
#include <linux/random.h>

#include "../procstat.h"

static void tm_settle_cases(struct kunit *test)
{
	struct tm_cputime ct = { .utime = 3, .stime = 1, .rtime = 400 };
	u64 ut = 0, st = 0;

	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut, 300ULL);
	KUNIT_EXPECT_EQ(test, st, 100ULL);

	/* Nothing ran: nothing changes. */
	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut, 300ULL);
	KUNIT_EXPECT_EQ(test, st, 100ULL);

	/* Runtime behind what was reported: nothing changes either. */
	ct.rtime = 399;
	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut + st, 400ULL);

	/* Only system ticks so far: all of it is system time. */
	ut = 0;
	st = 0;
	ct = (struct tm_cputime){ .utime = 0, .stime = 7, .rtime = 1000 };
	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut, 0ULL);
	KUNIT_EXPECT_EQ(test, st, 1000ULL);

	/* No tick at all: user time, as /proc does. */
	ut = 0;
	st = 0;
	ct = (struct tm_cputime){ .utime = 0, .stime = 0, .rtime = 1000 };
	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut, 1000ULL);
	KUNIT_EXPECT_EQ(test, st, 0ULL);

	/*
	 * The proportion swings to user time: system time may not go back,
	 * so the new runtime goes to user time.
	 */
	ut = 100;
	st = 900;
	ct = (struct tm_cputime){ .utime = 1000, .stime = 1, .rtime = 1100 };
	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, st, 900ULL);
	KUNIT_EXPECT_EQ(test, ut, 200ULL);

	/* Huge values do not overflow the product. */
	ut = 0;
	st = 0;
	ct = (struct tm_cputime){ .utime = U64_MAX / 2,
				  .stime = U64_MAX / 2,
				  .rtime = U64_MAX - 1 };
	tm_cputime_settle(&ct, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut + st, U64_MAX - 1);
	KUNIT_EXPECT_LE(test, st > ut ? st - ut : ut - st, 1ULL);
}

/*
 * Random runs of a process: the ticks and the runtime grow by random
 * steps (sometimes not at all, the runtime sometimes lagging the ticks),
 * and each settled pair must be monotonic and sum to the runtime.
 */
static void tm_settle_monotonic(struct kunit *test)
{
	int run, step;

	for (run = 0; run < 100; run++) {
		struct tm_cputime ct = {};
		u64 ut = 0, st = 0;

		for (step = 0; step < 300; step++) {
			u64 put = ut, pst = st;
			u32 r = get_random_u32_below(8);

			if (r & 1)
				ct.utime +=
					get_random_u32_below(4) * 4000000ULL;
			if (r & 2)
				ct.stime +=
					get_random_u32_below(4) * 4000000ULL;
			if (r & 4)
				ct.rtime += get_random_u32_below(20000000);
			tm_cputime_settle(&ct, &ut, &st);
			KUNIT_EXPECT_GE(test, ut, put);
			KUNIT_EXPECT_GE(test, st, pst);
			if (put + pst < ct.rtime)
				KUNIT_EXPECT_EQ(test, ut + st, ct.rtime);
			else
				KUNIT_EXPECT_EQ(test, ut + st, put + pst);
			if (ut < put || st < pst)
				return; /* one report per run is enough */
		}
	}
}

/* With a stable proportion, the split follows it (within rounding). */
static void tm_settle_proportion(struct kunit *test)
{
	struct tm_cputime ct = {};
	u64 ut = 0, st = 0;
	int step;

	for (step = 1; step <= 1000; step++) {
		ct.utime = 3ULL * step * 4000000;
		ct.stime = 1ULL * step * 4000000;
		ct.rtime = 4ULL * step * 3999999;
		tm_cputime_settle(&ct, &ut, &st);
		KUNIT_EXPECT_LE(test, st, div_u64(ct.rtime, 4) + 1);
		KUNIT_EXPECT_GE(test, st + 1, div_u64(ct.rtime, 4));
	}
}

static struct kunit_case tm_stats_test_cases[] = {
	KUNIT_CASE(tm_settle_cases),
	KUNIT_CASE(tm_settle_monotonic),
	KUNIT_CASE(tm_settle_proportion),
	{}
};

static struct kunit_suite tm_stats_test_suite = {
	.name = "taskmonitor_cputime",
	.test_cases = tm_stats_test_cases,
};

kunit_test_suite(tm_stats_test_suite);
