// SPDX-License-Identifier: GPL-2.0
/*
 * edgehog: take anonymous memory until the machine is at the edge of
 * OOM, hold it there, give it back.
 *
 *   edgehog [-f FLOOR_MIB] [-H HOLD_MS] [-r [-W WAIT_MS]]
 *
 * Allocates and touches 1 MiB at a time while MemAvailable in
 * /proc/meminfo stays above FLOOR_MIB (default 32).  With -r it then
 * steers the free memory of the largest zone (/proc/zoneinfo) into the
 * band between its low and min watermarks, off the band's last quarter
 * above min: below the low watermark every page it faults in wakes
 * kswapd, which reclaims (and runs the shrinkers) until the zone is back
 * at its high watermark; above the min watermark no allocation has to
 * reclaim directly, so the OOM killer has no reason to come.  It stays in
 * that band until kswapd has run shrinkers (slabs_scanned in
 * /proc/vmstat grew) or WAIT_MS (default 120000: the way there is slow
 * in a debug kernel on a busy host) have passed, then holds the memory
 * for HOLD_MS (default 3000) ms, still steering, touching it again now
 * and then, and frees it.  Without -r it only holds what it took.  It sets
 * its own oom_score_adj to 1000: should the OOM killer come after all,
 * it takes the hog.  Prints "edgehog: took N MiB, MemAvailable min M MiB,
 * slabs scanned S, ...".
 *
 * The band is per zone, not MemFree against the sum of the watermarks:
 * the small DMA zone's free pages are held back by its lowmem reserve,
 * so MemFree can look comfortable while the zone that every allocation
 * comes from is at its min watermark.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024)
#define STEP (MIB / 4)
#define MAX_CHUNKS 262144

/* The largest zone's free pages and watermarks, in KiB. */
struct zone_state {
	long free, min, low;
};

struct hog {
	char *chunk[MAX_CHUNKS];
	size_t len[MAX_CHUNKS];
	long n;
	long bytes;
	long gave_back;
};

/* A "KEY value" number of FILE (/proc/meminfo, /proc/vmstat), or -1. */
static long proc_value(const char *file, const char *key)
{
	char line[128], fmt[64];
	long v = -1;
	FILE *f = fopen(file, "r");

	if (!f)
		return -1;
	snprintf(fmt, sizeof(fmt), "%s %%ld", key);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, fmt, &v) == 1)
			break;
	fclose(f);
	return v;
}

/*
 * Reads the zone with the most managed pages from /proc/zoneinfo, where
 * a zone's "pages free", "min" and "low" lines (boost included) come
 * before its "managed" line.  Returns 0, or -1 if there is none.
 */
static int largest_zone(struct zone_state *z)
{
	long v, free = 0, min = 0, low = 0, best = -1;
	long kib = sysconf(_SC_PAGESIZE) / 1024;
	char line[256], key[32];
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " pages free %ld", &v) == 1)
			free = v;
		else if (sscanf(line, " %31s %ld", key, &v) != 2)
			continue;
		else if (!strcmp(key, "min"))
			min = v;
		else if (!strcmp(key, "low"))
			low = v;
		else if (!strcmp(key, "managed") && v > best) {
			best = v;
			z->free = free * kib;
			z->min = min * kib;
			z->low = low * kib;
		}
	}
	fclose(f);
	return best < 0 ? -1 : 0;
}

/* Takes @len bytes more and touches them; returns 0 or -1. */
static int take(struct hog *h, size_t len)
{
	char *p;

	if (h->n == MAX_CHUNKS)
		return -1;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	memset(p, 0x5a, len);
	h->chunk[h->n] = p;
	h->len[h->n++] = len;
	h->bytes += len;
	return 0;
}

/* Gives the newest chunk back. */
static void give(struct hog *h)
{
	if (h->n == 0)
		return;
	h->n--;
	munmap(h->chunk[h->n], h->len[h->n]);
	h->bytes -= h->len[h->n];
	h->gave_back++;
}

/*
 * One step towards the band between the largest zone's min and low
 * watermarks.  Above the low watermark's last quarter MiB: half the way
 * to it (a quarter MiB at least; reading /proc/zoneinfo is slow in a
 * debug kernel, so not a quarter MiB per look).  Below the guard, a
 * quarter of the band above the min watermark: chunks back, as much as
 * it is below and a quarter MiB more.  The guard is there because the
 * rest of the machine allocates between two looks of the hog, and a
 * debug kernel (KASAN, kmemleak) allocates a lot: the band should be a
 * few MiB wide (vm.watermark_scale_factor).
 */
static void steer(struct hog *h)
{
	struct zone_state z;
	long over, guard;

	if (largest_zone(&z))
		return;
	over = (z.free - z.low) * 1024 + STEP;
	guard = z.min + (z.low - z.min) / 4;
	if (z.free < guard) {
		long back = h->bytes - ((guard - z.free) * 1024 + STEP);

		while (h->n && h->bytes > back)
			give(h);
	} else if (over > 0) {
		take(h, over / 2 / STEP * STEP + STEP);
	}
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct hog hog;

int main(int argc, char **argv)
{
	long floor_mib = 32, hold_ms = 3000, i, avail, min_avail, end;
	long wait_ms = 120000, scanned0, start, to_shrinker_ms = -1;
	int reclaim = 0, opt;
	FILE *f;

	while ((opt = getopt(argc, argv, "f:H:rW:")) != -1) {
		switch (opt) {
		case 'f':
			floor_mib = atol(optarg);
			break;
		case 'H':
			hold_ms = atol(optarg);
			break;
		case 'r':
			reclaim = 1;
			break;
		case 'W':
			wait_ms = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: edgehog [-f FLOOR_MIB] [-H HOLD_MS] [-r [-W WAIT_MS]]\n");
			return 2;
		}
	}
	f = fopen("/proc/self/oom_score_adj", "w");
	if (f) {
		fputs("1000\n", f);
		fclose(f);
	}
	min_avail = proc_value("/proc/meminfo", "MemAvailable:") / 1024;
	scanned0 = proc_value("/proc/vmstat", "slabs_scanned");
	for (;;) {
		avail = proc_value("/proc/meminfo", "MemAvailable:") / 1024;
		if (avail < min_avail)
			min_avail = avail;
		if (avail <= floor_mib || take(&hog, MIB))
			break;
	}
	/* Into the band until a shrinker has run, for WAIT_MS at most. */
	start = now_ms();
	end = start + wait_ms;
	while (reclaim && now_ms() < end &&
	       proc_value("/proc/vmstat", "slabs_scanned") == scanned0) {
		steer(&hog);
		pause_ms(5);
	}
	if (reclaim)
		to_shrinker_ms = now_ms() - start;
	for (i = 0, end = now_ms() + hold_ms; now_ms() < end; i++) {
		long j;

		for (j = i % 8; j < hog.n; j += 8)
			hog.chunk[j][(i * 4096) % hog.len[j]] ^= 1;
		if (reclaim)
			steer(&hog);
		avail = proc_value("/proc/meminfo", "MemAvailable:") / 1024;
		if (avail < min_avail)
			min_avail = avail;
		pause_ms(reclaim ? 5 : 100);
	}
	printf("edgehog: took %ld MiB, MemAvailable min %ld MiB, slabs scanned %ld, gave back %ld times, %ld ms to the first shrinker\n",
	       hog.bytes / MIB, min_avail,
	       proc_value("/proc/vmstat", "slabs_scanned") - scanned0,
	       hog.gave_back, to_shrinker_ms);
	while (hog.n)
		give(&hog);
	return 0;
}
