/* SPDX-License-Identifier: GPL-2.0-only */
/* The grab bag: limits, rounding, min/max, container_of, printk, WARN. */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/align.h>
#include <linux/array_size.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/container_of.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/preempt.h>
#include <linux/processor.h>
#include <linux/printk.h>

#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define REPEAT_BYTE(x)		((~0UL / 0xff) * (x))
#define typecheck(type, x)	({ type __dummy; typeof(x) __dummy2; \
				   (void)(&__dummy == &__dummy2); 1; })

#endif /* _SHIM_LINUX_KERNEL_H */
