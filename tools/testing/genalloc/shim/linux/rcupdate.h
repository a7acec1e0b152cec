/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small, correct RCU for tests.
 *
 * Readers bump one of two global counters (the current phase's) and
 * remember which; synchronize_rcu() flips the phase and waits for the old
 * phase's counter to drain, so it waits for every reader that started
 * before it and cannot be starved by new ones.  All counter accesses are
 * sequentially consistent, which gives the ordering RCU promises.
 * Publication uses release stores and reads use acquire loads.
 */
#ifndef _SHIM_LINUX_RCUPDATE_H
#define _SHIM_LINUX_RCUPDATE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/bug.h>

void rcu_read_lock(void);
void rcu_read_unlock(void);
int shim_rcu_read_depth(void);
void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));

#define rcu_read_lock_held()		(shim_rcu_read_depth() > 0)
#define rcu_read_lock_any_held()	rcu_read_lock_held()
#define rcu_read_lock_bh()		rcu_read_lock()
#define rcu_read_unlock_bh()		rcu_read_unlock()
#define rcu_read_lock_sched()		rcu_read_lock()
#define rcu_read_unlock_sched()		rcu_read_unlock()
#define synchronize_rcu_expedited()	synchronize_rcu()
#define rcu_barrier()			do { } while (0)
#define kfree_rcu(ptr, field)	do { synchronize_rcu(); kfree(ptr); } while (0)
#define kvfree_rcu(ptr, ...)	do { synchronize_rcu(); kvfree(ptr); } while (0)

#define rcu_dereference(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_dereference_raw(p)	rcu_dereference(p)
#define rcu_dereference_bh(p)	rcu_dereference(p)
#define rcu_dereference_sched(p) rcu_dereference(p)
#define rcu_dereference_check(p, c)	rcu_dereference(p)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_access_pointer(p)	READ_ONCE(p)
#define rcu_assign_pointer(p, v) \
	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)	WRITE_ONCE(p, v)
#define rcu_replace_pointer(rp, p, c) ({		\
	typeof(rp) __old = (rp);			\
	rcu_assign_pointer(rp, p);			\
	__old; })

#endif /* _SHIM_LINUX_RCUPDATE_H */
