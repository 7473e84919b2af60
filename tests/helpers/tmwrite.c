// SPDX-License-Identifier: GPL-2.0
/*
 * tmwrite [-e] FILE STRING
 *
 * Opens FILE with O_WRONLY and does exactly one write() of STRING's bytes
 * (no newline is added), then prints how that write ended: OK when it
 * wrote every byte, SHORT:<n> when it wrote only n of them, or the errno
 * name (EINVAL, ESRCH, ...).  With -e, C escapes in STRING are
 * interpreted first: \n \t \r \\ \a \b \f \v \e, \0NNN or \NNN (octal),
 * \xHH.  Exits 0 whatever the write did; exits 1, after printing the
 * errno name of the failed open(), only if FILE cannot be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errname.h"
#include "hexval.h"

/* Interprets the escapes of s in place; returns the new length. */
static size_t unescape(char *s)
{
	char *in = s, *out = s;

	while (*in) {
		int v, n;

		if (*in != '\\' || !in[1]) {
			*out++ = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': *out++ = '\n'; in++; break;
		case 't': *out++ = '\t'; in++; break;
		case 'r': *out++ = '\r'; in++; break;
		case 'a': *out++ = '\a'; in++; break;
		case 'b': *out++ = '\b'; in++; break;
		case 'f': *out++ = '\f'; in++; break;
		case 'v': *out++ = '\v'; in++; break;
		case 'e': *out++ = 033; in++; break;
		case '\\': *out++ = '\\'; in++; break;
		case 'x':
			in++;
			v = 0;
			for (n = 0; n < 2 && hexval(*in) >= 0; n++)
				v = v * 16 + hexval(*in++);
			if (!n) {
				*out++ = '\\';
				*out++ = 'x';
				break;
			}
			*out++ = (char)v;
			break;
		default:
			if (*in >= '0' && *in <= '7') {
				v = 0;
				if (*in == '0')
					in++;
				for (n = 0; n < 3 && *in >= '0' && *in <= '7'; n++)
					v = v * 8 + (*in++ - '0');
				*out++ = (char)v;
			} else {
				*out++ = '\\';
				*out++ = *in++;
			}
			break;
		}
	}
	return (size_t)(out - s);
}

int main(int argc, char **argv)
{
	int escapes = 0, fd;
	size_t len;
	ssize_t ret;
	char *data;

	if (argc > 1 && !strcmp(argv[1], "-e")) {
		escapes = 1;
		argv++;
		argc--;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: tmwrite [-e] FILE STRING\n");
		return 2;
	}
	data = argv[2];
	len = escapes ? unescape(data) : strlen(data);

	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		int err = errno;

		printf("%s\n", tm_errname(err));
		fprintf(stderr, "tmwrite: open %s: %s\n", argv[1], strerror(err));
		return 1;
	}
	ret = write(fd, data, len);
	if (ret < 0)
		printf("%s\n", tm_errname(errno));
	else if ((size_t)ret == len)
		printf("OK\n");
	else
		printf("SHORT:%zd\n", ret);
	close(fd);
	return 0;
}
