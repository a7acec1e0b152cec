/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * atomic_t, atomic_long_t, cmpxchg() and memory barriers on top of the
 * GCC/C11 __atomic builtins.  As in the kernel, operations returning a
 * value are fully ordered; the void ones and plain reads/sets are relaxed.
 */
#ifndef _SHIM_LINUX_ATOMIC_H
#define _SHIM_LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>

#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()			smp_mb()
#define rmb()			smp_rmb()
#define wmb()			smp_wmb()
#define smp_mb__before_atomic()	smp_mb()
#define smp_mb__after_atomic()	smp_mb()
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_store_mb(var, v)	__atomic_store_n(&(var), v, __ATOMIC_SEQ_CST)

#define __shim_cmpxchg(ptr, old, new, mo) ({				\
	typeof(*(ptr)) __old = (old);					\
	__atomic_compare_exchange_n(ptr, &__old, new, false, mo,	\
				    __ATOMIC_RELAXED);			\
	__old;								\
})
#define cmpxchg(ptr, old, new)	__shim_cmpxchg(ptr, old, new, __ATOMIC_SEQ_CST)
#define cmpxchg_relaxed(ptr, old, new) \
	__shim_cmpxchg(ptr, old, new, __ATOMIC_RELAXED)
#define cmpxchg_acquire(ptr, old, new) \
	__shim_cmpxchg(ptr, old, new, __ATOMIC_ACQUIRE)
#define cmpxchg_release(ptr, old, new) \
	__shim_cmpxchg(ptr, old, new, __ATOMIC_RELEASE)
#define cmpxchg64(ptr, old, new)	cmpxchg(ptr, old, new)

/* On failure *@oldp is updated to the current value. */
#define try_cmpxchg(ptr, oldp, new)					\
	__atomic_compare_exchange_n(ptr, oldp, new, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)
#define try_cmpxchg_relaxed(ptr, oldp, new)				\
	__atomic_compare_exchange_n(ptr, oldp, new, false,		\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED)
#define try_cmpxchg_acquire(ptr, oldp, new)				\
	__atomic_compare_exchange_n(ptr, oldp, new, false,		\
				    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
#define try_cmpxchg_release(ptr, oldp, new)				\
	__atomic_compare_exchange_n(ptr, oldp, new, false,		\
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED)
#define xchg(ptr, v)		__atomic_exchange_n(ptr, v, __ATOMIC_SEQ_CST)
#define xchg_relaxed(ptr, v)	__atomic_exchange_n(ptr, v, __ATOMIC_RELAXED)

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }

/* One family of operations per atomic type. */
#define __SHIM_ATOMIC_OPS(pfx, atype, t)				\
static inline t pfx##_read(const atype *v)				\
{									\
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);		\
}									\
static inline t pfx##_read_acquire(const atype *v)			\
{									\
	return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE);		\
}									\
static inline void pfx##_set(atype *v, t i)				\
{									\
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_set_release(atype *v, t i)			\
{									\
	__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);		\
}									\
static inline void pfx##_add(t i, atype *v)				\
{									\
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_sub(t i, atype *v)				\
{									\
	__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_inc(atype *v)					\
{									\
	pfx##_add(1, v);						\
}									\
static inline void pfx##_dec(atype *v)					\
{									\
	pfx##_sub(1, v);						\
}									\
static inline void pfx##_and(t i, atype *v)				\
{									\
	__atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline void pfx##_or(t i, atype *v)				\
{									\
	__atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED);		\
}									\
static inline t pfx##_add_return(t i, atype *v)				\
{									\
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline t pfx##_sub_return(t i, atype *v)				\
{									\
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline t pfx##_add_return_relaxed(t i, atype *v)			\
{									\
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_RELAXED);	\
}									\
static inline t pfx##_sub_return_relaxed(t i, atype *v)			\
{									\
	return __atomic_sub_fetch(&v->counter, i, __ATOMIC_RELAXED);	\
}									\
static inline t pfx##_fetch_add(t i, atype *v)				\
{									\
	return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline t pfx##_fetch_sub(t i, atype *v)				\
{									\
	return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline t pfx##_fetch_add_relaxed(t i, atype *v)			\
{									\
	return __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);	\
}									\
static inline t pfx##_inc_return(atype *v)				\
{									\
	return pfx##_add_return(1, v);					\
}									\
static inline t pfx##_dec_return(atype *v)				\
{									\
	return pfx##_sub_return(1, v);					\
}									\
static inline bool pfx##_dec_and_test(atype *v)				\
{									\
	return pfx##_sub_return(1, v) == 0;				\
}									\
static inline bool pfx##_sub_and_test(t i, atype *v)			\
{									\
	return pfx##_sub_return(i, v) == 0;				\
}									\
static inline bool pfx##_inc_and_test(atype *v)				\
{									\
	return pfx##_add_return(1, v) == 0;				\
}									\
static inline bool pfx##_add_negative(t i, atype *v)			\
{									\
	return pfx##_add_return(i, v) < 0;				\
}									\
static inline t pfx##_xchg(atype *v, t i)				\
{									\
	return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST);	\
}									\
static inline t pfx##_cmpxchg(atype *v, t old, t new)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED); \
	return old;							\
}									\
static inline bool pfx##_try_cmpxchg(atype *v, t *old, t new)		\
{									\
	return __atomic_compare_exchange_n(&v->counter, old, new, false, \
					   __ATOMIC_SEQ_CST,		\
					   __ATOMIC_RELAXED);		\
}									\
static inline bool pfx##_try_cmpxchg_relaxed(atype *v, t *old, t new)	\
{									\
	return __atomic_compare_exchange_n(&v->counter, old, new, false, \
					   __ATOMIC_RELAXED,		\
					   __ATOMIC_RELAXED);		\
}									\
static inline bool pfx##_add_unless(atype *v, t a, t u)			\
{									\
	t c = pfx##_read(v);						\
									\
	do {								\
		if (c == u)						\
			return false;					\
	} while (!pfx##_try_cmpxchg(v, &c, c + a));			\
	return true;							\
}									\
static inline bool pfx##_inc_not_zero(atype *v)				\
{									\
	return pfx##_add_unless(v, 1, 0);				\
}

__SHIM_ATOMIC_OPS(atomic, atomic_t, int)
__SHIM_ATOMIC_OPS(atomic_long, atomic_long_t, long)
__SHIM_ATOMIC_OPS(atomic64, atomic64_t, s64)

#endif /* _SHIM_LINUX_ATOMIC_H */
