/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The userspace build has no KUnit, as a kernel without CONFIG_KUNIT:
 * a static stub's redirection is empty.  The harness fails allocations
 * through the shim's own fault injection instead (linux/slab.h).
 */
#ifndef _SHIM_KUNIT_STATIC_STUB_H
#define _SHIM_KUNIT_STATIC_STUB_H

#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...) do {} while (0)

#endif /* _SHIM_KUNIT_STATIC_STUB_H */
