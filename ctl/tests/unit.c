// SPDX-License-Identifier: GPL-2.0
/*
 * unit.c: unit tests of the parser, the process-boundary test, the rates
 * and the escapes.  Every expected value was computed by hand from the
 * line in front of it (the comments show the arithmetic).
 */
#include "../hist.h"
#include "../out.h"
#include "../prom.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, checks;

#define CHECK(cond, ...)                                                \
	do {                                                            \
		checks++;                                               \
		if (!(cond)) {                                          \
			failures++;                                     \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);     \
			printf(__VA_ARGS__);                            \
			putchar('\n');                                  \
		}                                                       \
	} while (0)

static enum tm_line_kind parse(const char *line, struct tm_sample *s,
			       const char **why)
{
	static char errbuf[128], buf[512];
	size_t len = strlen(line);
	uint64_t lost;

	/* As the reader gives it: '\n', then digits that are not the line's. */
	memcpy(buf, line, len);
	memset(buf + len, '9', 8);
	buf[len] = '\n';
	return tm_parse_line(buf, len, s, &lost, errbuf, sizeof(errbuf), why);
}

#define L1 "pid 42 usr 1000 sys 2000 ts 3000000000 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10"

static void test_parse_fields(void)
{
	struct tm_sample s;
	const char *why;

	CHECK(parse(L1, &s, &why) == TM_LINE_SAMPLE, "valid line refused");
	CHECK(s.pid == 42 && s.usr == 1000 && s.sys == 2000 &&
	      s.ts == 3000000000ull && s.rss == 4 && s.vsz == 5 &&
	      s.minflt == 6 && s.majflt == 7 && s.nvcsw == 8 &&
	      s.nivcsw == 9 && s.threads == 10 && !s.has_start &&
	      !s.has_comm, "fields of L1 wrong");
	/* Unknown keys, and known ones out of order, are fine. */
	CHECK(parse(L1 " future 77 start 99 comm a\xff" "b", &s, &why) ==
		      TM_LINE_SAMPLE && s.has_start && s.start == 99 &&
		      s.has_comm && !strcmp(s.comm, "a\xff" "b"),
	      "appended keys");
	/* The module's escaping (docs/interface.md), and its empty name. */
	CHECK(parse(L1 " start 5 comm my\\x20\\x5cprog\\x0a\\xc3\\xa9 ppid 1 rbytes 2 wbytes 3",
		    &s, &why) == TM_LINE_SAMPLE && s.has_comm &&
		      !strcmp(s.comm, "my \\prog\n\xc3\xa9") && s.start == 5 &&
		      s.ppid == 1 && s.rbytes == 2 && s.wbytes == 3,
	      "escaped comm, 0.2.0 keys");
	CHECK(s.has_io, "rbytes and wbytes not noted");
	CHECK(parse(L1, &s, &why) == TM_LINE_SAMPLE && s.ppid == 0 &&
		      s.rbytes == 0 && s.wbytes == 0 && !s.has_io,
	      "0.1.0 line after 0.2.0");
	CHECK(!s.has_exit, "exit record without the key");
	/* The exit record: its status is the newest key. */
	CHECK(parse(L1 " start 5 comm x ppid 1 rbytes 2 wbytes 3 exit 137", &s,
		    &why) == TM_LINE_SAMPLE && s.has_exit && s.exit == 137 &&
		      s.wbytes == 3, "exit record");
	CHECK(parse(L1 " start 5 comm x ppid 1 rbytes 2 wbytes 3", &s, &why) ==
		      TM_LINE_SAMPLE && !s.has_exit, "exit kept from the line before");
	CHECK(parse(L1 " exit -1", &s, &why) == TM_LINE_ERROR, "exit -1");
	CHECK(parse(L1 " exit 255", &s, &why) == TM_LINE_SAMPLE && s.exit == 255,
	      "exit 255");
	CHECK(parse(L1 " exit 256", &s, &why) == TM_LINE_ERROR &&
		      strstr(why, "over 255") != NULL,
	      "exit 256");
	/* Both keys or no I/O: a rate needs the two counters. */
	CHECK(parse(L1 " wbytes 3", &s, &why) == TM_LINE_SAMPLE && !s.has_io,
	      "wbytes alone taken for I/O");
	CHECK(parse(L1 " start 5 comm x ppid 1 rbytes 2x wbytes 3", &s,
		    &why) == TM_LINE_ERROR, "bad rbytes");
	CHECK(parse(L1 " start 5 comm \\x00 ppid 1", &s, &why) ==
		      TM_LINE_SAMPLE && s.has_comm && !strcmp(s.comm, ""),
	      "empty comm");
	CHECK(parse("threads 1 nivcsw 1 nvcsw 1 majflt 1 minflt 1 vsz 1 rss 1 ts 1 sys 1 usr 1 pid 1",
		    &s, &why) == TM_LINE_SAMPLE && s.pid == 1, "reversed order");
	/* The largest 64-bit value, and one more. */
	CHECK(parse("pid 1 usr 18446744073709551615 sys 0 ts 1 rss 0 vsz 0 minflt 0 majflt 0 nvcsw 0 nivcsw 0 threads 0",
		    &s, &why) == TM_LINE_SAMPLE && s.usr == UINT64_MAX, "u64 max");
	CHECK(parse("pid 1 usr 18446744073709551616 sys 0 ts 1 rss 0 vsz 0 minflt 0 majflt 0 nvcsw 0 nivcsw 0 threads 0",
		    &s, &why) == TM_LINE_ERROR, "u64 max + 1 accepted");
}

