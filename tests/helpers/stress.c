// SPDX-License-Identifier: GPL-2.0
/*
 * stress: parallel readers, writers, reclaim and knob changes against a
 * loaded taskmonitor, checking every answer.
 *
 *   stress -d SECONDS [-r READS -w WRITES -T MAX_SECONDS] [-n POOL]
 *          [-D DEBUGFS_FILE] [-V DEVICE] [-S SYSFS_FILE] [-M PARAMDIR]
 *
 * It runs for SECONDS, then on until the readers have done READS whole
 * reads and the writers WRITES writes (a slow kernel does less in the
 * same time), MAX_SECONDS in all at most.
 *
 * It forks POOL (default 16) idle processes, a process whose threads come
 * and go, and keeps forking short-lived processes.  Then, in parallel:
 *  - one reader per history file: whole reads with random read() sizes,
 *    sometimes abandoned mid-file; every line must parse, and the samples
 *    of one pid must come with strictly increasing ts (none twice);
 *  - a sysfs reader: one read() is at most 4095 bytes, whole lines, ts
 *    never decreasing;
 *  - two writers adding and removing pool, short-lived and thread-churning
 *    processes on both files; the only acceptable answers are OK, EEXIST,
 *    ESRCH for an add, OK, ENOENT for a removal, EINVAL for garbage;
 *  - drop_caches (2) every 50-200 ms;
 *  - interval_ms, max_samples and sysfs stop/start changed every 50-150 ms;
 *    the initial values are put back at the end and sampling restarted.
 * Prints counters; exits 0 if no check failed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tmline.h"

#define MAX_POOL 256
#define CHURN_SLOTS 16

static const char *dbg_path, *dev_path, *sys_path, *param_dir;
static int pool_n = 16;
static pid_t pool[MAX_POOL];
static pid_t threader;
static _Atomic pid_t churn[CHURN_SLOTS];
static atomic_int stop_all;
static atomic_long errors, reads_done, lines_seen, writes_done, drops_done,
		   knobs_done, sysreads_done, churned;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "stress: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	atomic_fetch_add(&errors, 1);
}

static void msleep_rand(unsigned int *seed, int lo, int hi)
{
	int ms = lo + (int)(rand_r(seed) % (unsigned int)(hi - lo + 1));
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int e;

	if (fd < 0)
		return errno;
	n = write(fd, s, strlen(s));
	e = n < 0 ? errno : 0;
	close(fd);
	return e;
}

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* pid -> last ts seen, open addressing */
#define HSIZE 8192
struct pidts { unsigned long long pid, ts; };

static int check_text(const char *who, char *buf, size_t used, int sysfs)
{
	static __thread struct pidts tab[HSIZE];
	unsigned long long prev_ts = 0;
	char *p = buf, *end = buf + used;
	long lines = 0;

	memset(tab, 0, sizeof(tab));
	if (used && buf[used - 1] != '\n') {
		fail("%s: partial last line (%zu bytes)", who, used);
		return -1;
	}
	while (p < end) {
		char *nl = memchr(p, '\n', end - p);
		size_t len = nl - p;
		unsigned long long v[TM_NKEYS];

		if (tm_parse_line(p, len, v)) {
			fail("%s: bad line %ld", who, lines + 1);
			fprintf(stderr, "stress:   '%.*s'\n", (int)len, p);
			return -1;
		}
		if (sysfs) {
			if (v[TM_TS] < prev_ts) {
				fail("%s: ts goes back at line %ld", who, lines + 1);
				return -1;
			}
			prev_ts = v[TM_TS];
		} else {
			unsigned long h = (unsigned long)(v[TM_PID] * 2654435761u) % HSIZE;

			while (tab[h].pid && tab[h].pid != v[TM_PID])
				h = (h + 1) % HSIZE;
			if (tab[h].pid && v[TM_TS] <= tab[h].ts) {
				fail("%s: a sample of pid %ld repeated or out of order",
				     who, (long)v[TM_PID]);
				return -1;
			}
			tab[h].pid = v[TM_PID];
			tab[h].ts = v[TM_TS];
		}
		lines++;
		p = nl + 1;
	}
	atomic_fetch_add(&lines_seen, lines);
	return 0;
}

