// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the write protocol's parser, tm_cmd_parse().
 */
#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "../command.h"

struct tm_cmd_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	int err;
	enum tm_cmd_op op;
	pid_t nr;
};

#define OK(s, o, n)                                 \
	{                                           \
		.in = s, .err = 0, .op = o, .nr = n \
	}
#define BAD(s)                          \
	{                               \
		.in = s, .err = -EINVAL \
	}

static const struct tm_cmd_case tm_cmd_cases[] = {
	OK("1", TM_CMD_ADD, 1),
	OK("1\n", TM_CMD_ADD, 1),
	OK("-1", TM_CMD_REMOVE, 1),
	OK("-1\n", TM_CMD_REMOVE, 1),
	OK("+1", TM_CMD_FOLLOW, 1),
	OK("+1\n", TM_CMD_FOLLOW, 1),
	OK("42", TM_CMD_ADD, 42),
	OK("+42", TM_CMD_FOLLOW, 42),
	OK("1000000", TM_CMD_ADD, 1000000),
	OK("2147483647", TM_CMD_ADD, 2147483647),
	OK("-2147483647\n", TM_CMD_REMOVE, 2147483647),
	OK("+2147483647\n", TM_CMD_FOLLOW, 2147483647),
	BAD(""),
	BAD("\n"),
	BAD("-"),
	BAD("-\n"),
	BAD("0"),
	BAD("0\n"),
	BAD("-0"),
	BAD("00"),
	BAD("007"),
	BAD("-07"),
	BAD("+"),
	BAD("+\n"),
	BAD("+0"),
	BAD("+05"),
	BAD("++5"),
	BAD("+-5"),
	BAD("--5"),
	BAD("-+5"),
	BAD("+ 5"),
	BAD("+5 "),
	BAD("+2147483648"),
	BAD(" 5"),
	BAD("5 "),
	BAD("5\x20\n"), /* a space, then the newline */
	BAD("\t5"),
	BAD("5\n\n"),
	BAD("5\r\n"),
	BAD("\n5"),
	BAD("5x"),
	BAD("0x10"),
	BAD("5 6"),
	BAD("5,6"),
	BAD("5-"),
	BAD("1e3"),
	BAD("2147483648"),
	BAD("-2147483648"),
	BAD("4294967296"),
	BAD("4294967297"),
	BAD("99999999999999999999999999999"),
	BAD("18446744073709551617"),
	{ .in = "5\0", .len = 2, .err = -EINVAL },
	{ .in = "\0005", .len = 2, .err = -EINVAL }, /* NUL, 5 */
	{ .in = "\0", .len = 1, .err = -EINVAL },
	/* Only @len bytes count: "12" cut to one byte is "1". */
	{ .in = "12", .len = 1, .err = 0, .op = TM_CMD_ADD, .nr = 1 },
	{ .in = "-12\n", .len = 2, .err = 0, .op = TM_CMD_REMOVE, .nr = 1 },
	{ .in = "+12\n", .len = 2, .err = 0, .op = TM_CMD_FOLLOW, .nr = 1 },
};

static void tm_cmd_case_desc(const struct tm_cmd_case *c, char *desc)
{
	size_t i, len = c->len ? c->len : strlen(c->in), o = 0;

	for (i = 0; i < len && o + 5 < KUNIT_PARAM_DESC_SIZE; i++) {
		unsigned char ch = c->in[i];

		if (ch >= 0x21 && ch < 0x7f)
			desc[o++] = ch;
		else
			o += scnprintf(desc + o, KUNIT_PARAM_DESC_SIZE - o,
				       "\\x%02x", ch);
	}
	if (!len)
		o += scnprintf(desc + o, KUNIT_PARAM_DESC_SIZE - o, "(empty)");
	desc[o] = '\0';
}

KUNIT_ARRAY_PARAM(tm_cmd, tm_cmd_cases, tm_cmd_case_desc);

/*
 * Parses @len bytes copied to a buffer of exactly that size, so that KASAN
 * reports any read past the end of what the user wrote.
 */
static int tm_cmd_parse_exact(struct kunit *test, const char *in, size_t len,
			      enum tm_cmd_op *op, pid_t *nr)
{
	char *buf = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, in, len);
	err = tm_cmd_parse(buf, len, op, nr);
	kunit_kfree(test, buf);
	return err;
}

static void tm_cmd_parse_table(struct kunit *test)
{
	const struct tm_cmd_case *c = test->param_value;
	size_t len = c->len ? c->len : strlen(c->in);
	enum tm_cmd_op op = TM_CMD_ADD;
	pid_t nr = 0;
	int err;

	err = tm_cmd_parse_exact(test, c->in, len, &op, &nr);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (!c->err && !err) {
		KUNIT_EXPECT_EQ(test, op, c->op);
		KUNIT_EXPECT_EQ(test, nr, c->nr);
	}
}

