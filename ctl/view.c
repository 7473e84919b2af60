// SPDX-License-Identifier: GPL-2.0
/*
 * view.c: the commands that read a history: show (rows and --summary),
 * list and plot.  The history is read as a stream: a process's samples
 * come one after the other (docs/interface.md, "Read"), so only the
 * state of the process being read is kept and memory does not grow with
 * the number of samples.
 */
#define _GNU_SOURCE
#include "ctl.h"
#include "out.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One interval of a process, as a row of `show`. */
struct row {
	const struct proc *p;
	const struct tm_sample *s;	/* its end */
	struct tm_rates r;
};

bool pid_selected(const struct tm_opts *o, long pid)
{
	int i;

	if (o->npids == 0)
		return true;
	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == pid) {
			o->pid_seen[i] = true;
			return true;
		}
	return false;
}

/* Every PID asked for had a sample in the window?  Else say so; status 1. */
int check_pids_seen(const struct tm_opts *o)
{
	int i, status = 0;

	for (i = 0; i < o->npids; i++)
		if (!o->pid_seen[i]) {
			tm_err("PID %ld has no sample%s in the history: taskmonitorctl list shows the monitored processes, taskmonitorctl add %ld adds it",
			       o->pids[i],
			       o->since_given || o->until_given ? " in the window" : "",
			       o->pids[i]);
			status = 1;
		}
	return status;
}

int64_t wall_ns(const struct tm_opts *o, uint64_t ts)
{
	return o->boot_ns + (int64_t)ts;
}

bool in_window(const struct tm_opts *o, uint64_t ts)
{
	int64_t t = wall_ns(o, ts);

	return (!o->since_given || t >= o->since_ns) &&
	       (!o->until_given || t <= o->until_ns);
}

/*
 * Name and state of PID from /proc/PID/stat, provided that the process
 * living under that PID now started before FIRST_TS, the boot time of
 * its first sample: otherwise the PID has been reused.
 */