static void *reader(void *arg)
{
	const char *path = arg;
	unsigned int seed = (unsigned int)(uintptr_t)arg ^ (unsigned int)time(NULL);
	size_t cap = 1 << 20;
	char *buf = malloc(cap);

	while (!atomic_load(&stop_all)) {
		size_t used = 0, bs = 1 + rand_r(&seed) % 16384;
		int abandon = rand_r(&seed) % 8 == 0;
		int fd = open(path, O_RDONLY);

		if (fd < 0) {
			fail("open %s: %s", path, strerror(errno));
			break;
		}
		for (;;) {
			ssize_t n;

			if (cap - used < bs) {
				cap = cap * 2 + bs;
				buf = realloc(buf, cap);
				if (!buf)
					abort();
			}
			n = read(fd, buf + used, bs);
			if (n < 0) {
				fail("read %s: %s", path, strerror(errno));
				break;
			}
			if (n == 0)
				break;
			used += n;
			if (abandon && used > 4096)
				break;
		}
		close(fd);
		if (!abandon)
			check_text(path, buf, used, 0);
		atomic_fetch_add(&reads_done, 1);
	}
	free(buf);
	return NULL;
}

static void *sys_reader(void *arg)
{
	char buf[65536];

	(void)arg;
	while (!atomic_load(&stop_all)) {
		int fd = open(sys_path, O_RDONLY);
		ssize_t n;

		if (fd < 0) {
			fail("open %s: %s", sys_path, strerror(errno));
			break;
		}
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n < 0) {
			fail("read %s: %s", sys_path, strerror(errno));
			break;
		}
		if (n > 4095)
			fail("%s: one read returned %ld bytes", sys_path, (long)n);
		check_text(sys_path, buf, n, 1);
		atomic_fetch_add(&sysreads_done, 1);
	}
	return NULL;
}

static pid_t pick_pid(unsigned int *seed)
{
	int r = rand_r(seed) % 10;

	if (r < 6)
		return pool[rand_r(seed) % pool_n];
	if (r < 9)
		return atomic_load(&churn[rand_r(seed) % CHURN_SLOTS]);
	return threader;
}

static void *writer(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg * 7919u + (unsigned int)time(NULL);
	static const char *const garbage[] = {
		"", " ", "\n", "0", "-0", "+0", "++1", "+-1", "1 2", "12x", "-", "--1",
		"99999999999", "0x10", "1\n\n",
	};

	while (!atomic_load(&stop_all)) {
		const char *path = (rand_r(&seed) & 1) && dev_path ? dev_path : dbg_path;
		char cmd[64];
		int e, g = rand_r(&seed) % 20 == 0;
		pid_t pid = pick_pid(&seed);
		int remove = rand_r(&seed) % 3 == 0;

		if (!path)
			path = dev_path;
		if (g) {
			const char *s = garbage[rand_r(&seed) % (sizeof(garbage) / sizeof(garbage[0]))];

			e = write_str(path, s);
			if (e != EINVAL)
				fail("garbage '%s' on %s gave '%s', not EINVAL", s, path, strerror(e));
		} else if (pid > 0) {
			snprintf(cmd, sizeof(cmd), "%s%d%s", remove ? "-" : "",
				 (int)pid, rand_r(&seed) & 1 ? "\n" : "");
			e = write_str(path, cmd);
			if (remove ? (e && e != ENOENT)
				   : (e && e != EEXIST && e != ESRCH))
				fail("write '%s' on %s gave '%s'", cmd, path, strerror(e));
		}
		atomic_fetch_add(&writes_done, 1);
		msleep_rand(&seed, 0, 5);
	}
	return NULL;
}

static void *dropper(void *arg)
{
	unsigned int seed = 12345;

	(void)arg;
	while (!atomic_load(&stop_all)) {
		int e = write_str("/proc/sys/vm/drop_caches", "2");

		if (e)
			fail("drop_caches: %s", strerror(e));
		atomic_fetch_add(&drops_done, 1);
		msleep_rand(&seed, 50, 200);
	}
	return NULL;
}

static char path_interval[512], path_max[512];
static char old_interval[64], old_max[64];

static void *knobs(void *arg)
{
	static const char *const ivals[] = { "1", "2", "5", "10", "20", "50" };
	static const char *const caps[] = { "0", "3", "50", "1000", "65536" };
	unsigned int seed = 777;

	(void)arg;
	while (!atomic_load(&stop_all)) {
		int r = rand_r(&seed) % 3, e = 0;

		if (r == 0 && param_dir)
			e = write_str(path_interval, ivals[rand_r(&seed) % 6]);
		else if (r == 1 && param_dir)
			e = write_str(path_max, caps[rand_r(&seed) % 5]);
		else if (sys_path)
			e = write_str(sys_path, rand_r(&seed) & 1 ? "stop\n" : "start");
		if (e)
			fail("knob write: %s", strerror(e));
		atomic_fetch_add(&knobs_done, 1);
		msleep_rand(&seed, 50, 150);
	}
	return NULL;
}

