// SPDX-License-Identifier: GPL-2.0
/*
 * Linux 6.12 and earlier name a symbol namespace by an identifier, which
 * MODULE_IMPORT_NS() turns into a string; later kernels take the string
 * literal itself, and this fails to compile.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(TM_PROBE_NS);
