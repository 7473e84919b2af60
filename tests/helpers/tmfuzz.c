// SPDX-License-Identifier: GPL-2.0
/*
 * tmfuzz: a seeded fuzzer of taskmonitor's write interfaces.
 *
 *   tmfuzz [-s SEED] [-n ITERATIONS] [-j WRITERS] [-S SYSFS_FILE]
 *          [-M PARAMDIR] CMDFILE...
 *
 * CMDFILEs are files that speak the PID/-PID protocol (the debugfs file,
 * /dev/taskmonitor).  Phase 1 runs ITERATIONS (default 20000) single
 * writes from one thread, each one of:
 *  - a command (random bytes, mutated or boundary commands, PIDs of a
 *    pool of child processes whose state is tracked, PIDs that cannot
 *    exist) of length 0 to beyond two pages, written with write(),
 *    pwrite() at an odd offset, after lseek(), as a writev() of 2-4
 *    pieces, or from a bad or half-unmapped buffer;
 *  - a write of random text to interval_ms, max_samples (and an attempt
 *    on the read-only target and reserve) under PARAMDIR;
 *  - a write to SYSFS_FILE (stop/start);
 *  - a read of random size at a random offset of a CMDFILE.
 * Every answer is checked against an oracle written from
 * docs/interface.md: the exact errno where the state is known (EINVAL for
 * anything but "PID", "-PID" or "+PID" with an optional "\n" and at most
 * 32 bytes; EEXIST/ESRCH/ENOENT for the pool and impossible PIDs; EFAULT
 * for bad buffers), otherwise one of the documented ones; a success writes
 * every byte; a parameter stays in its documented range, takes the value
 * written when that is valid and keeps the old one on EINVAL.
 * Phase 2 runs ITERATIONS/4 writes from each of WRITERS (default 4)
 * threads at once, on every file, with one reader, checking that each
 * errno is a documented one.
 *
 * The seed (default: from the clock) is printed first; the same seed and
 * arguments replay phase 1 exactly (phase 2 replays the same inputs, in a
 * different interleaving).  Parameters are restored at the end, sampling
 * is restarted and every process that has a history is removed.  Exits 0 when every check passed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

#define CMD_MAX		32	/* longest accepted command (docs) */
#define POOL		8
#define MAX_CMDFILES	4
#define BUFSZ		(3 * 65536)

static const char *cmdfiles[MAX_CMDFILES];
static int ncmdfiles;
static const char *sysfs_path, *param_dir;
static long page_size;
static long pid_max;
/* Per thread: a page followed by a PROT_NONE page. */
static __thread char *guard_page;

static atomic_long mismatches, nwrites, nreads, nok, nerr, nenomem;
static atomic_int phase2_stop;

/* xorshift64*: small, fast and the same everywhere. */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd(r) % n : 0;
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
	if (!r->s)
		r->s = 1;
	rnd(r);
}

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "tmfuzz: MISMATCH: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	atomic_fetch_add(&mismatches, 1);
}

/* The input as printable text, for reports. */
static const char *show(const char *b, size_t len)
{
	static __thread char out[200];
	size_t i, o = 0;

	for (i = 0; i < len && o < sizeof(out) - 12; i++) {
		unsigned char c = b[i];

		if (c >= 0x21 && c < 0x7f && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, sizeof(out) - o, "\\x%02x", c);
	}
	if (i < len)
		snprintf(out + o, sizeof(out) - o, "...(%zu bytes)", len);
	else
		out[o] = '\0';
	return out;
}

/* ---- the pool of processes whose monitored state is tracked ---- */

static pid_t pool[POOL];
static int pool_listed[POOL];

static pid_t spawn_idle(void)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			pause();
	}
	if (p < 0) {
		perror("tmfuzz: fork");
		exit(2);
	}
	return p;
}

static int pool_index(long nr)
{
	int i;

	for (i = 0; i < POOL; i++)
		if (pool[i] == nr)
			return i;
	return -1;
}

/* Numbers added outside the pool (existing processes), tracked too. */
#define OTHERS 256
static long others[OTHERS];
static int nothers;

static int other_index(long nr)
{
	int i;

	for (i = 0; i < nothers; i++)
		if (others[i] == nr)
			return i;
	return -1;
}

/* ---- oracles ---- */

/*
 * Set once a "+PID" succeeded: from then on any process may be listed
 * (its descendants and their children are), so answers are judged as in
 * phase 2.
 */
static int followed_any;

