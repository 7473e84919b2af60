// SPDX-License-Identifier: GPL-2.0
/*
 * forkbench: what a fork + exit costs the whole system, and a fork storm.
 *
 *   forkbench -c M [-F FILE] [-p PIDFILE]   cost: fork M children that
 *       exit at once, reaping each; prints the CPU time of every thread
 *       of the system over the run
 *   forkbench -s N [-F FILE] -p PIDFILE     storm: fork N children, child
 *       i (from 0) exiting at once with status i % 256; "PID STATUS" of
 *       each goes to PIDFILE
 *
 * -F FILE writes "+<own PID>" to FILE (/dev/taskmonitor) first, so that
 * taskmonitor follows the forker and lists every child.  -p PIDFILE (cost)
 * lists the children's PIDs, one a line.
 *
 * The cost is the first field of each thread's schedstat (the scheduler's
 * sum_exec_runtime, ns: under QEMU -icount, instructions), summed over
 * every thread of /proc/PID/task/TID, read before and after, so that the
 * kernel workers that list a followed child and append its exit record,
 * and the sampler, are counted with the forker.  A child's own time is
 * read once it has exited and before it is reaped (waitid() with
 * WNOWAIT).  The forker's time leaves out its two scans of /proc: the
 * scan before reads its own thread last, the scan after first.  After the
 * last child is reaped the forker waits until nothing else is runnable
 * (/proc/loadavg), so that the work the exits left to kernel workers is
 * done before the scan after; it waits so before the scan before too.  Prints
 *   pairs=M cpu_ns=<all> self_ns=<forker> kids_ns=<children>
 *   kworker_ns=<threads named kworker...> sampler_ns=<"taskmonitor"> other_ns=<rest>
 *   wall_ns=<from the first fork to the last reap>
 *
 * The storm checks each child's status as waitpid() reports it against
 * the one it chose, and prints
 *   children=N bad=<statuses not as chosen> wall_ns=<storm>
 *   life_p50_ns= life_max_ns=  (from before a fork to its child's exit
 *   being seen by waitid())
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "readsmall.h"

/* Where a thread's CPU time is counted. */
enum { C_KWORKER, C_SAMPLER, C_OTHER, C_NR };

struct thr {
	int tid;
	int cat;
	unsigned long long ns;
};

struct scan {
	struct thr *t;
	size_t n, cap;
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The first field of schedstat at @path; 0 if it is gone. */
static unsigned long long sched_ns(const char *path)
{
	char buf[128];

	if (read_small(path, buf, sizeof(buf)))
		return 0;
	return strtoull(buf, NULL, 10);
}

static int category(int pid, int tid)
{
	char path[64], comm[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	if (read_small(path, comm, sizeof(comm)))
		return C_OTHER;
	if (!strncmp(comm, "kworker", 7))
		return C_KWORKER;
	if (!strcmp(comm, "taskmonitor\n"))
		return C_SAMPLER;
	return C_OTHER;
}

static void scan_add(struct scan *s, int tid, int cat, unsigned long long ns)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->t = realloc(s->t, s->cap * sizeof(*s->t));
		if (!s->t) {
			perror("forkbench: realloc");
			exit(1);
		}
	}
	s->t[s->n].tid = tid;
	s->t[s->n].cat = cat;
	s->t[s->n].ns = ns;
	s->n++;
}

/* Every thread of the system but @self, with its CPU time. */
static void scan_threads(struct scan *s, int self)
{
	struct dirent *p, *t;
	char path[64];
	DIR *proc, *task;

	s->n = 0;
	proc = opendir("/proc");
	if (!proc) {
		perror("/proc");
		exit(1);
	}
	while ((p = readdir(proc))) {
		int pid = atoi(p->d_name);

		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		task = opendir(path);
		if (!task)
			continue;
		while ((t = readdir(task))) {
			int tid = atoi(t->d_name);

			if (!isdigit((unsigned char)t->d_name[0]) || tid == self)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", pid, tid);
			scan_add(s, tid, category(pid, tid), sched_ns(path));
		}
		closedir(task);
	}
	closedir(proc);
}