/* Numbers of every length from 1 to 20 digits, against strtoull. */
static void test_parse_lengths(void)
{
	char line[256], digits[24];
	struct tm_sample s;
	const char *why;
	unsigned long long v;
	int len, i, round;

	srand(1);
	for (round = 0; round < 50; round++) {
		for (len = 1; len <= 20; len++) {
			for (i = 0; i < len; i++)
				digits[i] = (char)('0' + (i == 0 && len == 20 ? 1 : rand() % 10));
			digits[len] = '\0';
			snprintf(line, sizeof(line),
				 "pid 3 usr %s sys 1 ts 2 rss %s vsz 0 minflt 0 majflt 0 nvcsw 0 nivcsw 0 threads %s",
				 digits, digits, digits);
			errno = 0;
			v = strtoull(digits, NULL, 10);
			if (errno == ERANGE) {	/* more than 64 bits */
				CHECK(parse(line, &s, &why) == TM_LINE_ERROR,
				      "%s accepted", digits);
				continue;
			}
			CHECK(parse(line, &s, &why) == TM_LINE_SAMPLE &&
			      s.usr == v && s.rss == v && s.threads == v,
			      "%d digits: %s", len, digits);
		}
	}
}

static void test_parse_errors(void)
{
	static const char *const bad[] = {
		"",
		"pid 42",
		"pid 42 usr 1000 sys 2000 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9",
		"pid x usr 1000 sys 2000 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10",
		"pid 0 usr 1000 sys 2000 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10",
		"pid 2147483648 usr 1 sys 2 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10",
		"pid 1 usr -1 sys 2 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10",
		"pid 1 usr 1 sys 2 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10 odd",
		"pid 1 usr 1x sys 2 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10",
		"pid 1  usr 1 sys 2 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9 threads 10",
		"lost x",
	};
	struct tm_sample s;
	const char *why;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(parse(bad[i], &s, &why) == TM_LINE_ERROR,
		      "malformed line %u accepted: %s", i, bad[i]);
	parse("pid 42 usr 1 sys 2 ts 3 rss 4 vsz 5 minflt 6 majflt 7 nvcsw 8 nivcsw 9", &s, &why);
	CHECK(strstr(why, "\"threads\" is missing") != NULL, "why: %s", why);
	parse("pid 42 usr 1 sys z ts 3", &s, &why);
	CHECK(strstr(why, "\"sys\" is not a valid number") != NULL, "why: %s", why);
}

static void test_other_lines(void)
{
	struct tm_sample s;
	char errbuf[64];
	const char *why;
	uint64_t lost = 0;

	CHECK(parse("# boot_time 12.5", &s, &why) == TM_LINE_COMMENT, "comment");
	CHECK(tm_parse_line("lost 17", 7, &s, &lost, errbuf, sizeof(errbuf),
			    &why) == TM_LINE_LOST && lost == 17, "lost 17");
}

