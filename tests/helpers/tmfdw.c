// SPDX-License-Identifier: GPL-2.0
/*
 * tmfdw: write to a file descriptor the shell already opened.
 *
 *   tmfdw FD STRING...
 *
 * One write() per STRING ("\n" stands for a newline) on descriptor FD,
 * which the caller opened earlier (sh: exec 3>/dev/taskmonitor), so that
 * the write path can be tested apart from open(), e.g. with allocations
 * failing only after the file was opened.  Prints OK or the errno name
 * of each write, space separated, on one line.  Exit 0, or 2 on bad use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

int main(int argc, char **argv)
{
	char buf[256];
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: tmfdw FD STRING...\n");
		return 2;
	}
	fd = atoi(argv[1]);
	for (i = 2; i < argc; i++) {
		const char *s = argv[i];
		size_t n = 0;
		ssize_t r;

		for (; *s && n < sizeof(buf); s++) {
			if (s[0] == '\\' && s[1] == 'n') {
				buf[n++] = '\n';
				s++;
			} else {
				buf[n++] = *s;
			}
		}
		r = write(fd, buf, n);
		if (r < 0) {
			printf("%s%s", i > 2 ? " " : "", tm_errname(errno));
		} else if ((size_t)r != n) {
			printf("%sSHORT:%zd", i > 2 ? " " : "", r);
		} else {
			printf("%sOK", i > 2 ? " " : "");
		}
	}
	putchar('\n');
	return 0;
}
