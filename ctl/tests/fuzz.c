// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c: libFuzzer target of the history parser and the escapes.  The
 * input is cut into lines and parsed as a history is; consecutive samples
 * of one process must give finite, non-negative rates; every escape of
 * the input as a process name must be valid UTF-8 (checked with the C
 * library's decoder, not ours) without a raw control character; every
 * metric line export writes for a sample, named by the input, must follow
 * the exposition format's grammar (checked here, character by character).
 */
#define _GNU_SOURCE
#include "../hist.h"
#include "../out.h"
#include "../prom.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static void check_utf8(const char *buf, size_t len, bool controls_ok)
{
	mbstate_t st;
	size_t i = 0, n;

	memset(&st, 0, sizeof(st));
	while (i < len) {
		if (!controls_ok && (unsigned char)buf[i] < 0x20)
			abort();
		n = mbrtowc(NULL, buf + i, len - i, &st);
		if (n == (size_t)-1 || n == (size_t)-2)
			abort();
		i += n ? n : 1;
	}
}

static void check_escapes(const uint8_t *data, size_t size)
{
	char *name = strndup((const char *)data, size), *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	tm_json_str(f, name);
	fclose(f);
	check_utf8(out, len, false);
	free(out);
	f = open_memstream(&out, &len);
	tm_prom_str(f, name);
	fclose(f);
	check_utf8(out, len, false);
	free(out);
	f = open_memstream(&out, &len);
	tm_csv_str(f, name);
	fclose(f);
	check_utf8(out, len, true);	/* quoted: newlines are allowed */
	free(out);
	free(name);
}

/* A label value up to its closing quote: only the format's escapes. */
static const char *skip_label_value(const char *p)
{
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
		if (*p == '\\' && (!p[1] || !strchr("\\\"n", *++p)))
			abort();
	}
	return p + 1;
}

static const char *skip_name(const char *p)
{
	const char *q = p;

	while ((*q >= 'a' && *q <= 'z') || *q == '_')
		q++;
	if (q == p)
		abort();
	return q;
}

/* A number as printf writes it: digits, '.', %g's exponent, a '-'. */
static const char *skip_number(const char *p)
{
	const char *q = p;

	if (*q == '-')
		q++;
	while ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == '+')
		q++;
	if (q == p || q[-1] == '.')
		abort();
	return q;
}

/* name{label="value",...} value[ timestamp], and nothing more. */
static void check_line(const char *p, bool with_ts)
{
	p = skip_name(p);
	if (*p++ != '{')
		abort();
	for (;;) {
		p = skip_name(p);
		if (*p++ != '=' || *p++ != '"')
			abort();
		p = skip_label_value(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			abort();
	}
	if (*++p != ' ')
		abort();
	p = skip_number(p + 1);
	if (with_ts) {
		if (*p++ != ' ')
			abort();
		p = skip_number(p);
	}
	if (*p)
		abort();
}

/* Every family's lines for S, NAME as its name, with and without time. */
static void check_metrics(const struct tm_sample *s, const char *name)
{
	struct tm_series x = { .pid = s->pid, .comm = name,
			       .has_start = s->has_start, .start = s->start };
	int64_t boot = (int64_t)(s->usr ^ s->vsz);
	char *out = NULL, *p, *nl;
	size_t i, len = 0;
	FILE *f;
	int v, ts;

	for (ts = 0; ts < 2; ts++) {
		f = open_memstream(&out, &len);
		for (i = 0; i < tm_nfamilies; i++)
			for (v = 0; v < (tm_families[i].label ? 2 : 1); v++)
				tm_prom_point(f, &tm_families[i], v, &x, s, boot, ts);
		fclose(f);
		if (strlen(out) != len)
			abort();
		check_utf8(out, len, true);
		/* A raw '\n' inside a label would cut a line: caught below. */
		for (p = out; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			if (!nl)
				abort();
			nl[0] = '\0';
			check_line(p, ts);
		}
		free(out);
	}
}

static void check_rates(const struct tm_sample *a, const struct tm_sample *b)
{
	struct tm_rates r;

	if (!tm_same_process(a, b))
		return;
	tm_rates(a, b, &r);
	if (!(r.secs > 0) || !isfinite(r.cpu_pct) || r.cpu_pct < 0 ||
	    r.usr_pct < 0 || r.sys_pct < 0 || r.minflt_s < 0 ||
	    r.majflt_s < 0 || r.cswch_s < 0 || r.nvcswch_s < 0 ||
	    !isfinite(r.rd_kib_s) || !isfinite(r.wr_kib_s) ||
	    r.rd_kib_s < 0 || r.wr_kib_s < 0 ||
	    (r.has_io != (a->has_io && b->has_io)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_sample s[2];
	const char *p = (const char *)data, *end = p + size, *nl, *why;
	char errbuf[128];
	enum tm_line_kind kind;
	uint64_t lost;
	int cur = 0, have = 0;
	char *line, *name;
	int checked = 0;

	setlocale(LC_CTYPE, "C.UTF-8");
	/* A process name as the parser keeps one: the first bytes. */
	name = strndup((const char *)data, size < TM_COMM_MAX ? size : TM_COMM_MAX - 1);
	memset(s, 0, sizeof(s));
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		/*
		 * A copy of its own, ended by the '\n' the parser may read,
		 * so that ASan sees any read past it.
		 */
		line = malloc((size_t)(nl - p) + 1);
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\n';
		kind = tm_parse_line(line, (size_t)(nl - p), &s[cur], &lost,
				     errbuf, sizeof(errbuf), &why);
		free(line);
		if (kind == TM_LINE_SAMPLE) {
			if (s[cur].pid <= 0 || s[cur].pid > 2147483647)
				abort();
			if (have)
				check_rates(&s[!cur], &s[cur]);
			/* One per input: writing and checking the lines is slow. */
			if (!checked++)
				check_metrics(&s[cur], name);
			have = 1;
			cur = !cur;
		}
		p = nl + 1;
	}
	free(name);
	check_escapes(data, size);
	return 0;
}