/*
 * docs/interface.md: [-+]?[1-9][0-9]*\n? up to INT_MAX, 1..32 bytes;
 * *@remove is 1 for "-PID", *@follow 1 for "+PID".
 */
static int parse_cmd(const char *b, size_t len, int *remove, int *follow,
		     long *nr)
{
	size_t i = 0, end = len;
	long long v = 0;

	if (len == 0 || len > CMD_MAX)
		return -1;
	if (b[end - 1] == '\n')
		end--;
	*remove = i < end && b[i] == '-';
	*follow = i < end && b[i] == '+';
	if (*remove || *follow)
		i++;
	if (i >= end || b[i] < '1' || b[i] > '9')
		return -1;
	for (; i < end; i++) {
		if (b[i] < '0' || b[i] > '9')
			return -1;
		v = v * 10 + (b[i] - '0');
		if (v > INT_MAX)
			return -1;
	}
	*nr = v;
	return 0;
}

/*
 * kstrtouint() on the C string sysfs hands over (the bytes up to the
 * first NUL): an optional '+', decimal digits, an optional '\n'.
 */
static int parse_uint(const char *b, size_t len, unsigned long long *out)
{
	size_t i = 0, n = strnlen(b, len);
	unsigned long long v = 0;
	int digits = 0;

	if (i < n && b[i] == '+')
		i++;
	for (; i < n && b[i] >= '0' && b[i] <= '9'; i++) {
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (b[i] - '0');
		digits++;
	}
	if (!digits)
		return -1;
	if (i < n && b[i] == '\n')
		i++;
	if (i != n || v > UINT_MAX)
		return -1;
	*out = v;
	return 0;
}

/* sysfs_streq(buf, word) on the C string. */
static int sysfs_is(const char *b, size_t len, const char *word)
{
	size_t n = strnlen(b, len), w = strlen(word);

	if (n == w + 1 && b[w] == '\n')
		n = w;
	return n == w && !memcmp(b, word, w);
}

/* ---- generators ---- */

static const char *const boundary[] = {
	"0", "-0", "00", "1", "-1", "2147483647", "-2147483647", "2147483648",
	"-2147483648", "4294967295", "4294967296", "9999999999", "+1", "--1",
	" 1", "1 ", "1\n\n", "\n", "-", "0x10", "1e3", "01",
	"99999999999999999999999999999999", "999999999999999999999999999999999",
};

static size_t gen_random(struct rng *r, char *b, size_t max)
{
	size_t len = below(r, max + 1), i;

	for (i = 0; i < len; i++)
		b[i] = rnd(r);
	return len;
}

static size_t gen_alpha(struct rng *r, char *b, size_t max)
{
	static const char alpha[] = "0123456789-+\n \t\0x";
	size_t len = below(r, max + 1), i;

	for (i = 0; i < len; i++)
		b[i] = alpha[below(r, sizeof(alpha) - 1)];
	return len;
}

static size_t gen_cmd(struct rng *r, char *b)
{
	long nr;
	size_t len;
	int n;

	switch (below(r, 11)) {
	case 0:
		return 0;
	case 1:
		return gen_random(r, b, 40);
	case 2:
		/* From nothing to beyond two pages. */
		len = below(r, 2 * page_size + 64);
		memset(b, '0' + below(r, 10), len);
		if (len && below(r, 2))
			b[len - 1] = '\n';
		return len;
	case 3:
	case 4:
		nr = pool[below(r, POOL)];
		break;
	case 5:
		/* Can never exist: beyond pid_max. */
		nr = pid_max + below(r, (uint64_t)INT_MAX - pid_max + 1);
		break;
	case 6:
		/* Any PID, maybe a live process, a kthread or a thread. */
		nr = 1 + below(r, pid_max - 1);
		break;
	case 7: {
		const char *s = boundary[below(r, sizeof(boundary) / sizeof(boundary[0]))];

		len = strlen(s);
		memcpy(b, s, len);
		return len;
	}
	case 8:
		return gen_alpha(r, b, 14);
	case 9:
		/* Exactly 32 or 33 bytes. */
		len = 32 + below(r, 2);
		memset(b, '1' + below(r, 9), len);
		return len;
	default:
		/* A valid command, then one mutation. */
		nr = below(r, 2) ? (long)pool[below(r, POOL)] :
				   (long)(1 + below(r, INT_MAX));
		n = snprintf(b, 64, "%s%ld%s", below(r, 2) ? "-" : "", nr,
			     below(r, 2) ? "\n" : "");
		len = n;
		switch (below(r, 4)) {
		case 0:
			b[below(r, len)] = rnd(r);
			break;
		case 1:
			memmove(b + 1, b, len);
			b[0] = " +0-\n"[below(r, 5)];
			len++;
			break;
		case 2:
			b[len++] = " x0\n\0"[below(r, 5)];
			break;
		default:
			if (len > 1)
				len--;
		}
		return len;
	}
	return snprintf(b, 64, "%s%ld%s", below(r, 2) ? "-" : "", nr,
			below(r, 3) ? "" : "\n");
}

