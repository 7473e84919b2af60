// SPDX-License-Identifier: GPL-2.0
/*
 * tmfollow: follow a taskmonitor file (write "follow", then read it) and
 * check what each read() returns.
 *
 *   tmfollow [-b BS] [-p PAUSE_MS] [-r READY] [-w] -o OUT FILE
 *   tmfollow -P poll|select|epoll -r READY -o OUT FILE
 *   tmfollow -E FILE
 *
 * Default mode: opens FILE read-write, writes "follow", reads with
 * O_NONBLOCK until EAGAIN (the history so far), creates READY, then
 * reads blocking, BS bytes a read() (default 4096), sleeping PAUSE_MS
 * before each; with -w it does not read at all but waits.  Once it got
 * SIGUSR1 (sent until it exits: a signal between its check and a read()
 * would be missed) it reads with O_NONBLOCK until EAGAIN and exits 0.
 * Everything read goes to OUT.
 *
 * -P: with sampling stopped by the caller: the history so far must make
 * the file readable at once (a zero timeout), read with O_NONBLOCK until
 * EAGAIN it must no longer be; then creates READY and waits with no
 * timeout in poll(), select() or epoll_wait(); once woken, the file must
 * be readable and a read() give a line.  Writes "woke" to OUT.
 *
 * -E: a read() of 10 bytes while a line waits fails with EINVAL and
 * takes nothing; one of 4096 bytes returns whole lines; with O_NONBLOCK
 * a read() after the last line fails with EAGAIN.  Prints
 * "small=ERR big=ERR drained=ERR".
 *
 * Every read() must return whole lines, each a well-formed sample line
 * or "lost N" (N >= 1), at most BS bytes.  Exit 1 with a reason on
 * stderr at the first that is not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"
#include "tmline.h"

static volatile sig_atomic_t done;

static void on_usr1(int sig)
{
	(void)sig;
	done = 1;
}

static void die(const char *why)
{
	fprintf(stderr, "tmfollow: %s\n", why);
	exit(1);
}

/* Whether s[0..len) is "lost N", N a decimal number >= 1. */
static int lost_line(const char *s, size_t len)
{
	size_t i;

	if (len < 6 || memcmp(s, "lost ", 5) || s[5] < '1' || s[5] > '9')
		return 0;
	for (i = 6; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Checks the bytes of one read(): whole, well-formed lines. */
static void check_read(const char *buf, ssize_t n, size_t bs)
{
	ssize_t i = 0;

	if ((size_t)n > bs)
		die("read() returned more than asked");
	if (n > 0 && buf[n - 1] != '\n') {
		fprintf(stderr, "tmfollow: read() of %zd bytes ends mid-line\n", n);
		exit(1);
	}
	while (i < n) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t len = nl - (buf + i);
		unsigned long long v[TM_NKEYS];

		if (!lost_line(buf + i, len) && tm_parse_line(buf + i, len, v)) {
			fprintf(stderr, "tmfollow: bad line: %.*s\n", (int)len, buf + i);
			exit(1);
		}
		i += len + 1;
	}
}

static void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK))
		die("fcntl");
}

/* One read() into @out; its result, errno kept. */
static ssize_t read_some(int fd, char *buf, size_t bs, FILE *out)
{
	ssize_t n = read(fd, buf, bs);
	int e = errno;

	if (n > 0) {
		check_read(buf, n, bs);
		if (fwrite(buf, 1, n, out) != (size_t)n || fflush(out))
			die("cannot write the output");
	}
	errno = e;
	return n;
}

/* Reads with O_NONBLOCK until EAGAIN. */
static void drain(int fd, char *buf, size_t bs, FILE *out)
{
	ssize_t n;

	set_nonblock(fd, 1);
	while ((n = read_some(fd, buf, bs, out)) > 0)
		;
	if (n == 0)
		die("end of file on a followed file");
	if (errno != EAGAIN) {
		fprintf(stderr, "tmfollow: non-blocking read: %s\n", tm_errname(errno));
		exit(1);
	}
	set_nonblock(fd, 0);
}

static void touch(const char *path)
{
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("cannot create the ready file");
	close(fd);
}

static int open_follow(const char *path, int flags)
{
	int fd = open(path, O_RDWR | flags);

	if (fd < 0) {
		fprintf(stderr, "tmfollow: %s: %s\n", path, tm_errname(errno));
		exit(1);
	}
	if (write(fd, "follow\n", 7) != 7) {
		fprintf(stderr, "tmfollow: write follow: %s\n", tm_errname(errno));
		exit(1);
	}
	return fd;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) && !done)
		;
}

