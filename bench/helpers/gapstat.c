// SPDX-License-Identifier: GPL-2.0
/*
 * gapstat -i INTERVAL_NS [-H HISTFILE] [FILE]: read a taskmonitor history
 * (FILE or stdin; grouped by task, oldest first) and print, on stdout,
 * the distribution of the gaps between consecutive ts of the same task:
 *   tasks= gaps= interval= mean= p50= p99= max= min= span=
 *   seg1..seg6= (mean gap in each sixth of the time span: drift shows as
 *   a trend) late= (gaps longer than 1.5 intervals: missed deadlines)
 *   ontime= (mean of the gaps of at most 1.5 intervals: no deadline missed)
 *   ph1..ph6= (median phase, in each sixth, of the on-time samples against
 *   the grid of deadlines of their task, each sample's ts minus its task's
 *   first, modulo the interval, in -interval/2..interval/2: a sampler that
 *   keeps to absolute deadlines keeps its phase, one that sleeps an
 *   interval after each sweep drifts by the sweep's duration every time)
 * All times in ns; percentiles have 1 us resolution up to 10 intervals or
 * 1 s, whichever is longer.  With -H, write a
 * histogram (bins of interval/50 up to 3 intervals, then one bin for the
 * rest) as "gap_us count" lines to HISTFILE.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NSEG	6

static uint64_t *hist;		/* 1 us bins */
static uint64_t nbins;
static uint64_t over;		/* gaps past the last bin */

