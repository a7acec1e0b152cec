/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmalloc()/vmalloc() and friends on top of malloc(), with leak counting
 * and fault injection (see the shim_alloc_*() interface below).
 *
 * Every block carries a small header recording its kind (kmalloc or
 * vmalloc) and caller; freeing with the wrong family, or freeing a
 * pointer this shim did not hand out, aborts.  Blocks a test deliberately
 * leaks stay reachable from the shim's list, so LeakSanitizer stays quiet
 * and the harness does its own accounting with shim_nr_allocated.
 */
#ifndef _SHIM_LINUX_SLAB_H
#define _SHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/numa.h>
#include <linux/overflow.h>

enum shim_alloc_kind {
	SHIM_KMALLOC = 1,
	SHIM_VMALLOC = 2,
	SHIM_ANY = 3,		/* kvfree() */
};

void *shim_alloc(size_t size, gfp_t gfp, enum shim_alloc_kind kind,
		 const char *func, int line);
void shim_free(const void *p, enum shim_alloc_kind kind, const char *func,
	       int line);
bool shim_is_rodata(const void *p);

/* Test-facing interface. */
extern long shim_nr_allocated;		/* live blocks */
extern unsigned long shim_nr_alloc_calls;	/* attempts, failed ones too */
extern unsigned long shim_nr_alloc_injected;	/* failures injected */
/* Make the @nth allocation from now (1 = the next one) fail; 0 disarms. */
void shim_alloc_fail_nth(unsigned long nth);
/* Make every allocation fail (true) or none (false). */
void shim_alloc_fail_all(bool fail);
/* Print the live blocks and where they were allocated. */
void shim_alloc_dump(void);

#define kmalloc(size, gfp) \
	shim_alloc(size, gfp, SHIM_KMALLOC, __func__, __LINE__)
#define kzalloc(size, gfp)		kmalloc(size, (gfp) | __GFP_ZERO)
#define kmalloc_node(size, gfp, node)	((void)(node), kmalloc(size, gfp))
#define kzalloc_node(size, gfp, node)	((void)(node), kzalloc(size, gfp))
#define kmalloc_array(n, size, gfp)	kmalloc(size_mul(n, size), gfp)
#define kcalloc(n, size, gfp)		kzalloc(size_mul(n, size), gfp)
#define kmalloc_array_node(n, size, gfp, node) \
	((void)(node), kmalloc_array(n, size, gfp))
#define kcalloc_node(n, size, gfp, node) ((void)(node), kcalloc(n, size, gfp))
#define kfree(p)		shim_free(p, SHIM_KMALLOC, __func__, __LINE__)
#define kfree_sensitive(p)	kfree(p)

#define vmalloc(size)		\
	shim_alloc(size, GFP_KERNEL, SHIM_VMALLOC, __func__, __LINE__)
#define vzalloc(size)		\
	shim_alloc(size, GFP_KERNEL | __GFP_ZERO, SHIM_VMALLOC, __func__, \
		   __LINE__)
#define vmalloc_node(size, node)	((void)(node), vmalloc(size))
#define vzalloc_node(size, node)	((void)(node), vzalloc(size))
#define vmalloc_array(n, size)		vmalloc(size_mul(n, size))
#define vcalloc(n, size)		vzalloc(size_mul(n, size))
#define vfree(p)		shim_free(p, SHIM_VMALLOC, __func__, __LINE__)

#define kvmalloc(size, gfp)	\
	shim_alloc(size, gfp, SHIM_VMALLOC, __func__, __LINE__)
#define kvzalloc(size, gfp)		kvmalloc(size, (gfp) | __GFP_ZERO)
#define kvmalloc_node(size, gfp, node)	((void)(node), kvmalloc(size, gfp))
#define kvzalloc_node(size, gfp, node)	((void)(node), kvzalloc(size, gfp))
#define kvmalloc_array(n, size, gfp)	kvmalloc(size_mul(n, size), gfp)
#define kvcalloc(n, size, gfp)		kvzalloc(size_mul(n, size), gfp)
#define kvfree(p)		shim_free(p, SHIM_ANY, __func__, __LINE__)

#define kstrdup(s, gfp)		shim_kstrdup(s, gfp, __func__, __LINE__)
#define kstrdup_const(s, gfp)						\
	(shim_is_rodata(s) ? (const char *)(s) : kstrdup(s, gfp))
#define kfree_const(p)		do {					\
	const void *__kfc = (p);					\
	if (!shim_is_rodata(__kfc))					\
		kfree(__kfc);						\
} while (0)
#define kmemdup(p, size, gfp)	shim_kmemdup(p, size, gfp, __func__, __LINE__)

char *shim_kstrdup(const char *s, gfp_t gfp, const char *func, int line);
void *shim_kmemdup(const void *p, size_t size, gfp_t gfp, const char *func,
		   int line);

#endif /* _SHIM_LINUX_SLAB_H */
