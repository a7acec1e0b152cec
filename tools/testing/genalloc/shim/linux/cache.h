/* SPDX-License-Identifier: GPL-2.0-only */
#include <linux/compiler.h>
#define L1_CACHE_BYTES 64
#define SMP_CACHE_BYTES 64
