// SPDX-License-Identifier: GPL-2.0
/*
 * iohog READY DEV BYTES: storage I/O of a known size, for the rbytes and
 * wbytes test.  A second thread writes BYTES (a multiple of 4096) to the
 * start of the block device DEV through the page cache, fsync()s it and
 * exits, so that its bytes are those of an exited thread; then the main
 * thread reads them back with O_DIRECT, which bypasses the page cache
 * and so is storage I/O of exactly BYTES.  READY then holds "done" and
 * the process waits to be killed, its counters standing still.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *dev;
static size_t bytes;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void *writer(void *arg)
{
	char *buf = malloc(bytes);
	int fd = open(dev, O_WRONLY);

	(void)arg;
	if (!buf || fd < 0)
		die("iohog: open for writing");
	memset(buf, 0x5a, bytes);
	if (write(fd, buf, bytes) != (ssize_t)bytes)
		die("iohog: write");
	if (fsync(fd))
		die("iohog: fsync");
	close(fd);
	free(buf);
	return NULL;
}

static void reader(void)
{
	void *buf;
	int fd = open(dev, O_RDONLY | O_DIRECT);

	if (fd < 0 || posix_memalign(&buf, 4096, bytes))
		die("iohog: open for O_DIRECT reading");
	if (read(fd, buf, bytes) != (ssize_t)bytes)
		die("iohog: read");
	if (((unsigned char *)buf)[bytes - 1] != 0x5a)
		die("iohog: read back something else");
	close(fd);
	free(buf);
}

int main(int argc, char **argv)
{
	pthread_t t;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: iohog READY DEV BYTES\n");
		return 2;
	}
	dev = argv[2];
	bytes = strtoull(argv[3], NULL, 10);
	if (!bytes || bytes % 4096)
		return 2;
	if (pthread_create(&t, NULL, writer, NULL) || pthread_join(t, NULL))
		die("iohog: writer thread");
	reader();
	f = fopen(argv[1], "w");
	if (!f || fputs("done\n", f) < 0 || fclose(f))
		die("iohog: ready file");
	for (;;)
		pause();
}
