// SPDX-License-Identifier: GPL-2.0
/*
 * tmmark: runs tm_mark() once, whose entry the tbcount plugin watches: a
 * snapshot of the instruction counts is written at that moment.  Linked
 * at an address no other program of the guest uses (bench/profile/run.sh),
 * so that only this program can take a snapshot.
 */
#include <stdio.h>

__attribute__((noinline)) void tm_mark(void)
{
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	tm_mark();
	return 0;
}
