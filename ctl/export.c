// SPDX-License-Identifier: GPL-2.0
/*
 * export.c: the history as Prometheus metrics.  `export` writes the
 * newest sample of every live process in the text exposition format
 * 0.0.4, which node_exporter's textfile collector reads (it refuses a
 * whole file for one invalid label value or one repeated series, and
 * takes no timestamps); `export --history` writes every sample, with its
 * own timestamp, as OpenMetrics 1.0 text, which `promtool tsdb
 * create-blocks-from openmetrics` imports.
 *
 * A series is one process: labels pid, comm and, when the history has
 * the key, start.  Without `start`, processes that share a PID number
 * and a name (a PID reused by the same program) share a series too, as
 * Prometheus sees a restarted process: its counters start again from
 * zero, which rate() takes for a reset.  OpenMetrics wants each series
 * once, in time order, and families not interleaved, so --history reads
 * the samples again per family and series from the byte ranges the first
 * pass noted (a pipe or the device is copied to a temporary file first).
 */
#define _GNU_SOURCE
#include "ctl.h"
#include "out.h"
#include "prom.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One process of the history, as export keeps it. */
struct xproc {
	struct tm_sample last;
	char comm[TM_COMM_MAX];	/* "" when unknown */
	uint64_t first_ts, off_first, off_end;
	size_t order;		/* its rank in the history */
	bool exited;
};

struct xstate {
	struct xproc *v;
	size_t n, cap;
	int fd;			/* --history: the input, seekable */
	uint64_t base;		/* offset of the input's first byte in fd */
	unsigned long skipped;	/* samples not after their series' last */
	bool io;		/* a sample has rbytes and wbytes */
};

/* ---- the first pass: one xproc per process ---- */

static void export_sample(struct walker *w, struct proc *p,
			  const struct tm_sample *s)
{
	struct xstate *xs = w->priv;

	(void)p;
	xs->io |= s->has_io;
}

/*
 * Is family FM written at all?  The I/O family only when a sample has
 * its keys: the output of a 0.1.0 history stays as it was.
 */
static bool family_wanted(const struct xstate *xs, const struct tm_family *fm)
{
	return !fm->io || xs->io;
}

/* Are the real and effective user IDs of live process PID both UID? */
static bool owned_by(long pid, uid_t uid)
{
	char path[64], line[256];
	unsigned int ruid, euid;
	bool yes = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %u %u", &ruid, &euid) == 2) {
			yes = ruid == uid && euid == uid;
			break;
		}
	fclose(f);
	return yes;
}

static void export_end(struct walker *w, struct proc *p)
{
	struct xstate *xs = w->priv;
	struct xproc *x;

	if (w->o->user_given) {
		if (!w->local)
			tm_die(2, "--user needs a history of this boot (the module's, or one saved on it): only /proc tells whose processes they are");
		/* An exited process is no one's now: its PID may be reused. */
		if (strcmp(p->state, "live") || !owned_by(p->first.pid, w->o->uid))
			return;
	}
	if (xs->n == xs->cap) {
		xs->cap = xs->cap ? 2 * xs->cap : 64;
		xs->v = realloc(xs->v, xs->cap * sizeof(*xs->v));
		if (!xs->v)
			tm_die(2, "out of memory");
	}
	x = &xs->v[xs->n];
	x->last = p->last;
	snprintf(x->comm, sizeof(x->comm), "%s", p->comm_known ? p->comm : "");
	x->first_ts = p->first.ts;
	x->off_first = p->off_first;
	x->off_end = p->off_end;
	x->order = xs->n++;
	/* Exited: /proc says so, or the history ends with the exit record. */
	x->exited = p->last.has_exit || (w->local && !strcmp(p->state, "exited"));
}

static void series_of(const struct xproc *p, struct tm_series *x)
{
	x->pid = p->last.pid;
	x->comm = p->comm;
	x->has_start = p->last.has_start;
	x->start = p->last.start;
}

/* ---- export: the newest sample of each live process ---- */

