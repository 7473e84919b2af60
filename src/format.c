// SPDX-License-Identifier: GPL-2.0
/*
 * The sample line, shared by every read interface (docs/interface.md):
 * through seq_file's number helpers for the streamed history, through
 * sysfs_emit_at() for the sysfs page.  Both print the same keys and
 * numbers; the KUnit suite checks each against the documented format.
 *
 * The process name is written escaped (docs/interface.md, "Escaping of
 * comm") so that whatever bytes a process names itself with, the line
 * stays one line of space-separated printable ASCII.  The kernel's
 * string_escape_mem() cannot say "these printable characters too, and
 * every byte above 0x7e" in one call on every supported kernel, so the
 * few lines of tm_comm_escape() do it.
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
	"majflt %llu nvcsw %llu nivcsw %llu threads %u start %llu "       \
	"comm %s ppid %d rbytes %llu wbytes %llu%s\n"

/* The longest " exit N". */
#define TM_EXIT_KEY_MAX sizeof(" exit 255")

static u64 tm_pages_to_kib(u64 pages)
{
	return pages << (PAGE_SHIFT - 10);
}

int tm_comm_escape(const char *comm, char *buf)
{
	int i, n = 0;

	/* A name never holds a NUL byte: "\x00" cannot be one. */
	if (!comm[0])
		return sprintf(buf, "\\x00");
	for (i = 0; i < TASK_COMM_LEN - 1 && comm[i]; i++) {
		u8 c = comm[i];

		if (c > ' ' && c < 0x7f && c != '\\') {
			buf[n++] = c;
			continue;
		}
		n += sprintf(buf + n, "\\x%02x", c);
	}
	buf[n] = '\0';
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(tm_comm_escape);

/* The exit key of the exit record, or nothing, into @buf. */
static const char *tm_exit_key(const struct task_sample *s, char *buf)
{
	if (!s->has_exit)
		return "";
	sprintf(buf, " exit %u", s->exit_status);
	return buf;
}

void tm_seq_put_sample(struct seq_file *m, pid_t nr,
		       const struct task_sample *s)
{
	char comm[TM_COMM_ESCAPED_MAX];

	tm_comm_escape(s->comm, comm);
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
	seq_put_decimal_ull(m, " start ", s->start);
	seq_puts(m, " comm ");
	seq_puts(m, comm);
	seq_put_decimal_ull(m, " ppid ", s->ppid);
	seq_put_decimal_ull(m, " rbytes ", s->rbytes);
	seq_put_decimal_ull(m, " wbytes ", s->wbytes);
	if (s->has_exit)
		seq_put_decimal_ull(m, " exit ", s->exit_status);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(tm_seq_put_sample);

int tm_sysfs_emit_sample(char *buf, int at, pid_t nr,
			 const struct task_sample *s)
{
	char comm[TM_COMM_ESCAPED_MAX], exit[TM_EXIT_KEY_MAX];

	tm_comm_escape(s->comm, comm);
	return sysfs_emit_at(buf, at, TM_LINE_FMT, nr, s->utime, s->stime,
			     s->ts, tm_pages_to_kib(s->rss),
			     tm_pages_to_kib(s->vsz), s->minflt, s->majflt,
			     s->nvcsw, s->nivcsw, s->threads, s->start, comm,
			     s->ppid, s->rbytes, s->wbytes,
			     tm_exit_key(s, exit));
}
EXPORT_SYMBOL_IF_KUNIT(tm_sysfs_emit_sample);

int tm_format_sample(char *buf, size_t size, pid_t nr,
		     const struct task_sample *s)
{
	char comm[TM_COMM_ESCAPED_MAX], exit[TM_EXIT_KEY_MAX];

	tm_comm_escape(s->comm, comm);
	return snprintf(buf, size, TM_LINE_FMT, nr, s->utime, s->stime, s->ts,
			tm_pages_to_kib(s->rss), tm_pages_to_kib(s->vsz),
			s->minflt, s->majflt, s->nvcsw, s->nivcsw, s->threads,
			s->start, comm, s->ppid, s->rbytes, s->wbytes,
			tm_exit_key(s, exit));
}
EXPORT_SYMBOL_IF_KUNIT(tm_format_sample);

int tm_sample_line_len(pid_t nr, const struct task_sample *s)
{
	return tm_format_sample(NULL, 0, nr, s);
}
EXPORT_SYMBOL_IF_KUNIT(tm_sample_line_len);