static struct tm_sample mk(long pid, uint64_t usr, uint64_t sys, uint64_t ts)
{
	struct tm_sample s = { .pid = pid, .usr = usr, .sys = sys, .ts = ts };

	return s;
}

static void test_same_process(void)
{
	struct tm_sample a = mk(5, 100, 100, 1000), b = mk(5, 200, 100, 2000);

	CHECK(tm_same_process(&a, &b), "a then b");
	b.pid = 6;
	CHECK(!tm_same_process(&a, &b), "other pid");
	b = mk(5, 200, 100, 1000);
	CHECK(!tm_same_process(&a, &b), "time stands still");
	b = mk(5, 200, 100, 900);
	CHECK(!tm_same_process(&a, &b), "time goes back");
	b = mk(5, 99, 100, 2000);
	CHECK(!tm_same_process(&a, &b), "usr goes down");
	b = mk(5, 200, 100, 2000);
	b.nivcsw = 0;
	a.nivcsw = 1;
	CHECK(!tm_same_process(&a, &b), "nivcsw goes down");
	a.nivcsw = 0;
	a.wbytes = 4096;
	CHECK(!tm_same_process(&a, &b), "wbytes goes down");
	b.wbytes = 4096;
	a.rbytes = 1;
	CHECK(!tm_same_process(&a, &b), "rbytes goes down");
	b.rbytes = 1;
	CHECK(tm_same_process(&a, &b), "same I/O counters");
	/* Nothing follows an exit record, even with rising counters. */
	a = mk(5, 100, 100, 1000);
	b = mk(5, 200, 100, 2000);
	a.has_exit = true;
	CHECK(!tm_same_process(&a, &b), "a sample after the exit record");
	a.has_exit = false;
	b.has_exit = true;
	CHECK(tm_same_process(&a, &b), "the exit record after a sample");
	/* With start: it decides alone. */
	a = mk(5, 100, 100, 1000);
	b = mk(5, 200, 100, 2000);
	a.has_start = b.has_start = true;
	a.start = 1;
	b.start = 2;
	CHECK(!tm_same_process(&a, &b), "start differs");
	b.start = 1;
	CHECK(tm_same_process(&a, &b), "same start");
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9 * (fabs(b) + 1);
}

static void test_rates(void)
{
	/* 0.25 s user, 0.5 s system over 0.5 s: 50 %, 100 %, 150 %. */
	struct tm_sample a = mk(1, 1000000000, 0, 10000000000ull);
	struct tm_sample b = mk(1, 1250000000, 500000000, 10500000000ull);
	struct tm_rates r;

	a.minflt = 10, b.minflt = 60;	/* 50 in 0.5 s: 100/s */
	a.majflt = 1, b.majflt = 2;	/* 1 in 0.5 s: 2/s */
	a.nvcsw = 0, b.nvcsw = 5;	/* 10/s */
	a.nivcsw = 3, b.nivcsw = 4;	/* 2/s */
	tm_rates(&a, &b, &r);
	CHECK(near(r.secs, 0.5), "secs %f", r.secs);
	CHECK(near(r.usr_pct, 50) && near(r.sys_pct, 100) && near(r.cpu_pct, 150),
	      "pct %f %f %f", r.usr_pct, r.sys_pct, r.cpu_pct);
	CHECK(near(r.minflt_s, 100) && near(r.majflt_s, 2) &&
	      near(r.cswch_s, 10) && near(r.nvcswch_s, 2), "per second");
	CHECK(!r.has_io, "I/O rates without rbytes and wbytes");
	/* 3 MiB read and 1536 bytes written in 0.5 s: 6144 and 3 KiB/s. */
	a.has_io = b.has_io = true;
	a.rbytes = 1000, b.rbytes = 1000 + 3 * 1048576;
	a.wbytes = 512, b.wbytes = 2048;
	tm_rates(&a, &b, &r);
	CHECK(r.has_io && near(r.rd_kib_s, 6144) && near(r.wr_kib_s, 3),
	      "kB_rd/s %f, kB_wr/s %f", r.rd_kib_s, r.wr_kib_s);
	b.has_io = false;
	tm_rates(&a, &b, &r);
	CHECK(!r.has_io, "I/O rate with one end without rbytes and wbytes");
	/* Four threads flat out for 2 ms: 8 ms of CPU, 400 %. */
	a = mk(1, 0, 0, 1000000);
	b = mk(1, 8000000, 0, 3000000);
	tm_rates(&a, &b, &r);
	CHECK(near(r.cpu_pct, 400), "400 %%: %f", r.cpu_pct);
}

