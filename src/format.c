// SPDX-License-Identifier: GPL-2.0
/*
 * The sample line, shared by every read interface.  Reading a long history
 * is dominated by number formatting, so this does not go through the
 * general vsnprintf() machinery: keys are copied as constant strings (an
 * inline copy of known size) and numbers are written in place, two digits
 * at a time, each pair copied from a table.
 */
#include <linux/bitops.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "format.h"
#include "store.h"

static const u64 tm_pow10[] = {
	1ULL,
	10ULL,
	100ULL,
	1000ULL,
	10000ULL,
	100000ULL,
	1000000ULL,
	10000000ULL,
	100000000ULL,
	1000000000ULL,
	10000000000ULL,
	100000000000ULL,
	1000000000000ULL,
	10000000000000ULL,
	100000000000000ULL,
	1000000000000000ULL,
	10000000000000000ULL,
	100000000000000000ULL,
	1000000000000000000ULL,
	10000000000000000000ULL,
};

/*
 * "00" to "99", the two digits that one division by 100 gives.  (Not a
 * string literal: its ten pieces would upset checkpatch.)
 */
static const char tm_digit_pairs[200] = {
	'0', '0', '0', '1', '0', '2', '0', '3', '0', '4', '0', '5', '0', '6',
	'0', '7', '0', '8', '0', '9', '1', '0', '1', '1', '1', '2', '1', '3',
	'1', '4', '1', '5', '1', '6', '1', '7', '1', '8', '1', '9', '2', '0',
	'2', '1', '2', '2', '2', '3', '2', '4', '2', '5', '2', '6', '2', '7',
	'2', '8', '2', '9', '3', '0', '3', '1', '3', '2', '3', '3', '3', '4',
	'3', '5', '3', '6', '3', '7', '3', '8', '3', '9', '4', '0', '4', '1',
	'4', '2', '4', '3', '4', '4', '4', '5', '4', '6', '4', '7', '4', '8',
	'4', '9', '5', '0', '5', '1', '5', '2', '5', '3', '5', '4', '5', '5',
	'5', '6', '5', '7', '5', '8', '5', '9', '6', '0', '6', '1', '6', '2',
	'6', '3', '6', '4', '6', '5', '6', '6', '6', '7', '6', '8', '6', '9',
	'7', '0', '7', '1', '7', '2', '7', '3', '7', '4', '7', '5', '7', '6',
	'7', '7', '7', '8', '7', '9', '8', '0', '8', '1', '8', '2', '8', '3',
	'8', '4', '8', '5', '8', '6', '8', '7', '8', '8', '8', '9', '9', '0',
	'9', '1', '9', '2', '9', '3', '9', '4', '9', '5', '9', '6', '9', '7',
	'9', '8', '9', '9',
};

/*
 * How many decimal digits @v has, 1 to 20: log10(2) is about 1233/4096,
 * so the bit length gives the count or one less, and one comparison
 * tells which.  (@v | 1 has as many digits as @v, and is never 0.)
 */
static __always_inline unsigned int tm_u64_len(u64 v)
{
	u64 x = v | 1;
	unsigned int guess = (fls64(x) * 1233) >> 12;

	return guess + (x >= tm_pow10[guess]);
}

/*
 * tm_u64_len() and the helpers below are all forced inline: with eleven
 * numbers per line, tm_format_sample() is big enough that gcc's inliner
 * gives up on some of them, and which ones depends on the kernel's build
 * options (6.12's build called tm_put_pair() out of line for every two
 * digits, 6.1's tm_put_8digits()): on 6.12, 496 instructions per line
 * against 397 (bench/fmtcount).
 */

/* Writes the two digits of @pair (< 100) that end at @end. */
static __always_inline char *tm_put_pair(char *end, u32 pair)
{
	end -= 2;
	memcpy(end, &tm_digit_pairs[2 * pair], 2);
	return end;
}

/* Writes the 8 digits of @v (< 10^8, zeros in front) that end at @end. */
static __always_inline char *tm_put_8digits(char *end, u32 v)
{
	int i;

	for (i = 0; i < 4; i++) {
		u32 q = v / 100;

		end = tm_put_pair(end, v - q * 100);
		v = q;
	}
	return end;
}

/*
 * Appends the decimal digits of @v at @p, written in place from the last
 * one backwards; returns the new end.  Above 32 bits, 8 digits at a time
 * come off with one 64-bit division; the rest is divided by 100 in 32
 * bits, which the compiler turns into a cheaper multiplication.  Inlined
 * at each of the line's eleven calls: the call would cost as much as a
 * short number.
 */
static __always_inline char *tm_put_u64(char *p, u64 v)
{
	char *end, *q;
	u32 w;

	if (v < 10) {
		*p = '0' + v;
		return p + 1;
	}
	end = p + tm_u64_len(v);
	q = end;
	while (v > U32_MAX) {
		u64 hi = div_u64(v, 100000000);

		q = tm_put_8digits(q, v - hi * 100000000);
		v = hi;
	}
	w = v;
	while (w >= 100) {
		u32 t = w / 100;

		q = tm_put_pair(q, w - t * 100);
		w = t;
	}
	if (w >= 10)
		tm_put_pair(q, w);
	else
		q[-1] = '0' + w;
	return end;
}

static __always_inline char *tm_put_str(char *p, const char *s, size_t len)
{
	memcpy(p, s, len);
	return p + len;
}

/* Appends a string literal, its length known at compile time. */
#define TM_PUT_LIT(p, s) tm_put_str(p, s, sizeof(s) - 1)

static u64 tm_pages_to_kib(u64 pages)
{
	return pages << (PAGE_SHIFT - 10);
}

size_t tm_format_sample(char *buf, pid_t nr, const struct task_sample *s)
{
	char *p = buf;

	p = TM_PUT_LIT(p, "pid ");
	p = tm_put_u64(p, nr);
	p = TM_PUT_LIT(p, " usr ");
	p = tm_put_u64(p, s->utime);
	p = TM_PUT_LIT(p, " sys ");
	p = tm_put_u64(p, s->stime);
	p = TM_PUT_LIT(p, " ts ");
	p = tm_put_u64(p, s->ts);
	p = TM_PUT_LIT(p, " rss ");
	p = tm_put_u64(p, tm_pages_to_kib(s->rss));
	p = TM_PUT_LIT(p, " vsz ");
	p = tm_put_u64(p, tm_pages_to_kib(s->vsz));
	p = TM_PUT_LIT(p, " minflt ");
	p = tm_put_u64(p, s->minflt);
	p = TM_PUT_LIT(p, " majflt ");
	p = tm_put_u64(p, s->majflt);
	p = TM_PUT_LIT(p, " nvcsw ");
	p = tm_put_u64(p, s->nvcsw);
	p = TM_PUT_LIT(p, " nivcsw ");
	p = tm_put_u64(p, s->nivcsw);
	p = TM_PUT_LIT(p, " threads ");
	p = tm_put_u64(p, s->threads);
	*p++ = '\n';
	return p - buf;
}
