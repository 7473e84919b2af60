/* SPDX-License-Identifier: GPL-2.0 */
/*
 * readsmall.h: one read of a small /proc file, for the bench helpers
 * that read /proc (poller, forkbench).
 */
#ifndef READSMALL_H
#define READSMALL_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/types.h>
#include <unistd.h>

/*
 * Reads @path into @buf (at most @size - 1 bytes) and ends it with a
 * NUL; 0, or -1 if the file cannot be opened or is empty.
 */
static inline int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

#endif
