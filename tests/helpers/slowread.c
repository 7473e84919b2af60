// SPDX-License-Identifier: GPL-2.0
/*
 * slowread: read a history file a few bytes at a time with pauses, so
 * that the reader stands on a sample across read() calls for a long time
 * while the sampler and the shrinker trim histories under it.
 *
 *   slowread [-b BS] [-p PAUSE_MS] -d SECONDS FILE
 *
 * Reads BS bytes (default 97) per read(), sleeping PAUSE_MS (default 20)
 * between reads; at the end of the file it opens it again.  Every whole
 * line must be a well-formed sample line, and within one pass the samples
 * of one pid must come with strictly increasing ts.  Prints
 * "slowread: passes P lines L"; exits 1 at the first bad line.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmline.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long bs = 97, pause_ms = 20, passes = 0, lines = 0;
	unsigned long long last_pid = 0, last_ts = 0;
	static char line[4096];
	size_t have = 0;
	double secs = 0, end;
	char *buf;
	int opt, fd;

	while ((opt = getopt(argc, argv, "b:p:d:")) != -1) {
		switch (opt) {
		case 'b':
			bs = atol(optarg);
			break;
		case 'p':
			pause_ms = atol(optarg);
			break;
		case 'd':
			secs = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || bs < 1 || secs <= 0)
		goto usage;
	buf = malloc(bs);
	if (!buf)
		return 2;
	end = now() + secs;
	fd = open(argv[optind], O_RDONLY);
	if (fd < 0) {
		perror(argv[optind]);
		return 1;
	}
	while (now() < end) {
		ssize_t n = read(fd, buf, bs), i;
		struct timespec ts = { pause_ms / 1000, pause_ms % 1000 * 1000000L };

		if (n < 0) {
			perror("slowread: read");
			return 1;
		}
		if (n == 0) {
			/* A new pass: the order checks start again. */
			close(fd);
			fd = open(argv[optind], O_RDONLY);
			if (fd < 0) {
				perror(argv[optind]);
				return 1;
			}
			passes++;
			last_pid = 0;
			have = 0;
			continue;
		}
		for (i = 0; i < n; i++) {
			unsigned long long v[TM_NKEYS];

			if (buf[i] != '\n') {
				if (have >= sizeof(line)) {
					fprintf(stderr, "slowread: line too long\n");
					return 1;
				}
				line[have++] = buf[i];
				continue;
			}
			if (tm_parse_line(line, have, v)) {
				fprintf(stderr, "slowread: bad line: %.*s\n", (int)have, line);
				return 1;
			}
			if (v[TM_PID] == last_pid && v[TM_TS] <= last_ts) {
				fprintf(stderr, "slowread: pid %llu: ts %llu after %llu\n",
					v[TM_PID], v[TM_TS], last_ts);
				return 1;
			}
			last_pid = v[TM_PID];
			last_ts = v[TM_TS];
			have = 0;
			lines++;
		}
		nanosleep(&ts, NULL);
	}
	close(fd);
	printf("slowread: passes %ld lines %ld\n", passes, lines);
	return 0;

usage:
	fprintf(stderr, "usage: slowread [-b BS] [-p PAUSE_MS] -d SECONDS FILE\n");
	return 2;
}
