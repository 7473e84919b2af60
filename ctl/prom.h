/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prom.h: the metric families of `export` and the writing of their lines.
 */
#ifndef TMCTL_PROM_H
#define TMCTL_PROM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hist.h"

enum tm_unit { U_COUNT, U_NS, U_KIB, U_WALL };

/* A metric family: one or two fields of a sample. */
struct tm_family {
	const char *name;	/* OpenMetrics's family name: no _total */
	bool counter;
	enum tm_unit unit;
	const char *help;
	const char *label;	/* tells the two fields apart; NULL: one */
	const char *lv[2];
	size_t field[2];	/* offsetof(struct tm_sample, ...) */
	bool io;		/* only for samples with rbytes and wbytes */
};

extern const struct tm_family tm_families[];
extern const size_t tm_nfamilies;
/* taskmonitor_exporter_samples, the one family without a process. */
extern const char tm_samples_name[], tm_samples_help[];

/* What tells a series of one family apart: its labels. */
struct tm_series {
	long pid;
	const char *comm;	/* raw bytes; "" when unknown */
	bool has_start;
	uint64_t start;
};

/* NS nanoseconds as decimal seconds, exactly; NS may be negative. */
void tm_prom_ns(FILE *f, __int128 ns);
/* The HELP and TYPE lines of NAME SUFFIX. */
void tm_prom_meta(FILE *f, const char *name, const char *suffix,
		  const char *type, const char *help);
/* Has S the fields of FM?  Not an I/O family's in a 0.1.0 line. */
bool tm_prom_has(const struct tm_family *fm, const struct tm_sample *s);
/* The HELP and TYPE lines of FM: OpenMetrics (OM) names it without _total. */
void tm_prom_family_meta(FILE *f, const struct tm_family *fm, bool om);
/*
 * The line of field VARIANT of S in family FM, series X: with the
 * sample's wall-clock time (BOOT_NS + ts) as its timestamp if WITH_TS.
 */
void tm_prom_point(FILE *f, const struct tm_family *fm, int variant,
		   const struct tm_series *x, const struct tm_sample *s,
		   int64_t boot_ns, bool with_ts);

#endif
