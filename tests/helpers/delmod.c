// SPDX-License-Identifier: GPL-2.0
/*
 * delmod: call delete_module(NAME, O_NONBLOCK) once and print OK or the
 * errno name (EWOULDBLOCK is printed as EAGAIN, its other name on Linux).
 * Exit 0 when the call succeeded, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errname.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: delmod NAME\n");
		return 2;
	}
	if (syscall(SYS_delete_module, argv[1], O_NONBLOCK)) {
		int e = errno;

		printf("%s\n", tm_errname(e));
		fprintf(stderr, "delmod: %s\n", strerror(e));
		return 1;
	}
	printf("OK\n");
	return 0;
}