static int by_pid_then_order(const void *a, const void *b)
{
	const struct xproc *x = a, *y = b;

	if (x->last.pid != y->last.pid)
		return x->last.pid < y->last.pid ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Keep the processes that may still live: not those /proc says have
 * exited, nor one that a later process with its PID number follows
 * (the number was free again, so it had exited).  One series per PID.
 */
static void keep_live(struct xstate *xs)
{
	size_t i, n = 0;

	if (xs->n == 0)
		return;
	qsort(xs->v, xs->n, sizeof(*xs->v), by_pid_then_order);
	for (i = 0; i < xs->n; i++) {
		if (i + 1 < xs->n && xs->v[i + 1].last.pid == xs->v[i].last.pid)
			continue;
		if (!xs->v[i].exited)
			xs->v[n++] = xs->v[i];
	}
	xs->n = n;
}

static void write_newest(FILE *f, const struct tm_opts *o,
			 const struct xstate *xs, unsigned long samples)
{
	const struct tm_family *fm;
	struct tm_series x;
	size_t i;
	int v;

	for (fm = tm_families; fm < tm_families + tm_nfamilies; fm++) {
		if (!family_wanted(xs, fm))
			continue;
		tm_prom_family_meta(f, fm, false);
		for (v = 0; v < (fm->label ? 2 : 1); v++)
			for (i = 0; i < xs->n; i++) {
				if (!tm_prom_has(fm, &xs->v[i].last))
					continue;
				series_of(&xs->v[i], &x);
				tm_prom_point(f, fm, v, &x, &xs->v[i].last,
					      o->boot_ns, false);
			}
	}
	tm_prom_meta(f, tm_samples_name, "", "gauge", tm_samples_help);
	fprintf(f, "%s %lu\n", tm_samples_name, samples);
}

/* ---- export --history: every sample, series by series ---- */

/* Same series: same PID, start (if any) and name. */
static int series_cmp(const struct xproc *x, const struct xproc *y)
{
	const struct tm_sample *a = &x->last, *b = &y->last;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->has_start != b->has_start)
		return a->has_start ? 1 : -1;
	if (a->has_start && a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

static int by_series_then_time(const void *a, const void *b)
{
	const struct xproc *x = a, *y = b;
	int c = series_cmp(x, y);

	if (c)
		return c;
	if (x->first_ts != y->first_ts)
		return x->first_ts < y->first_ts ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The bytes of X's samples, read again, '\n'-ended. */
static char *load_range(const struct xstate *xs, const struct xproc *x,
			size_t *len)
{
	size_t n = (size_t)(x->off_end - x->off_first), got = 0;
	char *buf = malloc(n + 1);
	ssize_t r;

	if (!buf)
		tm_die(2, "out of memory");
	while (got < n) {
		r = pread(xs->fd, buf + got, n - got,
			  (off_t)(xs->base + x->off_first + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			tm_die(2, "cannot read the history again: %s (was it shortened while export ran?)",
			       r < 0 ? strerror(errno) : "it ended early");
		got += (size_t)r;
	}
	/* The last line of the input may lack its '\n'. */
	if (n == 0 || buf[n - 1] != '\n')
		buf[n++] = '\n';
	*len = n;
	return buf;
}

struct series_out {
	FILE *f;
	const struct tm_opts *o;
	const struct tm_family *fm;
	int variant;
	struct tm_series x;
	bool started;
	uint64_t last_ts;
	unsigned long skipped;
};

static void put_point(struct series_out *so, const struct tm_sample *s)
{
	if (!tm_prom_has(so->fm, s))
		return;
	if (so->started && s->ts <= so->last_ts) {
		so->skipped++;
		return;
	}
	so->started = true;
	so->last_ts = s->ts;
	tm_prom_point(so->f, so->fm, so->variant, &so->x, s, so->o->boot_ns, true);
}

/* Write X's samples in the window into the series SO. */
static void put_process(struct series_out *so, const struct xstate *xs,
			const struct xproc *x)
{
	size_t len, pos = 0;
	char *buf = load_range(xs, x, &len), errbuf[128], *nl;
	const char *why;
	struct tm_sample s;
	uint64_t lost;

	while (pos < len) {
		nl = memchr(buf + pos, '\n', len - pos);
		switch (tm_parse_line(buf + pos, (size_t)(nl - buf - pos), &s,
				      &lost, errbuf, sizeof(errbuf), &why)) {
		case TM_LINE_SAMPLE:
			if (s.pid != x->last.pid)
				tm_die(2, "the history changed while export read it: run export again");
			if (in_window(so->o, s.ts))
				put_point(so, &s);
			break;
		case TM_LINE_ERROR:
			tm_die(2, "the history changed while export read it: run export again");
		default:
			break;
		}
		pos = (size_t)(nl - buf) + 1;
	}
	free(buf);
}

static void write_history(FILE *f, const struct tm_opts *o, struct xstate *xs,
			  unsigned long samples)
{
	const struct tm_family *fm;
	uint64_t newest = 0;
	size_t i, j;
	int v;

	if (xs->n)
		qsort(xs->v, xs->n, sizeof(*xs->v), by_series_then_time);
	for (fm = tm_families; fm < tm_families + tm_nfamilies; fm++) {
		if (!family_wanted(xs, fm))
			continue;
		tm_prom_family_meta(f, fm, true);
		for (i = 0; i < xs->n; i = j) {
			for (j = i + 1; j < xs->n && !series_cmp(&xs->v[i], &xs->v[j]); j++)
				;
			for (v = 0; v < (fm->label ? 2 : 1); v++) {
				struct series_out so = { .f = f, .o = o, .fm = fm,
							 .variant = v };
				size_t k;

				series_of(&xs->v[i], &so.x);
				for (k = i; k < j; k++)
					put_process(&so, xs, &xs->v[k]);
				if (fm == tm_families && v == 0)
					xs->skipped += so.skipped;
			}
		}
	}
	tm_prom_meta(f, tm_samples_name, "", "gauge", tm_samples_help);
	for (i = 0; i < xs->n; i++)
		if (xs->v[i].last.ts > newest)
			newest = xs->v[i].last.ts;
	if (xs->n) {
		fprintf(f, "%s %lu ", tm_samples_name, samples);
		tm_prom_ns(f, (__int128)o->boot_ns + newest);
		putc('\n', f);
	}
	fputs("# EOF\n", f);
}

/*
 * The input as a file that can be read again: a regular file is, from
 * where it stands; the device (whose next read differs) and pipes are
 * copied to an unlinked temporary file.
 */
static int seekable_input(const struct tm_opts *o, const char **name,
			  uint64_t *base)
{
	const char *tmpdir = getenv("TMPDIR");
	int in = tm_open_history(o, name), fd;
	char buf[1 << 16];
	struct stat st;
	off_t at;
	ssize_t n;

	at = lseek(in, 0, SEEK_CUR);
	if (!fstat(in, &st) && S_ISREG(st.st_mode) && at >= 0) {
		*base = (uint64_t)at;
		return in;
	}
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	fd = open(tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		tm_die(2, "cannot create a temporary file in %s: %s: set TMPDIR to a writable directory",
		       tmpdir, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write(fd, buf, (size_t)n) != n)
			tm_die(2, "cannot copy %s to a temporary file in %s: %s",
			       *name, tmpdir, strerror(errno));
	}
	if (in != STDIN_FILENO)
		close(in);
	lseek(fd, 0, SEEK_SET);
	*base = 0;
	return fd;
}

/* ---- the output file, replaced atomically ---- */

static char *pending_tmp;

static void remove_pending(void)
{
	if (pending_tmp)
		unlink(pending_tmp);
}

/*
 * A temporary file next to FILE, so that rename() replaces FILE at once:
 * a scraper never reads half a file.  Mode 0644: node_exporter reads it
 * as its own user.
 */
static FILE *open_output(const char *file)
{
	char *d = strdup(file), *b = strdup(file), *dir, *base;
	FILE *f;
	int fd;

	if (!d || !b)
		tm_die(2, "out of memory");
	dir = dirname(d);
	base = basename(b);
	if (asprintf(&pending_tmp, "%s/.%s.XXXXXX", dir, base) < 0)
		tm_die(2, "out of memory");
	fd = mkstemp(pending_tmp);
	if (fd < 0) {
		int err = errno;

		free(pending_tmp);
		pending_tmp = NULL;
		tm_die(2, "cannot create a file in %s: %s: give -o a file in a writable directory",
		       dir, strerror(err));
	}
	atexit(remove_pending);
	free(d);
	free(b);
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w")))
		tm_die(2, "cannot set up %s: %s", pending_tmp, strerror(errno));
	return f;
}

static void close_output(FILE *f, const char *file)
{
	if (f == stdout) {
		if (fflush(f) || ferror(f))
			tm_die(2, "cannot write the output: %s", strerror(errno));
		return;
	}
	if (fflush(f) || ferror(f) || fsync(fileno(f)) || fclose(f))
		tm_die(2, "cannot write %s: %s", pending_tmp, strerror(errno));
	if (rename(pending_tmp, file))
		tm_die(2, "cannot rename %s to %s: %s", pending_tmp, file,
		       strerror(errno));
	free(pending_tmp);
	pending_tmp = NULL;
}

/*
 * The module is not loaded: a timer runs this every few seconds, so say
 * it in one line, and remove the old file, whose values would otherwise
 * be served as current.  Status 0: nothing is wrong with the export, and
 * a timer's unit must not fail every period while the module is out.
 */
static int not_loaded(const struct tm_opts *o)
{
	bool file = o->output && strcmp(o->output, "-");

	if (file && unlink(o->output) && errno != ENOENT)
		tm_err("cannot remove %s: %s", o->output, strerror(errno));
	tm_err("taskmonitor is not loaded: modprobe taskmonitor%s%s%s",
	       file ? " (" : "", file ? o->output : "",
	       file ? " removed, so that its old values do not live on)" : "");
	return 0;
}

int cmd_export(struct tm_opts *o)
{
	struct xstate xs = { .fd = -1 };
	bool to_file = o->output && strcmp(o->output, "-");
	const char *name = NULL;
	struct walker w;
	FILE *f;

	if (!o->input && !tm_module_loaded())
		return not_loaded(o);
	walker_init(&w, o);
	w.sample = export_sample;
	w.end = export_end;
	w.priv = &xs;
	if (o->history) {
		xs.fd = seekable_input(o, &name, &xs.base);
		w.fd = xs.fd;
		w.fd_name = name;
	}
	walk_history(&w);
	f = to_file ? open_output(o->output) : stdout;
	if (o->history) {
		write_history(f, o, &xs, w.samples);
	} else {
		keep_live(&xs);
		write_newest(f, o, &xs, w.samples);
	}
	close_output(f, o->output);
	if (xs.skipped)
		tm_err("%lu samples left out: not later than the sample before them in their series (a PID reused by a program of the same name, without the `start` key)",
		       xs.skipped);
	if (xs.fd >= 0 && xs.fd != STDIN_FILENO)
		close(xs.fd);
	free(xs.v);
	return check_pids_seen(o);
}
