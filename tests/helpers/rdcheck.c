// SPDX-License-Identifier: GPL-2.0
/*
 * rdcheck: read a taskmonitor file with read(2) calls of a given size and
 * check what came back.
 *
 *   rdcheck [-b BS] [-1] [-g|-t] [-o OUTFILE] FILE
 *
 * -b BS   size of each read() (default 65536)
 * -1      do one read() only (a sysfs read)
 * -g      debugfs/device order: the lines of one pid form one contiguous
 *         run, with ts strictly increasing inside it
 * -t      sysfs order: ts non-decreasing over the whole output
 * -o F    also save the bytes read to F
 *
 * Every line must be a well-formed sample line ending in '\n'.
 * Prints "bytes B lines L reads R maxread M ns T pids P" and exits 0 if
 * all checks passed, 1 with a reason on stderr otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmline.h"

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#define MAX_PIDS 65536

int main(int argc, char **argv)
{
	size_t bs = 65536, cap = 1 << 20, used = 0, maxread = 0;
	int opt, once = 0, grouped = 0, ordered = 0, fd, err = 0;
	const char *out = NULL;
	long long t0, t1;
	unsigned long reads = 0, lines = 0, npids = 0;
	static unsigned long long seen[MAX_PIDS];
	unsigned long long prev_pid = 0, prev_ts = 0;
	char *buf, *p, *end;

	while ((opt = getopt(argc, argv, "b:1gto:")) != -1) {
		switch (opt) {
		case 'b':
			bs = strtoul(optarg, NULL, 10);
			break;
		case '1':
			once = 1;
			break;
		case 'g':
			grouped = 1;
			break;
		case 't':
			ordered = 1;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			fprintf(stderr, "usage: rdcheck [-b BS] [-1] [-g|-t] [-o F] FILE\n");
			return 2;
		}
	}
	if (optind != argc - 1 || bs == 0) {
		fprintf(stderr, "rdcheck: bad arguments\n");
		return 2;
	}
	fd = open(argv[optind], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "rdcheck: open %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	buf = malloc(cap);
	if (!buf)
		return 1;
	t0 = now_ns();
	for (;;) {
		ssize_t n;

		while (cap - used < bs) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				return 1;
		}
		n = read(fd, buf + used, bs);
		if (n < 0) {
			fprintf(stderr, "rdcheck: read: %s\n", strerror(errno));
			return 1;
		}
		reads++;
		if ((size_t)n > maxread)
			maxread = n;
		used += n;
		if (n == 0 || once)
			break;
	}
	t1 = now_ns();
	close(fd);
	if (out) {
		FILE *f = fopen(out, "w");

		if (!f || fwrite(buf, 1, used, f) != used || fclose(f)) {
			fprintf(stderr, "rdcheck: cannot write %s\n", out);
			return 1;
		}
	}
	if (used && buf[used - 1] != '\n') {
		fprintf(stderr, "rdcheck: output does not end with a newline (partial line)\n");
		err = 1;
	}
	for (p = buf, end = buf + used; p < end && !err; ) {
		char *nl = memchr(p, '\n', end - p);
		unsigned long long v[TM_NKEYS];
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (tm_parse_line(p, len, v)) {
			fprintf(stderr, "rdcheck: bad line %lu: '%.*s'\n",
				lines + 1, (int)len, p);
			err = 1;
			break;
		}
		lines++;
		if (grouped) {
			if (lines > 1 && v[TM_PID] == prev_pid) {
				if (v[TM_TS] <= prev_ts) {
					fprintf(stderr, "rdcheck: line %lu: pid %llu ts %llu not after %llu\n",
						lines, v[TM_PID], v[TM_TS], prev_ts);
					err = 1;
				}
			} else {
				unsigned long i;

				for (i = 0; i < npids; i++) {
					if (seen[i] == v[TM_PID]) {
						fprintf(stderr, "rdcheck: line %lu: pid %llu appears in two runs\n",
							lines, v[TM_PID]);
						err = 1;
					}
				}
				if (npids < MAX_PIDS)
					seen[npids++] = v[TM_PID];
			}
		} else if (ordered && lines > 1 && v[TM_TS] < prev_ts) {
			fprintf(stderr, "rdcheck: line %lu: ts %llu before previous %llu\n",
				lines, v[TM_TS], prev_ts);
			err = 1;
		}
		if (!grouped) {
			unsigned long i;

			for (i = 0; i < npids && seen[i] != v[TM_PID]; i++)
				;
			if (i == npids && npids < MAX_PIDS)
				seen[npids++] = v[TM_PID];
		}
		prev_pid = v[TM_PID];
		prev_ts = v[TM_TS];
		p += len + 1;
	}
	printf("bytes %zu lines %lu reads %lu maxread %zu ns %lld pids %lu\n",
	       used, lines, reads, maxread, t1 - t0, npids);
	return err;
}
