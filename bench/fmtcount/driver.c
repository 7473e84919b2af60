// SPDX-License-Identifier: GPL-2.0
/*
 * driver.c: calls the module's tm_format_sample(), as compiled for a
 * kernel (tm_format.o), on bench-like lines, so that callgrind can count
 * its instructions in user space.  With any argument it formats nothing:
 * the difference between the two runs is the formatting alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The layout of struct task_sample in src/tm_sample.h. */
struct task_sample {
	void *next;
	int ref;
	uint32_t threads;
	uint64_t ts, utime, stime, rss, vsz, minflt, majflt, nvcsw, nivcsw;
};

size_t tm_format_sample(char *buf, pid_t nr, const struct task_sample *s);

#define LINES 100000

int main(int argc, char **argv)
{
	static char buf[400];
	struct task_sample s = { 0 };
	size_t bytes = 0;
	int i, n = argc > 1 ? 0 : LINES;

	(void)argv;
	/* A sleeper of the bench: 12-digit ts, small counters. */
	s.stime = 1000000;
	s.rss = 300;
	s.vsz = 1100;
	s.minflt = 40;
	s.nvcsw = 3;
	s.nivcsw = 1;
	s.threads = 1;
	for (i = 0; i < n; i++) {
		s.ts = 228353843000ULL + i * 1000003ULL;
		bytes += tm_format_sample(buf, 1000 + i % 1000, &s);
	}
	printf("lines=%d bytes=%zu\n", n, bytes);
	return 0;
}
