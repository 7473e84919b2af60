// SPDX-License-Identifier: GPL-2.0
/*
 * poller -i INTERVAL_US -k SWEEPS PIDFILE: the minimal user-space monitor
 * the benchmark compares taskmonitor with.  Every interval (absolute
 * deadlines, missed ones skipped like the module does) it opens, reads
 * and closes /proc/PID/stat and /proc/PID/statm of every PID listed in
 * PIDFILE and parses the CPU times and memory sizes out of them, as top,
 * htop and pidstat do.  After SWEEPS sweeps it prints, on stdout,
 *   sweeps=<n> samples=<task-samples> missed=<deadlines skipped>
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long sink;

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* utime and stime are fields 14 and 15, counted after the comm's ')'. */
static void parse_stat(const char *buf)
{
	const char *p = strrchr(buf, ')');
	int field = 2;

	if (!p)
		return;
	while (*p && field < 13) {
		if (*p++ == ' ')
			field++;
	}
	sink += strtoull(p + 1, (char **)&p, 10);
	sink += strtoull(p, NULL, 10);
}

static void parse_statm(const char *buf)
{
	char *p;

	sink += strtoull(buf, &p, 10);
	sink += strtoull(p, NULL, 10);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long interval = 0, deadline, t;
	long sweeps = 0, done, n = 0, cap = 64, i, samples = 0, missed = 0;
	char buf[1024], path[64];
	struct timespec ts;
	int *pids, pid, opt;
	FILE *f;

	while ((opt = getopt(argc, argv, "i:k:")) != -1) {
		switch (opt) {
		case 'i':
			interval = atoll(optarg) * 1000;
			break;
		case 'k':
			sweeps = atol(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || interval <= 0 || sweeps <= 0)
		goto usage;
	f = fopen(argv[optind], "r");
	if (!f) {
		perror(argv[optind]);
		return 1;
	}
	pids = malloc(cap * sizeof(*pids));
	while (pids && fscanf(f, "%d", &pid) == 1) {
		if (n == cap)
			pids = realloc(pids, (cap *= 2) * sizeof(*pids));
		if (pids)
			pids[n++] = pid;
	}
	fclose(f);
	if (!pids)
		return 1;

	deadline = now_ns();
	for (done = 0; done < sweeps; done++) {
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "/proc/%d/stat", pids[i]);
			if (read_file(path, buf, sizeof(buf)))
				continue;
			parse_stat(buf);
			snprintf(path, sizeof(path), "/proc/%d/statm", pids[i]);
			if (read_file(path, buf, sizeof(buf)))
				continue;
			parse_statm(buf);
			samples++;
		}
		if (done == sweeps - 1)
			break;
		deadline += interval;
		t = now_ns();
		if (deadline <= t) {
			long long skip = (t - deadline) / interval + 1;

			missed += skip;
			deadline += skip * interval;
		}
		ts.tv_sec = deadline / 1000000000LL;
		ts.tv_nsec = deadline % 1000000000LL;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
			;
	}
	printf("sweeps=%ld samples=%ld missed=%ld sink=%llu\n", sweeps,
	       samples, missed, sink & 1);
	return 0;
usage:
	fprintf(stderr, "usage: poller -i INTERVAL_US -k SWEEPS PIDFILE\n");
	return 2;
}
