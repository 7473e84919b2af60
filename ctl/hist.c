// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c: the parser of taskmonitor's sample lines, the test that tells
 * two processes with the same PID number apart, and the rates of an
 * interval.  Keys are matched by name, never by position, and keys this
 * program does not know are skipped, since the module only ever appends
 * new ones (docs/interface.md).
 */
#include "hist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { K_PID, K_USR, K_SYS, K_TS, K_RSS, K_VSZ, K_MINFLT, K_MAJFLT,
       K_NVCSW, K_NIVCSW, K_THREADS, K_REQUIRED, K_START = K_REQUIRED,
       K_COMM, K_PPID, K_RBYTES, K_WBYTES, K_EXIT, K_UNKNOWN };

static const char *const key_names[] = {
	"pid", "usr", "sys", "ts", "rss", "vsz", "minflt", "majflt",
	"nvcsw", "nivcsw", "threads", "start", "comm", "ppid", "rbytes",
	"wbytes", "exit",
};

static const unsigned char key_lens[] = { 3, 3, 3, 2, 3, 3, 6, 6, 5, 6, 7, 5, 4,
					  4, 6, 6, 4 };

static bool key_is(int key, const char *k, size_t n)
{
	const char *name = key_names[key];
	size_t i;

	if (key_lens[key] != n)
		return false;
	for (i = 0; i < n; i++)
		if (name[i] != k[i])
			return false;
	return true;
}

/* The key K of N bytes, or K_UNKNOWN. */
static int key_of(const char *k, size_t n)
{
	int i;

	for (i = 0; i < K_UNKNOWN; i++)
		if (key_is(i, k, n))
			return i;
	return K_UNKNOWN;
}

/*
 * Reading a long history is mostly finding keys, and they nearly always
 * come in the documented order: so the key expected next is tried first,
 * as one 8-byte comparison of "key " (every known key is shorter than 8).
 */
static uint64_t key_word[K_UNKNOWN], key_mask[K_UNKNOWN];

static void key_words_init(void)
{
	int k;

	if (key_mask[0])
		return;
	for (k = 0; k < K_UNKNOWN; k++) {
		char w[8] = { 0 }, m[8] = { 0 };

		memcpy(w, key_names[k], key_lens[k]);
		w[key_lens[k]] = ' ';
		memset(m, 0xff, key_lens[k] + 1u);
		memcpy(&key_word[k], w, 8);
		memcpy(&key_mask[k], m, 8);
	}
}

/* Is the key HINT at P, with at least 8 bytes readable?  Then its length. */
static bool key_at(int hint, const char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return (v & key_mask[hint]) == key_word[hint];
}

/* A decimal number of N bytes that fits in 64 bits; false otherwise. */
static bool parse_u64(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 20)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)p[i] - '0';

		if (d > 9)
			return false;
		/* 19 digits always fit; only the 20th can overflow. */
		if (i < 19) {
			x = x * 10 + d;
		} else if (__builtin_mul_overflow(x, 10, &x) ||
			   __builtin_add_overflow(x, d, &x)) {
			return false;
		}
	}
	*v = x;
	return true;
}

/* Where the number of each numeric key goes in a sample (not the pid). */
static const size_t key_field[] = {
	[K_USR] = offsetof(struct tm_sample, usr),
	[K_SYS] = offsetof(struct tm_sample, sys),
	[K_TS] = offsetof(struct tm_sample, ts),
	[K_RSS] = offsetof(struct tm_sample, rss),
	[K_VSZ] = offsetof(struct tm_sample, vsz),
	[K_MINFLT] = offsetof(struct tm_sample, minflt),
	[K_MAJFLT] = offsetof(struct tm_sample, majflt),
	[K_NVCSW] = offsetof(struct tm_sample, nvcsw),
	[K_NIVCSW] = offsetof(struct tm_sample, nivcsw),
	[K_THREADS] = offsetof(struct tm_sample, threads),
	[K_START] = offsetof(struct tm_sample, start),
	[K_PPID] = offsetof(struct tm_sample, ppid),
	[K_RBYTES] = offsetof(struct tm_sample, rbytes),
	[K_WBYTES] = offsetof(struct tm_sample, wbytes),
	[K_EXIT] = offsetof(struct tm_sample, exit),
};

/*
 * The decimal digits at Q, into *X (wrapping past 19 digits: the caller
 * checks the length); returns the first byte after them, which exists
 * (see tm_parse_line()), and whether it is a ' ' in *SPACE.
 */
static const char *scan_digits(const char *q, uint64_t *x, bool *space)
{
	uint64_t v = 0, d;

	/* d in 64 bits: no widening of each digit before the add. */
	while ((d = (uint64_t)(unsigned char)*q - '0') <= 9) {
		v = v * 10 + d;
		q++;
	}
	/* From d, not *q again: gcc would keep each byte for that. */
	*space = d == (uint64_t)(unsigned char)' ' - '0';
	*x = v;
	return q;
}

