/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hexval.h: the value of one hexadecimal digit, for the test helpers that
 * decode `\xHH` escapes (tmwrite's arguments, namer's names).
 */
#ifndef HEXVAL_H
#define HEXVAL_H

/* The value of hex digit C (either case), or -1 if it is not one. */
static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif /* HEXVAL_H */
