// SPDX-License-Identifier: GPL-2.0
/*
 * pidat: run a command as a process with a chosen PID, by writing N-1 to
 * /proc/sys/kernel/ns_last_pid right before fork() (root only).
 *
 *   pidat N CMD [ARGS...]
 *
 * The parent stays, waits for the child and exits with its status, so the
 * child is reaped as soon as it dies.  If another fork takes N first, the
 * attempt is undone and retried (up to 200 times); exit 3 if N could not
 * be had.  The child waits on a pipe until it knows it got N, so no wrong
 * process ever runs CMD.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long want;
	int try;

	if (argc < 3) {
		fprintf(stderr, "usage: pidat N CMD [ARGS...]\n");
		return 2;
	}
	want = strtol(argv[1], NULL, 10);
	if (want < 2) {
		fprintf(stderr, "pidat: bad pid\n");
		return 2;
	}
	for (try = 0; try < 200; try++) {
		char buf[32];
		int p[2], fd, len, status;
		pid_t child;
		char go;

		if (pipe(p)) {
			perror("pidat: pipe");
			return 1;
		}
		fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
		if (fd < 0) {
			perror("pidat: ns_last_pid");
			return 1;
		}
		len = snprintf(buf, sizeof(buf), "%ld", want - 1);
		if (write(fd, buf, len) != len) {
			perror("pidat: write ns_last_pid");
			return 1;
		}
		close(fd);
		child = fork();
		if (child < 0) {
			perror("pidat: fork");
			return 1;
		}
		if (child == 0) {
			close(p[1]);
			if (read(p[0], &go, 1) != 1 || go != 'y')
				_exit(0);
			close(p[0]);
			execvp(argv[2], argv + 2);
			perror("pidat: exec");
			_exit(127);
		}
		close(p[0]);
		if (child != want) {
			if (write(p[1], "n", 1) != 1)
				kill(child, SIGKILL);
			close(p[1]);
			waitpid(child, NULL, 0);
			usleep(1000);
			continue;
		}
		if (write(p[1], "y", 1) != 1) {
			perror("pidat: pipe write");
			kill(child, SIGKILL);
		}
		close(p[1]);
		signal(SIGTERM, SIG_IGN);
		if (waitpid(child, &status, 0) != child)
			return 1;
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		return 128 + WTERMSIG(status);
	}
	fprintf(stderr, "pidat: could not get pid %ld\n", want);
	return 3;
}
