// SPDX-License-Identifier: GPL-2.0
/*
 * tbcount: a QEMU TCG plugin that counts the guest instructions executed
 * in each translation block, and writes the counts so far to a file each
 * time the guest runs the marker (bench/profile/tmmark.c).  Two such
 * snapshots around a piece of work give its instructions, block by block;
 * bench/profile/report.sh names the blocks after the guest's symbols.
 *
 * The counts are those -icount charges to the guest's clock (a block's
 * instructions each time it runs; a rep-prefixed string instruction once
 * per iteration), for every context at once: threads, interrupts,
 * softirqs.  Built against QEMU's plugin API, version 1 (QEMU 7.2).
 *
 * Arguments: out=PREFIX (snapshots are PREFIX.0, PREFIX.1, ...),
 * mark=ADDR (hex: the marker's entry, where every snapshot is taken).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* One translation of a block; a block translated again gets another. */
struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t runs; /* added to by the translated code itself */
	struct block *next;
};

static struct block *blocks;
static uint64_t mark;
static char out[4096];
static unsigned int snapshots;

/* "VADDR INSNS RUNS" of every block that ran, summed over translations. */
static void write_snapshot(unsigned int vcpu, void *unused)
{
	char path[4200];
	struct block *b;
	FILE *f;

	(void)vcpu;
	(void)unused;
	snprintf(path, sizeof(path), "%s.%u", out, snapshots++);
	f = fopen(path, "w");
	if (!f) {
		qemu_plugin_outs("tbcount: cannot write a snapshot\n");
		return;
	}
	for (b = blocks; b; b = b->next)
		if (b->runs)
			fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				b->vaddr, b->insns, b->runs);
	fclose(f);
}

static void on_translation(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b));

	(void)id;
	if (!b)
		abort();
	b->vaddr = qemu_plugin_tb_vaddr(tb);
	b->insns = qemu_plugin_tb_n_insns(tb);
	b->next = blocks;
	blocks = b;
	/* Not atomic: the guest must have one vCPU (TM_SMP=1). */
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->runs, 1);
	if (b->vaddr == mark)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, write_snapshot,
						     QEMU_PLUGIN_CB_NO_REGS,
						     NULL);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			snprintf(out, sizeof(out), "%s", argv[i] + 4);
		else if (!strncmp(argv[i], "mark=", 5))
			mark = strtoull(argv[i] + 5, NULL, 16);
	}
	if (!out[0] || !mark) {
		fprintf(stderr, "tbcount: needs out=PREFIX and mark=ADDR\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translation);
	return 0;
}