static size_t gen_param(struct rng *r, char *b, unsigned long long hi)
{
	static const char *const vals[] = {
		"0", "1", "2", "999", "1000", "3600000", "3600001", "4294967295",
		"4294967296", "18446744073709551615", "18446744073709551616",
		"-1", "+5", "0x10", "010", " 5", "5 ", "5\n", "5\n\n", "", "\n",
		"1e3", "5,6",
	};
	unsigned long long v;
	size_t len;

	switch (below(r, 6)) {
	case 0:
		return gen_random(r, b, 24);
	case 1:
		return gen_alpha(r, b, 14);
	case 2: {
		const char *s = vals[below(r, sizeof(vals) / sizeof(vals[0]))];

		len = strlen(s);
		memcpy(b, s, len);
		return len;
	}
	case 3:
		/* Leading zeros up to beyond a page: truncated by sysfs. */
		len = below(r, 2 * page_size);
		memset(b, '0', len);
		len += snprintf(b + len, 32, "%llu",
				(unsigned long long)(1 + below(r, 50)));
		return len;
	default:
		/* In range most of the time, small to keep sampling cheap. */
		v = below(r, 4) ? 1 + below(r, 1000) : below(r, hi + 2);
		return snprintf(b, 32, "%llu%s", v, below(r, 2) ? "\n" : "");
	}
}

/* ---- doing it ---- */

/* Sorted cut points splitting @len bytes into @k pieces (empty ones too). */
static void gen_cuts(struct rng *r, size_t len, size_t *cut, int k)
{
	int i, j;

	for (i = 0; i < k - 1; i++)
		cut[i] = below(r, len + 1);
	cut[k - 1] = len;
	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++)
			if (cut[j] < cut[i]) {
				size_t t = cut[i];

				cut[i] = cut[j];
				cut[j] = t;
			}
}

/*
 * One write of @len bytes of @b to @fd, the way @how says (0 write, 1
 * pwrite, 2 lseek then write, 3 writev of @k pieces ending at @cut[]);
 * returns errno or 0.
 */
static int do_write(int fd, struct rng *r, const char *b, size_t len,
		    int how, const size_t *cut, int k, ssize_t *done)
{
	struct iovec iov[4];
	size_t pos = 0;
	ssize_t n;
	off_t off;
	int i;

	switch (how) {
	case 1:
		off = below(r, 4) ? (off_t)below(r, 4096) : (off_t)below(r, 1ULL << 40);
		n = pwrite(fd, b, len, off);
		break;
	case 2:
		off = below(r, 1ULL << 20);
		if (lseek(fd, off, SEEK_SET) < 0 && errno != EINVAL && errno != ESPIPE)
			report("lseek(%lld): %s", (long long)off, tm_errname(errno));
		n = write(fd, b, len);
		break;
	case 3:
		for (i = 0; i < k; i++) {
			iov[i].iov_base = (char *)b + pos;
			iov[i].iov_len = cut[i] - pos;
			pos = cut[i];
		}
		n = writev(fd, iov, k);
		break;
	default:
		n = write(fd, b, len);
	}
	*done = n;
	return n < 0 ? errno : 0;
}

/* Outcomes of one command, as a bit mask. */
enum { ANS_OK, ANS_EINVAL, ANS_ESRCH, ANS_EEXIST, ANS_ENOENT, ANS_ENOMEM, ANS_OTHER };
#define RB(x) (1u << (x))

static int r_of(int e)
{
	switch (e) {
	case 0: return ANS_OK;
	case EINVAL: return ANS_EINVAL;
	case ESRCH: return ANS_ESRCH;
	case EEXIST: return ANS_EEXIST;
	case ENOENT: return ANS_ENOENT;
	case ENOMEM: return ANS_ENOMEM;
	default: return ANS_OTHER;
	}
}