static void *churner(void *arg)
{
	unsigned int seed = 4242;
	int slot = 0;

	(void)arg;
	while (!atomic_load(&stop_all)) {
		pid_t p = fork();

		if (p == 0) {
			struct timespec ts = { 0, 20000000L + (long)(rand_r(&seed) % 80) * 1000000L };

			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (p > 0) {
			atomic_store(&churn[slot], p);
			slot = (slot + 1) % CHURN_SLOTS;
			atomic_fetch_add(&churned, 1);
		}
		/* reap whatever finished */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		msleep_rand(&seed, 5, 30);
	}
	return NULL;
}

static void *tiny(void *arg)
{
	volatile int i;

	for (i = 0; i < 100000; i++)
		;
	return arg;
}

static void thread_churn(void)
{
	for (;;) {
		pthread_t t[4];
		int i;

		for (i = 0; i < 4; i++)
			if (pthread_create(&t[i], NULL, tiny, NULL))
				t[i] = 0;
		for (i = 0; i < 4; i++)
			if (t[i])
				pthread_join(t[i], NULL);
		usleep(2000);
	}
}

int main(int argc, char **argv)
{
	pthread_t th[16];
	int nth = 0, opt, i, secs = 10, max_secs = 0;
	long min_reads = 0, min_writes = 0;

	while ((opt = getopt(argc, argv, "d:r:w:T:n:D:V:S:M:")) != -1) {
		switch (opt) {
		case 'd':
			secs = atoi(optarg);
			break;
		case 'r':
			min_reads = atol(optarg);
			break;
		case 'w':
			min_writes = atol(optarg);
			break;
		case 'T':
			max_secs = atoi(optarg);
			break;
		case 'n':
			pool_n = atoi(optarg);
			break;
		case 'D':
			dbg_path = optarg;
			break;
		case 'V':
			dev_path = optarg;
			break;
		case 'S':
			sys_path = optarg;
			break;
		case 'M':
			param_dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: stress -d SECS [-r READS -w WRITES -T MAX_SECS] [-n POOL] [-D F] [-V F] [-S F] [-M DIR]\n");
			return 2;
		}
	}
	if (pool_n < 1 || pool_n > MAX_POOL || (!dbg_path && !dev_path)) {
		fprintf(stderr, "stress: bad arguments\n");
		return 2;
	}
	if (param_dir) {
		snprintf(path_interval, sizeof(path_interval), "%s/interval_ms", param_dir);
		snprintf(path_max, sizeof(path_max), "%s/max_samples", param_dir);
		if (read_small(path_interval, old_interval, sizeof(old_interval)) ||
		    read_small(path_max, old_max, sizeof(old_max))) {
			fprintf(stderr, "stress: cannot read parameters\n");
			return 1;
		}
	}
	for (i = 0; i < pool_n; i++) {
		pool[i] = fork();
		if (pool[i] == 0) {
			for (;;)
				pause();
		}
	}
	threader = fork();
	if (threader == 0)
		thread_churn();
	for (i = 0; i < pool_n; i++) {
		char cmd[32];

		snprintf(cmd, sizeof(cmd), "%d", (int)pool[i]);
		write_str(dbg_path ? dbg_path : dev_path, cmd);
	}
	if (dbg_path)
		pthread_create(&th[nth++], NULL, reader, (void *)dbg_path);
	if (dev_path)
		pthread_create(&th[nth++], NULL, reader, (void *)dev_path);
	if (sys_path)
		pthread_create(&th[nth++], NULL, sys_reader, NULL);
	pthread_create(&th[nth++], NULL, writer, (void *)1);
	pthread_create(&th[nth++], NULL, writer, (void *)2);
	pthread_create(&th[nth++], NULL, dropper, NULL);
	pthread_create(&th[nth++], NULL, knobs, NULL);
	pthread_create(&th[nth++], NULL, churner, NULL);

	sleep(secs);
	while (secs++ < max_secs && (atomic_load(&reads_done) < min_reads ||
				     atomic_load(&writes_done) < min_writes))
		sleep(1);
	atomic_store(&stop_all, 1);
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);

	if (param_dir) {
		if (write_str(path_interval, old_interval) || write_str(path_max, old_max))
			fail("restoring parameters failed");
	}
	if (sys_path && write_str(sys_path, "start"))
		fail("writing start to %s failed", sys_path);
	for (i = 0; i < pool_n; i++)
		kill(pool[i], SIGKILL);
	kill(threader, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	printf("stress: reads %ld lines %ld sysreads %ld writes %ld drops %ld knobs %ld churned %ld errors %ld\n",
	       atomic_load(&reads_done), atomic_load(&lines_seen),
	       atomic_load(&sysreads_done), atomic_load(&writes_done),
	       atomic_load(&drops_done), atomic_load(&knobs_done),
	       atomic_load(&churned), atomic_load(&errors));
	return atomic_load(&errors) ? 1 : 0;
}
