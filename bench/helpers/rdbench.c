// SPDX-License-Identifier: GPL-2.0
/*
 * rdbench [-l] FILE: read FILE to its end with 128 KiB read() calls (the
 * buffer GNU cat uses) and print, on stdout,
 *   bytes=<n> ns=<elapsed, CLOCK_MONOTONIC, open to close>
 * With -l, also count the lines (outside the timed loop: a second pass
 * would change nothing for the file, so they are counted afterwards from
 * a separate read) and print lines=<n>.
 *
 * wrtime FILE STRING (the same binary called as wrtime, or rdbench -w):
 * one write() of STRING to FILE, printing ns=<time the write took>.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUFSZ	(128 * 1024)

static char buf[BUFSZ];

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int do_write(const char *path, const char *s)
{
	long long t0, t1;
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	t0 = now_ns();
	n = write(fd, s, strlen(s));
	t1 = now_ns();
	close(fd);
	if (n != (ssize_t)strlen(s)) {
		perror(path);
		return 1;
	}
	printf("ns=%lld\n", t1 - t0);
	return 0;
}

int main(int argc, char **argv)
{
	long long bytes = 0, lines = 0, t0, t1;
	int count = 0, fd;
	const char *path;
	ssize_t n;

	if (strstr(argv[0], "wrtime") || (argc == 4 && !strcmp(argv[1], "-w"))) {
		if (argc - (argc == 4) != 3) {
			fprintf(stderr, "usage: wrtime FILE STRING\n");
			return 2;
		}
		return do_write(argv[argc - 2], argv[argc - 1]);
	}
	if (argc == 3 && !strcmp(argv[1], "-l"))
		count = 1;
	else if (argc != 2) {
		fprintf(stderr, "usage: rdbench [-l] FILE\n");
		return 2;
	}
	path = argv[argc - 1];

	t0 = now_ns();
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, BUFSZ)) > 0)
		bytes += n;
	close(fd);
	t1 = now_ns();
	if (n < 0) {
		perror(path);
		return 1;
	}
	printf("bytes=%lld ns=%lld", bytes, t1 - t0);
	if (count) {
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		while ((n = read(fd, buf, BUFSZ)) > 0) {
			char *p = buf, *end = buf + n;

			while ((p = memchr(p, '\n', end - p))) {
				lines++;
				p++;
			}
		}
		close(fd);
		printf(" lines=%lld", lines);
	}
	printf("\n");
	return 0;
}
