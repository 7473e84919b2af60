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

/* The documented escaping of comm, the slow and obvious way. */
static int tm_comm_reference(char *buf, size_t size, const char *comm)
{
	int i, n = 0;

	if (!comm[0])
		return scnprintf(buf, size, "\\x00");
	for (i = 0; comm[i]; i++) {
		unsigned char c = comm[i];

		if (c >= 0x21 && c <= 0x7e && c != 0x5c)
			n += scnprintf(buf + n, size - n, "%c", c);
		else
			n += scnprintf(buf + n, size - n, "\\x%02x", c);
	}
	return n;
}

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
	n += scnprintf(buf + n, size - n, "nvcsw %llu nivcsw %llu threads %u ",
		       s->nvcsw, s->nivcsw, s->threads);
	n += scnprintf(buf + n, size - n, "start %llu comm ", s->start);
	n += tm_comm_reference(buf + n, size - n, s->comm);
	n += scnprintf(buf + n, size - n, " ppid %d rbytes %llu wbytes %llu",
		       s->ppid, s->rbytes, s->wbytes);
	if (s->has_exit)
		n += scnprintf(buf + n, size - n, " exit %u", s->exit_status);
	n += scnprintf(buf + n, size - n, "\n");
	return n;
}

/*
 * Longest line: 15 keys and 15 numbers of at most 20 digits, and a name
 * of 15 escaped bytes.
 */
#define TM_TEST_LINE_MAX 512

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
	/* Into a plain buffer (follow mode), and the longest fits. */
	KUNIT_EXPECT_EQ(test, tm_format_sample(got, TM_TEST_LINE_MAX, nr, s),
			wlen);
	KUNIT_EXPECT_STREQ(test, got, want);
	KUNIT_EXPECT_LT(test, wlen, TM_LINE_MAX);
	KUNIT_EXPECT_GE(test, tm_format_sample(got, len, nr, s), (int)len);
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
	/* The line of 0.1.0, then the keys 0.2.0 appended. */
	static const char head[] =
		"pid 1 usr 0 sys 0 ts 0 rss 0 vsz 0 minflt 0 majflt 0 nvcsw 0 nivcsw 0 threads 0";
	static const char tail[] =
		" start 0 comm \\x00 ppid 0 rbytes 0 wbytes 0\n";
	bool overflow;
	size_t len = tm_format_seq(buf, sizeof(buf), 1, &s, &overflow);

	KUNIT_ASSERT_EQ(test, len, sizeof(head) - 1 + sizeof(tail) - 1);
	KUNIT_EXPECT_MEMEQ(test, buf, head, sizeof(head) - 1);
	KUNIT_EXPECT_MEMEQ(test, buf + sizeof(head) - 1, tail,
			   sizeof(tail) - 1);
	tm_format_check(test, 1, &s);
}

/* The bounds: the sysfs file relies on TM_LINE_MIN. */
static void tm_format_bounds(struct kunit *test)
{
	struct task_sample s = { .comm = "a" };
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
	s.start = U64_MAX;
	s.ppid = INT_MAX;
	s.rbytes = U64_MAX;
	s.wbytes = U64_MAX;
	memset(s.comm, 0xff, sizeof(s.comm) - 1);
	s.has_exit = true;
	s.exit_status = U8_MAX;
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
			s.start = v[(j + 1) % 3];
			s.ppid = (pid_t)min_t(u64, v[(j + 2) % 3], INT_MAX);
			s.rbytes = v[j];
			s.wbytes = v[(j + 2) % 3];
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

/* A name of 0 to 15 bytes, each any byte but NUL. */
static void tm_random_comm(char *comm)
{
	u32 len = get_random_u32_below(TASK_COMM_LEN), i;

	for (i = 0; i < len; i++)
		comm[i] = (char)(1 + get_random_u32_below(255));
	memset(comm + len, 0, TASK_COMM_LEN - len);
}

/* Names that need escaping, each byte class of the documented rule. */
static void tm_format_comm_escaping(struct kunit *test)
{
	static const struct {
		const char *name;
		const char *want;
	} cases[] = {
		{ "bash", "bash" },
		{ "kworker/0:1", "kworker/0:1" },
		{ "my prog", "my\\x20prog" },
		{ "a\\b", "a\\x5cb" },
		{ "x\ny", "x\\x0ay" },
		{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
		{ "\x7f~!", "\\x7f~!" },
		{ "", "\\x00" },
		{ "0123456789abcde", "0123456789abcde" },
	};
	char buf[TM_COMM_ESCAPED_MAX];
	struct task_sample s = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strscpy(s.comm, cases[i].name, sizeof(s.comm));
		KUNIT_EXPECT_EQ(test, tm_comm_escape(s.comm, buf),
				(int)strlen(cases[i].want));
		KUNIT_EXPECT_STREQ(test, buf, cases[i].want);
		tm_format_check(test, 1, &s);
	}
	/* The exit record: one more key, the last. */
	strscpy(s.comm, "sh", sizeof(s.comm));
	s.has_exit = true;
	s.exit_status = 137;
	tm_format_check(test, 1, &s);
	s.exit_status = 0;
	tm_format_check(test, 1, &s);
	s.has_exit = false;
	/* Every byte escaped: the longest value fits its buffer. */
	memset(s.comm, 0x80, sizeof(s.comm) - 1);
	KUNIT_EXPECT_EQ(test, tm_comm_escape(s.comm, buf),
			TM_COMM_ESCAPED_MAX - 1);
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
		s.start = tm_random_u64_digits();
		s.ppid = (pid_t)get_random_u32_below(INT_MAX);
		s.rbytes = tm_random_u64_digits();
		s.wbytes = tm_random_u64_digits();
		tm_random_comm(s.comm);
		s.has_exit = !get_random_u32_below(4);
		s.exit_status = (u8)get_random_u32_below(256);
		tm_format_check(test, 1 + get_random_u32_below(INT_MAX), &s);
	}
}

static struct kunit_case tm_format_test_cases[] = {
	KUNIT_CASE(tm_format_zero),   KUNIT_CASE(tm_format_bounds),
	KUNIT_CASE(tm_format_digits), KUNIT_CASE(tm_format_comm_escaping),
	KUNIT_CASE(tm_format_random), {}
};

static struct kunit_suite tm_format_test_suite = {
	.name = "taskmonitor_format",
	.test_cases = tm_format_test_cases,
};

kunit_test_suite(tm_format_test_suite);
