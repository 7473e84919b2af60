/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tmline.h: strict parser of one taskmonitor sample line, shared by the
 * test helpers.  The line is
 *   pid P usr N sys N ts N rss N vsz N minflt N majflt N nvcsw N nivcsw N
 *   threads N start N comm NAME ppid N rbytes N wbytes N [exit N]
 * (one line; exit only in an exit record) with single spaces, decimal numbers without leading zeros,
 * pid >= 1, and NAME escaped as docs/interface.md says: bytes 0x21..0x7e
 * but backslash as themselves, any other byte as \xHH (lowercase), the
 * empty name as \x00 alone.
 */
#ifndef TMLINE_H
#define TMLINE_H

#include <string.h>

enum { TM_PID, TM_USR, TM_SYS, TM_TS, TM_RSS, TM_VSZ, TM_MINFLT, TM_MAJFLT,
       TM_NVCSW, TM_NIVCSW, TM_THREADS, TM_START, TM_COMM, TM_PPID,
       TM_RBYTES, TM_WBYTES, TM_EXIT, TM_NKEYS };

/* The value of TM_EXIT in a line that has no exit key. */
#define TM_NO_EXIT (~0ULL)

static const char *const tm_keys[TM_NKEYS] = {
	"pid", "usr", "sys", "ts", "rss", "vsz", "minflt", "majflt",
	"nvcsw", "nivcsw", "threads", "start", "comm", "ppid", "rbytes",
	"wbytes", "exit",
};

/* The longest name the kernel keeps, without its NUL. */
#define TM_COMM_LEN 15

static inline int tm_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Decodes the escaped name at s[*pos..len) up to the next space into
 * comm (TM_COMM_LEN + 1 bytes, NUL-ended); returns its length, -1 if it
 * is not the documented escaping of a name.
 */
static inline int tm_parse_comm(const char *s, size_t len, size_t *pos,
				char *comm)
{
	size_t p = *pos;
	int n = 0;

	if (len - p >= 4 && !memcmp(s + p, "\\x00", 4) &&
	    (len - p == 4 || s[p + 4] == ' ')) {
		*pos = p + 4;
		comm[0] = '\0';
		return 0;
	}
	while (p < len && s[p] != ' ') {
		unsigned char c = (unsigned char)s[p];

		if (n == TM_COMM_LEN)
			return -1;
		if (c == '\\') {
			int hi, lo;

			if (len - p < 4 || s[p + 1] != 'x')
				return -1;
			hi = tm_hexval(s[p + 2]);
			lo = tm_hexval(s[p + 3]);
			c = (unsigned char)(hi * 16 + lo);
			/* Only what must be escaped is, and never a NUL. */
			if (hi < 0 || lo < 0 || c == 0 ||
			    (c > ' ' && c < 0x7f && c != '\\'))
				return -1;
			p += 4;
		} else if (c <= ' ' || c >= 0x7f) {
			return -1;
		} else {
			p++;
		}
		comm[n++] = (char)c;
	}
	if (n == 0)
		return -1;
	comm[n] = '\0';
	*pos = p;
	return n;
}

/*
 * Parse s[0..len) (without the trailing newline) into v[] (v[TM_COMM]:
 * the name's length, v[TM_EXIT]: TM_NO_EXIT if the line has none) and, if comm is not NULL, the decoded name into
 * comm (TM_COMM_LEN + 1 bytes).  Returns 0 when the line is well formed,
 * -1 otherwise.
 */
static inline int tm_parse_line_comm(const char *s, size_t len,
				     unsigned long long *v, char *comm)
{
	char name[TM_COMM_LEN + 1];
	size_t pos = 0;
	int k;

	v[TM_EXIT] = TM_NO_EXIT;
	for (k = 0; k < TM_NKEYS; k++) {
		size_t kl = strlen(tm_keys[k]), start;
		unsigned long long x = 0;

		/* The exit record's key, the only optional one, is last. */
		if (k == TM_EXIT && pos == len)
			break;
		if (k) {
			if (pos >= len || s[pos] != ' ')
				return -1;
			pos++;
		}
		if (len - pos < kl + 1 || memcmp(s + pos, tm_keys[k], kl) ||
		    s[pos + kl] != ' ')
			return -1;
		pos += kl + 1;
		if (k == TM_COMM) {
			int n = tm_parse_comm(s, len, &pos, name);

			if (n < 0)
				return -1;
			v[k] = (unsigned long long)n;
			continue;
		}
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
	if (pos != len || v[TM_PID] == 0 ||
	    (v[TM_EXIT] != TM_NO_EXIT && v[TM_EXIT] > 255))
		return -1;
	if (comm)
		memcpy(comm, name, sizeof(name));
	return 0;
}

static inline int tm_parse_line(const char *s, size_t len,
				unsigned long long *v)
{
	return tm_parse_line_comm(s, len, v, NULL);
}

#endif /* TMLINE_H */
