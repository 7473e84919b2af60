/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h: reading a taskmonitor history (docs/interface.md) as a stream
 * of samples, cut into the histories of single processes, and the rates
 * of the interval between two samples of one process.
 */
#ifndef TMCTL_HIST_H
#define TMCTL_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TM_COMM_MAX 64

/* One sample line.  Cumulative counters never go down within a process. */
struct tm_sample {
	long pid;
	uint64_t usr, sys;	/* ns */
	uint64_t ts;		/* CLOCK_BOOTTIME, ns */
	uint64_t rss, vsz;	/* KiB */
	uint64_t minflt, majflt, nvcsw, nivcsw;
	uint64_t threads;
	uint64_t start;		/* the kernel's start time, when the line has it */
	/* Since 0.2.0, 0 in older lines; read through the key table, so
	 * that a 0.2.0 line's last keys take its fast path too. */
	uint64_t ppid, rbytes, wbytes;
	uint64_t exit;		/* the exit record's status, when has_exit */
	bool has_start;
	bool has_comm;
	bool has_io;		/* the line has both rbytes and wbytes */
	bool has_exit;		/* the line is an exit record (`exit`) */
	char comm[TM_COMM_MAX];	/* raw bytes of the `comm` key, NUL-ended */
};

/* What one line of a history is. */
enum tm_line_kind {
	TM_LINE_SAMPLE,
	TM_LINE_COMMENT,	/* '#': saved-file headers and notes */
	TM_LINE_LOST,		/* follow mode's "lost N" */
	TM_LINE_ERROR,
};

/*
 * tm_parse_line - parse one line (without its '\n') of LEN bytes.  The
 * byte at LINE[LEN] must be readable and not a digit (in lines from
 * tm_reader_line, it is the '\n'): a number's digits are scanned up to
 * the first non-digit, without a bound check.
 * Fills *s for a sample, *lost for a loss report.  On TM_LINE_ERROR,
 * *why says what is wrong (a static string or ERRBUF).
 */
enum tm_line_kind tm_parse_line(const char *line, size_t len,
				struct tm_sample *s, uint64_t *lost,
				char *errbuf, size_t errlen, const char **why);

/*
 * tm_same_process - may B follow A in the history of one process?  No when
 * A is an exit record (its process's last sample), when the PID differs,
 * when both carry `start` and it differs, when time does not go forward
 * or when a cumulative counter goes down (a reused PID).
 */
/* The value of lower-case hex digit C (as comm's \xHH escapes use), or -1. */
int tm_hex_digit(char c);

bool tm_same_process(const struct tm_sample *a, const struct tm_sample *b);

/* The rates of the interval from A to B (B later, same process). */
struct tm_rates {
	double secs;		/* length of the interval */
	double usr_pct, sys_pct, cpu_pct;
	double minflt_s, majflt_s, cswch_s, nvcswch_s;
	/* KiB read and written per second; only if has_io (both samples
	 * have rbytes and wbytes: version 0.2.0 on). */
	bool has_io;
	double rd_kib_s, wr_kib_s;
};

void tm_rates(const struct tm_sample *a, const struct tm_sample *b,
	      struct tm_rates *r);

/*
 * A history reader: buffered reads from a file descriptor, one line at
 * a time, counting lines for error messages.
 */
struct tm_reader {
	int fd;
	const char *name;	/* for messages */
	char *buf;
	size_t cap, start, end;
	uint64_t off;		/* offset in the input of buf[0] */
	unsigned long lineno;
	bool eof;
};

int tm_reader_init(struct tm_reader *r, int fd, const char *name);
void tm_reader_free(struct tm_reader *r);
/*
 * tm_reader_line - the next line, without its '\n'; its length in *len.
 * NULL at the end; NULL with errno set on a read error.
 */
const char *tm_reader_line(struct tm_reader *r, size_t *len);
/* The offset in the input of LINE, which tm_reader_line() just gave. */
uint64_t tm_reader_offset(const struct tm_reader *r, const char *line);

#endif
