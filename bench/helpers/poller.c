// SPDX-License-Identifier: GPL-2.0
/*
 * poller -i INTERVAL_US -k SWEEPS PIDFILE: the minimal user-space monitor
 * the benchmark compares taskmonitor with.  Every interval (absolute
 * deadlines, missed ones skipped like the module does) it opens, reads
 * and closes /proc/PID/stat and /proc/PID/statm of every PID listed in
 * PIDFILE and parses the CPU times and memory sizes out of them, as top,
 * htop and pidstat do.  After SWEEPS sweeps it prints, on stdout,
 *   sweeps=<n> samples=<task-samples> missed=<deadlines skipped>
 *
 * poller -i INTERVAL_US -a SEENFILE: the same for every process, as top
 * does: each interval it lists /proc and reads the two files of every PID
 * there, until SIGTERM or SIGINT.  It prints "ready" once its first sweep
 * is done, and at the end the line above and, in SEENFILE, each PID it
 * read at least once, one a line: the processes it saw at all.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "readsmall.h"

static unsigned long long sink;

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

/* Reads PID's two files; 0 when both were read. */
static int sample(int pid)
{
	char buf[1024], path[64];

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof(buf)))
		return -1;
	parse_stat(buf);
	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	if (read_small(path, buf, sizeof(buf)))
		return -1;
	parse_statm(buf);
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleeps until @deadline, moved past the deadlines missed (counted). */
static void wait_deadline(long long *deadline, long long interval,
			  long *missed, volatile sig_atomic_t *stop)
{
	struct timespec ts;
	long long t;

	*deadline += interval;
	t = now_ns();
	if (*deadline <= t) {
		long long skip = (t - *deadline) / interval + 1;

		*missed += skip;
		*deadline += skip * interval;
	}
	ts.tv_sec = *deadline / 1000000000LL;
	ts.tv_nsec = *deadline % 1000000000LL;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) &&
	       !(stop && *stop))
		;
}

static volatile sig_atomic_t stopped;

static void on_stop(int sig)
{
	(void)sig;
	stopped = 1;
}

/* A bit per PID up to pid_max: the PIDs read at least once. */
static unsigned char *seen;
static long seen_max;

static int poll_all(long long interval, const char *seenfile)
{
	long long deadline = now_ns();
	long sweeps = 0, samples = 0, missed = 0, pid;
	struct sigaction sa = { .sa_handler = on_stop };
	struct dirent *d;
	FILE *f;
	DIR *proc;

	f = fopen("/proc/sys/kernel/pid_max", "r");
	if (!f || fscanf(f, "%ld", &seen_max) != 1 || seen_max <= 0) {
		perror("/proc/sys/kernel/pid_max");
		return 1;
	}
	fclose(f);
	seen = calloc(seen_max / 8 + 1, 1);
	if (!seen)
		return 1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!stopped) {
		proc = opendir("/proc");
		if (!proc) {
			perror("/proc");
			return 1;
		}
		while ((d = readdir(proc))) {
			if (!isdigit((unsigned char)d->d_name[0]))
				continue;
			pid = atol(d->d_name);
			if (pid >= seen_max || sample(pid))
				continue;
			seen[pid / 8] |= 1 << (pid % 8);
			samples++;
		}
		closedir(proc);
		if (!sweeps++)
			printf("ready\n");
		wait_deadline(&deadline, interval, &missed, &stopped);
	}
	f = fopen(seenfile, "w");
	if (!f) {
		perror(seenfile);
		return 1;
	}
	for (pid = 0; pid < seen_max; pid++)
		if (seen[pid / 8] & (1 << (pid % 8)))
			fprintf(f, "%ld\n", pid);
	free(seen);
	if (fclose(f)) {
		perror(seenfile);
		return 1;
	}
	printf("sweeps=%ld samples=%ld missed=%ld sink=%llu\n", sweeps,
	       samples, missed, sink & 1);
	return 0;
}

int main(int argc, char **argv)
{
	long long interval = 0, deadline;
	long sweeps = 0, done, n = 0, cap = 64, i, samples = 0, missed = 0;
	const char *seenfile = NULL;
	int *pids, pid, opt;
	FILE *f;

	while ((opt = getopt(argc, argv, "i:k:a:")) != -1) {
		switch (opt) {
		case 'i':
			interval = atoll(optarg) * 1000;
			break;
		case 'k':
			sweeps = atol(optarg);
			break;
		case 'a':
			seenfile = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (seenfile && optind == argc && interval > 0)
		return poll_all(interval, seenfile);
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
		for (i = 0; i < n; i++)
			if (!sample(pids[i]))
				samples++;
		if (done == sweeps - 1)
			break;
		wait_deadline(&deadline, interval, &missed, NULL);
	}
	free(pids);
	printf("sweeps=%ld samples=%ld missed=%ld sink=%llu\n", sweeps,
	       samples, missed, sink & 1);
	return 0;
usage:
	fprintf(stderr, "usage: poller -i INTERVAL_US -k SWEEPS PIDFILE | -i INTERVAL_US -a SEENFILE\n");
	return 2;
}
