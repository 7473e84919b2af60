// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the sample life cycle (store.c): a sample is freed
 * exactly once, when its last reference goes, and the counters of the
 * unload report add up.  The samples come from taskmonitor.ko's own
 * cache and counters, which the test shares with it: it expects the
 * module to list no process meanwhile (kunit.sh loads it with none).
 */
#include <kunit/test.h>

#include "../store.h"

static void tm_sample_refcount(struct kunit *test)
{
	struct tm_sample_counts a, b;
	struct task_sample *s[16];
	int i;

	tm_sample_counts(&a);
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		s[i] = tm_sample_alloc(NULL);
		KUNIT_ASSERT_NOT_NULL(test, s[i]);
		KUNIT_EXPECT_NULL(test, s[i]->next);
		KUNIT_EXPECT_EQ(test, kref_read(&s[i]->ref), 1U);
	}
	/* A reader's reference keeps the sample alive past the owner's put. */
	tm_sample_get(s[0]);
	tm_sample_put(s[0]);
	tm_sample_counts(&b);
	KUNIT_EXPECT_EQ(test, b.created - a.created, (long)ARRAY_SIZE(s));
	KUNIT_EXPECT_EQ(test, b.freed - a.freed, 0L);
	KUNIT_EXPECT_EQ(test, kref_read(&s[0]->ref), 1U);
	for (i = 0; i < ARRAY_SIZE(s); i++)
		tm_sample_put(s[i]);
	tm_sample_counts(&b);
	KUNIT_EXPECT_EQ(test, b.freed - a.freed, (long)ARRAY_SIZE(s));
	KUNIT_EXPECT_EQ(test, b.skipped, a.skipped);
}

static struct kunit_case tm_sample_test_cases[] = {
	KUNIT_CASE(tm_sample_refcount),
	{},
};

static struct kunit_suite tm_sample_test_suite = {
	.name = "taskmonitor_sample",
	.test_cases = tm_sample_test_cases,
};

kunit_test_suite(tm_sample_test_suite);
