/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * glibc's <errno.h> includes <linux/errno.h> for the UAPI codes: pass it
 * through and add the kernel-internal ones.
 */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#define ERESTARTSYS	512
#define ENOTSUPP	524
#define EPROBE_DEFER	517

#endif /* _SHIM_LINUX_ERRNO_H */
