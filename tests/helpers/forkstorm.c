// SPDX-License-Identifier: GPL-2.0
/*
 * forkstorm: processes that fork, exec and exit as fast as they can while
 * each new one is added to taskmonitor (and some removed again), so that
 * the sampler keeps meeting processes in every stage of their life.
 *
 *   forkstorm -d SECONDS [-w WORKERS] FILE...
 *
 * Each of WORKERS (default 3) processes loops until the time is up: it
 * forks a child that, at random, exits at once, execs /bin/true, execs a
 * shell, runs a few ms, forks an orphan grandchild, or starts threads and
 * then ends its main thread first (pthread_exit: a zombie leader whose
 * threads run on).  The parent writes the child's PID to one of FILEs
 * (the debugfs file, /dev/taskmonitor) at once or after a moment,
 * sometimes "-PID" before or after reaping it.
 * Accepted answers: OK, ESRCH or EEXIST for an add, OK or ENOENT for a
 * removal (docs/interface.md).  Prints counters; exit 1 on any other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

static const char *files[8];
static int nfiles;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *spin(void *arg)
{
	double end = now() + (long)arg / 1000.0;

	while (now() < end)
		;
	return NULL;
}

static void child(unsigned int *seed)
{
	pthread_t t;
	long i, n;

	switch (rand_r(seed) % 7) {
	case 0:
		_exit(0);
	case 1:
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	case 2:
		execl("/bin/sh", "sh", "-c", ":", (char *)NULL);
		_exit(127);
	case 3:
		spin((void *)(long)(1 + rand_r(seed) % 5));
		_exit(0);
	case 4:
		if (fork() == 0) {
			spin((void *)3L);
			_exit(0);
		}
		_exit(0);
	default:
		n = 1 + rand_r(seed) % 4;
		for (i = 0; i < n; i++)
			pthread_create(&t, NULL, spin, (void *)(long)(1 + rand_r(seed) % 8));
		if (rand_r(seed) & 1)
			pthread_exit(NULL);	/* leader gone, threads run on */
		spin((void *)2L);
		_exit(0);
	}
}

/* Writes "PID" or "-PID"; returns 0 or errno. */
static int tm_write(const char *file, long pid, int remove)
{
	char buf[24];
	int fd, n, e = 0;

	n = snprintf(buf, sizeof(buf), "%s%ld\n", remove ? "-" : "", pid);
	fd = open(file, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, buf, n) != n)
		e = errno;
	close(fd);
	return e;
}

static int worker(int id, double end)
{
	unsigned int seed = 1234 + id;
	long forks = 0, adds = 0, added = 0, removes = 0, bad = 0;

	while (now() < end) {
		const char *file = files[rand_r(&seed) % nfiles];
		int late = rand_r(&seed) % 3, rm = rand_r(&seed) % 3, e;
		pid_t p = fork();

		if (p < 0) {
			usleep(1000);
			continue;
		}
		if (p == 0)
			child(&seed);
		forks++;
		if (late == 1)
			usleep(rand_r(&seed) % 3000);
		else if (late == 2)
			waitpid(p, NULL, 0);
		e = tm_write(file, p, 0);
		adds++;
		if (e == 0)
			added++;
		else if (e != ESRCH && e != EEXIST) {
			fprintf(stderr, "forkstorm: add %d to %s: %s\n", p, file, tm_errname(e));
			bad++;
		}
		if (rm == 0) {
			e = tm_write(file, p, 1);
			removes++;
			if (e != 0 && e != ENOENT) {
				fprintf(stderr, "forkstorm: remove %d from %s: %s\n", p, file, tm_errname(e));
				bad++;
			}
		}
		if (late != 2)
			waitpid(p, NULL, 0);
		if (rm == 1) {
			e = tm_write(file, p, 1);
			removes++;
			if (e != 0 && e != ENOENT) {
				fprintf(stderr, "forkstorm: remove %d from %s: %s\n", p, file, tm_errname(e));
				bad++;
			}
		}
	}
	printf("forkstorm: worker %d: forks %ld adds %ld added %ld removes %ld bad %ld\n",
	       id, forks, adds, added, removes, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	int workers = 3, opt, i, st, rc = 0;
	double secs = 10, end;

	while ((opt = getopt(argc, argv, "d:w:")) != -1) {
		switch (opt) {
		case 'd':
			secs = atof(optarg);
			break;
		case 'w':
			workers = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	for (; optind < argc && nfiles < 8; optind++)
		files[nfiles++] = argv[optind];
	if (!nfiles || workers < 1)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	end = now() + secs;
	for (i = 0; i < workers; i++) {
		if (fork() == 0)
			exit(worker(i, end));
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			rc = 1;
	return rc;

usage:
	fprintf(stderr, "usage: forkstorm -d SECONDS [-w WORKERS] FILE...\n");
	return 2;
}
