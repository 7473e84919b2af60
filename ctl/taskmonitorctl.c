// SPDX-License-Identifier: GPL-2.0
/*
 * taskmonitorctl: the user-space companion of the taskmonitor module.
 * It adds and removes processes through /dev/taskmonitor, and turns the
 * history of cumulative counters into what pidstat shows: %CPU, RSS,
 * faults and context switches per second, as a table, JSON Lines, CSV,
 * a summary or a plot.  See taskmonitorctl(1).
 */
#define _GNU_SOURCE
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#ifndef TM_VERSION
#define TM_VERSION "unknown"
#endif

const char *tm_prog = "taskmonitorctl";

void tm_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tm_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	putc('\n', stderr);
}

void tm_die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", tm_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	putc('\n', stderr);
	exit(status);
}

static int64_t clock_ns(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int64_t tm_boot_ns_now(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

bool tm_module_loaded(void)
{
	return access(TM_SYSMOD, F_OK) == 0;
}

void tm_die_module_file(const char *name, int err)
{
	if (err == ENOENT && !tm_module_loaded())
		tm_die(2, "taskmonitor is not loaded: modprobe taskmonitor");
	if (err == ENOENT)
		tm_die(2, "neither %s nor %s exists although taskmonitor is loaded: run udevadm trigger, or mount debugfs",
		       TM_DEV, TM_DEBUGFS);
	if (err == EACCES || err == EPERM)
		tm_die(2, "cannot open %s: permission denied: add yourself to the taskmonitor group (usermod -aG taskmonitor USER, then log in again), or run as root",
		       name);
	tm_die(2, "cannot open %s: %s", name, strerror(err));
}

/* The module's file, opened with FLAGS: the device, else debugfs. */
static int open_module_file(int flags, const char **name)
{
	int fd;

	*name = TM_DEV;
	fd = open(TM_DEV, flags | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	*name = TM_DEBUGFS;
	fd = open(TM_DEBUGFS, flags | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		*name = TM_DEV;
	return fd;
}

int tm_open_history(const struct tm_opts *o, const char **name)
{
	int fd;

	if (o->input && !strcmp(o->input, "-")) {
		*name = "(stdin)";
		return STDIN_FILENO;
	}
	if (o->input) {
		*name = o->input;
		fd = open(o->input, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			tm_die(2, "cannot open %s: %s", o->input, strerror(errno));
		return fd;
	}
	fd = open_module_file(O_RDONLY, name);
	if (fd < 0)
		tm_die_module_file(*name, errno);
	return fd;
}

/* ---- add, remove ---- */

static bool parse_pid(const char *s, long *pid)
{
	char *end;

	errno = 0;
	*pid = strtol(s, &end, 10);
	return *s >= '1' && *s <= '9' && !*end && !errno && *pid <= 2147483647;
}

/* Why writing CMD for PID failed, and what to do about it. */
static void write_error(long pid, bool add, int err)
{
	switch (err) {
	case ESRCH:
		tm_err("PID %ld: no such process (or it has exited, or it is a thread, not a process): check it with ps -p %ld",
		       pid, pid);
		break;
	case EEXIST:
		tm_err("PID %ld is already monitored: taskmonitorctl list shows it", pid);
		break;
	case ENOENT:
		tm_err("PID %ld is not monitored: taskmonitorctl list shows the monitored processes", pid);
		break;
	case EPERM:
		tm_err("PID %ld: permission denied: without CAP_SYS_ADMIN you may %s only your own processes; run as root",
		       pid, add ? "add" : "remove");
		break;
	case ENOMEM:
		tm_err("PID %ld: the kernel is out of memory: try again later", pid);
		break;
	default:
		tm_err("PID %ld: %s", pid, strerror(err));
	}
}

/* A module version X.Y.Z as one comparable number. */
static long version_code(const char *v)
{
	unsigned int a = 0, b = 0, c = 0;

	if (sscanf(v, "%u.%u.%u", &a, &b, &c) < 1)
		return -1;
	return (long)a * 1000000L + b * 1000L + c;
}

/*
 * Can the loaded module follow descendants ("+PID")?  0.1.0 cannot; 0.2.0
 * brings it (docs/interface.md, "Versions").
 */
static void check_follow(void)
{
	char v[64] = "";
	FILE *f = fopen(TM_SYSMOD "/version", "re");

	if (!f) {
		if (!tm_module_loaded())
			tm_die(2, "taskmonitor is not loaded: modprobe taskmonitor");
		tm_die(2, "cannot read %s/version: %s", TM_SYSMOD, strerror(errno));
	}
	if (!fgets(v, sizeof(v), f))
		v[0] = '\0';
	fclose(f);
	v[strcspn(v, "\n")] = '\0';
	if (version_code(v) < version_code("0.2.0"))
		tm_die(2, "the loaded taskmonitor (version %s) cannot follow descendants: --follow needs a newer module; add the children's PIDs one by one instead",
		       v);
}

static int cmd_addremove(struct tm_opts *o, char **pids, int n, bool add)
{
	const char *name;
	int fd, i, failed = 0;
	long pid;

	if (n == 0)
		tm_die(2, "%s needs at least one PID: taskmonitorctl %s PID...",
		       add ? "add" : "remove", add ? "add" : "remove");
	for (i = 0; i < n; i++)
		if (!parse_pid(pids[i], &pid))
			tm_die(2, "\"%s\" is not a PID (a number from 1 to 2147483647)", pids[i]);
	if (o->follow)
		check_follow();
	fd = open_module_file(O_WRONLY, &name);
	if (fd < 0)
		tm_die_module_file(name, errno);
	for (i = 0; i < n; i++) {
		char cmd[32];
		int len;

		parse_pid(pids[i], &pid);
		len = snprintf(cmd, sizeof(cmd), "%s%ld", add ? (o->follow ? "+" : "") : "-", pid);
		if (write(fd, cmd, (size_t)len) != len) {
			write_error(pid, add, errno);
			failed = 1;
		}
	}
	close(fd);
	return failed;
}

/* ---- options ---- */

/* A duration such as 500ms, 10s, 5m, 2h, 1d (bare numbers: seconds). */
static bool parse_duration(const char *s, uint64_t *ns)
{
	char *end;
	double v = strtod(s, &end);
	double unit = 1e9;

	if (end == s || v < 0)
		return false;
	if (!strcmp(end, "ms"))
		unit = 1e6;
	else if (!*end || !strcmp(end, "s"))
		unit = 1e9;
	else if (!strcmp(end, "m"))
		unit = 60e9;
	else if (!strcmp(end, "h"))
		unit = 3600e9;
	else if (!strcmp(end, "d"))
		unit = 86400e9;
	else
		return false;
	*ns = (uint64_t)(v * unit);
	return true;
}

/* An absolute local time: [YYYY-MM-DD[ T]]HH:MM[:SS]. */
static bool parse_clock(const char *s, int64_t *ns)
{
	static const char *const fmts[] = {
		"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
		"%Y-%m-%dT%H:%M", "%Y-%m-%d", "%H:%M:%S", "%H:%M",
	};
	time_t now = time(NULL);
	unsigned int i;

	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		struct tm tm;
		const char *end;

		localtime_r(&now, &tm);
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		end = strptime(s, fmts[i], &tm);
		if (end && !*end) {
			tm.tm_isdst = -1;
			*ns = (int64_t)mktime(&tm) * 1000000000LL;
			return true;
		}
	}
	return false;
}

/* --since/--until: -DURATION (ago), @EPOCH, or a local time. */
static int64_t parse_time(const char *opt, const char *s)
{
	uint64_t d;
	int64_t ns;
	char *end;

	if (s[0] == '-' && parse_duration(s + 1, &d))
		return clock_ns(CLOCK_REALTIME) - (int64_t)d;
	if (s[0] == '@') {
		double v = strtod(s + 1, &end);

		if (end != s + 1 && !*end)
			return (int64_t)(v * 1e9);
	}
	if (parse_clock(s, &ns))
		return ns;
	tm_die(2, "%s %s: not a time: give -10m (ago), @EPOCH_SECONDS, HH:MM[:SS] or \"YYYY-MM-DD HH:MM[:SS]\"",
	       opt, s);
}

static void usage(const char *cmd, FILE *f)
{
	if (!cmd) {
		fputs("usage: taskmonitorctl [OPTIONS] COMMAND [ARGS]\n\n"
		      "Commands:\n"
		      "  add [--follow] PID...   monitor these processes\n"
		      "  remove PID...           stop monitoring them and free their history\n"
		      "  list                    the monitored processes: state, samples, first and last,\n"
		      "                          exit status\n"
		      "  show [PID...]           %CPU, RSS, faults/s, context switches/s, kB read and\n"
		      "                          written/s per interval\n"
		      "  plot [PID...] -o FILE   %CPU and RSS over time, as PNG or SVG (gnuplot)\n"
		      "  save FILE               copy the history, with the boot time, to FILE\n"
		      "  export [PID...]         the newest samples as Prometheus metrics (node_exporter's\n"
		      "                          textfile collector); --history: every sample, OpenMetrics\n\n"
		      "Options of the commands that read the history:\n"
		      "  -i, --input FILE        read a saved history (- for stdin) instead of the module\n"
		      "      --boot-time EPOCH   wall-clock time of the boot the history belongs to\n"
		      "  -j, --json              JSON Lines     -c, --csv   CSV with a header row\n"
		      "  -s, --summary           show: one row per process\n"
		      "  -e, --every DURATION    show, plot: rows over DURATION (e.g. 10s, 5m)\n"
		      "      --since TIME, --until TIME   window: -10m, @EPOCH, HH:MM[:SS], \"YYYY-MM-DD HH:MM\"\n"
		      "  -o, --output FILE       plot: FILE.png or FILE.svg; export: FILE, replaced atomically\n"
		      "      --history           export: every sample, with its time, as OpenMetrics\n"
		      "  -u, --user NAME         export: only the processes of user NAME (or UID)\n"
		      "      --size WxH          plot: size in pixels (default 1000x700)\n"
		      "  -h, --help              this help; taskmonitorctl COMMAND --help for one command\n"
		      "  -V, --version\n\n"
		      "There is no `top` yet: it needs the module's follow-mode read.\n"
		      "See taskmonitorctl(1).\n", f);
	} else if (!strcmp(cmd, "add")) {
		fputs("usage: taskmonitorctl add [--follow] PID...\n"
		      "Monitor each PID (write PID to /dev/taskmonitor).  --follow also monitors\n"
		      "its descendants, with a module that supports it.  Exit status 0 only if\n"
		      "every PID was added.\n", f);
	} else if (!strcmp(cmd, "remove")) {
		fputs("usage: taskmonitorctl remove PID...\n"
		      "Stop monitoring each PID and free its history.  Exit status 0 only if\n"
		      "every PID was removed.\n", f);
	} else if (!strcmp(cmd, "list")) {
		fputs("usage: taskmonitorctl list [--json|--csv] [--input FILE [--boot-time EPOCH]]\n"
		      "One row per monitored process of the history: PID, state (live or exited,\n"
		      "from /proc or the exit record; - for a history of another boot), samples\n"
		      "kept, the times of the first and the last sample, the exit status (from\n"
		      "the exit record; - while it lives), the command name.\n", f);
	} else if (!strcmp(cmd, "show")) {
		fputs("usage: taskmonitorctl show [PID...] [--summary] [--every DURATION]\n"
		      "         [--since TIME] [--until TIME] [--json|--csv] [--input FILE [--boot-time EPOCH]]\n"
		      "One row per interval between two consecutive samples of a process, with\n"
		      "pidstat's columns; %CPU is CPU time over the interval's length times 100\n"
		      "(a process keeping 2 CPUs busy shows 200); kB_rd/s and kB_wr/s are KiB of\n"
		      "storage I/O per second (- when the history has no rbytes and wbytes).\n"
		      "--every merges intervals into rows of at least DURATION.\n"
		      "--summary: one row per process: samples,\n"
		      "average and maximum %CPU, maximum RSS, user and system seconds, the exit\n"
		      "status (- while it lives).\n", f);
	} else if (!strcmp(cmd, "plot")) {
		fputs("usage: taskmonitorctl plot [PID...] -o FILE.png|FILE.svg [--size WxH]\n"
		      "         [--every DURATION] [--since TIME] [--until TIME] [--input FILE]\n"
		      "Draw %CPU and RSS over time, one line per process, with gnuplot\n"
		      "(apt install gnuplot-nox).\n", f);
	} else if (!strcmp(cmd, "save")) {
		fputs("usage: taskmonitorctl save FILE (- for stdout)\n"
		      "Copy the module's history to FILE, after a header line with the wall-clock\n"
		      "time of this boot, so that it can be read on another machine with\n"
		      "taskmonitorctl --input FILE.\n", f);
	} else if (!strcmp(cmd, "export")) {
		fputs("usage: taskmonitorctl export [PID...] [-o FILE] [--user NAME] [--input FILE [--boot-time EPOCH]]\n"
		      "       taskmonitorctl export --history [PID...] [-o FILE] [--since TIME] [--until TIME] [--input FILE]\n"
		      "The newest sample of every process that has not exited, in Prometheus's\n"
		      "text format 0.0.4 for node_exporter's textfile collector: CPU seconds,\n"
		      "memory bytes, page faults, context switches, storage I/O bytes (0.2.0\n"
		      "lines), threads.  -o FILE writes a temporary file next to FILE, then\n"
		      "renames it.  --history: every sample with its own timestamp, as\n"
		      "OpenMetrics 1.0 for promtool tsdb create-blocks-from openmetrics.  When\n"
		      "taskmonitor is not loaded: one line, FILE removed, exit status 0.\n", f);
	} else {
		fprintf(f, "%s: unknown command \"%s\": taskmonitorctl --help lists them\n",
			tm_prog, cmd);
	}
}

static const struct option long_opts[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "boot-time", required_argument, NULL, 'B' },
	{ "json", no_argument, NULL, 'j' },
	{ "csv", no_argument, NULL, 'c' },
	{ "summary", no_argument, NULL, 's' },
	{ "every", required_argument, NULL, 'e' },
	{ "since", required_argument, NULL, 'S' },
	{ "until", required_argument, NULL, 'U' },
	{ "output", required_argument, NULL, 'o' },
	{ "size", required_argument, NULL, 'z' },
	{ "follow", no_argument, NULL, 'f' },
	{ "history", no_argument, NULL, 'H' },
	{ "user", required_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* SECONDS[.FRACTION] since the epoch, exactly, in ns (no float rounding). */
static bool parse_epoch(const char *s, int64_t *ns)
{
	const char *p = s;
	int64_t sec = 0, frac = 0;
	int digits = 0;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9' && sec < 100000000000LL)
		sec = sec * 10 + (*p++ - '0');
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (digits < 9) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
	}
	if (*p)
		return false;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = sec * 1000000000LL + frac;
	return true;
}

/* --user NAME or UID. */
static void set_user(struct tm_opts *o, const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	char *end;
	unsigned long v;

	o->user_given = true;
	if (pw) {
		o->uid = pw->pw_uid;
		return;
	}
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || v > 4294967294UL)
		tm_die(2, "--user %s: no such user: give a name from /etc/passwd or a numeric UID", arg);
	o->uid = (uid_t)v;
}

/* Parse one option C with argument ARG into O. */
static void set_opt(struct tm_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'i': o->input = arg; break;
	case 'B':
		if (!parse_epoch(arg, &o->boot_ns))
			tm_die(2, "--boot-time %s: not a number of seconds since the epoch", arg);
		o->boot_given = true;
		break;
	case 'j': o->fmt = FMT_JSON; break;
	case 'c': o->fmt = FMT_CSV; break;
	case 's': o->summary = true; break;
	case 'e':
		if (!parse_duration(arg, &o->every_ns))
			tm_die(2, "--every %s: not a duration: give e.g. 500ms, 10s, 5m, 1h", arg);
		break;
	case 'S': o->since_given = true; o->since_ns = parse_time("--since", arg); break;
	case 'U': o->until_given = true; o->until_ns = parse_time("--until", arg); break;
	case 'o': o->output = arg; break;
	case 'z':
		if (sscanf(arg, "%dx%d", &o->width, &o->height) != 2 ||
		    o->width < 100 || o->height < 100 || o->width > 20000 || o->height > 20000)
			tm_die(2, "--size %s: give WIDTHxHEIGHT in pixels, e.g. 1000x700", arg);
		break;
	case 'f': o->follow = true; break;
	case 'H': o->history = true; break;
	case 'u': set_user(o, arg); break;
	}
}

/* PIDs after the command name select processes. */
static void select_pids(struct tm_opts *o, char **args, int n)
{
	int i;

	o->pids = calloc((size_t)n + 1, sizeof(long));
	o->pid_seen = calloc((size_t)n + 1, sizeof(bool));
	if (!o->pids || !o->pid_seen)
		tm_die(2, "out of memory");
	for (i = 0; i < n; i++)
		if (!parse_pid(args[i], &o->pids[i]))
			tm_die(2, "\"%s\" is not a PID (a number from 1 to 2147483647)", args[i]);
	o->npids = n;
}

static int run(struct tm_opts *o, const char *cmd, char **args, int n)
{
	if (!strcmp(cmd, "add"))
		return cmd_addremove(o, args, n, true);
	if (!strcmp(cmd, "remove"))
		return cmd_addremove(o, args, n, false);
	if (!strcmp(cmd, "save")) {
		if (n != 1)
			tm_die(2, "save needs one file name: taskmonitorctl save FILE");
		return cmd_save(o, args[0]);
	}
	if (!strcmp(cmd, "list")) {
		if (n)
			tm_die(2, "list takes no PID: taskmonitorctl show PID... shows some");
		return cmd_list(o);
	}
	select_pids(o, args, n);
	if (!strcmp(cmd, "show"))
		return cmd_show(o);
	if (!strcmp(cmd, "plot"))
		return cmd_plot(o);
	if (!strcmp(cmd, "export"))
		return cmd_export(o);
	if (!strcmp(cmd, "top"))
		tm_die(2, "top is not available yet: it needs the module's follow-mode read; use taskmonitorctl show --since -1m");
	tm_die(2, "unknown command \"%s\": taskmonitorctl --help lists them", cmd);
}

int main(int argc, char **argv)
{
	struct tm_opts o = { .width = 1000, .height = 700 };
	bool help = false;
	int c;

	while ((c = getopt_long(argc, argv, "i:jcse:o:u:hV", long_opts, NULL)) != -1) {
		if (c == '?')
			tm_die(2, "taskmonitorctl --help lists the options");
		if (c == 'h')
			help = true;
		else if (c == 'V')
			return puts("taskmonitorctl " TM_VERSION) < 0;
		else
			set_opt(&o, c, optarg);
	}
	if (help) {
		usage(optind < argc ? argv[optind] : NULL, stdout);
		return 0;
	}
	if (optind >= argc) {
		usage(NULL, stderr);
		return 2;
	}
	c = run(&o, argv[optind], argv + optind + 1, argc - optind - 1);
	free(o.pids);
	free(o.pid_seen);
	return c;
}
