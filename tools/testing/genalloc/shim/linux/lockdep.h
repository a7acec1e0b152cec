/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A very small lockdep: every lock remembers whether it is held and by
 * which thread, so lockdep_assert_held() can WARN and lockdep_is_held()
 * can feed list_for_each_entry_rcu()'s check.  Spinlocks also count as
 * atomic context for might_sleep().
 */
#ifndef _SHIM_LINUX_LOCKDEP_H
#define _SHIM_LINUX_LOCKDEP_H

#include <pthread.h>
#include <linux/bug.h>

struct shim_lockdep_map {
	int held;
	pthread_t owner;
};

static inline void shim_lock_acquired(struct shim_lockdep_map *map)
{
	__atomic_store_n(&map->owner, pthread_self(), __ATOMIC_RELAXED);
	__atomic_store_n(&map->held, 1, __ATOMIC_RELAXED);
}

static inline void shim_lock_released(struct shim_lockdep_map *map)
{
	__atomic_store_n(&map->held, 0, __ATOMIC_RELAXED);
}

static inline bool shim_lock_held_by_me(const struct shim_lockdep_map *map)
{
	return __atomic_load_n(&map->held, __ATOMIC_RELAXED) &&
	       pthread_equal(__atomic_load_n(&map->owner, __ATOMIC_RELAXED),
			     pthread_self());
}

#define lockdep_is_held(lock)	shim_lock_held_by_me(&(lock)->dep_map)
#define lockdep_assert_held(lock)	\
	WARN_ON_ONCE(!lockdep_is_held(lock))
#define lockdep_assert_not_held(lock)	\
	WARN_ON_ONCE(lockdep_is_held(lock))
#define lockdep_assert_held_once(lock)	lockdep_assert_held(lock)
#define lockdep_assert_irqs_disabled()	do { } while (0)
#define lockdep_assert_irqs_enabled()	do { } while (0)
#define lockdep_assert_in_irq()		do { } while (0)
#define lockdep_set_class(lock, key)	do { } while (0)
#define lock_is_held(map)		1
#define debug_locks			1

struct lock_class_key {
	int dummy;
};

#endif /* _SHIM_LINUX_LOCKDEP_H */
