// SPDX-License-Identifier: GPL-2.0
/*
 * tmwritev: open FILE once for writing and issue one write() per
 * argument on that same descriptor, printing OK or the errno name for
 * each, space separated, on one line.  With -s OFFSET every write is a
 * pwrite() at that offset instead.  "\n" in an argument stands for a
 * newline.  Exit 0 unless the open failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"

int main(int argc, char **argv)
{
	long long off = -1;
	int i = 1, fd;

	if (argc > 2 && !strcmp(argv[1], "-s")) {
		off = strtoll(argv[2], NULL, 10);
		i = 3;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: tmwritev [-s OFF] FILE STR...\n");
		return 2;
	}
	fd = open(argv[i], O_WRONLY);
	if (fd < 0) {
		printf("%s\n", tm_errname(errno));
		return 1;
	}
	for (i++; i < argc; i++) {
		char buf[256];
		size_t n = 0;
		const char *s;
		ssize_t r;

		for (s = argv[i]; *s && n < sizeof(buf); s++) {
			if (s[0] == '\\' && s[1] == 'n') {
				buf[n++] = '\n';
				s++;
			} else {
				buf[n++] = *s;
			}
		}
		r = off >= 0 ? pwrite(fd, buf, n, off) : write(fd, buf, n);
		printf("%s%s", r == (ssize_t)n ? "OK" : r >= 0 ? "SHORT" : tm_errname(errno),
		       i + 1 < argc ? " " : "\n");
	}
	close(fd);
	return 0;
}