static const char *allowed_names(unsigned int m)
{
	static __thread char out[64];
	static const char *const names[] = { "OK", "EINVAL", "ESRCH", "EEXIST",
					     "ENOENT", "ENOMEM" };
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < ANS_OTHER; i++)
		if (m & RB(i))
			o += snprintf(out + o, sizeof(out) - o, "%s%s", o ? "|" : "", names[i]);
	return out;
}

/*
 * What one ->write() of @b[0..@len) may answer now (docs/interface.md).
 * @exact: the single-writer phase, where the listed state is known.
 */
static unsigned int cmd_allowed(const char *b, size_t len, int exact)
{
	int remove, follow, pi, oi;
	long nr;

	if (len == 0 || len > CMD_MAX || parse_cmd(b, len, &remove, &follow, &nr))
		return RB(ANS_EINVAL);
	if (!exact || followed_any)
		return remove ? RB(ANS_OK) | RB(ANS_ENOENT) :
				RB(ANS_OK) | RB(ANS_ESRCH) | RB(ANS_EEXIST) | RB(ANS_ENOMEM);
	pi = pool_index(nr);
	oi = other_index(nr);
	/* Before any "+PID" succeeded, nothing is followed: no EEXIST. */
	if (pi >= 0 && follow)
		return RB(ANS_OK) | RB(ANS_ENOMEM);
	if (pi >= 0)
		return remove ? RB(pool_listed[pi] ? ANS_OK : ANS_ENOENT) :
				RB(pool_listed[pi] ? ANS_EEXIST : ANS_OK) | RB(ANS_ENOMEM);
	if (nr >= pid_max)
		return RB(remove ? ANS_ENOENT : ANS_ESRCH);
	if (remove)
		return RB(oi >= 0 ? ANS_OK : ANS_ENOENT);
	/* Some other PID: a process, a thread, an exited one, nothing. */
	return RB(ANS_OK) | RB(ANS_ESRCH) | RB(ANS_ENOMEM) |
	       (oi >= 0 && !follow ? RB(ANS_EEXIST) : 0);
}

/* The state change of a command that succeeded. */
static void cmd_apply(const char *b, size_t len, const char *file)
{
	int remove, follow, pi, oi;
	long nr;

	if (parse_cmd(b, len, &remove, &follow, &nr))
		return;
	/* It lists descendants, and later children, the oracle cannot know. */
	if (follow)
		followed_any = 1;
	pi = pool_index(nr);
	oi = other_index(nr);
	if (pi >= 0) {
		pool_listed[pi] = !remove;
	} else if (remove) {
		if (oi >= 0)
			others[oi] = others[--nothers];
	} else if (oi < 0 && nothers < OTHERS) {
		others[nothers++] = nr;
	} else if (oi < 0) {
		/* Too many to track: take it back at once. */
		char tmp[24];
		int n = snprintf(tmp, sizeof(tmp), "-%ld", nr);
		int fd = open(file, O_WRONLY);

		if (fd >= 0) {
			if (write(fd, tmp, n) != n)
				report("cannot remove %ld again: %s", nr, tm_errname(errno));
			close(fd);
		}
	}
}

/*
 * One command write.  @exact: the single-writer phase, where the pool's
 * state is known.  The files implement write() only, so the VFS turns a
 * writev() into one write() per piece (skipping empty pieces after the
 * first), stopping at the first that fails, and refuses pwrite() (ESPIPE,
 * seq_file files are not pwritable).
 */
