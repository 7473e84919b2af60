// SPDX-License-Identifier: GPL-2.0
/*
 * memhog: allocate and touch MIB MiB of anonymous memory in 1 MiB steps,
 * hold it for HOLD_MS milliseconds, free it and exit 0.
 *
 *   memhog MIB [HOLD_MS]
 *
 * Exit 2 if an allocation is refused.  Killed by the OOM killer, it dies
 * of SIGKILL, which the caller sees as status 137.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long mib, hold = 0, i;
	char **chunks;

	if (argc < 2) {
		fprintf(stderr, "usage: memhog MIB [HOLD_MS]\n");
		return 1;
	}
	mib = strtol(argv[1], NULL, 10);
	if (argc > 2)
		hold = strtol(argv[2], NULL, 10);
	if (mib <= 0)
		return 1;
	chunks = calloc(mib, sizeof(*chunks));
	if (!chunks)
		return 2;
	for (i = 0; i < mib; i++) {
		chunks[i] = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunks[i] == MAP_FAILED) {
			fprintf(stderr, "memhog: mmap failed at %ld MiB\n", i);
			return 2;
		}
		memset(chunks[i], (int)(i & 0xff) | 1, 1 << 20);
	}
	usleep(hold * 1000);
	for (i = 0; i < mib; i++)
		munmap(chunks[i], 1 << 20);
	printf("memhog: %ld MiB ok\n", mib);
	return 0;
}
