/* SPDX-License-Identifier: GPL-2.0 */
/*
 * walk.h: reading a whole history as the commands see it (view.c): one
 * process after the other, each a run of consecutive samples, with the
 * command's hooks called for every sample and at the end of a process.
 */
#ifndef TMCTL_WALK_H
#define TMCTL_WALK_H

#include <stdio.h>

#include "ctl.h"

/* What is known of one process of the history, as it is read. */
struct proc {
	struct tm_sample first, last, anchor;
	unsigned long samples;
	bool comm_known;
	char comm[TM_COMM_MAX];
	const char *state;
	uint64_t rss_max;
	double cpu_max;
	bool has_rate;
	/* Where its samples lie in the input: [off_first, off_end) bytes. */
	uint64_t off_first, off_end;
};

struct walker {
	struct tm_opts *o;
	FILE *out;
	long comm_pid;	/* a "# comm PID NAME" line names the next process */
	char comm[TM_COMM_MAX];
	bool local;	/* the history is of this boot: /proc names its PIDs */
	int nprocs;
	void (*sample)(struct walker *w, struct proc *p,
		       const struct tm_sample *s);
	void (*end)(struct walker *w, struct proc *p);
	void (*head)(const struct tm_opts *o, FILE *f);	/* once opened */
	void *priv;
	unsigned long samples;	/* taken: in the window, of selected PIDs */
	/* Where the sample being taken lies in the input, in bytes. */
	uint64_t line_off, line_end;
	/* Read FD (not closed) instead of opening the history, if set. */
	const char *fd_name;
	int fd;
};

void walker_init(struct walker *w, struct tm_opts *o);
/* Read the whole history, calling W's hooks; dies on a malformed line. */
int walk_history(struct walker *w);

/* Wall-clock time, ns since the epoch, of the boot-time stamp TS. */
int64_t wall_ns(const struct tm_opts *o, uint64_t ts);
/* Is TS inside --since/--until? */
bool in_window(const struct tm_opts *o, uint64_t ts);
/* Is PID among the PIDs the command was given (all if none)? */
bool pid_selected(const struct tm_opts *o, long pid);
/* Every PID asked for had a sample in the window?  Else say so; status 1. */
int check_pids_seen(const struct tm_opts *o);
/* Is BOOT_NS the wall-clock time of this boot (within the clocks' drift)? */
bool this_boot(int64_t boot_ns);
/*
 * Name and state of PID from /proc, provided that the process living
 * under that PID now started before FIRST_TS (else the PID was reused).
 */
bool proc_lookup(long pid, uint64_t first_ts, char *comm, size_t len,
		 char *state);

#endif
