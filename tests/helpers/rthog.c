// SPDX-License-Identifier: GPL-2.0
/*
 * rthog: keeps every online CPU busy at SCHED_FIFO priority for a while,
 * so that no SCHED_NORMAL task (the sampling kthread among them) can run
 * meanwhile: a stall of the sampler made to order.
 *
 *   rthog MS
 *
 * One child per CPU, pinned to it, spins until MS milliseconds have passed
 * since the start, then exits; rthog waits for them all and exits 0, or 1
 * when a child could not be pinned or made real-time.  MS is kept well
 * under the kernel's real-time throttling budget (sched_rt_runtime_us,
 * 950 ms a second by default), which would let other tasks run.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int spin_on(int cpu, long long until)
{
	struct sched_param sp = { .sched_priority = 50 };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("rthog: sched_setaffinity");
		return 1;
	}
	if (sched_setscheduler(0, SCHED_FIFO, &sp)) {
		perror("rthog: sched_setscheduler");
		return 1;
	}
	while (now_ns() < until)
		;
	return 0;
}

int main(int argc, char **argv)
{
	long ms = argc == 2 ? strtol(argv[1], NULL, 10) : 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct sched_param parent = { .sched_priority = 60 };
	long long until;
	int cpu, status, rc = 0;

	if (ms <= 0 || ms > 800 || cpus < 1) {
		fprintf(stderr, "usage: rthog MS (1..800)\n");
		return 2;
	}
	/* Above the children, so that they cannot hold up their siblings' fork. */
	if (sched_setscheduler(0, SCHED_FIFO, &parent)) {
		perror("rthog: sched_setscheduler");
		return 1;
	}
	until = now_ns() + ms * 1000000LL;
	for (cpu = 0; cpu < cpus; cpu++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("rthog: fork");
			return 1;
		}
		if (pid == 0)
			_exit(spin_on(cpu, until));
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	return rc;
}