/* Every PID written the canonical way comes back, with '-', '+' or none. */
static void tm_cmd_parse_roundtrip(struct kunit *test)
{
	static const char *const sign[] = { "", "-", "+" };
	char buf[24];
	unsigned int i;
	int err;

	for (i = 0; i < 3000; i++) {
		pid_t want = 1 + get_random_u32_below(INT_MAX);
		enum tm_cmd_op want_op = i % 3, op = TM_CMD_ADD;
		bool nl = i & 4;
		pid_t nr = 0;
		int len;

		if (i < 64) /* small numbers and powers of ten first */
			want = i < 32 ? i + 1 : int_pow(10, (i - 32) % 10);
		len = scnprintf(buf, sizeof(buf), "%s%d%s", sign[want_op], want,
				nl ? "\n" : "");
		err = tm_cmd_parse_exact(test, buf, len, &op, &nr);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "input %s", buf);
		KUNIT_EXPECT_EQ(test, op, want_op);
		KUNIT_EXPECT_EQ(test, nr, want);
	}
}

/*
 * The grammar, written independently of the parser: [-+]?[1-9][0-9]*\n?
 * with a value of at most INT_MAX.
 */
static bool tm_cmd_reference(const char *s, size_t len, enum tm_cmd_op *op,
			     pid_t *nr)
{
	size_t i = 0, end = len;
	u64 v = 0;

	if (end && s[end - 1] == '\n')
		end--;
	*op = TM_CMD_ADD;
	if (i < end && s[i] == '-')
		*op = TM_CMD_REMOVE;
	if (i < end && s[i] == '+')
		*op = TM_CMD_FOLLOW;
	if (*op != TM_CMD_ADD)
		i++;
	if (i >= end || s[i] == '0')
		return false;
	if (end - i > 10)
		return false;
	for (; i < end; i++) {
		if (!isdigit(s[i]))
			return false;
		v = v * 10 + s[i] - '0';
	}
	if (v > INT_MAX)
		return false;
	*nr = v;
	return true;
}

/* Random strings over the interesting alphabet agree with the grammar. */
static void tm_cmd_parse_random(struct kunit *test)
{
	static const char alphabet[] = "0123456789-+\n x\0\xff";
	char buf[TM_CMD_MAX];
	unsigned int i;

	for (i = 0; i < 10000; i++) {
		size_t len = get_random_u32_below(14), j;
		enum tm_cmd_op want_op = TM_CMD_ADD, got_op = TM_CMD_ADD;
		pid_t want_nr = 0, got_nr = 0;
		bool ok;
		int err;

		for (j = 0; j < len; j++) {
			/* Mostly digits, so that valid inputs are frequent. */
			u32 r = get_random_u32_below(24);

			u32 a = get_random_u32_below(sizeof(alphabet) - 1);

			buf[j] = r < 10 ? '0' + r : alphabet[a];
		}
		ok = tm_cmd_reference(buf, len, &want_op, &want_nr);
		err = tm_cmd_parse_exact(test, buf, len, &got_op, &got_nr);
		KUNIT_EXPECT_EQ_MSG(test, err, ok ? 0 : -EINVAL, "input %*ph",
				    (int)len, buf);
		if (ok && !err) {
			KUNIT_EXPECT_EQ(test, got_op, want_op);
			KUNIT_EXPECT_EQ(test, got_nr, want_nr);
		}
	}
}

/*
 * "follow" is the six letters and at most one newline, read from a
 * buffer of exactly the write's size (KASAN sees any read past it).
 */
static void tm_cmd_follow_word(struct kunit *test)
{
	static const struct {
		const char *in;
		size_t len;
		bool follow;
	} cases[] = {
		{ "follow", 6, true },	    { "follow\n", 7, true },
		{ "follow\n\n", 8, false }, { "follow ", 7, false },
		{ " follow", 7, false },    { "Follow", 6, false },
		{ "followx", 7, false },    { "follo", 5, false },
		{ "follow\0", 7, false },   { "", 0, false },
		{ "+follow", 7, false },    { "\n", 1, false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len = cases[i].len;
		char *buf = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		memcpy(buf, cases[i].in, len);
		KUNIT_EXPECT_EQ_MSG(test, tm_cmd_is_follow(buf, len),
				    cases[i].follow, "input %*ph", (int)len,
				    cases[i].in);
		kunit_kfree(test, buf);
	}
}

static struct kunit_case tm_cmd_test_cases[] = {
	KUNIT_CASE_PARAM(tm_cmd_parse_table, tm_cmd_gen_params),
	KUNIT_CASE(tm_cmd_parse_roundtrip),
	KUNIT_CASE(tm_cmd_parse_random),
	KUNIT_CASE(tm_cmd_follow_word),
	{}
};

static struct kunit_suite tm_cmd_test_suite = {
	.name = "taskmonitor_cmd",
	.test_cases = tm_cmd_test_cases,
};

kunit_test_suite(tm_cmd_test_suite);
