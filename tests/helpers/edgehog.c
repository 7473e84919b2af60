// SPDX-License-Identifier: GPL-2.0
/*
 * edgehog: take anonymous memory until the machine is at the edge of
 * OOM, hold it, give it back.
 *
 *   edgehog [-f FLOOR_MIB] [-H HOLD_MS] [-r]
 *
 * Allocates and touches 1 MiB at a time while MemAvailable in
 * /proc/meminfo stays above FLOOR_MIB (default 32).  With -r it then goes
 * on, a MiB every 20 ms, until kswapd has run shrinkers (slabs_scanned in
 * /proc/vmstat grew) or free memory is 2 MiB above the zones' low
 * watermarks (/proc/zoneinfo), where kswapd must wake.  It holds the
 * memory for HOLD_MS (default 3000) ms, touching it again now and then
 * and giving 4 MiB back whenever free memory comes within 2 MiB of the
 * min watermarks, and frees it.  It sets its own oom_score_adj to 1000:
 * should the OOM killer come after all, it takes the hog.  Prints
 * "edgehog: took N MiB, MemAvailable min M MiB, slabs scanned S".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024)

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

/* Sum of the "min" or "low" watermarks of every zone, in KiB. */
static long watermark_kb(const char *which)
{
	char line[256], key[32];
	long v, sum = 0;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " %31s %ld", key, &v) == 2 && !strcmp(key, which))
			sum += v;
	fclose(f);
	return sum * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A new MiB of anonymous memory, touched so that it is resident; or NULL. */
static char *take_mib(void)
{
	char *p = mmap(NULL, MIB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x5a, MIB);
	return p;
}

static long mem_available_mib(void)
{
	long kb = proc_value("/proc/meminfo", "MemAvailable:");

	return kb < 0 ? -1 : kb / 1024;
}

int main(int argc, char **argv)
{
	long floor_mib = 32, hold_ms = 3000, n = 0, cap = 65536, i, avail, min_avail;
	long scanned0, low_kb, min_kb, backoffs = 0;
	int reclaim = 0;
	char **chunks;
	FILE *f;
	int opt;

	while ((opt = getopt(argc, argv, "f:H:r")) != -1) {
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
		default:
			fprintf(stderr, "usage: edgehog [-f FLOOR_MIB] [-H HOLD_MS] [-r]\n");
			return 2;
		}
	}
	f = fopen("/proc/self/oom_score_adj", "w");
	if (f) {
		fputs("1000\n", f);
		fclose(f);
	}
	chunks = calloc(cap, sizeof(*chunks));
	if (!chunks)
		return 2;
	min_avail = mem_available_mib();
	scanned0 = proc_value("/proc/vmstat", "slabs_scanned");
	low_kb = watermark_kb("low");
	min_kb = watermark_kb("min");
	while (n < cap) {
		avail = mem_available_mib();
		if (avail >= 0 && avail < min_avail)
			min_avail = avail;
		if (avail >= 0 && avail <= floor_mib)
			break;
		chunks[n] = take_mib();
		if (!chunks[n])
			break;
		n++;
	}
	/* Past the floor, slowly, until kswapd runs the shrinkers. */
	while (reclaim && n < cap &&
	       proc_value("/proc/vmstat", "slabs_scanned") == scanned0 &&
	       proc_value("/proc/meminfo", "MemFree:") > low_kb + 2048) {
		struct timespec ts = { 0, 20 * 1000000L };

		chunks[n] = take_mib();
		if (!chunks[n])
			break;
		n++;
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < hold_ms / 100; i++) {
		struct timespec ts = { 0, 100 * 1000000L };
		long j;

		for (j = i % 8; j < n; j += 8)
			chunks[j][(i * 4096) % MIB] ^= 1;
		/* Too close to the OOM killer: step back a little. */
		if (proc_value("/proc/meminfo", "MemFree:") < watermark_kb("min") + 2048) {
			for (j = 0; j < 4 && n > 0; j++)
				munmap(chunks[--n], MIB);
			backoffs++;
		}
		avail = mem_available_mib();
		if (avail >= 0 && avail < min_avail)
			min_avail = avail;
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < n; i++)
		munmap(chunks[i], MIB);
	printf("edgehog: took %ld MiB, MemAvailable min %ld MiB, slabs scanned %ld, backed off %ld times (watermarks: min %ld low %ld KiB)\n",
	       n, min_avail, proc_value("/proc/vmstat", "slabs_scanned") - scanned0,
	       backoffs, min_kb, low_kb);
	return 0;
}