static void fuzz_cmd(struct rng *r, char *buf, long iter, int exact)
{
	const char *file = cmdfiles[below(r, ncmdfiles)];
	int how = below(r, 9), e, fd, k = 0, i;
	const char *b = buf;
	size_t len, cut[4], pos, sum;
	unsigned int allowed;
	ssize_t done;
	int bad_ptr = 0;

	len = gen_cmd(r, buf);
	if (how == 7 && len <= CMD_MAX) {
		/* The buffer runs into an unmapped page. */
		size_t in = below(r, len + 1);

		b = guard_page + page_size - in;
		memcpy((char *)b, buf, in);
		bad_ptr = in < len;
		how = 0;
	} else if (how == 8 && len >= 1 && len <= CMD_MAX) {
		b = below(r, 2) ? NULL : (const char *)16;
		bad_ptr = 1;
		how = 0;
	} else if (how >= 7) {
		how = 0;
	}
	if (how == 3) {
		k = 2 + below(r, 3);
		gen_cuts(r, len, cut, k);
	}

	fd = open(file, O_WRONLY);
	if (fd < 0 && errno == ENOMEM) {
		/* Opening allocates: fine under fault injection. */
		atomic_fetch_add(&nenomem, 1);
		return;
	}
	if (fd < 0) {
		report("open %s for writing: %s", file, tm_errname(errno));
		return;
	}
	e = do_write(fd, r, b, len, how, cut, k, &done);
	close(fd);
	atomic_fetch_add(&nwrites, 1);
	atomic_fetch_add(e ? &nerr : &nok, 1);
	if (e == ENOMEM)
		atomic_fetch_add(&nenomem, 1);

	if (how == 1) {
		if (e != ESPIPE)
			report("iter %ld: %s: pwrite(\"%s\", %zu): got %s, want ESPIPE",
			       iter, file, show(buf, len), len, tm_errname(e));
		return;
	}
	if (bad_ptr && len >= 1 && len <= CMD_MAX) {
		if (e != EFAULT)
			report("iter %ld: %s: write of %zu bytes from a bad buffer: got %s, want EFAULT",
			       iter, file, len, tm_errname(e));
		return;
	}
	if (how != 3) {
		allowed = cmd_allowed(b, len, exact);
		if (!(allowed & RB(r_of(e))))
			report("iter %ld: %s: write(\"%s\", %zu) how %d: got %s, want %s",
			       iter, file, show(b, len), len, how, tm_errname(e),
			       allowed_names(allowed));
		else if (!e && done != (ssize_t)len)
			report("iter %ld: %s: write(\"%s\") wrote %zd of %zu bytes",
			       iter, file, show(b, len), done, len);
		else if (!e)
			cmd_apply(b, len, file);
		return;
	}

	/* writev: nothing at all is a successful no-op. */
	if (len == 0) {
		if (e || done != 0)
			report("iter %ld: %s: empty writev: got %s (%zd)", iter, file,
			       tm_errname(e), done);
		return;
	}
	/* An empty first piece is passed on, and refused. */
	if (cut[0] == 0) {
		if (e != EINVAL)
			report("iter %ld: %s: writev with an empty first piece: got %s, want EINVAL",
			       iter, file, tm_errname(e));
		return;
	}
	for (i = 0, pos = 0, sum = 0; i < k; pos = cut[i], i++) {
		size_t n = cut[i] - pos;

		if (!n)
			continue;
		allowed = cmd_allowed(b + pos, n, exact);
		if (e) {
			/* The first piece failed: its answer is the call's. */
			if (!(allowed & RB(r_of(e))) || e == 0)
				report("iter %ld: %s: writev piece \"%s\": got %s, want %s",
				       iter, file, show(b + pos, n), tm_errname(e),
				       allowed_names(allowed));
			return;
		}
		if (sum < (size_t)done) {
			if (!(allowed & RB(ANS_OK)))
				report("iter %ld: %s: writev piece \"%s\" was taken, want %s",
				       iter, file, show(b + pos, n), allowed_names(allowed));
			else
				cmd_apply(b + pos, n, file);
			sum += n;
			continue;
		}
		/* The write stopped here: this piece failed. */
		if (!(allowed & ~RB(ANS_OK)))
			report("iter %ld: %s: writev stopped at piece \"%s\", which must succeed",
			       iter, file, show(b + pos, n));
		break;
	}
	if (!e && sum != (size_t)done)
		report("iter %ld: %s: writev of \"%s\" wrote %zd bytes, not a whole number of pieces",
		       iter, file, show(b, len), done);
}

static int read_param(const char *name, unsigned long long *v)
{
	char path[512], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", param_dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*v = strtoull(buf, NULL, 10);
	return 0;
}

