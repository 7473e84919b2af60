// SPDX-License-Identifier: GPL-2.0
/*
 * taskmonitor_kunit.ko: the KUnit suites of taskmonitor's pure logic,
 * built only with `make ... TM_KUNIT=m` (see src/Kbuild) and run in the
 * debug kernel by tests/debug/suites/kunit.sh.  Never load it together
 * with taskmonitor.ko: both create the "task_sample" cache.
 *
 * This file builds the parameters into the test module, which the
 * sampler needs; the tests are in the *_test.c files beside it.
 */
#include "../params.c"

#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of taskmonitor");
