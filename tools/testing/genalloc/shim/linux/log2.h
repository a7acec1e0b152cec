/* SPDX-License-Identifier: GPL-2.0-only */
/* Integer base-2 logarithms and powers of two. */
#ifndef _SHIM_LINUX_LOG2_H
#define _SHIM_LINUX_LOG2_H

#include <linux/bitops.h>

static inline __attribute__((const)) bool is_power_of_2(unsigned long n)
{
	return n != 0 && ((n & (n - 1)) == 0);
}

/* floor(log2(n)); n must not be 0. */
#define ilog2(n)	((int)(__builtin_constant_p(n) && (n) == 0 ? -1 : \
			       (int)(sizeof(n) <= 4 ? fls((u32)(n)) - 1 : \
						      fls64((u64)(n)) - 1)))

/* Smallest power of two >= n; undefined for 0 and above 2^(BITS_PER_LONG-1). */
#define roundup_pow_of_two(n)	(1UL << fls_long((unsigned long)(n) - 1))
/* Largest power of two <= n; undefined for 0. */
#define rounddown_pow_of_two(n)	(1UL << (fls_long(n) - 1))
#define order_base_2(n)		((n) > 1 ? ilog2((n) - 1) + 1 : 0)
#define const_ilog2(n)		ilog2(n)

#endif /* _SHIM_LINUX_LOG2_H */