static void test_utf8(void)
{
	CHECK(tm_utf8_len((const unsigned char *)"\xc3\xa9", 2) == 2, "e acute");
	CHECK(tm_utf8_len((const unsigned char *)"\xe2\x82\xac", 3) == 3, "euro");
	CHECK(tm_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4) == 4, "emoji");
	CHECK(tm_utf8_len((const unsigned char *)"\xc0\xaf", 2) == 0, "overlong");
	CHECK(tm_utf8_len((const unsigned char *)"\xed\xa0\x80", 3) == 0, "surrogate");
	CHECK(tm_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4) == 0, "> U+10FFFF");
	CHECK(tm_utf8_len((const unsigned char *)"\xe2\x82", 2) == 0, "truncated");
	CHECK(tm_utf8_len((const unsigned char *)"\xff", 1) == 0, "0xff");
}

/* What FN writes for NAME, in BUF. */
static void capture(void (*fn)(FILE *, const char *), const char *name,
		    char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	fn(f, name);
	fclose(f);
}

static void test_escapes(void)
{
	char buf[128];

	capture(tm_json_str, "a\"b\\c\n\xc3\xa9\xff", buf, sizeof(buf));
	CHECK(!strcmp(buf, "\"a\\\"b\\\\c\\u000a\xc3\xa9\\\\xff\""), "json: %s", buf);
	capture(tm_csv_str, "a,\"b\"\xfe", buf, sizeof(buf));
	CHECK(!strcmp(buf, "\"a,\"\"b\"\"\\xfe\""), "csv: %s", buf);
	capture(tm_prom_str, "a\"\\\n\xff", buf, sizeof(buf));
	CHECK(!strcmp(buf, "a\\\"\\\\\\n\\\\xff"), "prom: %s", buf);
}

/*
 * Line I of the reader test: I % 997 + 1 bytes of one letter, so that
 * lines straddle the reader's refills; the last one has no '\n'.
 */
static void test_reader_offsets(void)
{
	enum { LINES = 6000 };
	FILE *f = tmpfile();
	struct tm_reader r;
	uint64_t off = 0, bad = 0;
	const char *line;
	size_t len;
	int i;

	for (i = 0; i < LINES; i++) {
		int n = i % 997 + 1;

		for (int j = 0; j < n; j++)
			putc('a' + i % 26, f);
		if (i < LINES - 1)
			putc('\n', f);
	}
	fflush(f);
	rewind(f);
	CHECK(!tm_reader_init(&r, fileno(f), "t"), "reader init");
	for (i = 0; (line = tm_reader_line(&r, &len)); i++) {
		if (len != (size_t)(i % 997 + 1) || line[0] != 'a' + i % 26 ||
		    tm_reader_offset(&r, line) != off)
			bad++;
		off += len + 1;
	}
	CHECK(i == LINES && bad == 0, "%d lines, %llu at a wrong offset",
	      i, (unsigned long long)bad);
	tm_reader_free(&r);
	fclose(f);
}

/* What tm_prom_point writes for field VARIANT of family FAM of S. */
static void point(const char *fam, int variant, const struct tm_series *x,
		  const struct tm_sample *s, int64_t boot, bool ts,
		  char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	size_t i;

	for (i = 0; i < tm_nfamilies; i++)
		if (!strcmp(tm_families[i].name, fam))
			tm_prom_point(f, &tm_families[i], variant, x, s, boot, ts);
	fclose(f);
}

