// SPDX-License-Identifier: GPL-2.0
/*
 * sleepers N PIDFILE: fork N children that sleep in pause() until killed,
 * write their PIDs to PIDFILE (one per line, complete once it exists),
 * then wait.  SIGTERM or SIGINT kills the children and ends the helper;
 * the children also die with it (PR_SET_PDEATHSIG) if it is killed.
 * These are the monitored tasks of the benchmark: idle, tiny processes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t mask, old;
	char tmp[4096];
	pid_t *kids;
	long i, n;
	FILE *f;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: sleepers N PIDFILE\n");
		return 2;
	}
	kids = calloc(n, sizeof(*kids));
	if (!kids)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, &old);

	for (i = 0; i < n; i++) {
		kids[i] = fork();
		if (kids[i] < 0) {
			perror("sleepers: fork");
			n = i;
			stop = 1;
			break;
		}
		if (kids[i] == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			for (;;)
				pause();
		}
	}
	if (!stop) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
		f = fopen(tmp, "w");
		if (!f) {
			perror(tmp);
			stop = 1;
		} else {
			for (i = 0; i < n; i++)
				fprintf(f, "%d\n", (int)kids[i]);
			if (fclose(f) || rename(tmp, argv[2])) {
				perror(argv[2]);
				stop = 1;
			}
		}
	}
	while (!stop)
		sigsuspend(&old);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
