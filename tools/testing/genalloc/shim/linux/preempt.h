/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Execution context, per thread.  Tests (and signal handlers standing in
 * for NMIs) enter a context with nmi_enter()/irq_enter() and friends;
 * in_nmi() and might_sleep() look at it.
 */
#ifndef _SHIM_LINUX_PREEMPT_H
#define _SHIM_LINUX_PREEMPT_H

#include <linux/bug.h>

extern __thread int shim_preempt_count;	/* spinlocks, preempt_disable() */
extern __thread int shim_irq_count;	/* hard and soft interrupt context */
extern __thread int shim_nmi_count;	/* NMI context */
extern __thread int shim_irqs_disabled;

#define preempt_disable()	do { shim_preempt_count++; barrier(); } while (0)
#define preempt_enable()	do { barrier(); shim_preempt_count--; } while (0)
#define preempt_enable_no_resched()	preempt_enable()
#define preempt_count()		(shim_preempt_count + shim_irq_count + \
				 shim_nmi_count)
#define migrate_disable()	do { } while (0)
#define migrate_enable()	do { } while (0)

#define in_nmi()		(shim_nmi_count > 0)
#define in_hardirq()		(shim_irq_count > 0 || in_nmi())
#define in_irq()		in_hardirq()
#define in_softirq()		0
#define in_serving_softirq()	0
#define in_interrupt()		(in_hardirq())
#define in_task()		(!in_interrupt())
#define in_atomic()		(preempt_count() != 0)
#define irqs_disabled()		(shim_irqs_disabled > 0 || in_interrupt())

#define nmi_enter()		do { shim_nmi_count++; } while (0)
#define nmi_exit()		do { shim_nmi_count--; } while (0)
#define irq_enter()		do { shim_irq_count++; } while (0)
#define irq_exit()		do { shim_irq_count--; } while (0)

#define local_irq_disable()	do { shim_irqs_disabled++; } while (0)
#define local_irq_enable()	do { shim_irqs_disabled--; } while (0)
#define local_irq_save(flags)	\
	do { (flags) = 0; local_irq_disable(); } while (0)
#define local_irq_restore(flags) \
	do { (void)(flags); local_irq_enable(); } while (0)
#define local_bh_disable()	preempt_disable()
#define local_bh_enable()	preempt_enable()

int shim_rcu_read_depth(void);

/* WARN (once per site and test) when sleeping is not allowed here. */
#define might_sleep() \
	WARN_ONCE(in_atomic() || irqs_disabled() || shim_rcu_read_depth(), \
		  "sleeping function called from invalid context")
#define might_sleep_if(cond)	do { if (cond) might_sleep(); } while (0)
#define cant_sleep()		do { } while (0)
#define might_resched()		do { } while (0)
#define cond_resched()		({ might_sleep(); 0; })

#endif /* _SHIM_LINUX_PREEMPT_H */
