/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbols made visible to KUnit tests stay static in the userspace build,
 * as in a kernel without CONFIG_KUNIT, and are not exported.
 */
#ifndef _SHIM_KUNIT_VISIBILITY_H
#define _SHIM_KUNIT_VISIBILITY_H

#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)

#endif /* _SHIM_KUNIT_VISIBILITY_H */
