/* SPDX-License-Identifier: GPL-2.0-only */
/* Rounding helpers. */
#ifndef _SHIM_LINUX_MATH_H
#define _SHIM_LINUX_MATH_H

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(n, d)	DIV_ROUND_UP((unsigned long long)(n), (d))
#define DIV_ROUND_CLOSEST(x, d)	(((x) + ((d) / 2)) / (d))
#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define abs(x)			__builtin_choose_expr(			\
	__builtin_types_compatible_p(typeof(x), long), labs(x),		\
	__builtin_choose_expr(__builtin_types_compatible_p(typeof(x),	\
		long long), llabs(x), __builtin_abs(x)))

#endif /* _SHIM_LINUX_MATH_H */