bool proc_lookup(long pid, uint64_t first_ts, char *comm, size_t len,
			char *state)
{
	char path[64], buf[1024], *open_p, *close_p, *p;
	unsigned long long start;
	long hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	open_p = strchr(buf, '(');
	close_p = strrchr(buf, ')');
	if (!open_p || !close_p || close_p < open_p || !close_p[1])
		return false;
	*state = close_p[2];
	/* starttime is field 22; the state (field 3) comes after ") ". */
	p = close_p + 2;
	for (i = 3; i < 22 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%llu", &start) != 1 || hz <= 0)
		return false;
	if (start * (1000000000ull / (unsigned long long)hz) > first_ts)
		return false;
	snprintf(comm, len, "%.*s", (int)(close_p - open_p - 1), open_p + 1);
	return true;
}

static void proc_begin(struct walker *w, struct proc *p,
		       const struct tm_sample *s)
{
	char comm[TM_COMM_MAX], st = 0;

	memset(p, 0, sizeof(*p));
	p->first = *s;
	p->anchor = *s;
	p->state = "-";
	if (s->has_comm) {
		snprintf(p->comm, sizeof(p->comm), "%s", s->comm);
		p->comm_known = true;
	} else if (w->comm_pid == s->pid) {
		memcpy(p->comm, w->comm, sizeof(p->comm));
		p->comm_known = true;
	}
	w->comm_pid = 0;
	if (!w->local)
		return;
	if (!proc_lookup(s->pid, s->ts, comm, sizeof(comm), &st)) {
		p->state = "exited";
		return;
	}
	p->state = (st == 'Z' || st == 'X') ? "exited" : "live";
	if (!p->comm_known) {
		memcpy(p->comm, comm, sizeof(comm));
		p->comm_known = true;
	}
}

/* Account S to P, calling the command's hook; rows come from here. */
static void proc_sample(struct walker *w, struct proc *p,
			const struct tm_sample *s)
{
	p->samples++;
	p->last = *s;
	/* Its exit record: it has exited, whatever /proc holds now. */
	if (s->has_exit)
		p->state = "exited";
	/* The name as of this sample: an exec renames a process. */
	if (s->has_comm)
		memcpy(p->comm, s->comm, sizeof(p->comm));
	if (s->rss > p->rss_max)
		p->rss_max = s->rss;
	w->sample(w, p, s);
}

/*
 * The next interval of P ending at S, if S closes one; fills R (when not
 * NULL: the summary needs only %CPU, and a long history is mostly this).
 */
static bool proc_interval(const struct tm_opts *o, struct proc *p,
			  const struct tm_sample *s, struct tm_rates *r)
{
	const struct tm_sample *a = &p->anchor;
	double cpu;

	if (s == &p->first || s->ts - a->ts < o->every_ns || s->ts == a->ts)
		return false;
	cpu = (double)(s->usr - a->usr + s->sys - a->sys) /
	      (double)(s->ts - a->ts) * 100.0;
	if (r)
		tm_rates(a, s, r);
	p->anchor = *s;
	if (!p->has_rate || cpu > p->cpu_max)
		p->cpu_max = cpu;
	p->has_rate = true;
	return true;
}

/* Is BOOT_NS the wall-clock time of this boot (within the clocks' drift)? */
bool this_boot(int64_t boot_ns)
{
	return llabs(boot_ns - tm_boot_ns_now()) < 2000000000LL;
}

/*
 * Process names in a saved history: "# comm PID NAME" before the first
 * sample of the process, NAME with \xHH for the bytes that would break
 * the line (space, control characters, backslash).
 */
static void write_comm(FILE *f, long pid, const char *name)
{
	const unsigned char *c = (const unsigned char *)name;

	fprintf(f, "# comm %ld ", pid);
	for (; *c; c++) {
		if (*c <= ' ' || *c == 0x7f || *c == '\\')
			fprintf(f, "\\x%02x", *c);
		else
			putc(*c, f);
	}
	putc('\n', f);
}

/* Read a "# comm PID NAME" line into W; false if LINE is not one. */
static bool read_comm(struct walker *w, const char *line, size_t len)
{
	const char *p = line + 7, *end = line + len;
	size_t n = 0;
	long pid = 0;

	if (len < 9 || memcmp(line, "# comm ", 7))
		return false;
	for (; p < end && *p >= '0' && *p <= '9' && pid < 2147483647; p++)
		pid = pid * 10 + (*p - '0');
	if (p == end || *p++ != ' ')
		return false;
	while (p < end && n < sizeof(w->comm) - 1) {
		if (*p == '\\' && end - p >= 4 && p[1] == 'x' &&
		    tm_hex_digit(p[2]) >= 0 && tm_hex_digit(p[3]) >= 0) {
			w->comm[n++] = (char)(tm_hex_digit(p[2]) * 16 + tm_hex_digit(p[3]));
			p += 4;
		} else {
			w->comm[n++] = *p++;
		}
	}
	w->comm[n] = '\0';
	w->comm_pid = pid;
	return true;
}

/* A "# boot_time SECONDS.NANOSECONDS" header sets the boot time. */
static bool handle_comment(struct tm_opts *o, const char *line, size_t len)
{
	char buf[64];
	long long sec = 0, nsec = 0;
	char frac[16] = "";

	if (len >= sizeof(buf) || o->boot_given)
		return false;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (sscanf(buf, "# boot_time %lld.%9[0-9]", &sec, frac) < 1)
		return false;
	snprintf(buf, sizeof(buf), "%-9s", frac);
	for (int i = 0; i < 9; i++)
		nsec = nsec * 10 + (buf[i] == ' ' ? 0 : buf[i] - '0');
	o->boot_ns = sec * 1000000000LL + nsec;
	return true;
}

static void die_line(const struct tm_reader *r, const char *why)
{
	tm_die(1, "%s:%lu: malformed line: %s (a history holds only the lines of docs/interface.md)",
	       r->name, r->lineno, why);
}

/* A sample that belongs to a process the command looks at. */
static void take_sample(struct walker *w, struct proc *p, bool *open,
			const struct tm_sample *s)
{
	if (!in_window(w->o, s->ts) || !pid_selected(w->o, s->pid))
		return;
	w->samples++;
	if (!*open) {
		proc_begin(w, p, s);
		p->off_first = w->line_off;
		p->off_end = w->line_end;
		w->nprocs++;
		*open = true;
		proc_sample(w, p, &p->first);
		return;
	}
	p->off_end = w->line_end;
	proc_sample(w, p, s);
}

/*
 * Read the whole history, calling W's hooks.  A new process starts where
 * tm_same_process() says the previous line's process cannot go on.
 */
int walk_history(struct walker *w)
{
	struct tm_opts *o = w->o;
	struct tm_sample buf[2], *s = &buf[0], *prev = &buf[1], *t;
	struct tm_reader r;
	struct proc p;
	bool have_prev = false, open = false;
	const char *line, *name, *why;
	char errbuf[128];
	uint64_t lost;
	size_t len;
	int fd;

	if (w->fd_name) {
		fd = w->fd;
		name = w->fd_name;
	} else {
		fd = tm_open_history(o, &name);
	}
	if (tm_reader_init(&r, fd, name))
		tm_die(2, "out of memory");
	if (w->head)
		w->head(o, w->out);
	memset(buf, 0, sizeof(buf));
	while ((line = tm_reader_line(&r, &len))) {
		switch (tm_parse_line(line, len, s, &lost, errbuf,
				      sizeof(errbuf), &why)) {
		case TM_LINE_COMMENT:
			if (handle_comment(o, line, len))
				w->local = this_boot(o->boot_ns);
			else
				read_comm(w, line, len);
			continue;
		case TM_LINE_LOST:
			tm_err("%s:%lu: the module dropped %llu samples before this line (the reader was too slow)",
			       name, r.lineno, (unsigned long long)lost);
			continue;
		case TM_LINE_ERROR:
			die_line(&r, why);
			break;
		case TM_LINE_SAMPLE:
			break;
		}
		if (have_prev && open && !tm_same_process(prev, s)) {
			w->end(w, &p);
			open = false;
		}
		have_prev = true;
		w->line_off = tm_reader_offset(&r, line);
		w->line_end = w->line_off + len + 1;
		take_sample(w, &p, &open, s);
		/* The sample just read is the previous one of the next line. */
		t = prev;
		prev = s;
		s = t;
	}
	if (errno)
		tm_die(2, "cannot read %s: %s", name,
		       errno == E2BIG ? "a line longer than 1 MiB: not a taskmonitor history" :
		       strerror(errno));
	if (open)
		w->end(w, &p);
	tm_reader_free(&r);
	if (fd != STDIN_FILENO && !w->fd_name)
		close(fd);
	return 0;
}

void walker_init(struct walker *w, struct tm_opts *o)
{
	memset(w, 0, sizeof(*w));
	w->o = o;
	w->out = stdout;
	/*
	 * /proc names the processes of a history read from the module, or
	 * saved with a header (or --boot-time) saying that it is of this
	 * boot; not those of a plain copy, which may come from anywhere.
	 */
	w->local = !o->input || (o->boot_given && this_boot(o->boot_ns));
	if (!o->boot_given)
		o->boot_ns = tm_boot_ns_now();
}

/* ---- show ---- */

static const char *comm_or(const struct proc *p, const char *dflt)
{
	return p->comm_known ? p->comm : dflt;
}

static void json_comm(FILE *f, const struct proc *p)
{
	if (p->comm_known)
		tm_json_str(f, p->comm);
	else
		fputs("null", f);
}

static void csv_comm(FILE *f, const struct proc *p)
{
	if (p->comm_known)
		tm_csv_str(f, p->comm);
}

/*
 * The exit status of P as the last field of a row, known when its history
 * (in the window) ends with its exit record; else unknown, as a missing
 * value is elsewhere: "-" in the table, null in JSON, an empty CSV field.
 */
static void put_exit(FILE *f, enum tm_format fmt, const struct proc *p)
{
	const struct tm_sample *s = &p->last;

	switch (fmt) {
	case FMT_TABLE:
		if (s->has_exit)
			fprintf(f, " %5llu", (unsigned long long)s->exit);
		else
			fprintf(f, " %5s", "-");
		break;
	case FMT_CSV:
		putc(',', f);
		if (s->has_exit)
			fprintf(f, "%llu", (unsigned long long)s->exit);
		break;
	case FMT_JSON:
		if (s->has_exit)
			fprintf(f, ",\"exit\":%llu", (unsigned long long)s->exit);
		else
			fputs(",\"exit\":null", f);
		break;
	}
}

/*
 * The kB_rd/s and kB_wr/s of R after the other fields of a row; for lines
 * without rbytes and wbytes (version 0.1.0) unknown, as a missing value
 * is elsewhere: "-" in the table, null in JSON, empty CSV fields.
 */
static void io_rates(FILE *f, enum tm_format fmt, const struct tm_rates *r)
{
	switch (fmt) {
	case FMT_TABLE:
		if (r->has_io)
			fprintf(f, " %9.2f %9.2f", r->rd_kib_s, r->wr_kib_s);
		else
			fprintf(f, " %9s %9s", "-", "-");
		break;
	case FMT_CSV:
		if (r->has_io)
			fprintf(f, ",%.3f,%.3f", r->rd_kib_s, r->wr_kib_s);
		else
			fputs(",,", f);
		break;
	case FMT_JSON:
		if (r->has_io)
			fprintf(f, ",\"rd_kib_per_s\":%.3f,\"wr_kib_per_s\":%.3f",
				r->rd_kib_s, r->wr_kib_s);
		else
			fputs(",\"rd_kib_per_s\":null,\"wr_kib_per_s\":null", f);
		break;
	}
}

static void show_header(const struct tm_opts *o, FILE *f)
{
	if (o->fmt == FMT_TABLE)
		fprintf(f, "%-12s %7s %7s %7s %7s %9s %9s %9s %9s %9s %9s %7s %9s %9s  %s\n",
			"Time", "PID", "%usr", "%system", "%CPU", "RSS", "VSZ",
			"minflt/s", "majflt/s", "cswch/s", "nvcswch/s",
			"threads", "kB_rd/s", "kB_wr/s", "Command");
	else if (o->fmt == FMT_CSV)
		fputs("time,ts,pid,comm,interval_s,usr_pct,sys_pct,cpu_pct,rss_kib,vsz_kib,minflt_per_s,majflt_per_s,cswch_per_s,nvcswch_per_s,threads,rd_kib_per_s,wr_kib_per_s\n",
		      f);
}

static void show_row(struct walker *w, const struct row *x)
{
	const struct tm_sample *s = x->s;
	const struct tm_rates *r = &x->r;
	FILE *f = w->out;
	char t[48];

	if (w->o->fmt == FMT_TABLE) {
		tm_fmt_clock(t, sizeof(t), wall_ns(w->o, s->ts));
		fprintf(f, "%-12s %7ld %7.2f %7.2f %7.2f %9llu %9llu %9.2f %9.2f %9.2f %9.2f %7llu",
			t, s->pid, r->usr_pct, r->sys_pct, r->cpu_pct,
			(unsigned long long)s->rss, (unsigned long long)s->vsz,
			r->minflt_s, r->majflt_s, r->cswch_s, r->nvcswch_s,
			(unsigned long long)s->threads);
		io_rates(f, FMT_TABLE, r);
		fputs("  ", f);
		tm_table_str(f, comm_or(x->p, "?"), 0);
		putc('\n', f);
		return;
	}
	tm_fmt_iso(t, sizeof(t), wall_ns(w->o, s->ts));
	if (w->o->fmt == FMT_CSV) {
		fprintf(f, "%s,%llu,%ld,", t, (unsigned long long)s->ts, s->pid);
		csv_comm(f, x->p);
		fprintf(f, ",%.6f,%.3f,%.3f,%.3f,%llu,%llu,%.3f,%.3f,%.3f,%.3f,%llu",
			r->secs, r->usr_pct, r->sys_pct, r->cpu_pct,
			(unsigned long long)s->rss, (unsigned long long)s->vsz,
			r->minflt_s, r->majflt_s, r->cswch_s, r->nvcswch_s,
			(unsigned long long)s->threads);
		io_rates(f, FMT_CSV, r);
		putc('\n', f);
		return;
	}
	fprintf(f, "{\"time\":\"%s\",\"ts\":%llu,\"pid\":%ld,\"comm\":", t,
		(unsigned long long)s->ts, s->pid);
	json_comm(f, x->p);
	fprintf(f, ",\"interval_s\":%.6f,\"usr_pct\":%.3f,\"sys_pct\":%.3f,\"cpu_pct\":%.3f,\"rss_kib\":%llu,\"vsz_kib\":%llu,\"minflt_per_s\":%.3f,\"majflt_per_s\":%.3f,\"cswch_per_s\":%.3f,\"nvcswch_per_s\":%.3f,\"threads\":%llu",
		r->secs, r->usr_pct, r->sys_pct, r->cpu_pct,
		(unsigned long long)s->rss, (unsigned long long)s->vsz,
		r->minflt_s, r->majflt_s, r->cswch_s, r->nvcswch_s,
		(unsigned long long)s->threads);
	io_rates(f, FMT_JSON, r);
	fputs("}\n", f);
}

static void show_sample(struct walker *w, struct proc *p,
			const struct tm_sample *s)
{
	struct row x = { .p = p, .s = s };

	if (proc_interval(w->o, p, s, w->o->summary ? NULL : &x.r) &&
	    !w->o->summary)
		show_row(w, &x);
}

static void show_end(struct walker *w, struct proc *p)
{
	(void)w;
	(void)p;
}

static void summary_header(const struct tm_opts *o, FILE *f)
{
	if (o->fmt == FMT_TABLE)
		fprintf(f, "%7s %9s %9s %9s %9s %11s %11s %5s  %s\n", "PID",
			"samples", "avg-%CPU", "max-%CPU", "max-RSS", "usr-s",
			"system-s", "Exit", "Command");
	else if (o->fmt == FMT_CSV)
		fputs("pid,comm,samples,cpu_pct_avg,cpu_pct_max,rss_kib_max,usr_s,sys_s,exit\n",
		      f);
}

static void summary_end(struct walker *w, struct proc *p)
{
	const struct tm_sample *a = &p->first, *b = &p->last;
	double usr = (double)(b->usr - a->usr) / 1e9;
	double sys = (double)(b->sys - a->sys) / 1e9;
	double secs = (double)(b->ts - a->ts) / 1e9;
	double avg = secs > 0 ? (usr + sys) / secs * 100.0 : 0;
	FILE *f = w->out;

	if (w->o->fmt == FMT_TABLE) {
		char avg_s[16] = "-", max_s[16] = "-";

		if (p->has_rate) {
			snprintf(avg_s, sizeof(avg_s), "%.2f", avg);
			snprintf(max_s, sizeof(max_s), "%.2f", p->cpu_max);
		}
		fprintf(f, "%7ld %9lu %9s %9s %9llu %11.3f %11.3f", a->pid,
			p->samples, avg_s, max_s,
			(unsigned long long)p->rss_max, usr, sys);
		put_exit(f, FMT_TABLE, p);
		fputs("  ", f);
		tm_table_str(f, comm_or(p, "?"), 0);
		putc('\n', f);
	} else if (w->o->fmt == FMT_CSV) {
		fprintf(f, "%ld,", a->pid);
		csv_comm(f, p);
		fprintf(f, ",%lu,", p->samples);
		if (p->has_rate)
			fprintf(f, "%.3f,%.3f", avg, p->cpu_max);
		else
			fputs(",", f);
		fprintf(f, ",%llu,%.6f,%.6f", (unsigned long long)p->rss_max,
			usr, sys);
		put_exit(f, FMT_CSV, p);
		putc('\n', f);
	} else {
		fprintf(f, "{\"pid\":%ld,\"comm\":", a->pid);
		json_comm(f, p);
		fprintf(f, ",\"samples\":%lu,", p->samples);
		if (p->has_rate)
			fprintf(f, "\"cpu_pct_avg\":%.3f,\"cpu_pct_max\":%.3f",
				avg, p->cpu_max);
		else
			fputs("\"cpu_pct_avg\":null,\"cpu_pct_max\":null", f);
		fprintf(f, ",\"rss_kib_max\":%llu,\"usr_s\":%.6f,\"sys_s\":%.6f",
			(unsigned long long)p->rss_max, usr, sys);
		put_exit(f, FMT_JSON, p);
		fputs("}\n", f);
	}
}

int cmd_show(struct tm_opts *o)
{
	struct walker w;

	walker_init(&w, o);
	w.sample = show_sample;
	w.end = o->summary ? summary_end : show_end;
	w.head = o->summary ? summary_header : show_header;
	walk_history(&w);
	if (fflush(stdout) || ferror(stdout))
		tm_die(2, "cannot write the output: %s", strerror(errno));
	return check_pids_seen(o);
}

/* ---- list ---- */

static void list_sample(struct walker *w, struct proc *p,
			const struct tm_sample *s)
{
	(void)w;
	(void)p;
	(void)s;
}

static void list_end(struct walker *w, struct proc *p)
{
	char t1[48], t2[48];
	FILE *f = w->out;

	tm_fmt_iso(t1, sizeof(t1), wall_ns(w->o, p->first.ts));
	tm_fmt_iso(t2, sizeof(t2), wall_ns(w->o, p->last.ts));
	if (w->o->fmt == FMT_TABLE) {
		fprintf(f, "%7ld  %-7s %9lu  %-29s  %-29s", p->first.pid,
			p->state, p->samples, t1, t2);
		put_exit(f, FMT_TABLE, p);
		fputs("  ", f);
		tm_table_str(f, comm_or(p, "?"), 0);
		putc('\n', f);
	} else if (w->o->fmt == FMT_CSV) {
		fprintf(f, "%ld,", p->first.pid);
		csv_comm(f, p);
		fprintf(f, ",%s,%lu,%s,%llu,%s,%llu", p->state, p->samples,
			t1, (unsigned long long)p->first.ts, t2,
			(unsigned long long)p->last.ts);
		put_exit(f, FMT_CSV, p);
		putc('\n', f);
	} else {
		fprintf(f, "{\"pid\":%ld,\"comm\":", p->first.pid);
		json_comm(f, p);
		fprintf(f, ",\"state\":\"%s\",\"samples\":%lu,\"first_time\":\"%s\",\"first_ts\":%llu,\"last_time\":\"%s\",\"last_ts\":%llu",
			p->state, p->samples, t1,
			(unsigned long long)p->first.ts, t2,
			(unsigned long long)p->last.ts);
		put_exit(f, FMT_JSON, p);
		fputs("}\n", f);
	}
}

static void list_header(const struct tm_opts *o, FILE *f)
{
	if (o->fmt == FMT_TABLE)
		fprintf(f, "%7s  %-7s %9s  %-29s  %-29s %5s  %s\n", "PID", "State",
			"samples", "First", "Last", "Exit", "Command");
	else if (o->fmt == FMT_CSV)
		fputs("pid,comm,state,samples,first_time,first_ts,last_time,last_ts,exit\n", f);
}

int cmd_list(struct tm_opts *o)
{
	struct walker w;

	walker_init(&w, o);
	w.sample = list_sample;
	w.end = list_end;
	w.head = list_header;
	walk_history(&w);
	if (fflush(stdout) || ferror(stdout))
		tm_die(2, "cannot write the output: %s", strerror(errno));
	return 0;
}

/* ---- plot ---- */

struct plot_proc {
	long pid;
	char comm[TM_COMM_MAX];
	bool has_rows;
};

struct plot_state {
	FILE *gp;
	long gmtoff;	/* gnuplot's time axis is UTC: shift to local time */
	struct plot_proc *procs;
	int n, cap;
};

static void plot_sample(struct walker *w, struct proc *p,
			const struct tm_sample *s)
{
	struct plot_state *ps = w->priv;
	struct plot_proc *pp;
	struct tm_rates r;

	if (p->samples == 1) {
		if (ps->n == ps->cap) {
			ps->cap = ps->cap ? 2 * ps->cap : 16;
			ps->procs = realloc(ps->procs, (size_t)ps->cap * sizeof(*pp));
			if (!ps->procs)
				tm_die(2, "out of memory");
		}
		pp = &ps->procs[ps->n++];
		pp->pid = s->pid;
		snprintf(pp->comm, sizeof(pp->comm), "%s", comm_or(p, ""));
		pp->has_rows = false;
		fprintf(ps->gp, "$P%d << EOD\n", ps->n - 1);
	}
	if (!proc_interval(w->o, p, s, &r))
		return;
	ps->procs[ps->n - 1].has_rows = true;
	fprintf(ps->gp, "%.3f %.3f %.3f\n",
		(double)(wall_ns(w->o, s->ts) / 1000000 + ps->gmtoff * 1000) / 1e3,
		r.cpu_pct, (double)s->rss / 1024.0);
}

static void plot_end(struct walker *w, struct proc *p)
{
	struct plot_state *ps = w->priv;

	(void)p;
	fputs("EOD\n", ps->gp);
}

/* S as a gnuplot single-quoted string: '' for ', printable bytes only. */
static void gp_str(FILE *f, const char *s)
{
	putc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			putc('?', f);
		else
			putc(*s, f);
	}
	putc('\'', f);
}

