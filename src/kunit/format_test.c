// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the sample line, on seq_file and sysfs, against a plain
 * snprintf() of the format that docs/interface.md documents.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../format.h"
#include "../store.h"

/* The documented line, the slow and obvious way. */
static int tm_format_reference(char *buf, size_t size, pid_t nr,
			       const struct task_sample *s)
{
	int n;

	n = scnprintf(buf, size, "pid %d usr %llu sys %llu ts %llu ", nr,
		      s->utime, s->stime, s->ts);
	n += scnprintf(buf + n, size - n, "rss %llu vsz %llu ",
		       s->rss * (PAGE_SIZE / 1024),
		       s->vsz * (PAGE_SIZE / 1024));
	n += scnprintf(buf + n, size - n, "minflt %llu majflt %llu ", s->minflt,
		       s->majflt);
	n += scnprintf(buf + n, size - n, "nvcsw %llu nivcsw %llu threads %u\n",
		       s->nvcsw, s->nivcsw, s->threads);
	return n;
}

/* Longest line: 11 keys and 11 numbers of at most 20 digits. */
#define TM_TEST_LINE_MAX 320

/* Formats through seq_file into a buffer of @size bytes. */
static size_t tm_format_seq(char *buf, size_t size, pid_t nr,
			    const struct task_sample *s, bool *overflow)
{
	struct seq_file m = { .buf = buf, .size = size };

	tm_seq_put_sample(&m, nr, s);
	*overflow = seq_has_overflowed(&m);
	return m.count;
}

/*
 * Formats each way the module does (seq_file, sysfs, the length alone)
 * and compares with the reference.  Returns the length.
 */
static size_t tm_format_check(struct kunit *test, pid_t nr,
			      const struct task_sample *s)
{
	char *got = kunit_kmalloc(test, TM_TEST_LINE_MAX, GFP_KERNEL);
	char *want = kunit_kmalloc(test, 2 * TM_TEST_LINE_MAX, GFP_KERNEL);
	char *page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	bool overflow;
	size_t len;
	int wlen;

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, want);
	KUNIT_ASSERT_NOT_NULL(test, page);
	len = tm_format_seq(got, TM_TEST_LINE_MAX, nr, s, &overflow);
	KUNIT_EXPECT_FALSE(test, overflow);
	wlen = tm_format_reference(want, 2 * TM_TEST_LINE_MAX, nr, s);
	KUNIT_EXPECT_GE(test, len, (size_t)TM_LINE_MIN);
	KUNIT_EXPECT_EQ(test, len, (size_t)wlen);
	KUNIT_EXPECT_TRUE_MSG(test, len == wlen && !memcmp(got, want, len),
			      "got  %.*s\nwant %s", (int)len, got, want);
	KUNIT_EXPECT_EQ(test, tm_sample_line_len(nr, s), wlen);
	/* sysfs: at an offset, as the second line of a page. */
	KUNIT_EXPECT_EQ(test, tm_sysfs_emit_sample(page, 7, nr, s), wlen);
	KUNIT_EXPECT_STREQ(test, page + 7, want);
	/* A line that does not fit leaves the buffer marked full. */
	tm_format_seq(got, len - 1, nr, s, &overflow);
	KUNIT_EXPECT_TRUE(test, overflow);
	kunit_kfree(test, got);
	kunit_kfree(test, want);
	kunit_kfree(test, page);
	return len;
}

static void tm_format_zero(struct kunit *test)
{
	struct task_sample s = {};
	char buf[TM_TEST_LINE_MAX];
	static const char want[] =
		"pid 1 usr 0 sys 0 ts 0 rss 0 vsz 0 minflt 0 majflt 0 nvcsw 0 nivcsw 0 threads 0\n";
	bool overflow;
	size_t len = tm_format_seq(buf, sizeof(buf), 1, &s, &overflow);

	KUNIT_ASSERT_EQ(test, len, sizeof(want) - 1);
	KUNIT_EXPECT_MEMEQ(test, buf, want, len);
	tm_format_check(test, 1, &s);
}

/* The bounds: the sysfs file relies on TM_LINE_MIN. */
static void tm_format_bounds(struct kunit *test)
{
	struct task_sample s = {};
	size_t shortest, longest;

	shortest = tm_format_check(test, 1, &s);
	KUNIT_EXPECT_EQ(test, shortest, (size_t)TM_LINE_MIN);

	s.utime = U64_MAX;
	s.stime = U64_MAX;
	s.ts = U64_MAX;
	/* The largest page counts whose KiB still fit in a u64. */
	s.rss = U64_MAX >> (PAGE_SHIFT - 10);
	s.vsz = U64_MAX >> (PAGE_SHIFT - 10);
	s.minflt = U64_MAX;
	s.majflt = U64_MAX;
	s.nvcsw = U64_MAX;
	s.nivcsw = U64_MAX;
	s.threads = U32_MAX;
	longest = tm_format_check(test, INT_MAX, &s);
	KUNIT_EXPECT_LE(test, longest, (size_t)TM_TEST_LINE_MAX);
}

/* Every number of digits, and each side of every power of ten. */
static void tm_format_digits(struct kunit *test)
{
	struct task_sample s = {};
	u64 p = 1;
	int i;

	for (i = 0; i < 20; i++) {
		u64 v[3] = { p - 1, p, p + 1 };
		int j;

		for (j = 0; j < 3; j++) {
			s.utime = v[j];
			s.stime = v[(j + 1) % 3];
			s.ts = v[(j + 2) % 3];
			s.rss = v[j] >> (PAGE_SHIFT - 10);
			s.vsz = v[(j + 1) % 3] >> (PAGE_SHIFT - 10);
			s.minflt = v[j];
			s.majflt = v[(j + 2) % 3];
			s.nvcsw = v[(j + 1) % 3];
			s.nivcsw = v[j];
			s.threads = (u32)v[j];
			tm_format_check(test,
					(pid_t)min_t(u64, v[j] ? v[j] : 1,
						     INT_MAX),
					&s);
		}
		if (i < 19)
			p *= 10;
	}
}

static u64 tm_random_u64_digits(void)
{
	/* Uniform in the number of digits, not in the value. */
	u64 v = get_random_u64();

	return v >> get_random_u32_below(64);
}

static void tm_format_random(struct kunit *test)
{
	struct task_sample s = {};
	int i;

	/* Each check formats three ways: a few thousand lines in all. */
	for (i = 0; i < 1500; i++) {
		s.utime = tm_random_u64_digits();
		s.stime = tm_random_u64_digits();
		s.ts = tm_random_u64_digits();
		s.rss = tm_random_u64_digits() >> (PAGE_SHIFT - 10);
		s.vsz = tm_random_u64_digits() >> (PAGE_SHIFT - 10);
		s.minflt = tm_random_u64_digits();
		s.majflt = tm_random_u64_digits();
		s.nvcsw = tm_random_u64_digits();
		s.nivcsw = tm_random_u64_digits();
		s.threads = (u32)tm_random_u64_digits();
		tm_format_check(test, 1 + get_random_u32_below(INT_MAX), &s);
	}
}

static struct kunit_case tm_format_test_cases[] = {
	KUNIT_CASE(tm_format_zero),
	KUNIT_CASE(tm_format_bounds),
	KUNIT_CASE(tm_format_digits),
	KUNIT_CASE(tm_format_random),
	{}
};

static struct kunit_suite tm_format_test_suite = {
	.name = "taskmonitor_format",
	.test_cases = tm_format_test_cases,
};

kunit_test_suite(tm_format_test_suite);
