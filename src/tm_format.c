// SPDX-License-Identifier: GPL-2.0
/*
 * The sample line, shared by every read interface.  Reading a long history
 * is dominated by number formatting, so this does not go through the
 * general vsnprintf() machinery: keys are copied as constant strings and
 * numbers are written two digits at a time.
 */
#include <linux/math64.h>
#include <linux/string.h>

#include "tm_format.h"
#include "tm_sample.h"

/* Appends the decimal digits of @v at @p; returns the new end. */
static char *tm_put_u64(char *p, u64 v)
{
	char tmp[20];
	char *t = tmp + sizeof(tmp);
	size_t len;

	while (v >= 100) {
		u32 pair = do_div(v, 100);

		t -= 2;
		t[0] = '0' + pair / 10;
		t[1] = '0' + pair % 10;
	}
	if (v >= 10) {
		t -= 2;
		t[0] = '0' + (u32)v / 10;
		t[1] = '0' + (u32)v % 10;
	} else {
		*--t = '0' + v;
	}
	len = tmp + sizeof(tmp) - t;
	memcpy(p, t, len);
	return p + len;
}

static char *tm_put_str(char *p, const char *s, size_t len)
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