static int by_tid(const void *a, const void *b)
{
	const struct thr *x = a, *y = b;

	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Adds each thread's growth from @before to @after to @sum by category. */
static void scan_diff(struct scan *before, struct scan *after,
		      unsigned long long sum[C_NR])
{
	struct thr *b;
	size_t i;

	qsort(before->t, before->n, sizeof(*before->t), by_tid);
	for (i = 0; i < after->n; i++) {
		struct thr *a = &after->t[i];
		unsigned long long was = 0;

		b = bsearch(a, before->t, before->n, sizeof(*before->t), by_tid);
		if (b)
			was = b->ns;
		if (a->ns > was)
			sum[a->cat] += a->ns - was;
	}
}

/* Waits until this process is the only runnable one (4th field R/T). */
static void settle(void)
{
	char buf[128], *p;
	int i;

	for (i = 0; i < 1000; i++) {
		usleep(2000);
		if (read_small("/proc/loadavg", buf, sizeof(buf)))
			return;
		p = strchr(buf, '/');
		while (p && p > buf && p[-1] != ' ')
			p--;
		if (p && atoi(p) <= 1)
			return;
	}
}

static int follow_self(const char *file)
{
	char buf[32];
	int fd, n;

	n = snprintf(buf, sizeof(buf), "+%d\n", (int)getpid());
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, n) != n) {
		perror(file);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Forks a child that exits with @status at once; waits for its exit and
 * returns its PID with its CPU time in *@ns (if @ns), or -1.
 */
static pid_t fork_one(int status, unsigned long long *ns)
{
	siginfo_t info;
	char path[64];
	pid_t pid = fork();

	if (pid < 0) {
		perror("forkbench: fork");
		return -1;
	}
	if (pid == 0)
		_exit(status);
	if (waitid(P_PID, pid, &info, WEXITED | WNOWAIT)) {
		perror("forkbench: waitid");
		return -1;
	}
	if (ns) {
		snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
		*ns = sched_ns(path);
	}
	return pid;
}

static int cost(long m, const char *follow, const char *pidfile)
{
	unsigned long long sum[C_NR] = { 0 }, self0, self1, kids = 0, ns;
	struct scan before = { 0 }, after = { 0 };
	int self = gettid();
	long long t0, t1;
	FILE *pf = NULL;
	long i;
	pid_t pid;

	if (follow && follow_self(follow))
		return 1;
	if (pidfile && !(pf = fopen(pidfile, "w"))) {
		perror(pidfile);
		return 1;
	}
	/* What came before (a load, an unload) is not counted. */
	settle();
	scan_threads(&before, self);
	self0 = sched_ns("/proc/thread-self/schedstat");
	t0 = now_ns();
	for (i = 0; i < m; i++) {
		pid = fork_one(0, &ns);
		if (pid < 0)
			return 1;
		kids += ns;
		if (pf)
			fprintf(pf, "%d\n", (int)pid);
		waitpid(pid, NULL, 0);
	}
	self1 = sched_ns("/proc/thread-self/schedstat");
	t1 = now_ns();
	settle();
	scan_threads(&after, self);
	scan_diff(&before, &after, sum);
	if (pf && fclose(pf)) {
		perror(pidfile);
		return 1;
	}
	free(before.t);
	free(after.t);
	printf("pairs=%ld cpu_ns=%llu self_ns=%llu kids_ns=%llu kworker_ns=%llu sampler_ns=%llu other_ns=%llu wall_ns=%lld\n",
	       m, self1 - self0 + kids + sum[C_KWORKER] + sum[C_SAMPLER] + sum[C_OTHER],
	       self1 - self0, kids, sum[C_KWORKER], sum[C_SAMPLER], sum[C_OTHER], t1 - t0);
	return 0;
}

static int by_ll(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

static int storm(long n, const char *follow, const char *pidfile)
{
	long long t0, t, *life = calloc(n, sizeof(*life));
	long i, bad = 0;
	int st;
	FILE *pf;
	pid_t pid;

	if (!life) {
		perror("forkbench: calloc");
		return 1;
	}
	pf = fopen(pidfile, "w");
	if (!pf) {
		perror(pidfile);
		return 1;
	}
	if (follow && follow_self(follow))
		return 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		t = now_ns();
		pid = fork_one(i % 256, NULL);
		if (pid < 0)
			return 1;
		life[i] = now_ns() - t;
		fprintf(pf, "%d %ld\n", (int)pid, i % 256);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != i % 256)
			bad++;
	}
	t = now_ns() - t0;
	if (fclose(pf)) {
		perror(pidfile);
		return 1;
	}
	qsort(life, n, sizeof(*life), by_ll);
	printf("children=%ld bad=%ld wall_ns=%lld life_p50_ns=%lld life_max_ns=%lld\n",
	       n, bad, t, life[n / 2], life[n - 1]);
	free(life);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *follow = NULL, *pidfile = NULL;
	long count = 0;
	int opt, mode = 0;

	while ((opt = getopt(argc, argv, "c:s:F:p:")) != -1) {
		switch (opt) {
		case 'c':
		case 's':
			mode = opt;
			count = atol(optarg);
			break;
		case 'F':
			follow = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc || count <= 0)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mode == 'c')
		return cost(count, follow, pidfile);
	if (mode == 's' && pidfile)
		return storm(count, follow, pidfile);
usage:
	fprintf(stderr, "usage: forkbench -c M [-F FILE] [-p PIDFILE] | -s N [-F FILE] -p PIDFILE\n");
	return 2;
}