/* The value after the key @key in @line, or -1. */
static int64_t field(const char *line, const char *key)
{
	size_t klen = strlen(key);
	const char *p = line;

	while ((p = strstr(p, key))) {
		if ((p == line || p[-1] == ' ') && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
		p += klen;
	}
	return -1;
}

int main(int argc, char **argv)
{
	uint64_t interval = 0, n = 0, tasks = 0, late = 0, i, acc, k;
	uint64_t segn[NSEG] = { 0 }, p50 = 0, p99 = 0;
	double sum = 0, segsum[NSEG] = { 0 }, onsum = 0;
	uint64_t onn = 0, phn[NSEG] = { 0 }, *phh, phbins;
	int64_t ts0 = 0, *gt0 = NULL;
	int64_t prev_pid = -1, pid, ts, prev_ts = 0, first = -1, last = -1;
	uint64_t gap, min = UINT64_MAX, max = 0;
	const char *histfile = NULL;
	static char line[1024];
	uint64_t *gaps = NULL;
	int64_t *gts = NULL;
	size_t cap = 0;
	FILE *in = stdin;
	int opt;

	while ((opt = getopt(argc, argv, "i:H:")) != -1) {
		switch (opt) {
		case 'i':
			interval = strtoull(optarg, NULL, 10);
			break;
		case 'H':
			histfile = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (!interval || optind < argc - 1)
		goto usage;
	if (optind == argc - 1) {
		in = fopen(argv[optind], "r");
		if (!in) {
			perror(argv[optind]);
			return 1;
		}
	}
	/* 1 us bins up to 10 intervals or 1 s, whichever is longer. */
	nbins = (interval * 10 > 1000000000 ? interval * 10 : 1000000000) / 1000 + 1;
	hist = calloc(nbins, sizeof(*hist));
	if (!hist)
		return 1;

	/* First pass: gaps and their times, kept for the segment means. */
	while (fgets(line, sizeof(line), in)) {
		pid = field(line, "pid");
		ts = field(line, "ts");
		if (pid < 0 || ts < 0)
			continue;
		if (first < 0 || ts < first)
			first = ts;
		if (ts > last)
			last = ts;
		if (pid != prev_pid) {
			tasks++;
			prev_pid = pid;
			prev_ts = ts;
			ts0 = ts;
			continue;
		}
		gap = ts - prev_ts;
		prev_ts = ts;
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			gaps = realloc(gaps, cap * sizeof(*gaps));
			gts = realloc(gts, cap * sizeof(*gts));
			gt0 = realloc(gt0, cap * sizeof(*gt0));
			if (!gaps || !gts || !gt0)
				return 1;
		}
		gaps[n] = gap;
		gts[n] = ts;
		gt0[n] = ts0;
		n++;
		sum += gap;
		if (gap < min)
			min = gap;
		if (gap > max)
			max = gap;
		if (gap * 2 > interval * 3)
			late++;
		if (gap / 1000 < nbins)
			hist[gap / 1000]++;
		else
			over++;
	}
	if (!n) {
		printf("tasks=%llu gaps=0\n", (unsigned long long)tasks);
		return 1;
	}
	/* Phase histograms, 1 us bins over -interval/2..interval/2. */
	phbins = interval / 1000 + 1;
	phh = calloc(NSEG * phbins, sizeof(*phh));
	if (!phh)
		return 1;
	for (i = 0; i < n; i++) {
		int64_t ph;

		k = (uint64_t)(gts[i] - first) * NSEG / (uint64_t)(last - first + 1);
		segsum[k] += gaps[i];
		segn[k]++;
		if (gaps[i] * 2 > interval * 3)
			continue;
		onsum += gaps[i];
		onn++;
		ph = (gts[i] - gt0[i]) % (int64_t)interval;
		if (ph > (int64_t)interval / 2)
			ph -= interval;
		phh[k * phbins + (ph + (int64_t)interval / 2) / 1000]++;
		phn[k]++;
	}
	for (i = 0, acc = 0; i < nbins; i++) {
		acc += hist[i];
		if (!p50 && acc * 2 >= n)
			p50 = i * 1000 + 500;
		if (!p99 && acc * 100 >= n * 99)
			p99 = i * 1000 + 500;
	}
	/* A bin's middle may lie past the largest gap seen. */
	if (!p50 || p50 > max)
		p50 = max;
	if (!p99 || p99 > max)
		p99 = max;

	printf("tasks=%llu gaps=%llu interval=%llu mean=%.0f p50=%llu p99=%llu max=%llu min=%llu span=%lld late=%llu",
	       (unsigned long long)tasks, (unsigned long long)n,
	       (unsigned long long)interval, sum / n,
	       (unsigned long long)p50, (unsigned long long)p99,
	       (unsigned long long)max, (unsigned long long)min,
	       (long long)(last - first), (unsigned long long)late);
	for (i = 0; i < NSEG; i++)
		printf(" seg%llu=%.0f", (unsigned long long)i + 1,
		       segn[i] ? segsum[i] / segn[i] : 0.0);
	printf(" ontime=%.0f", onn ? onsum / onn : 0.0);
	for (i = 0; i < NSEG; i++) {
		int64_t med = 0;

		for (k = 0, acc = 0; k < phbins && phn[i]; k++) {
			acc += phh[i * phbins + k];
			if (acc * 2 >= phn[i]) {
				med = (int64_t)k * 1000 + 500 - (int64_t)interval / 2;
				break;
			}
		}
		printf(" ph%llu=%lld", (unsigned long long)i + 1, (long long)med);
	}
	printf("\n");

	if (histfile) {
		uint64_t width = interval / 50, bin, top = 3 * interval;
		FILE *h = fopen(histfile, "w");

		if (!h || !width) {
			perror(histfile);
			return 1;
		}
		for (bin = 0; bin < top; bin += width) {
			uint64_t c = 0, us;

			for (us = bin / 1000; us < (bin + width) / 1000 && us < nbins; us++)
				c += hist[us];
			fprintf(h, "%.1f %llu\n", (bin + width / 2) / 1000.0,
				(unsigned long long)c);
		}
		for (acc = 0, i = top / 1000; i < nbins; i++)
			acc += hist[i];
		fprintf(h, "%.1f %llu\n", (top + width / 2) / 1000.0,
			(unsigned long long)(acc + over));
		fclose(h);
	}
	return 0;
usage:
	fprintf(stderr, "usage: gapstat -i INTERVAL_NS [-H HISTFILE] [FILE]\n");
	return 2;
}
