/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tmline.h: strict parser of one taskmonitor sample line, shared by the
 * test helpers.  The line is
 *   pid P usr N sys N ts N rss N vsz N minflt N majflt N nvcsw N nivcsw N threads N
 * with single spaces, decimal numbers without leading zeros, pid >= 1.
 */
#ifndef TMLINE_H
#define TMLINE_H

#include <string.h>

enum { TM_PID, TM_USR, TM_SYS, TM_TS, TM_RSS, TM_VSZ, TM_MINFLT, TM_MAJFLT,
       TM_NVCSW, TM_NIVCSW, TM_THREADS, TM_NKEYS };

static const char *const tm_keys[TM_NKEYS] = {
	"pid", "usr", "sys", "ts", "rss", "vsz", "minflt", "majflt",
	"nvcsw", "nivcsw", "threads",
};

/*
 * Parse s[0..len) (without the trailing newline) into v[].  Returns 0 when
 * the line is well formed, -1 otherwise.
 */
static int tm_parse_line(const char *s, size_t len, unsigned long long *v)
{
	size_t pos = 0;
	int k;

	for (k = 0; k < TM_NKEYS; k++) {
		size_t kl = strlen(tm_keys[k]), start;
		unsigned long long x = 0;

		if (k) {
			if (pos >= len || s[pos] != ' ')
				return -1;
			pos++;
		}
		if (len - pos < kl + 1 || memcmp(s + pos, tm_keys[k], kl) ||
		    s[pos + kl] != ' ')
			return -1;
		pos += kl + 1;
		start = pos;
		while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
			if (x > (~0ULL - 9) / 10)
				return -1;
			x = x * 10 + (unsigned long long)(s[pos] - '0');
			pos++;
		}
		if (pos == start || (s[start] == '0' && pos - start > 1))
			return -1;
		v[k] = x;
	}
	if (pos != len || v[TM_PID] == 0)
		return -1;
	return 0;
}

#endif /* TMLINE_H */
