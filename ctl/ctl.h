/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctl.h: what the commands of taskmonitorctl share: the options, the
 * source of the history, messages.
 */
#ifndef TMCTL_CTL_H
#define TMCTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hist.h"

#define TM_DEV "/dev/taskmonitor"
#define TM_DEBUGFS "/sys/kernel/debug/taskmonitor"
#define TM_SYSMOD "/sys/module/taskmonitor"

enum tm_format { FMT_TABLE, FMT_JSON, FMT_CSV };

struct tm_opts {
	const char *input;	/* NULL: the module's files; "-": stdin */
	bool boot_given;	/* --boot-time */
	int64_t boot_ns;	/* wall-clock time of boot, ns since the epoch */
	enum tm_format fmt;
	bool summary;
	uint64_t every_ns;	/* 0: every interval */
	bool since_given, until_given;
	int64_t since_ns, until_ns;	/* wall clock, ns since the epoch */
	const char *output;
	int width, height;
	bool follow, history;
	bool user_given;	/* export --user */
	uid_t uid;
	long *pids;		/* selected PIDs (npids == 0: all) */
	bool *pid_seen;		/* pids[i] had a sample in the window */
	int npids;
};

extern const char *tm_prog;

/* Print "taskmonitorctl: MSG" on stderr. */
void tm_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same, then exit(status). */
void tm_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* CLOCK_REALTIME - CLOCK_BOOTTIME now: the wall-clock time of boot. */
int64_t tm_boot_ns_now(void);
/* Is the module loaded (its /sys/module directory there)? */
bool tm_module_loaded(void);
/* Open the history: --input, else the device, else debugfs; or die. */
int tm_open_history(const struct tm_opts *o, const char **name);
/* Explain why the module's file NAME could not be opened, and exit. */
void tm_die_module_file(const char *name, int err) __attribute__((noreturn));

int cmd_show(struct tm_opts *o);
int cmd_list(struct tm_opts *o);
int cmd_plot(struct tm_opts *o);
int cmd_save(struct tm_opts *o, const char *file);
int cmd_export(struct tm_opts *o);

#endif
