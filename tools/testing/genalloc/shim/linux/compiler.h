/* SPDX-License-Identifier: GPL-2.0-only */
/* Compiler attributes, sparse annotations and READ_ONCE() for userspace. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#ifndef __ASSEMBLY__

#include <sys/cdefs.h>	/* glibc defines __always_inline too: ours wins */

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define __must_check		__attribute__((__warn_unused_result__))
#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __malloc		__attribute__((__malloc__))
#define __noreturn		__attribute__((__noreturn__))
#define __weak			__attribute__((__weak__))
#define __section(s)		__attribute__((__section__(s)))
#define __alloc_size(...)
#define __realloc_size(...)
#define __counted_by(m)
#define __nonstring
#define __init
#define __exit
#define __initdata
#define __read_mostly
#define __ro_after_init
#define __cacheline_aligned
#define ____cacheline_aligned
#define ____cacheline_aligned_in_smp
#define __cacheline_aligned_in_smp
#define notrace
#define __nocfi
#define __noinstr
#define noinstr
#define __no_kcsan
#define __no_sanitize_address
#define fallthrough		__attribute__((__fallthrough__))

/* sparse annotations: checked by sparse in the kernel build only */
#define __user
#define __kernel
#define __iomem
#define __percpu
#define __rcu
#define __private
#define __force
#define __bitwise
#define __safe
#define __acquires(x)
#define __releases(x)
#define __acquire(x)		((void)0)
#define __release(x)		((void)0)
#define __must_hold(x)
#define __cond_lock(x, c)	(c)
#define ACCESS_PRIVATE(p, member) ((p)->member)

#define barrier()		__asm__ __volatile__("" : : : "memory")
#define barrier_data(p)		__asm__ __volatile__("" : : "r"(p) : "memory")
#define unreachable()		__builtin_unreachable()

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))
#define __is_constexpr(x) \
	(sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))

/*
 * READ_ONCE()/WRITE_ONCE() as relaxed atomic accesses: same code as a
 * volatile access on x86, and visible to ThreadSanitizer as atomic.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#define data_race(expr)		(expr)

#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r" (var) : "0" (var))

#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)

#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define BUILD_BUG()		BUILD_BUG_ON(1)
/* One- or two-argument static_assert(), as in the kernel. */
#undef static_assert
#define static_assert(expr, ...) __shim_static_assert(expr, ##__VA_ARGS__, #expr)
#define __shim_static_assert(expr, msg, ...) _Static_assert(expr, msg)

#endif /* __ASSEMBLY__ */
#endif /* _SHIM_LINUX_COMPILER_H */