static void fuzz_param(struct rng *r, char *buf, long iter, int exact)
{
	static const struct {
		const char *name;
		unsigned long long lo, hi;
		int writable;
	} params[] = {
		{ "interval_ms", 1, 3600000, 1 },
		{ "max_samples", 0, 4294967295ULL, 1 },
		{ "target", 0, 0, 0 },
		{ "reserve", 0, 0, 0 },
	};
	int k = below(r, 10) < 8 ? below(r, 2) : 2 + below(r, 2);
	unsigned long long before = 0, after = 0, v = 0;
	char path[512];
	size_t len, eff, cut[4];
	ssize_t done;
	int fd, e, valid, nk;

	snprintf(path, sizeof(path), "%s/%s", param_dir, params[k].name);
	len = gen_param(r, buf, params[k].hi);
	fd = open(path, O_WRONLY);
	if (!params[k].writable) {
		if (fd >= 0) {
			e = write(fd, buf, len) < 0 ? errno : 0;
			close(fd);
			if (e != EACCES && e != EPERM)
				report("iter %ld: %s is read-only but a write got %s",
				       iter, path, tm_errname(e));
		} else if (errno != EACCES) {
			report("iter %ld: open %s for writing: %s, want EACCES",
			       iter, path, tm_errname(errno));
		}
		return;
	}
	if (fd < 0) {
		report("open %s: %s", path, tm_errname(errno));
		return;
	}
	if (exact && read_param(params[k].name, &before))
		report("cannot read %s", path);
	nk = 2 + below(r, 3);
	gen_cuts(r, len, cut, nk);
	e = do_write(fd, r, buf, len, below(r, 2) ? 0 : 3, cut, nk, &done);
	close(fd);
	atomic_fetch_add(&nwrites, 1);
	if (read_param(params[k].name, &after)) {
		report("cannot read %s", path);
		return;
	}
	if (after < params[k].lo || after > params[k].hi)
		report("iter %ld: %s is %llu after writing \"%s\", out of %llu..%llu",
		       iter, path, after, show(buf, len), params[k].lo, params[k].hi);
	if (len == 0) {
		if (e || done != 0)
			report("iter %ld: empty write to %s: %s", iter, path, tm_errname(e));
		return;
	}
	/* sysfs hands over at most a page, as a C string. */
	eff = len < (size_t)page_size ? len : (size_t)page_size;
	valid = !parse_uint(buf, eff, &v) && v >= params[k].lo && v <= params[k].hi;
	if (e && e != EINVAL)
		report("iter %ld: %s: write(\"%s\"): got %s, only EINVAL is documented",
		       iter, path, show(buf, len), tm_errname(e));
	if (!exact)
		return;
	if (valid != !e)
		report("iter %ld: %s: write(\"%s\", %zu): got %s, want %s",
		       iter, path, show(buf, len), len, tm_errname(e),
		       valid ? "OK" : "EINVAL");
	else if (valid && (after != v || done != (ssize_t)eff))
		report("iter %ld: %s: wrote \"%s\", reads back %llu (wrote %zd bytes)",
		       iter, path, show(buf, len), after, done);
	else if (!valid && after != before)
		report("iter %ld: %s: refused \"%s\" but changed %llu -> %llu",
		       iter, path, show(buf, len), before, after);
}

static void fuzz_sysfs(struct rng *r, char *buf, long iter)
{
	size_t len;
	ssize_t done;
	int fd, e, valid;

	switch (below(r, 4)) {
	case 0:
		len = snprintf(buf, 16, "stop%s", below(r, 2) ? "\n" : "");
		break;
	case 1:
		len = snprintf(buf, 16, "start%s", below(r, 2) ? "\n" : "");
		break;
	case 2:
		len = gen_random(r, buf, 12);
		break;
	default:
		len = gen_alpha(r, buf, 8);
		if (len && below(r, 2))
			memcpy(buf, below(r, 2) ? "stop" : "start", len < 4 ? len : 4);
	}
	fd = open(sysfs_path, O_WRONLY);
	if (fd < 0) {
		report("open %s: %s", sysfs_path, tm_errname(errno));
		return;
	}
	e = do_write(fd, r, buf, len, 0, NULL, 0, &done);
	close(fd);
	atomic_fetch_add(&nwrites, 1);
	if (len == 0) {
		if (e)
			report("iter %ld: empty write to %s: %s", iter, sysfs_path, tm_errname(e));
		return;
	}
	valid = sysfs_is(buf, len, "stop") || sysfs_is(buf, len, "start");
	if (valid != !e || (e && e != EINVAL) || (!e && done != (ssize_t)len))
		report("iter %ld: %s: write(\"%s\"): got %s, want %s",
		       iter, sysfs_path, show(buf, len), tm_errname(e),
		       valid ? "OK" : "EINVAL");
}

