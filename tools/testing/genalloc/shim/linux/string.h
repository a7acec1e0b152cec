/* SPDX-License-Identifier: GPL-2.0-only */
/* libc's string functions plus the kernel's allocating ones (slab.h). */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>
#include <linux/slab.h>

#endif /* _SHIM_LINUX_STRING_H */
