/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_DEBUGFS_H
#define TM_DEBUGFS_H

void tm_debugfs_init(void);
void tm_debugfs_exit(void);

#endif /* TM_DEBUGFS_H */
