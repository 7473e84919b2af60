/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TM_CHARDEV_H
#define TM_CHARDEV_H

int tm_chardev_init(void);
void tm_chardev_exit(void);

#endif /* TM_CHARDEV_H */
