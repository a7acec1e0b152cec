/* SPDX-License-Identifier: GPL-2.0-only */
/* struct mutex on a pthread mutex. */
#ifndef _SHIM_LINUX_MUTEX_H
#define _SHIM_LINUX_MUTEX_H

#include <linux/lockdep.h>
#include <linux/kernel.h>

struct mutex {
	pthread_mutex_t m;
	struct shim_lockdep_map dep_map;
};

#define __MUTEX_INITIALIZER(name)	{ .m = PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
	lock->dep_map.held = 0;
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->m);
}

static inline void mutex_lock(struct mutex *lock) __acquires(lock)
{
	might_sleep();
	pthread_mutex_lock(&lock->m);
	shim_lock_acquired(&lock->dep_map);
}

static inline int mutex_trylock(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->m))
		return 0;
	shim_lock_acquired(&lock->dep_map);
	return 1;
}

static inline void mutex_unlock(struct mutex *lock) __releases(lock)
{
	shim_lock_released(&lock->dep_map);
	pthread_mutex_unlock(&lock->m);
}

static inline bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->dep_map.held, __ATOMIC_RELAXED);
}

#endif /* _SHIM_LINUX_MUTEX_H */
