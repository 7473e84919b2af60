// SPDX-License-Identifier: GPL-2.0
/*
 * The sample line, shared by every read interface.  Reading a long history
 * is dominated by number formatting, so this does not go through the
 * general vsnprintf() machinery: keys are copied as constant strings (an
 * inline copy of known size) and numbers are written in place, two digits
 * at a time.
 */
#include <linux/bitops.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "tm_format.h"
#include "tm_sample.h"

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
 * How many decimal digits @v has, 1 to 20: log10(2) is about 1233/4096,
 * so the bit length gives the count or one less, and one comparison
 * tells which.  (@v | 1 has as many digits as @v, and is never 0.)
 */
static unsigned int tm_u64_len(u64 v)
{
	u64 x = v | 1;
	unsigned int guess = (fls64(x) * 1233) >> 12;

	return guess + (x >= tm_pow10[guess]);
}

/*
 * Appends the decimal digits of @v at @p, written in place from the last
 * one backwards; returns the new end.
 */
static char *tm_put_u64(char *p, u64 v)
{
	char *end = p + tm_u64_len(v);

	p = end;
	while (v >= 100) {
		u32 pair = do_div(v, 100);

		p -= 2;
		p[0] = '0' + pair / 10;
		p[1] = '0' + pair % 10;
	}
	if (v >= 10) {
		p[-2] = '0' + (u32)v / 10;
		p[-1] = '0' + (u32)v % 10;
	} else {
		p[-1] = '0' + v;
	}
	return end;
}

static inline char *tm_put_str(char *p, const char *s, size_t len)
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
