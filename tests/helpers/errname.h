/* SPDX-License-Identifier: GPL-2.0 */
/*
 * errname.h: the name of an errno value as the suites compare it
 * ("EINVAL"), shared by the test helpers; 0 is "OK", the word every
 * suite expects for success.  The includer defines _GNU_SOURCE first
 * (strerrorname_np).
 */
#ifndef ERRNAME_H
#define ERRNAME_H

#include <stdio.h>
#include <string.h>

static const char *tm_errname(int e)
{
	static __thread char buf[16];
	const char *name;

	if (e == 0)
		return "OK";
	name = strerrorname_np(e);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

#endif /* ERRNAME_H */
