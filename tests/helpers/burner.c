// SPDX-License-Identifier: GPL-2.0
/*
 * burner: a multi-threaded CPU burner whose threads can be paused and told
 * to exit one by one, so that its CPU, memory and context-switch figures
 * can be compared with /proc while they stand still.
 *
 *   burner [-t THREADS] [-m MIB] [-s STATUSFILE] [-p]
 *
 * Worker i burns user time when i is even and system time (reads of
 * /dev/zero) when i is odd, and sleeps briefly every few milliseconds so
 * that it also makes voluntary context switches.  -m touches MIB MiB of
 * anonymous memory before the workers start.  -p starts paused.
 *
 * Signals (handled by the main thread only):
 *   SIGUSR1  one running worker exits (and is joined)
 *   SIGUSR2  pause all workers (they block on a condition variable) or,
 *            when paused, resume them
 *   SIGTERM/SIGINT  exit 0
 *
 * The status file (written whole through a rename) reads
 * "running N" or "paused N", N being the number of live workers; it is
 * only rewritten once the state is reached (every worker parked, the
 * exited worker joined).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int paused;		/* protected by lock */
static int parked;		/* workers blocked because paused */
static int exit_requests;	/* workers asked to leave */
static int live;		/* workers not yet exited */
static const char *status_path;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void write_status(const char *state, int n)
{
	char tmp[4096], buf[64];
	int fd, len;

	if (!status_path)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", status_path);
	len = snprintf(buf, sizeof(buf), "%s %d\n", state, n);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, len) != len) {
		perror("burner: status");
		exit(1);
	}
	close(fd);
	if (rename(tmp, status_path)) {
		perror("burner: rename");
		exit(1);
	}
}

/* Returns 1 when this worker must exit. Parks while paused. */
static int checkpoint(void)
{
	int leave = 0;

	pthread_mutex_lock(&lock);
	for (;;) {
		if (exit_requests > 0) {
			exit_requests--;
			live--;
			leave = 1;
			pthread_cond_broadcast(&cond);
			break;
		}
		if (!paused)
			break;
		parked++;
		pthread_cond_broadcast(&cond);
		while (paused && exit_requests == 0)
			pthread_cond_wait(&cond, &lock);
		parked--;
	}
	pthread_mutex_unlock(&lock);
	return leave;
}

static void *worker(void *arg)
{
	long idx = (long)arg;
	static char zbuf[MAX_THREADS][65536];
	int zfd = -1;
	volatile unsigned long spin = 0;

	if (idx & 1) {
		zfd = open("/dev/zero", O_RDONLY);
		if (zfd < 0) {
			perror("burner: /dev/zero");
			exit(1);
		}
	}
	for (;;) {
		long long end = now_ns() + 4000000;	/* 4 ms of work */
		struct timespec nap = { 0, 200000 };	/* then 0.2 ms asleep */

		while (now_ns() < end) {
			if (zfd >= 0) {
				if (read(zfd, zbuf[idx], sizeof(zbuf[idx])) < 0) {
					perror("burner: read");
					exit(1);
				}
			} else {
				int i;

				for (i = 0; i < 100000; i++)
					spin++;
			}
		}
		nanosleep(&nap, NULL);
		if (checkpoint())
			break;
	}
	if (zfd >= 0)
		close(zfd);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t tids[MAX_THREADS];
	int exited[MAX_THREADS] = { 0 };
	long nthreads = 2, mib = 0, i;
	sigset_t set;
	int opt, sig;

	while ((opt = getopt(argc, argv, "t:m:s:p")) != -1) {
		switch (opt) {
		case 't':
			nthreads = strtol(optarg, NULL, 10);
			break;
		case 'm':
			mib = strtol(optarg, NULL, 10);
			break;
		case 's':
			status_path = optarg;
			break;
		case 'p':
			paused = 1;
			break;
		default:
			fprintf(stderr, "usage: burner [-t N] [-m MIB] [-s FILE] [-p]\n");
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > MAX_THREADS || mib < 0) {
		fprintf(stderr, "burner: bad arguments\n");
		return 2;
	}
	if (mib) {
		size_t len = (size_t)mib << 20, off;
		char *mem = malloc(len);

		if (!mem) {
			perror("burner: malloc");
			return 1;
		}
		for (off = 0; off < len; off += 4096)
			mem[off] = 1;
	}

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL)) {
		fprintf(stderr, "burner: sigmask\n");
		return 1;
	}
	live = nthreads;
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&tids[i], NULL, worker, (void *)i)) {
			fprintf(stderr, "burner: pthread_create\n");
			return 1;
		}
	}
	pthread_mutex_lock(&lock);
	while (paused && parked < live)
		pthread_cond_wait(&cond, &lock);
	write_status(paused ? "paused" : "running", live);
	pthread_mutex_unlock(&lock);

	for (;;) {
		if (sigwait(&set, &sig))
			return 1;
		if (sig == SIGTERM || sig == SIGINT)
			return 0;
		pthread_mutex_lock(&lock);
		if (sig == SIGUSR1 && live > 0) {
			int before = live;

			exit_requests++;
			pthread_cond_broadcast(&cond);
			while (live == before)
				pthread_cond_wait(&cond, &lock);
			pthread_mutex_unlock(&lock);
			/* join whichever worker left */
			for (i = 0; i < nthreads; i++) {
				if (!exited[i] && pthread_tryjoin_np(tids[i], NULL) == 0)
					exited[i] = 1;
			}
			/* the leaver may not be joinable yet: wait for it */
			for (;;) {
				int n = 0;

				for (i = 0; i < nthreads; i++) {
					if (!exited[i] && pthread_tryjoin_np(tids[i], NULL) == 0)
						exited[i] = 1;
					n += !exited[i];
				}
				pthread_mutex_lock(&lock);
				if (n == live) {
					write_status(paused ? "paused" : "running", live);
					pthread_mutex_unlock(&lock);
					break;
				}
				pthread_mutex_unlock(&lock);
				usleep(1000);
			}
			continue;
		}
		if (sig == SIGUSR2) {
			paused = !paused;
			pthread_cond_broadcast(&cond);
			if (paused) {
				while (parked < live)
					pthread_cond_wait(&cond, &lock);
			}
			write_status(paused ? "paused" : "running", live);
		}
		pthread_mutex_unlock(&lock);
	}
}
