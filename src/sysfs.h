/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_SYSFS_H
#define TM_SYSFS_H

#include <linux/types.h>

int tm_sysfs_init(void);
void tm_sysfs_exit(void);

#endif /* TM_SYSFS_H */
