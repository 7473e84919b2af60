// SPDX-License-Identifier: GPL-2.0
/*
 * taskmonitor_kunit.ko: the KUnit suites of taskmonitor's logic, built
 * only with `make ... TM_KUNIT=m` (see src/Kbuild) and run in the debug
 * kernel by tests/debug/suites/kunit.sh.  The tests call into
 * taskmonitor.ko, which must be loaded first: it exports what they need
 * with EXPORT_SYMBOL_IF_KUNIT() (compat.h), as mainline modules do.
 *
 * The tests are in the *_test.c files beside this one.
 */
#include <linux/module.h>

#include "../compat.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of taskmonitor");
TM_IMPORT_KUNIT_NS();