static void fuzz_read(struct rng *r, char *buf, long iter)
{
	const char *file = cmdfiles[below(r, ncmdfiles)];
	int fd = open(file, O_RDONLY), i, n = 1 + below(r, 4);
	ssize_t got;
	off_t off;

	if (fd < 0 && errno == ENOMEM) {
		atomic_fetch_add(&nenomem, 1);
		return;
	}
	if (fd < 0) {
		report("open %s for reading: %s", file, tm_errname(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		size_t sz = 1 + below(r, below(r, 2) ? 100 : BUFSZ - 1);

		switch (below(r, 4)) {
		case 0:
			off = below(r, 1 << 16);
			got = pread(fd, buf, sz, off);
			break;
		case 1:
			off = lseek(fd, below(r, 1 << 16), below(r, 2) ? SEEK_SET : SEEK_CUR);
			if (off < 0 && errno != EINVAL)
				report("iter %ld: lseek %s: %s", iter, file, tm_errname(errno));
			got = read(fd, buf, sz);
			break;
		case 2:
			/* SEEK_END is not supported by seq_file: EINVAL. */
			off = lseek(fd, 0, SEEK_END);
			if (off >= 0 || errno != EINVAL)
				report("iter %ld: lseek(SEEK_END) %s: %s", iter, file,
				       off >= 0 ? "succeeded" : tm_errname(errno));
			got = read(fd, buf, sz);
			break;
		default:
			got = read(fd, buf, sz);
		}
		atomic_fetch_add(&nreads, 1);
		if (got < 0)
			report("iter %ld: read %s (%zu bytes): %s", iter, file, sz,
			       tm_errname(errno));
	}
	close(fd);
}

static void fuzz_one(struct rng *r, char *buf, long iter, int exact)
{
	unsigned int k = below(r, 20);

	if (k < 12 || (!param_dir && !sysfs_path))
		fuzz_cmd(r, buf, iter, exact);
	else if (k < 16 && param_dir)
		fuzz_param(r, buf, iter, exact);
	else if (k < 18 && sysfs_path)
		fuzz_sysfs(r, buf, iter);
	else
		fuzz_read(r, buf, iter);
}

static int map_guard_page(void)
{
	guard_page = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard_page == MAP_FAILED ||
	    mprotect(guard_page + page_size, page_size, PROT_NONE)) {
		perror("tmfuzz: mmap");
		return -1;
	}
	return 0;
}

struct writer {
	pthread_t thread;
	uint64_t seed;
	long iterations;
};

static void *writer_fn(void *arg)
{
	struct writer *w = arg;
	char *buf = malloc(BUFSZ);
	struct rng r;
	long i;

	if (!buf || map_guard_page())
		return NULL;
	rng_seed(&r, w->seed);
	for (i = 0; i < w->iterations && !atomic_load(&phase2_stop); i++)
		fuzz_one(&r, buf, i, 0);
	free(buf);
	return NULL;
}

static void *reader_fn(void *arg)
{
	char *buf = malloc(BUFSZ);
	struct rng r;
	long i = 0;

	if (!buf)
		return NULL;
	rng_seed(&r, *(uint64_t *)arg);
	while (!atomic_load(&phase2_stop))
		fuzz_read(&r, buf, i++);
	free(buf);
	return NULL;
}

static void write_param(const char *name, const char *val)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", param_dir, name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		report("cannot restore %s to %s: %s", path, val, tm_errname(errno));
	if (fd >= 0)
		close(fd);
}

/*
 * Removes what the fuzzer listed: the pool, the processes it added, and
 * every PID that still has a history (phase 2 adds untracked ones).
 */
