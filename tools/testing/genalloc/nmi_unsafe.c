// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/genalloc.c built a second time as for an architecture without
 * NMI-safe cmpxchg (CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG unset), where
 * upstream BUG()s on allocation and free from NMI.  Ours must WARN and
 * fail.  Every global of genalloc.c is renamed so both copies link into
 * one test binary.
 */
#undef CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG

#define devm_gen_pool_create		nu_devm_gen_pool_create
#define gen_pool_add_owner		nu_gen_pool_add_owner
#define gen_pool_alloc_algo_owner	nu_gen_pool_alloc_algo_owner
#define gen_pool_avail			nu_gen_pool_avail
#define gen_pool_best_fit		nu_gen_pool_best_fit
#define gen_pool_create			nu_gen_pool_create
#define gen_pool_destroy		nu_gen_pool_destroy
#define gen_pool_dma_alloc		nu_gen_pool_dma_alloc
#define gen_pool_dma_alloc_algo		nu_gen_pool_dma_alloc_algo
#define gen_pool_dma_alloc_align	nu_gen_pool_dma_alloc_align
#define gen_pool_dma_zalloc		nu_gen_pool_dma_zalloc
#define gen_pool_dma_zalloc_algo	nu_gen_pool_dma_zalloc_algo
#define gen_pool_dma_zalloc_align	nu_gen_pool_dma_zalloc_align
#define gen_pool_first_fit		nu_gen_pool_first_fit
#define gen_pool_first_fit_align	nu_gen_pool_first_fit_align
#define gen_pool_first_fit_order_align	nu_gen_pool_first_fit_order_align
#define gen_pool_fixed_alloc		nu_gen_pool_fixed_alloc
#define gen_pool_for_each_chunk		nu_gen_pool_for_each_chunk
#define gen_pool_free_owner		nu_gen_pool_free_owner
#define gen_pool_get			nu_gen_pool_get
#define gen_pool_has_addr		nu_gen_pool_has_addr
#define gen_pool_set_algo		nu_gen_pool_set_algo
#define gen_pool_size			nu_gen_pool_size
#define gen_pool_validate		nu_gen_pool_validate
#define gen_pool_virt_to_phys		nu_gen_pool_virt_to_phys
#define of_gen_pool_get			nu_of_gen_pool_get

#ifndef GENALLOC_UPSTREAM
#include "../../../lib/genalloc.c"
#endif

#include "harness.h"

/* Allocation and free from NMI fail with a WARN; elsewhere they work. */
TEST(nmi_without_nmi_safe_cmpxchg)
{
#ifndef GENALLOC_UPSTREAM
	struct gen_pool *pool = gen_pool_create(3, NUMA_NO_NODE);
	void *owner = &owner;
	unsigned long a;

	REQUIRE(pool);
	REQUIRE(gen_pool_add_owner(pool, 0x1000, 0, 64, NUMA_NO_NODE,
				   pool) == 0);
	a = gen_pool_alloc(pool, 8);
	EXPECT_EQ(a, 0x1000);
	nmi_enter();
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_owner(pool, 8, &owner), 0));
	EXPECT(!owner);
	EXPECT_WARNS(1, EXPECT(!gen_pool_dma_alloc(pool, 8, NULL)));
	EXPECT_WARNS(1, gen_pool_free(pool, a, 8));
	/* the lock-free readers stay usable */
	EXPECT(gen_pool_has_addr(pool, a, 8));
	EXPECT_EQ(gen_pool_avail(pool), 56);
	nmi_exit();
	EXPECT_EQ(gen_pool_validate(pool), 0);
	gen_pool_free(pool, a, 8);
	EXPECT_EQ(gen_pool_avail(pool), 64);
	gen_pool_destroy(pool);
#endif
}
