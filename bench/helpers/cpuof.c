// SPDX-License-Identifier: GPL-2.0
/*
 * cpuof CMD [ARG...]: run CMD and print, on stderr,
 *   cpu_ns=<CPU time> wall_ns=<elapsed> status=<exit status>
 * The CPU time is the first field of /proc/PID/schedstat (the scheduler's
 * sum_exec_runtime, in ns), read once CMD has exited but before it is
 * reaped (waitid with WNOWAIT), so that it covers CMD's whole life and is
 * read exactly the way the benchmark reads the module's kthread.
 */
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

int main(int argc, char **argv)
{
	unsigned long long cpu = 0;
	char path[64];
	long long t0, t1;
	siginfo_t info;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: cpuof CMD [ARG...]\n");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("cpuof: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (waitid(P_PID, pid, &info, WEXITED | WNOWAIT)) {
		perror("cpuof: waitid");
		return 1;
	}
	t1 = now_ns();
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &cpu) != 1) {
		perror(path);
		return 1;
	}
	fclose(f);
	waitpid(pid, &status, 0);
	fprintf(stderr, "cpu_ns=%llu wall_ns=%lld status=%d\n", cpu, t1 - t0,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