static int follow(const char *path, size_t bs, long gap_ms, int wait_only,
		  const char *ready, FILE *out)
{
	char *buf = malloc(bs);
	int fd = open_follow(path, 0);

	if (!buf)
		die("out of memory");
	drain(fd, buf, bs, out);
	touch(ready);
	while (!done) {
		if (wait_only) {
			pause();
			continue;
		}
		pause_ms(gap_ms);
		if (done)
			break;
		if (read_some(fd, buf, bs, out) < 0 && errno != EINTR) {
			fprintf(stderr, "tmfollow: read: %s\n", tm_errname(errno));
			return 1;
		}
	}
	drain(fd, buf, bs, out);
	return 0;
}

/* Whether @fd polls readable now (zero timeout). */
static int readable_now(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 0) < 0)
		die("poll");
	return p.revents & POLLIN;
}

/* Waits with no timeout in @how until @fd is readable. */
static void wait_readable(int fd, const char *how)
{
	if (!strcmp(how, "poll")) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN))
			die("poll() returned without POLLIN");
	} else if (!strcmp(how, "select")) {
		fd_set r;

		FD_ZERO(&r);
		FD_SET(fd, &r);
		if (select(fd + 1, &r, NULL, NULL, NULL) != 1 || !FD_ISSET(fd, &r))
			die("select() returned without the file readable");
	} else if (!strcmp(how, "epoll")) {
		struct epoll_event ev = { .events = EPOLLIN }, got;
		int ep = epoll_create1(0);

		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			die("epoll set-up");
		if (epoll_wait(ep, &got, 1, -1) != 1 || !(got.events & EPOLLIN))
			die("epoll_wait() returned without EPOLLIN");
		close(ep);
	} else {
		die("-P takes poll, select or epoll");
	}
}

static int poll_mode(const char *path, const char *how, const char *ready,
		     FILE *out)
{
	static char buf[4096];
	int fd = open_follow(path, 0);
	FILE *sink = fopen("/dev/null", "w");

	if (!sink)
		die("/dev/null");
	if (!readable_now(fd))
		die("a history to give, yet not readable");
	drain(fd, buf, sizeof(buf), sink);
	if (readable_now(fd))
		die("readable once drained, with sampling stopped");
	touch(ready);
	wait_readable(fd, how);
	set_nonblock(fd, 1);
	if (read_some(fd, buf, sizeof(buf), sink) <= 0) {
		fprintf(stderr, "tmfollow: woken, yet read: %s\n", tm_errname(errno));
		return 1;
	}
	fprintf(out, "woke\n");
	return 0;
}

static int errors_mode(const char *path)
{
	static char buf[4096];
	int fd = open_follow(path, O_NONBLOCK), small, big, drained;
	ssize_t n;

	n = read(fd, buf, 10);
	small = n < 0 ? errno : 0;
	n = read(fd, buf, sizeof(buf));
	big = n < 0 ? errno : 0;
	if (n > 0)
		check_read(buf, n, sizeof(buf));
	/* The small read took nothing: the first line comes whole now. */
	if (n > 0 && strncmp(buf, "pid ", 4))
		die("the first line after the refused read is not a sample");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		check_read(buf, n, sizeof(buf));
	drained = n < 0 ? errno : -1;
	printf("small=%s big=%s drained=%s\n", tm_errname(small), tm_errname(big),
	       drained < 0 ? "EOF" : tm_errname(drained));
	return 0;
}

int main(int argc, char **argv)
{
	const char *ready = NULL, *outpath = NULL, *how = NULL;
	long bs = 4096, pause = 0;
	int opt, wait_only = 0, errors = 0;
	struct sigaction sa = { .sa_handler = on_usr1 };
	FILE *out;

	while ((opt = getopt(argc, argv, "b:p:r:wo:P:E")) != -1) {
		switch (opt) {
		case 'b':
			bs = atol(optarg);
			break;
		case 'p':
			pause = atol(optarg);
			break;
		case 'r':
			ready = optarg;
			break;
		case 'w':
			wait_only = 1;
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'P':
			how = optarg;
			break;
		case 'E':
			errors = 1;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || bs < 1)
		goto usage;
	if (errors)
		return errors_mode(argv[optind]);
	if (!outpath)
		goto usage;
	out = fopen(outpath, "w");
	if (!out)
		die("cannot open the output");
	/* No SA_RESTART: a blocked read() returns EINTR. */
	sigaction(SIGUSR1, &sa, NULL);
	if (how)
		return poll_mode(argv[optind], how, ready, out);
	return follow(argv[optind], bs, pause, wait_only, ready, out);

usage:
	fprintf(stderr, "usage: tmfollow [-b BS] [-p PAUSE_MS] [-r READY] [-w] -o OUT FILE\n"
			"       tmfollow -P poll|select|epoll -r READY -o OUT FILE\n"
			"       tmfollow -E FILE\n");
	return 2;
}
