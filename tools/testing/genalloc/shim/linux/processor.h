/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _SHIM_LINUX_PROCESSOR_H
#define _SHIM_LINUX_PROCESSOR_H

#include <linux/compiler.h>

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax()	__builtin_ia32_pause()
#else
#define cpu_relax()	barrier()
#endif

#endif /* _SHIM_LINUX_PROCESSOR_H */
