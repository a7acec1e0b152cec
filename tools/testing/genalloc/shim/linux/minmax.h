/* SPDX-License-Identifier: GPL-2.0-only */
/* min()/max() and friends (without the kernel's strict type checks). */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#define __shim_cmp(a, b, op) ({			\
	__auto_type __a = (a);			\
	__auto_type __b = (b);			\
	__a op __b ? __a : __b; })

#define min(a, b)		__shim_cmp(a, b, <)
#define max(a, b)		__shim_cmp(a, b, >)
#define umin(a, b)		min((a) + 0u + 0ul + 0ull, (b) + 0u + 0ul + 0ull)
#define umax(a, b)		max((a) + 0u + 0ul + 0ull, (b) + 0u + 0ul + 0ull)
#define min3(a, b, c)		min(min(a, b), c)
#define max3(a, b, c)		max(max(a, b), c)
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	clamp((t)(v), (t)(lo), (t)(hi))
#define clamp_val(v, lo, hi)	clamp_t(typeof(v), v, lo, hi)
#define swap(a, b) \
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _SHIM_LINUX_MINMAX_H */
