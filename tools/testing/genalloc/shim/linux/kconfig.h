/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel's Kconfig output.  The harness
 * force-includes this file (-include linux/kconfig.h) as Kbuild does.
 * Define SHIM_NO_DEFAULT_CONFIG to pick the CONFIG_* symbols yourself.
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#ifdef __LP64__
#define CONFIG_64BIT 1
#define CONFIG_PHYS_ADDR_T_64BIT 1
#define CONFIG_ARCH_DMA_ADDR_T_64BIT 1
#endif

#ifndef SHIM_NO_DEFAULT_CONFIG
#define CONFIG_SMP 1
#define CONFIG_OF 1
#define CONFIG_GENERIC_ALLOCATOR 1
#define CONFIG_DEBUG_GENALLOC 1
#define CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG 1
#endif

/* IS_ENABLED(CONFIG_FOO): 1 when CONFIG_FOO is defined to 1, else 0. */
#define __shim_arg_placeholder_1 0,
#define __shim_take_second(ignored, val, ...) val
#define __shim_is_defined(x) ___shim_is_defined(x)
#define ___shim_is_defined(val) ____shim_is_defined(__shim_arg_placeholder_##val)
#define ____shim_is_defined(arg) __shim_take_second(arg 1, 0, 0)
#define IS_ENABLED(option) __shim_is_defined(option)
#define IS_BUILTIN(option) __shim_is_defined(option)
#define IS_REACHABLE(option) __shim_is_defined(option)
#define IS_MODULE(option) 0

#endif /* _SHIM_LINUX_KCONFIG_H */