static void plot_panel(struct plot_state *ps, int col)
{
	const char *sep = "plot ";
	int i;

	for (i = 0; i < ps->n; i++) {
		char title[TM_COMM_MAX + 32];

		if (!ps->procs[i].has_rows)
			continue;
		snprintf(title, sizeof(title), "%ld %s", ps->procs[i].pid,
			 ps->procs[i].comm);
		fprintf(ps->gp, "%s$P%d using 1:%d with linespoints linewidth 2 pointtype 7 pointsize 0.6 title ",
			sep, i, col);
		gp_str(ps->gp, title);
		sep = ", \\\n     ";
	}
	putc('\n', ps->gp);
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static void plot_script(struct tm_opts *o, struct plot_state *ps, bool svg)
{
	FILE *gp = ps->gp;

	fprintf(gp, "set terminal %s size %d,%d noenhanced\nset output ",
		svg ? "svg" : "pngcairo", o->width, o->height);
	gp_str(gp, o->output);
	fputs("\nset multiplot layout 2,1 title 'taskmonitor history'\n"
	      "set xdata time\nset timefmt '%s'\nset format x '%H:%M:%S'\n"
	      "set xlabel 'time of day (local)'\nset grid\n"
	      "set key outside right top\n"
	      "set title 'CPU use'\nset ylabel '%CPU (100 = one CPU busy)'\n"
	      "set yrange [0:*]\n", gp);
	plot_panel(ps, 2);
	fputs("set title 'Resident set size'\nset ylabel 'RSS (MiB)'\n", gp);
	plot_panel(ps, 3);
	fputs("unset multiplot\n", gp);
}

int cmd_plot(struct tm_opts *o)
{
	struct plot_state ps = { 0 };
	const char *ext = o->output ? strrchr(o->output, '.') : NULL;
	bool svg = ext && !strcmp(ext, ".svg"), any = false;
	struct walker w;
	struct tm tmv;
	time_t now = time(NULL);
	int i, st;

	if (!o->output)
		tm_die(2, "plot needs an output file: taskmonitorctl plot -o FILE.png (or FILE.svg)");
	if (!ext || (strcmp(ext, ".png") && !svg))
		tm_die(2, "%s: the plot's file name must end in .png or .svg", o->output);
	if (!in_path("gnuplot"))
		tm_die(2, "gnuplot is not installed: apt install gnuplot-nox");
	walker_init(&w, o);
	w.sample = plot_sample;
	w.end = plot_end;
	w.priv = &ps;
	localtime_r(&now, &tmv);
	ps.gmtoff = tmv.tm_gmtoff;
	ps.gp = popen("gnuplot", "w");
	if (!ps.gp)
		tm_die(2, "cannot run gnuplot: %s", strerror(errno));
	walk_history(&w);
	if (check_pids_seen(o)) {
		pclose(ps.gp);
		free(ps.procs);
		return 1;
	}
	for (i = 0; i < ps.n; i++)
		any |= ps.procs[i].has_rows;
	if (any)
		plot_script(o, &ps, svg);
	st = pclose(ps.gp);
	free(ps.procs);
	if (!any)
		tm_die(1, "nothing to plot: no process has two samples in the window");
	if (st != 0)
		tm_die(2, "gnuplot could not draw %s (its message is above)", o->output);
	return 0;
}

/* ---- save ---- */

struct save_state {
	FILE *f;
	const char *file;
	bool header_done;
};

static void save_header(struct save_state *ss, const struct tm_opts *o)
{
	if (ss->header_done)
		return;
	/* The wall clock of the boot the samples' ts count from. */
	fprintf(ss->f, "# boot_time %lld.%09lld\n",
		(long long)(o->boot_ns / 1000000000LL),
		(long long)(o->boot_ns % 1000000000LL));
	ss->header_done = true;
}

/*
 * Copy the history line by line after the boot-time header; before the
 * first sample of each process, its name while /proc still knows it, so
 * that the copy can be read elsewhere with names.
 */
int cmd_save(struct tm_opts *o, const char *file)
{
	struct tm_sample buf[2], *s = &buf[0], *prev = &buf[1], *t;
	struct save_state ss = { .file = file };
	struct walker w;
	struct tm_reader r;
	const char *line, *name, *why;
	bool have_prev = false;
	char errbuf[128], comm[TM_COMM_MAX], st;
	uint64_t lost;
	size_t len;
	int fd;

	walker_init(&w, o);
	fd = tm_open_history(o, &name);
	ss.f = strcmp(file, "-") ? fopen(file, "we") : stdout;
	if (!ss.f)
		tm_die(2, "cannot create %s: %s", file, strerror(errno));
	if (tm_reader_init(&r, fd, name))
		tm_die(2, "out of memory");
	memset(buf, 0, sizeof(buf));
	while ((line = tm_reader_line(&r, &len))) {
		switch (tm_parse_line(line, len, s, &lost, errbuf, sizeof(errbuf), &why)) {
		case TM_LINE_ERROR:
			die_line(&r, why);
			break;
		case TM_LINE_COMMENT:
			/* The input's own header, unless --boot-time overrides it. */
			if (!ss.header_done && handle_comment(o, line, len)) {
				w.local = this_boot(o->boot_ns);
				continue;
			}
			if (!strncmp(line, "# boot_time ", 12))
				continue;
			break;
		case TM_LINE_SAMPLE:
			save_header(&ss, o);
			if ((!have_prev || !tm_same_process(prev, s)) && !s->has_comm &&
			    w.local && proc_lookup(s->pid, s->ts, comm, sizeof(comm), &st))
				write_comm(ss.f, s->pid, comm);
			have_prev = true;
			t = prev;
			prev = s;
			s = t;
			break;
		case TM_LINE_LOST:
			break;
		}
		save_header(&ss, o);
		fwrite(line, 1, len, ss.f);
		putc('\n', ss.f);
	}
	if (errno)
		tm_die(2, "cannot read %s: %s", name, strerror(errno));
	save_header(&ss, o);
	tm_reader_free(&r);
	if (fd != STDIN_FILENO)
		close(fd);
	if (fflush(ss.f) || ferror(ss.f) || (ss.f != stdout && fclose(ss.f)))
		tm_die(2, "cannot write %s: %s", file, strerror(errno));
	return 0;
}
