/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * WARN*() and BUG*() for userspace.
 *
 * Every warning that fires increments shim_nr_warnings and records its
 * site in shim_last_warning[], so a test can assert "exactly one WARN".
 * WARN_ON_ONCE()/WARN_ONCE() fire once per call site per generation: a
 * test bumps shim_warn_generation (shim_reset_warnings()) to re-arm them.
 * BUG() aborts, as a kernel oops would end the test.
 */
#ifndef _SHIM_LINUX_BUG_H
#define _SHIM_LINUX_BUG_H

#include <stdlib.h>
#include <linux/compiler.h>
#include <linux/printk.h>

extern unsigned long shim_nr_warnings;
extern unsigned int shim_warn_generation;
extern char shim_last_warning[512];

__printf(4, 5) void shim_warn(const char *file, int line, const char *cond,
			      const char *fmt, ...);
void shim_warn_on(const char *file, int line, const char *cond);
__noreturn void shim_bug(const char *file, int line, const char *cond);
void shim_reset_warnings(void);

#define WARN(condition, fmt...) ({					\
	int __ret_warn = !!(condition);					\
	if (unlikely(__ret_warn))					\
		shim_warn(__FILE__, __LINE__, #condition, fmt);		\
	unlikely(__ret_warn);						\
})

#define WARN_ON(condition) ({						\
	int __ret_warn = !!(condition);					\
	if (unlikely(__ret_warn))					\
		shim_warn_on(__FILE__, __LINE__, #condition);		\
	unlikely(__ret_warn);						\
})

#define __SHIM_ONCE(condition, report) ({				\
	static unsigned int __warned_gen;				\
	unsigned int __shim_gen =					\
		__atomic_load_n(&shim_warn_generation, __ATOMIC_RELAXED); \
	int __ret_warn = !!(condition);					\
	if (unlikely(__ret_warn) &&					\
	    __atomic_exchange_n(&__warned_gen, __shim_gen,		\
				__ATOMIC_RELAXED) != __shim_gen)	\
		report;							\
	unlikely(__ret_warn);						\
})

#define WARN_ON_ONCE(condition)						\
	__SHIM_ONCE(condition, shim_warn_on(__FILE__, __LINE__, #condition))
#define WARN_ONCE(condition, fmt...)					\
	__SHIM_ONCE(condition, shim_warn(__FILE__, __LINE__, #condition, fmt))
#define WARN_TAINT(condition, taint, fmt...) WARN(condition, fmt)
#define WARN_TAINT_ONCE(condition, taint, fmt...) WARN_ONCE(condition, fmt)

#define BUG()		shim_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(condition) do {						\
	if (unlikely(condition))					\
		shim_bug(__FILE__, __LINE__, #condition);		\
} while (0)

#include <linux/build_bug.h>

#endif /* _SHIM_LINUX_BUG_H */
