// SPDX-License-Identifier: GPL-2.0
/*
 * zombiekid: fork a child that sleeps until it is killed, and do not reap
 * it until told, so that the child can be observed as a zombie.
 *
 *   zombiekid PIDFILE
 *
 * Writes the child's PID to PIDFILE (whole, through a rename).  The child
 * just waits in pause() and dies of any fatal signal (SIGTERM), turning
 * into a zombie because the parent blocks SIGCHLD handling.
 * SIGUSR1 to the parent: reap the child (waitpid) and append "reaped" to
 * PIDFILE.reaped.  SIGTERM to the parent: exit 0 (killing the child).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char tmp[4096], buf[32];
	sigset_t set;
	pid_t child;
	int fd, len, sig;

	if (argc != 2) {
		fprintf(stderr, "usage: zombiekid PIDFILE\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	child = fork();
	if (child < 0) {
		perror("zombiekid: fork");
		return 1;
	}
	if (child == 0) {
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		for (;;)
			pause();
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	len = snprintf(buf, sizeof(buf), "%d\n", (int)child);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, len) != len || close(fd) ||
	    rename(tmp, argv[1])) {
		perror("zombiekid: pidfile");
		kill(child, SIGKILL);
		return 1;
	}
	for (;;) {
		if (sigwait(&set, &sig))
			return 1;
		if (sig == SIGUSR1) {
			snprintf(tmp, sizeof(tmp), "%s.reaped", argv[1]);
			if (waitpid(child, NULL, 0) == child) {
				fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
				if (fd >= 0) {
					if (write(fd, "reaped\n", 7) != 7)
						perror("zombiekid: write");
					close(fd);
				}
			}
			continue;
		}
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return 0;
	}
}
