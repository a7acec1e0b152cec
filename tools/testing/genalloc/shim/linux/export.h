/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EXPORT_SYMBOL*() record the symbol and its licence class at start-up so
 * tests can check a library's export table (shim_export_class()).
 */
#ifndef _SHIM_LINUX_EXPORT_H
#define _SHIM_LINUX_EXPORT_H

#include <linux/compiler.h>

void shim_register_export(const char *name, const char *license,
			  const void *addr);
/* "" for EXPORT_SYMBOL, "GPL" for EXPORT_SYMBOL_GPL, NULL if not exported. */
const char *shim_export_class(const char *name);
/* Number of exports registered. */
int shim_nr_exports(void);

#define __SHIM_EXPORT(sym, lic)						\
	static void __attribute__((constructor))			\
	__PASTE(__shim_export_, sym)(void)				\
	{								\
		shim_register_export(#sym, lic, (const void *)&sym);	\
	}

#define EXPORT_SYMBOL(sym)		__SHIM_EXPORT(sym, "")
#define EXPORT_SYMBOL_GPL(sym)		__SHIM_EXPORT(sym, "GPL")
#define EXPORT_SYMBOL_NS(sym, ns)	__SHIM_EXPORT(sym, "")
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	__SHIM_EXPORT(sym, "GPL")
#define THIS_MODULE			((void *)0)

#endif /* _SHIM_LINUX_EXPORT_H */
