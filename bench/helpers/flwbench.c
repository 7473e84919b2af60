// SPDX-License-Identifier: GPL-2.0
/*
 * flwbench: the CPU cost of getting the new samples, by following or by
 * re-reading the whole history.
 *
 *   flwbench -f -d SECONDS FILE   follow FILE ("follow" written to it):
 *                                 read what it holds, then, for SECONDS,
 *                                 every new line as it comes
 *   flwbench -r -n PASSES FILE    read FILE from start to end PASSES
 *                                 times, as a poller re-reading the
 *                                 whole history every interval would
 *
 * Prints "lines=<n> lost=<n> reads=<n> cpu_ns=<n>" for the measured part
 * only (-f: after the history there was at the start; -r: all the
 * passes).  The CPU time is the first field of /proc/self/schedstat, the
 * scheduler's sum_exec_runtime, user and kernel time together, as the
 * benchmark reads the module's kthread: under -icount, instructions.
 * Reads are of 128 KiB, the buffer GNU cat uses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ (128 * 1024)

static char buf[BUFSZ];

static unsigned long long cpu_ns(void)
{
	unsigned long long c = 0;
	FILE *f = fopen("/proc/self/schedstat", "r");

	if (!f || fscanf(f, "%llu", &c) != 1) {
		perror("/proc/self/schedstat");
		exit(1);
	}
	fclose(f);
	return c;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Counts the lines of buf[0..n), and the lost lines' counts in *lost. */
static long count(ssize_t n, long *lost)
{
	long lines = 0;
	ssize_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] != '\n')
			continue;
		lines++;
		if (i + 1 < n && !strncmp(buf + i + 1, "lost ", 5))
			*lost += atol(buf + i + 6);
	}
	return lines;
}

static int follow(const char *path, double secs)
{
	long lines = 0, lost = 0, reads = 0;
	unsigned long long c0;
	double end;
	ssize_t n;
	int fd = open(path, O_RDWR | O_NONBLOCK);

	if (fd < 0 || write(fd, "follow", 6) != 6) {
		perror(path);
		return 1;
	}
	/* The history so far is not the point: drain it first. */
	while (read(fd, buf, BUFSZ) > 0)
		;
	if (errno != EAGAIN || fcntl(fd, F_SETFL, 0)) {
		perror("flwbench: drain");
		return 1;
	}
	c0 = cpu_ns();
	end = now() + secs;
	while (now() < end) {
		n = read(fd, buf, BUFSZ);
		if (n <= 0) {
			perror("flwbench: read");
			return 1;
		}
		reads++;
		lines += count(n, &lost);
	}
	printf("lines=%ld lost=%ld reads=%ld cpu_ns=%llu\n", lines, lost,
	       reads, cpu_ns() - c0);
	return 0;
}

static int reread(const char *path, long passes)
{
	long lines = 0, lost = 0, reads = 0, p;
	unsigned long long c0 = cpu_ns();
	ssize_t n;

	for (p = 0; p < passes; p++) {
		int fd = open(path, O_RDONLY);

		if (fd < 0) {
			perror(path);
			return 1;
		}
		while ((n = read(fd, buf, BUFSZ)) > 0) {
			reads++;
			lines += count(n, &lost);
		}
		close(fd);
	}
	printf("lines=%ld lost=%ld reads=%ld cpu_ns=%llu\n", lines, lost,
	       reads, cpu_ns() - c0);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, mode = 0;
	double secs = 0;
	long passes = 0;

	while ((opt = getopt(argc, argv, "frd:n:")) != -1) {
		switch (opt) {
		case 'f':
		case 'r':
			mode = opt;
			break;
		case 'd':
			secs = atof(optarg);
			break;
		case 'n':
			passes = atol(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	if (mode == 'f' && secs > 0)
		return follow(argv[optind], secs);
	if (mode == 'r' && passes > 0)
		return reread(argv[optind], passes);
usage:
	fprintf(stderr, "usage: flwbench -f -d SECONDS FILE | -r -n PASSES FILE\n");
	return 2;
}
