/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlocks on pthread mutexes.  Holding one counts as atomic context
 * (shim_preempt_count), so might_sleep() inside it WARNs as in the kernel.
 */
#ifndef _SHIM_LINUX_SPINLOCK_H
#define _SHIM_LINUX_SPINLOCK_H

#include <linux/spinlock_types.h>
#include <linux/preempt.h>
#include <linux/processor.h>

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->m, NULL);
	lock->dep_map.held = 0;
}

static inline void spin_lock(spinlock_t *lock) __acquires(lock)
{
	pthread_mutex_lock(&lock->m);
	shim_lock_acquired(&lock->dep_map);
	preempt_disable();
}

static inline void spin_unlock(spinlock_t *lock) __releases(lock)
{
	preempt_enable();
	shim_lock_released(&lock->dep_map);
	pthread_mutex_unlock(&lock->m);
}

static inline int spin_trylock(spinlock_t *lock)
{
	if (pthread_mutex_trylock(&lock->m))
		return 0;
	shim_lock_acquired(&lock->dep_map);
	preempt_disable();
	return 1;
}

static inline int spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->dep_map.held, __ATOMIC_RELAXED);
}

#define spin_lock_irq(lock)		spin_lock(lock)
#define spin_unlock_irq(lock)		spin_unlock(lock)
#define spin_lock_bh(lock)		spin_lock(lock)
#define spin_unlock_bh(lock)		spin_unlock(lock)
#define spin_lock_irqsave(lock, flags)	\
	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) \
	do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_trylock_irqsave(lock, flags) \
	({ (flags) = 0; spin_trylock(lock); })
#define assert_spin_locked(lock)	WARN_ON_ONCE(!spin_is_locked(lock))

#define raw_spin_lock_init		spin_lock_init
#define raw_spin_lock			spin_lock
#define raw_spin_unlock			spin_unlock
#define raw_spin_lock_irqsave		spin_lock_irqsave
#define raw_spin_unlock_irqrestore	spin_unlock_irqrestore

#endif /* _SHIM_LINUX_SPINLOCK_H */
