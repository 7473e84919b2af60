// SPDX-License-Identifier: GPL-2.0
/*
 * out.c: process names hold whatever bytes a program put there
 * (prctl(PR_SET_NAME)), so every output format gets them escaped its own
 * way, and JSON, CSV and Prometheus labels always stay valid UTF-8.
 */
#define _GNU_SOURCE
#include "out.h"

#include <stdlib.h>

#include <string.h>
#include <time.h>

size_t tm_utf8_len(const unsigned char *p, size_t n)
{
	unsigned int c = p[0], need, min, cp, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		need = 2, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (n < need + 1)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

/*
 * Walk NAME: valid multi-byte UTF-8 is copied, each other byte goes
 * through ESC, which writes it as the format wants.
 */
static void walk(FILE *f, const char *name, void (*esc)(FILE *, unsigned char))
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), i = 0, l;

	while (i < n) {
		l = p[i] < 0x80 ? 0 : tm_utf8_len(p + i, n - i);
		if (l > 1) {
			fwrite(p + i, 1, l, f);
			i += l;
		} else {
			esc(f, p[i++]);
		}
	}
}

static void json_byte(FILE *f, unsigned char c)
{
	if (c == '"' || c == '\\')
		fprintf(f, "\\%c", c);
	else if (c < 0x20 || c == 0x7f)
		fprintf(f, "\\u%04x", c);
	else if (c >= 0x80)
		fprintf(f, "\\\\x%02x", c);
	else
		putc(c, f);
}

void tm_json_str(FILE *f, const char *name)
{
	putc('"', f);
	walk(f, name, json_byte);
	putc('"', f);
}

static void csv_byte(FILE *f, unsigned char c)
{
	if (c == '"')
		fputs("\"\"", f);
	else if (c >= 0x80)
		fprintf(f, "\\x%02x", c);
	else
		putc(c, f);
}

void tm_csv_str(FILE *f, const char *name)
{
	putc('"', f);
	walk(f, name, csv_byte);
	putc('"', f);
}

static void prom_byte(FILE *f, unsigned char c)
{
	if (c == '"' || c == '\\')
		fprintf(f, "\\%c", c);
	else if (c == '\n')
		fputs("\\n", f);
	else if (c >= 0x80 || c < 0x20 || c == 0x7f)
		fprintf(f, "\\\\x%02x", c);
	else
		putc(c, f);
}

void tm_prom_str(FILE *f, const char *name)
{
	walk(f, name, prom_byte);
}

void tm_table_str(FILE *f, const char *name, int width)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = strlen(name), i = 0, l;
	int w = 0;

	while (i < n) {
		l = p[i] < 0x80 ? 1 : tm_utf8_len(p + i, n - i);
		if (l == 1 && p[i] >= 0x20 && p[i] < 0x7f)
			putc(p[i], f);
		else if (l > 1)
			fwrite(p + i, 1, l, f);
		else
			putc('?', f), l = 1;
		i += l;
		w++;
	}
	for (; w < width; w++)
		putc(' ', f);
}

static void split(int64_t epoch_ns, struct tm *tm, long *ms)
{
	time_t t = (time_t)(epoch_ns / 1000000000);
	int64_t rest = epoch_ns % 1000000000;

	if (rest < 0) {
		rest += 1000000000;
		t--;
	}
	*ms = (long)(rest / 1000000);
	localtime_r(&t, tm);
}

void tm_fmt_iso(char *buf, size_t len, int64_t epoch_ns)
{
	struct tm tm;
	long ms, off;
	size_t n;

	split(epoch_ns, &tm, &ms);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf + n, len - n, ".%03ld%c%02ld:%02ld", ms,
		 off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

void tm_fmt_clock(char *buf, size_t len, int64_t epoch_ns)
{
	struct tm tm;
	long ms;
	size_t n;

	split(epoch_ns, &tm, &ms);
	n = strftime(buf, len, "%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03ld", ms);
}