/* Store the number V of KEY in S; false if KEY does not take it. */
static bool store_num(struct tm_sample *s, int key, uint64_t v)
{
	if (key == K_PID) {
		if (v == 0 || v > 2147483647)
			return false;
		s->pid = (long)v;
		return true;
	}
	*(uint64_t *)((char *)s + key_field[key]) = v;
	return true;
}

int tm_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The name at V (the line ends at END) into S, its escapes (\xHH,
 * docs/interface.md) decoded as it is scanned; cut at a NUL byte, so that
 * "\x00", the empty name, is "".  Other bytes are taken as they are.
 * Returns the end of the value.
 */
static const char *decode_comm(struct tm_sample *s, const char *v,
			       const char *end)
{
	size_t n = 0;

	while (v < end && *v != ' ') {
		char c = *v++;
		int hi, lo;

		if (c == '\\' && end - v >= 3 && v[0] == 'x' &&
		    (hi = tm_hex_digit(v[1])) >= 0 && (lo = tm_hex_digit(v[2])) >= 0) {
			c = (char)(hi * 16 + lo);
			v += 3;
		}
		if (n < sizeof(s->comm) - 1)
			s->comm[n++] = c;
	}
	s->comm[n] = '\0';
	s->has_comm = true;
	return v;
}

/*
 * The end of the value at V (the line ends at END) of KEY, stored into S;
 * NULL if KEY's value is not what it takes.  Numbers are parsed as they
 * are scanned, in one pass.
 */
static const char *scan_value(const char *v, const char *end, int key,
			      struct tm_sample *s)
{
	const char *q = v;
	uint64_t x = 0;
	bool space;

	if (key == K_COMM)
		return decode_comm(s, v, end);
	if (key == K_UNKNOWN) {
		while (q < end && *q != ' ')
			q++;
		return q;
	}
	q = scan_digits(v, &x, &space);
	/* The line ends in a non-digit: the ' ' before the next key, or END. */
	if (!space && q != end)
		return NULL;
	/*
	 * No digit, or more than 19, where the sum above may have wrapped:
	 * parse again, to reject or to check.
	 */
	if ((size_t)(q - v) - 1 >= 19 && !parse_u64(v, (size_t)(q - v), &x))
		return NULL;
	return store_num(s, key, x) ? q : NULL;
}

/* "PRE"WHAT"POST" as the reason of a malformed line. */
static enum tm_line_kind bad(char *errbuf, size_t errlen, const char **why,
			     const char *pre, const char *what, size_t n,
			     const char *post)
{
	if (n > 40)
		n = 40;
	snprintf(errbuf, errlen, "%s\"%.*s\"%s", pre, (int)n, what, post);
	*why = errbuf;
	return TM_LINE_ERROR;
}

static enum tm_line_kind parse_lost(const char *line, size_t len,
				    uint64_t *lost, const char **why)
{
	if (!parse_u64(line + 5, len - 5, lost)) {
		*why = "\"lost\" is not followed by a number";
		return TM_LINE_ERROR;
	}
	return TM_LINE_LOST;
}

enum tm_line_kind tm_parse_line(const char *line, size_t len,
				struct tm_sample *s, uint64_t *lost,
				char *errbuf, size_t errlen, const char **why)
{
	const unsigned int required = (1u << K_REQUIRED) - 1;
	const unsigned int io = 1u << K_RBYTES | 1u << K_WBYTES;
	unsigned int seen = 0;
	size_t i = 0;
	int key = -1;

	key_words_init();
	if (len > 0 && line[0] == '#')
		return TM_LINE_COMMENT;
	if (len > 5 && !memcmp(line, "lost ", 5))
		return parse_lost(line, len, lost, why);
	if (len == 0) {
		*why = "empty line";
		return TM_LINE_ERROR;
	}
	s->has_comm = false;
	s->ppid = s->rbytes = s->wbytes = s->exit = 0;
	while (i < len) {
		const char *k = line + i, *v, *e;
		int hint = key + 1;

		if (hint < K_UNKNOWN && len - i >= 8 && key_at(hint, k)) {
			key = hint;
			v = k + key_lens[key] + 1;
		} else {
			for (e = k; e < line + len && *e != ' '; e++)
				;
			if (e == line + len)
				return bad(errbuf, errlen, why, "key ", k,
					   len - i, " has no value");
			v = e + 1;
			key = key_of(k, (size_t)(e - k));
		}
		e = scan_value(v, line + len, key, s);
		if (key != K_UNKNOWN) {
			if (!e)
				return bad(errbuf, errlen, why, "the value of ",
					   k, key_lens[key],
					   " is not a valid number");
			seen |= 1u << key;
		}
		i = (size_t)(e - line) + 1;
	}
	s->has_start = seen & (1u << K_START);
	s->has_io = (seen & io) == io;
	s->has_exit = seen & (1u << K_EXIT);
	/* A status as $? shows it: the module writes 0 to 255. */
	if (s->has_exit && s->exit > 255) {
		*why = "the value of \"exit\" is over 255";
		return TM_LINE_ERROR;
	}
	if ((seen & required) != required) {
		/* The first missing key, in the documented order. */
		key = __builtin_ctz(~seen & required);
		return bad(errbuf, errlen, why, "key ", key_names[key],
			   key_lens[key], " is missing");
	}
	return TM_LINE_SAMPLE;
}

