// SPDX-License-Identifier: GPL-2.0
/*
 * commcheck PID FILE: the newest sample of PID in FILE (a taskmonitor
 * history) must carry, once its comm is decoded, exactly the bytes of
 * /proc/PID/comm (less the newline /proc adds).  Every line of FILE must
 * parse strictly (tmline.h).  Prints what it compared; exit 0 if equal,
 * 1 if not, 2 on a malformed line or no sample of PID.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmline.h"

static size_t slurp(const char *path, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "commcheck: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while (n < size && (r = read(fd, buf + n, size - n)) > 0)
		n += (size_t)r;
	close(fd);
	return n;
}

static void show(const char *what, const char *s, size_t n)
{
	size_t i;

	printf("%s '", what);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c > ' ' && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("'\n");
}

int main(int argc, char **argv)
{
	static char hist[1 << 24];
	char path[64], proc[64], comm[TM_COMM_LEN + 1] = "";
	char line_comm[TM_COMM_LEN + 1];
	unsigned long long v[TM_NKEYS], pid;
	size_t n, pn, off = 0;
	int found = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: commcheck PID FILE\n");
		return 2;
	}
	pid = strtoull(argv[1], NULL, 10);
	snprintf(path, sizeof(path), "/proc/%llu/comm", pid);
	pn = slurp(path, proc, sizeof(proc));
	if (pn == 0 || proc[pn - 1] != '\n') {
		fprintf(stderr, "commcheck: %s does not end with a newline\n", path);
		return 2;
	}
	pn--;
	n = slurp(argv[2], hist, sizeof(hist));
	while (off < n) {
		char *nl = memchr(hist + off, '\n', n - off);
		size_t len = nl ? (size_t)(nl - hist) - off : n - off;

		if (!nl || tm_parse_line_comm(hist + off, len, v, line_comm)) {
			fprintf(stderr, "commcheck: malformed line: %.*s\n",
				(int)len, hist + off);
			return 2;
		}
		if (v[TM_PID] == pid) {
			memcpy(comm, line_comm, sizeof(comm));
			found = 1;
		}
		off += len + 1;
	}
	if (!found) {
		fprintf(stderr, "commcheck: no sample of %llu in %s\n", pid, argv[2]);
		return 2;
	}
	show("sample", comm, strlen(comm));
	show("/proc", proc, pn);
	return strlen(comm) == pn && !memcmp(comm, proc, pn) ? 0 : 1;
}
