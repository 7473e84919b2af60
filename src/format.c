// SPDX-License-Identifier: GPL-2.0
/*
 * The sample line, shared by every read interface (docs/interface.md):
 * through seq_file's number helpers for the streamed history, through
 * sysfs_emit_at() for the sysfs page.  Both print the same keys and
 * numbers; the KUnit suite checks each against the documented format.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "format.h"
#include "store.h"

#define TM_LINE_FMT                                                       \
	"pid %d usr %llu sys %llu ts %llu rss %llu vsz %llu minflt %llu " \
	"majflt %llu nvcsw %llu nivcsw %llu threads %u\n"

static u64 tm_pages_to_kib(u64 pages)
{
	return pages << (PAGE_SHIFT - 10);
}

void tm_seq_put_sample(struct seq_file *m, pid_t nr,
		       const struct task_sample *s)
{
	seq_put_decimal_ull(m, "pid ", nr);
	seq_put_decimal_ull(m, " usr ", s->utime);
	seq_put_decimal_ull(m, " sys ", s->stime);
	seq_put_decimal_ull(m, " ts ", s->ts);
	seq_put_decimal_ull(m, " rss ", tm_pages_to_kib(s->rss));
	seq_put_decimal_ull(m, " vsz ", tm_pages_to_kib(s->vsz));
	seq_put_decimal_ull(m, " minflt ", s->minflt);
	seq_put_decimal_ull(m, " majflt ", s->majflt);
	seq_put_decimal_ull(m, " nvcsw ", s->nvcsw);
	seq_put_decimal_ull(m, " nivcsw ", s->nivcsw);
	seq_put_decimal_ull(m, " threads ", s->threads);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(tm_seq_put_sample);

int tm_sysfs_emit_sample(char *buf, int at, pid_t nr,
			 const struct task_sample *s)
{
	return sysfs_emit_at(buf, at, TM_LINE_FMT, nr, s->utime, s->stime,
			     s->ts, tm_pages_to_kib(s->rss),
			     tm_pages_to_kib(s->vsz), s->minflt, s->majflt,
			     s->nvcsw, s->nivcsw, s->threads);
}
EXPORT_SYMBOL_IF_KUNIT(tm_sysfs_emit_sample);

int tm_sample_line_len(pid_t nr, const struct task_sample *s)
{
	return snprintf(NULL, 0, TM_LINE_FMT, nr, s->utime, s->stime, s->ts,
			tm_pages_to_kib(s->rss), tm_pages_to_kib(s->vsz),
			s->minflt, s->majflt, s->nvcsw, s->nivcsw, s->threads);
}
EXPORT_SYMBOL_IF_KUNIT(tm_sample_line_len);
