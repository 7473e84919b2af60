// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c: libFuzzer target of the history parser and the escapes.  The
 * input is cut into lines and parsed as a history is; consecutive samples
 * of one process must give finite, non-negative rates; every escape of
 * the input as a process name must be valid UTF-8 (checked with the C
 * library's decoder, not ours) without a raw control character.
 */
#define _GNU_SOURCE
#include "../hist.h"
#include "../out.h"

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

static void check_rates(const struct tm_sample *a, const struct tm_sample *b)
{
	struct tm_rates r;

	if (!tm_same_process(a, b))
		return;
	tm_rates(a, b, &r);
	if (!(r.secs > 0) || !isfinite(r.cpu_pct) || r.cpu_pct < 0 ||
	    r.usr_pct < 0 || r.sys_pct < 0 || r.minflt_s < 0 ||
	    r.majflt_s < 0 || r.cswch_s < 0 || r.nvcswch_s < 0)
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
	char *line;

	setlocale(LC_CTYPE, "C.UTF-8");
	memset(s, 0, sizeof(s));
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		/*
		 * A copy of its own, so that ASan sees any read past the pad;
		 * digits after the '\n' must not be taken for the line's.
		 */
		line = malloc((size_t)(nl - p) + TM_LINE_PAD);
		memcpy(line, p, (size_t)(nl - p));
		memset(line + (nl - p), '7', TM_LINE_PAD);
		line[nl - p] = '\n';
		kind = tm_parse_line(line, (size_t)(nl - p), &s[cur], &lost,
				     errbuf, sizeof(errbuf), &why);
		free(line);
		if (kind == TM_LINE_SAMPLE) {
			if (s[cur].pid <= 0 || s[cur].pid > 2147483647)
				abort();
			if (have)
				check_rates(&s[!cur], &s[cur]);
			have = 1;
			cur = !cur;
		}
		p = nl + 1;
	}
	check_escapes(data, size);
	return 0;
}
