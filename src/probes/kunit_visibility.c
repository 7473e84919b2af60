// SPDX-License-Identifier: GPL-2.0
/*
 * Linux 6.2 and later: <kunit/visibility.h> gives VISIBLE_IF_KUNIT and
 * EXPORT_SYMBOL_IF_KUNIT(); compat.h defines them on older kernels.
 */
#include <kunit/visibility.h>

#if !defined(VISIBLE_IF_KUNIT) || !defined(EXPORT_SYMBOL_IF_KUNIT)
#error "no VISIBLE_IF_KUNIT or EXPORT_SYMBOL_IF_KUNIT"
#endif