static void test_prom_lines(void)
{
	struct tm_series x = { .pid = 7, .comm = "a\xff" "b\"", .has_start = true, .start = 9 };
	struct tm_sample s = { .pid = 7, .sys = 2000000003, .ts = 2500000000u,
			       .rss = 3, .vsz = UINT64_MAX, .majflt = 12 };
	char buf[256];
	FILE *f;

	/* 2000000003 ns = 2.000000003 s; the bad byte as \\xff, " as \". */
	point("taskmonitor_cpu_seconds", 1, &x, &s, 0, false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_cpu_seconds_total{pid=\"7\",comm=\"a\\\\xffb\\\"\",start=\"9\",mode=\"system\"} 2.000000003\n"),
	      "cpu: %s", buf);
	/* 3 KiB = 3072 B; boot 10^9 s + 0.5 s, ts 2.5 s: 1000000003 s. */
	x.has_start = false;
	x.comm = "";
	point("taskmonitor_resident_memory_bytes", 0, &x, &s, 1000000000500000000LL,
	      true, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_resident_memory_bytes{pid=\"7\",comm=\"\"} 3072 1000000003.000000000\n"),
	      "rss: %s", buf);
	/* (2^64 - 1) KiB in bytes does not fit in 64 bits: a float. */
	point("taskmonitor_virtual_memory_bytes", 0, &x, &s, 0, false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_virtual_memory_bytes{pid=\"7\",comm=\"\"} 1.8889465931478581e+22\n"),
	      "vsz: %s", buf);
	point("taskmonitor_page_faults", 1, &x, &s, 0, false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_page_faults_total{pid=\"7\",comm=\"\",type=\"major\"} 12\n"),
	      "majflt: %s", buf);
	/* A boot before the epoch: -1.5 s + 2.5 s; then -1.5 + 0.5 s. */
	point("taskmonitor_last_sample_timestamp_seconds", 0, &x, &s, -1500000000LL,
	      false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_last_sample_timestamp_seconds{pid=\"7\",comm=\"\"} 1.000000000\n"),
	      "wall: %s", buf);
	s.ts = 500000000;
	point("taskmonitor_last_sample_timestamp_seconds", 0, &x, &s, -1500000000LL,
	      false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_last_sample_timestamp_seconds{pid=\"7\",comm=\"\"} -1.000000000\n"),
	      "negative wall: %s", buf);
	/* Bytes as they are; the I/O family only for a line with its keys. */
	s.rbytes = 4097;
	s.wbytes = 123456789012;
	s.has_io = true;
	point("taskmonitor_io_bytes", 1, &x, &s, 0, false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_io_bytes_total{pid=\"7\",comm=\"\",direction=\"write\"} 123456789012\n"),
	      "io write: %s", buf);
	point("taskmonitor_io_bytes", 0, &x, &s, 0, false, buf, sizeof(buf));
	CHECK(!strcmp(buf, "taskmonitor_io_bytes_total{pid=\"7\",comm=\"\",direction=\"read\"} 4097\n"),
	      "io read: %s", buf);
	for (size_t i = 0; i < tm_nfamilies; i++)
		CHECK(tm_prom_has(&tm_families[i], &s), "%s: with I/O keys",
		      tm_families[i].name);
	s.has_io = false;
	for (size_t i = 0; i < tm_nfamilies; i++)
		CHECK(tm_prom_has(&tm_families[i], &s) ==
			      !!strcmp(tm_families[i].name, "taskmonitor_io_bytes"),
		      "%s: without I/O keys", tm_families[i].name);
	/* OpenMetrics names the counter family without _total. */
	f = fmemopen(buf, sizeof(buf), "w");
	tm_prom_family_meta(f, &tm_families[0], true);
	fclose(f);
	CHECK(!strncmp(buf, "# HELP taskmonitor_cpu_seconds ", 31) &&
	      strstr(buf, "\n# TYPE taskmonitor_cpu_seconds counter\n"), "om meta: %s", buf);
	f = fmemopen(buf, sizeof(buf), "w");
	tm_prom_family_meta(f, &tm_families[0], false);
	fclose(f);
	CHECK(strstr(buf, "\n# TYPE taskmonitor_cpu_seconds_total counter\n"), "meta: %s", buf);
}

int main(void)
{
	test_parse_fields();
	test_parse_lengths();
	test_parse_errors();
	test_other_lines();
	test_same_process();
	test_rates();
	test_utf8();
	test_escapes();
	test_reader_offsets();
	test_prom_lines();
	printf("unit: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
