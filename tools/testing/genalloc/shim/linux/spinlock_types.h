/* SPDX-License-Identifier: GPL-2.0-only */
/* spinlock_t as a pthread mutex plus an owner record. */
#ifndef _SHIM_LINUX_SPINLOCK_TYPES_H
#define _SHIM_LINUX_SPINLOCK_TYPES_H

#include <pthread.h>
#include <linux/lockdep.h>

typedef struct spinlock {
	pthread_mutex_t m;
	struct shim_lockdep_map dep_map;
} spinlock_t;

typedef spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ .m = PTHREAD_MUTEX_INITIALIZER }
#define __RAW_SPIN_LOCK_UNLOCKED(name)	__SPIN_LOCK_UNLOCKED(name)
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)
#define DEFINE_RAW_SPINLOCK(name) DEFINE_SPINLOCK(name)

#endif /* _SHIM_LINUX_SPINLOCK_TYPES_H */
