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

static const char tm_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/* Appends the decimal digits of @v at @p; returns the new end. */
static char *tm_put_u64(char *p, u64 v)
{
	char tmp[20];
	char *t = tmp + sizeof(tmp);
	size_t len;

	while (v >= 100) {
		u32 pair = do_div(v, 100);

		t -= 2;
		memcpy(t, &tm_digit_pairs[pair * 2], 2);
	}
	if (v >= 10) {
		t -= 2;
		memcpy(t, &tm_digit_pairs[v * 2], 2);
	} else {
		*--t = '0' + v;
	}
	len = tmp + sizeof(tmp) - t;
	memcpy(p, t, len);
	return p + len;
}

#define TM_PUT_KEY(p, key)				\
	do {						\
		memcpy(p, key, sizeof(key) - 1);	\
		(p) += sizeof(key) - 1;			\
	} while (0)

static u64 tm_pages_to_kib(u64 pages)
{
	return pages << (PAGE_SHIFT - 10);
}

size_t tm_format_sample(char *buf, pid_t nr, const struct task_sample *s)
{
	char *p = buf;

	TM_PUT_KEY(p, "pid ");
	p = tm_put_u64(p, nr);
	TM_PUT_KEY(p, " usr ");
	p = tm_put_u64(p, s->utime);
	TM_PUT_KEY(p, " sys ");
	p = tm_put_u64(p, s->stime);
	TM_PUT_KEY(p, " ts ");
	p = tm_put_u64(p, s->ts);
	TM_PUT_KEY(p, " rss ");
	p = tm_put_u64(p, tm_pages_to_kib(s->rss));
	TM_PUT_KEY(p, " vsz ");
	p = tm_put_u64(p, tm_pages_to_kib(s->vsz));
	TM_PUT_KEY(p, " minflt ");
	p = tm_put_u64(p, s->minflt);
	TM_PUT_KEY(p, " majflt ");
	p = tm_put_u64(p, s->majflt);
	TM_PUT_KEY(p, " nvcsw ");
	p = tm_put_u64(p, s->nvcsw);
	TM_PUT_KEY(p, " nivcsw ");
	p = tm_put_u64(p, s->nivcsw);
	TM_PUT_KEY(p, " threads ");
	p = tm_put_u64(p, s->threads);
	*p++ = '\n';
	return p - buf;
}