static void cleanup(void)
{
	char tmp[24], line[512];
	int i, fd, n;
	long nr;
	FILE *f;

	fd = open(cmdfiles[0], O_WRONLY);
	if (fd < 0)
		return;
	f = fopen(cmdfiles[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "pid %ld ", &nr) == 1 && other_index(nr) < 0 &&
		    pool_index(nr) < 0 && nothers < OTHERS)
			others[nothers++] = nr;
	}
	if (f)
		fclose(f);
	for (i = 0; i < POOL; i++) {
		n = snprintf(tmp, sizeof(tmp), "-%d", pool[i]);
		if (write(fd, tmp, n) < 0 && errno != ENOENT)
			report("cleanup: -%d: %s", pool[i], tm_errname(errno));
	}
	for (i = 0; i < nothers; i++) {
		n = snprintf(tmp, sizeof(tmp), "-%ld", others[i]);
		if (write(fd, tmp, n) < 0 && errno != ENOENT)
			report("cleanup: -%ld: %s", others[i], tm_errname(errno));
	}
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned long long old_interval = 0, old_max = 0;
	long iterations = 20000, i;
	int writers = 4, opt, k;
	uint64_t seed = 0;
	int have_seed = 0;
	struct writer *w;
	struct rng r;
	char *buf;
	FILE *f;

	while ((opt = getopt(argc, argv, "s:n:j:S:M:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			have_seed = 1;
			break;
		case 'n':
			iterations = atol(optarg);
			break;
		case 'j':
			writers = atoi(optarg);
			break;
		case 'S':
			sysfs_path = optarg;
			break;
		case 'M':
			param_dir = optarg;
			break;
		default:
			goto usage;
		}
	}
	for (; optind < argc && ncmdfiles < MAX_CMDFILES; optind++)
		cmdfiles[ncmdfiles++] = argv[optind];
	if (!ncmdfiles || writers < 0 || writers > 64 || iterations < 0)
		goto usage;
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000003 + ts.tv_nsec;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("tmfuzz: seed %llu iterations %ld writers %d (replay: tmfuzz -s %llu -n %ld -j %d ...)\n",
	       (unsigned long long)seed, iterations, writers,
	       (unsigned long long)seed, iterations, writers);

	page_size = sysconf(_SC_PAGESIZE);
	f = fopen("/proc/sys/kernel/pid_max", "r");
	if (!f || fscanf(f, "%ld", &pid_max) != 1)
		pid_max = 32768;
	if (f)
		fclose(f);
	if (map_guard_page())
		return 2;
	buf = malloc(BUFSZ);
	if (!buf)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	for (k = 0; k < POOL; k++)
		pool[k] = spawn_idle();
	if (param_dir && (read_param("interval_ms", &old_interval) ||
			  read_param("max_samples", &old_max))) {
		fprintf(stderr, "tmfuzz: cannot read the parameters in %s\n", param_dir);
		return 2;
	}

	/* Phase 1: one writer, exact answers. */
	rng_seed(&r, seed);
	for (i = 0; i < iterations; i++) {
		fuzz_one(&r, buf, i, 1);
		/* Now and then a pool process exits and a new one takes its slot. */
		if (below(&r, 500) == 0) {
			int p = below(&r, POOL);

			kill(pool[p], SIGKILL);
			waitpid(pool[p], NULL, 0);
			if (pool_listed[p] && nothers < OTHERS)
				others[nothers++] = pool[p];	/* listed, exited */
			pool_listed[p] = 0;
			pool[p] = spawn_idle();
		}
	}
	printf("tmfuzz: phase 1: %ld writes (%ld ok, %ld errors, %ld ENOMEM), %ld reads, %ld mismatches\n",
	       atomic_load(&nwrites), atomic_load(&nok), atomic_load(&nerr),
	       atomic_load(&nenomem), atomic_load(&nreads), atomic_load(&mismatches));

	/* Phase 2: concurrent writers and a reader, documented answers only. */
	if (writers) {
		uint64_t rseed = seed ^ 0x5eed;
		pthread_t reader;

		w = calloc(writers, sizeof(*w));
		if (!w)
			return 2;
		pthread_create(&reader, NULL, reader_fn, &rseed);
		for (k = 0; k < writers; k++) {
			w[k].seed = seed + 1 + k;
			w[k].iterations = iterations / 4;
			pthread_create(&w[k].thread, NULL, writer_fn, &w[k]);
		}
		for (k = 0; k < writers; k++)
			pthread_join(w[k].thread, NULL);
		atomic_store(&phase2_stop, 1);
		pthread_join(reader, NULL);
		free(w);
	}

	cleanup();
	/* Phase 2 may have added any process: remove those too. */
	for (k = 0; k < POOL; k++) {
		kill(pool[k], SIGKILL);
		waitpid(pool[k], NULL, 0);
	}
	if (param_dir) {
		char v[32];

		snprintf(v, sizeof(v), "%llu", old_interval);
		write_param("interval_ms", v);
		snprintf(v, sizeof(v), "%llu", old_max);
		write_param("max_samples", v);
	}
	if (sysfs_path) {
		int fd = open(sysfs_path, O_WRONLY);

		if (fd < 0 || write(fd, "start", 5) != 5)
			report("cannot restart sampling");
		if (fd >= 0)
			close(fd);
	}
	printf("tmfuzz: seed %llu: %ld writes (%ld ok, %ld errors, %ld ENOMEM), %ld reads, %ld mismatches\n",
	       (unsigned long long)seed, atomic_load(&nwrites), atomic_load(&nok),
	       atomic_load(&nerr), atomic_load(&nenomem), atomic_load(&nreads),
	       atomic_load(&mismatches));
	free(buf);
	return atomic_load(&mismatches) ? 1 : 0;

usage:
	fprintf(stderr, "usage: tmfuzz [-s SEED] [-n ITERATIONS] [-j WRITERS] [-S SYSFS_FILE] [-M PARAMDIR] CMDFILE...\n");
	return 2;
}
