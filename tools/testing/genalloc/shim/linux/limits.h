/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's integer limits.  glibc's <limits.h> includes <linux/limits.h>
 * for the UAPI limits, so pass that through first.
 */
#ifndef _SHIM_LINUX_LIMITS_H
#define _SHIM_LINUX_LIMITS_H

#include_next <linux/limits.h>

#ifndef ULONG_MAX
#define ULONG_MAX	(~0UL)
#endif
#ifndef LONG_MAX
#define LONG_MAX	((long)(~0UL >> 1))
#endif
#ifndef LONG_MIN
#define LONG_MIN	(-LONG_MAX - 1)
#endif
#ifndef INT_MAX
#define INT_MAX		((int)(~0U >> 1))
#endif
#ifndef INT_MIN
#define INT_MIN		(-INT_MAX - 1)
#endif
#ifndef UINT_MAX
#define UINT_MAX	(~0U)
#endif
#ifndef SIZE_MAX
#define SIZE_MAX	(~(size_t)0)
#endif
#ifndef ULLONG_MAX
#define ULLONG_MAX	(~0ULL)
#endif
#ifndef LLONG_MAX
#define LLONG_MAX	((long long)(~0ULL >> 1))
#endif
#define PHYS_ADDR_MAX	(~(phys_addr_t)0)
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))

#endif /* _SHIM_LINUX_LIMITS_H */
