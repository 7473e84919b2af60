/* SPDX-License-Identifier: GPL-2.0 */
/*
 * out.h: writing names and times safely into tables, JSON and CSV.
 */
#ifndef TMCTL_OUT_H
#define TMCTL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at P (N bytes left), 0 if invalid. */
size_t tm_utf8_len(const unsigned char *p, size_t n);

/* NAME as a JSON string, quotes included; bytes not UTF-8 as "\xHH". */
void tm_json_str(FILE *f, const char *name);
/* NAME as a CSV field (RFC 4180 quoting when needed), same escapes. */
void tm_csv_str(FILE *f, const char *name);
/* NAME for a terminal: printable ASCII and valid UTF-8 kept, rest "?". */
void tm_table_str(FILE *f, const char *name, int width);
/*
 * NAME as a Prometheus label value: valid UTF-8, with \\ \" \n escaped
 * as the exposition format wants; bytes not UTF-8 as "\\xHH".
 */
void tm_prom_str(FILE *f, const char *name);

/* Wall-clock time of NS nanoseconds since the epoch. */
void tm_fmt_iso(char *buf, size_t len, int64_t epoch_ns);	/* ISO 8601 */
void tm_fmt_clock(char *buf, size_t len, int64_t epoch_ns);	/* HH:MM:SS.mmm */

#endif
