// SPDX-License-Identifier: GPL-2.0
/*
 * boottime: print clock_gettime(CLOCK_BOOTTIME) in nanoseconds.
 * With -m, print CLOCK_MONOTONIC instead; with -r, CLOCK_REALTIME.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	clockid_t clk = CLOCK_BOOTTIME;
	struct timespec ts;

	if (argc > 1 && !strcmp(argv[1], "-m"))
		clk = CLOCK_MONOTONIC;
	else if (argc > 1 && !strcmp(argv[1], "-r"))
		clk = CLOCK_REALTIME;
	if (clock_gettime(clk, &ts)) {
		perror("boottime");
		return 1;
	}
	printf("%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	return 0;
}
