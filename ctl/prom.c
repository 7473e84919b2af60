// SPDX-License-Identifier: GPL-2.0
/*
 * prom.c: taskmonitor's metric families and their lines, in the text
 * exposition format 0.0.4 and in OpenMetrics 1.0, which differ in what
 * export needs only by a counter family's name (OpenMetrics drops
 * _total) and by timestamps.  Values are written exactly: seconds from
 * nanoseconds with nine decimals, bytes from KiB as integers.
 */
#include "prom.h"
#include "out.h"

#include <stddef.h>
#include <string.h>

#define F(x) offsetof(struct tm_sample, x)

const struct tm_family tm_families[] = {
	{ "taskmonitor_cpu_seconds", true, U_NS,
	  "CPU time of the process (all its threads), by mode.",
	  "mode", { "user", "system" }, { F(usr), F(sys) }, false },
	{ "taskmonitor_resident_memory_bytes", false, U_KIB,
	  "Resident set size of the process (VmRSS).",
	  NULL, { NULL }, { F(rss) }, false },
	{ "taskmonitor_virtual_memory_bytes", false, U_KIB,
	  "Virtual memory size of the process (VmSize).",
	  NULL, { NULL }, { F(vsz) }, false },
	{ "taskmonitor_page_faults", true, U_COUNT,
	  "Page faults of the process, by type.",
	  "type", { "minor", "major" }, { F(minflt), F(majflt) }, false },
	{ "taskmonitor_context_switches", true, U_COUNT,
	  "Context switches of the process, by type.",
	  "type", { "voluntary", "involuntary" }, { F(nvcsw), F(nivcsw) }, false },
	{ "taskmonitor_io_bytes", true, U_COUNT,
	  "Bytes the process caused to be read from and written to storage, by direction.",
	  "direction", { "read", "write" }, { F(rbytes), F(wbytes) }, true },
	{ "taskmonitor_threads", false, U_COUNT,
	  "Live threads of the process.", NULL, { NULL }, { F(threads) }, false },
	{ "taskmonitor_last_sample_timestamp_seconds", false, U_WALL,
	  "Wall-clock time of the process's sample, seconds since the epoch.",
	  NULL, { NULL }, { F(ts) }, false },
};

const size_t tm_nfamilies = sizeof(tm_families) / sizeof(tm_families[0]);

const char tm_samples_name[] = "taskmonitor_exporter_samples";
const char tm_samples_help[] =
	"Samples of the history read (in the window, of the selected processes).";

static uint64_t field(const struct tm_sample *s, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)s + off, sizeof(v));
	return v;
}

/* NS nanoseconds as decimal seconds, exactly; NS may be negative. */
void tm_prom_ns(FILE *f, __int128 ns)
{
	if (ns < 0) {
		putc('-', f);
		ns = -ns;
	}
	fprintf(f, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
		(unsigned long long)(ns % 1000000000));
}

static void put_value(FILE *f, int64_t boot_ns, enum tm_unit u, uint64_t v)
{
	switch (u) {
	case U_NS:
		tm_prom_ns(f, v);
		break;
	case U_KIB:
		if (v <= UINT64_MAX >> 10)
			fprintf(f, "%llu", (unsigned long long)(v << 10));
		else
			fprintf(f, "%.17g", (double)v * 1024.0);
		break;
	case U_WALL:
		tm_prom_ns(f, (__int128)boot_ns + v);
		break;
	default:
		fprintf(f, "%llu", (unsigned long long)v);
	}
}

static void put_name(FILE *f, const struct tm_family *fm)
{
	fputs(fm->name, f);
	if (fm->counter)
		fputs("_total", f);
}

static void put_labels(FILE *f, const struct tm_series *x,
		       const struct tm_family *fm, int variant)
{
	fprintf(f, "{pid=\"%ld\",comm=\"", x->pid);
	tm_prom_str(f, x->comm);
	putc('"', f);
	if (x->has_start)
		fprintf(f, ",start=\"%llu\"", (unsigned long long)x->start);
	if (fm->label)
		fprintf(f, ",%s=\"%s\"", fm->label, fm->lv[variant]);
	putc('}', f);
}

bool tm_prom_has(const struct tm_family *fm, const struct tm_sample *s)
{
	return !fm->io || s->has_io;
}

/* The HELP and TYPE lines: OpenMetrics names a counter without _total. */
void tm_prom_meta(FILE *f, const char *name, const char *suffix,
		  const char *type, const char *help)
{
	fprintf(f, "# HELP %s%s %s\n# TYPE %s%s %s\n", name, suffix, help,
		name, suffix, type);
}

void tm_prom_family_meta(FILE *f, const struct tm_family *fm, bool om)
{
	tm_prom_meta(f, fm->name, fm->counter && !om ? "_total" : "",
		 fm->counter ? "counter" : "gauge", fm->help);
}

void tm_prom_point(FILE *f, const struct tm_family *fm, int variant,
		   const struct tm_series *x, const struct tm_sample *s,
		   int64_t boot_ns, bool with_ts)
{
	put_name(f, fm);
	put_labels(f, x, fm, variant);
	putc(' ', f);
	put_value(f, boot_ns, fm->unit, field(s, fm->field[variant]));
	if (with_ts) {
		putc(' ', f);
		tm_prom_ns(f, (__int128)boot_ns + s->ts);
	}
	putc('\n', f);
}
