// SPDX-License-Identifier: GPL-2.0
/*
 * namer [-p] [-x] READY NAME...: a process that names itself NAME after
 * NAME, for the comm tests.  Each NAME is decoded first: \xHH, \n, \t
 * and \\ stand for their bytes, so that any byte string can be asked
 * for from a shell.  The name is set with prctl(PR_SET_NAME), or with
 * -p by writing it to /proc/self/comm (no newline added).  After taking
 * the i-th name the file READY holds "i"; SIGUSR1 moves to the next
 * name.  After the last one, SIGUSR1 ends it, or with -x makes it exec
 * /bin/sleep 1000 (so its name becomes "sleep").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hexval.h"

static volatile sig_atomic_t next;

static void on_usr1(int sig)
{
	(void)sig;
	next = 1;
}

/* Decodes ARG into OUT (of SIZE bytes); returns the length. */
static size_t decode(const char *arg, char *out, size_t size)
{
	size_t n = 0;

	while (*arg && n + 1 < size) {
		if (arg[0] == '\\' && arg[1] == 'x' && hexval(arg[2]) >= 0 &&
		    hexval(arg[3]) >= 0) {
			out[n++] = (char)(hexval(arg[2]) * 16 + hexval(arg[3]));
			arg += 4;
		} else if (arg[0] == '\\' && arg[1] == 'n') {
			out[n++] = '\n';
			arg += 2;
		} else if (arg[0] == '\\' && arg[1] == 't') {
			out[n++] = '\t';
			arg += 2;
		} else if (arg[0] == '\\' && arg[1] == '\\') {
			out[n++] = '\\';
			arg += 2;
		} else {
			out[n++] = *arg++;
		}
	}
	out[n] = '\0';
	return n;
}

static void set_name(const char *name, size_t len, int via_proc)
{
	if (via_proc) {
		int fd = open("/proc/self/comm", O_WRONLY);

		if (fd < 0 || write(fd, name, len) != (ssize_t)len) {
			perror("namer: /proc/self/comm");
			exit(1);
		}
		close(fd);
	} else if (prctl(PR_SET_NAME, name, 0, 0, 0)) {
		perror("namer: prctl(PR_SET_NAME)");
		exit(1);
	}
}

static void say(const char *ready, int i)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", ready);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", i) < 0 || fclose(f) || rename(tmp, ready)) {
		perror("namer: ready file");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	int via_proc = 0, do_exec = 0, opt, i;
	sigset_t block, old;
	char name[256];

	while ((opt = getopt(argc, argv, "px")) != -1) {
		if (opt == 'p')
			via_proc = 1;
		else if (opt == 'x')
			do_exec = 1;
		else
			return 2;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: namer [-p] [-x] READY NAME...\n");
		return 2;
	}
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (i = optind + 1; i < argc; i++) {
		size_t len = decode(argv[i], name, sizeof(name));

		set_name(name, len, via_proc);
		say(argv[optind], i - optind);
		while (!next)
			sigsuspend(&old);
		next = 0;
	}
	if (do_exec) {
		execl("/bin/sleep", "sleep", "1000", (char *)NULL);
		perror("namer: exec /bin/sleep");
		return 1;
	}
	return 0;
}
