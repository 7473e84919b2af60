/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_SEQ_H
#define TM_SEQ_H

struct file;
struct inode;

/* open/release of a file that streams the whole history (seq_file). */
int tm_seq_open(struct inode *inode, struct file *file);
int tm_seq_release(struct inode *inode, struct file *file);

#endif /* TM_SEQ_H */
