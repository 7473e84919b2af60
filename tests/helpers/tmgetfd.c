// SPDX-License-Identifier: GPL-2.0
/*
 * tmgetfd: use a file descriptor that another process opened.
 *
 *   tmgetfd PID FD STRING
 *   tmgetfd -r PID FD
 *
 * Takes a copy of descriptor FD of process PID (pidfd_getfd(2), which
 * needs ptrace rights over PID), so that a file opened by one user can be
 * used by another with the opener's rights (as SCM_RIGHTS would pass it).
 * With STRING ("\n" stands for a newline) it does one write() and prints
 * OK or the errno name; with -r it reads from offset 0 to the end and
 * copies what it read to stdout.  Exit 0, 1 if the descriptor cannot be
 * had, 2 on bad use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int take_fd(int pid, int fd)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	int got;

	if (pidfd < 0) {
		fprintf(stderr, "tmgetfd: pidfd_open %d: %s\n", pid, strerror(errno));
		return -1;
	}
	got = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (got < 0)
		fprintf(stderr, "tmgetfd: pidfd_getfd %d/%d: %s\n", pid, fd, strerror(errno));
	close(pidfd);
	return got;
}

static int copy_out(int fd)
{
	char buf[65536];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, n, stdout) != (size_t)n)
			return 1;
	return n < 0;
}

int main(int argc, char **argv)
{
	int rd = argc == 4 && !strcmp(argv[1], "-r");
	char buf[256];
	const char *s;
	size_t n = 0;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: tmgetfd PID FD STRING | tmgetfd -r PID FD\n");
		return 2;
	}
	fd = take_fd(atoi(argv[1 + rd]), atoi(argv[2 + rd]));
	if (fd < 0)
		return 1;
	if (rd)
		return copy_out(fd);
	for (s = argv[3]; *s && n < sizeof(buf); s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			buf[n++] = '\n';
			s++;
		} else {
			buf[n++] = *s;
		}
	}
	if (write(fd, buf, n) < 0)
		printf("%s\n", strerrorname_np(errno));
	else
		printf("OK\n");
	return 0;
}