bool tm_same_process(const struct tm_sample *a, const struct tm_sample *b)
{
	/* Nothing of its process comes after an exit record. */
	if (a->has_exit || a->pid != b->pid)
		return false;
	if (a->has_start && b->has_start && a->start != b->start)
		return false;
	/* Also with `start`: a rate is never computed backwards. */
	return b->ts > a->ts && b->usr >= a->usr && b->sys >= a->sys &&
	       b->minflt >= a->minflt && b->majflt >= a->majflt &&
	       b->nvcsw >= a->nvcsw && b->nivcsw >= a->nivcsw &&
	       b->rbytes >= a->rbytes && b->wbytes >= a->wbytes;
}

void tm_rates(const struct tm_sample *a, const struct tm_sample *b,
	      struct tm_rates *r)
{
	double ns = (double)(b->ts - a->ts);

	r->secs = ns / 1e9;
	r->usr_pct = (double)(b->usr - a->usr) / ns * 100.0;
	r->sys_pct = (double)(b->sys - a->sys) / ns * 100.0;
	r->cpu_pct = r->usr_pct + r->sys_pct;
	r->minflt_s = (double)(b->minflt - a->minflt) / r->secs;
	r->majflt_s = (double)(b->majflt - a->majflt) / r->secs;
	r->cswch_s = (double)(b->nvcsw - a->nvcsw) / r->secs;
	r->nvcswch_s = (double)(b->nivcsw - a->nivcsw) / r->secs;
	/* pidstat -d's kB are KiB: bytes / 1024. */
	r->has_io = a->has_io && b->has_io;
	r->rd_kib_s = r->wr_kib_s = 0;
	if (r->has_io) {
		r->rd_kib_s = (double)(b->rbytes - a->rbytes) / 1024.0 / r->secs;
		r->wr_kib_s = (double)(b->wbytes - a->wbytes) / 1024.0 / r->secs;
	}
}

#define READ_CHUNK (1u << 20)

int tm_reader_init(struct tm_reader *r, int fd, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->name = name;
	r->cap = 2 * READ_CHUNK;
	r->buf = malloc(r->cap);
	return r->buf ? 0 : -1;
}

void tm_reader_free(struct tm_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Read more bytes after the unconsumed ones; false at the end or on error. */
static bool refill(struct tm_reader *r)
{
	ssize_t n;

	if (r->start > 0) {
		r->off += r->start;
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < READ_CHUNK) {
		char *nb = realloc(r->buf, r->cap * 2);

		if (!nb)
			return false;
		r->buf = nb;
		r->cap *= 2;
	}
	/* A byte stays free after the data: the '\n' of a last line without one. */
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n == 0)
			r->eof = true;
		return false;
	}
	r->end += (size_t)n;
	return true;
}

const char *tm_reader_line(struct tm_reader *r, size_t *len)
{
	size_t scanned = r->start;

	for (;;) {
		char *nl = memchr(r->buf + scanned, '\n', r->end - scanned);

		if (nl) {
			const char *line = r->buf + r->start;

			*len = (size_t)(nl - line);
			r->start = (size_t)(nl - r->buf) + 1;
			r->lineno++;
			return line;
		}
		scanned = r->end - r->start;
		if (scanned > READ_CHUNK) {
			/* No history line comes near this: not a history. */
			errno = E2BIG;
			return NULL;
		}
		if (!refill(r)) {
			if (!r->eof)
				return NULL;
			errno = 0;
			if (r->end == r->start)
				return NULL;
			/* A last line without '\n': give it one. */
			r->buf[r->end] = '\n';
			*len = r->end - r->start;
			r->start = r->end;
			r->lineno++;
			return r->buf + (r->end - *len);
		}
		scanned += r->start;
	}
}

uint64_t tm_reader_offset(const struct tm_reader *r, const char *line)
{
	return r->off + (uint64_t)(line - r->buf);
}
