// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the general-purpose allocator, lib/genalloc.c.
 *
 * genalloc           every API function and allocation strategy with the
 *                    placement upstream 6.12 produces, on multi-chunk pools,
 *                    plus a seeded comparison against a reference model
 * genalloc_devm      devm_gen_pool_create() and gen_pool_get()
 * genalloc_of        of_gen_pool_get() on a device-tree overlay
 * genalloc_stress    lock-free alloc/free from kthreads on several CPUs and
 *                    from a hard-IRQ hrtimer
 * genalloc_alloc_fail
 *                    each allocation of gen_pool_create(), gen_pool_add*()
 *                    and devm_gen_pool_create() failing in turn (through a
 *                    KUnit static stub): a clean failure, nothing left over
 * genalloc_bad_input caller mistakes: each one fails cleanly and leaves the
 *                    pool exactly as it was
 *
 * The random tests print their seed when the module starts; pass
 * genalloc_kunit_test.seed=<n> on the kernel command line (or as a module
 * parameter) to replay a run.
 */

#include <kunit/device.h>
#include <kunit/of.h>
#include <kunit/platform_device.h>
#include <kunit/resource.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>

#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/genalloc.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/of.h>
#include <linux/panic.h>
#include <linux/platform_device.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

static unsigned int seed;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "seed of the random tests (0: pick one and print it)");

KUNIT_DEFINE_ACTION_WRAPPER(gen_pool_destroy_action, gen_pool_destroy,
			    struct gen_pool *);
KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);

/* Number of whole granules, that is of usable bitmap bits, of @chunk. */
static unsigned long chunk_nbits(struct gen_pool *pool,
				 struct gen_pool_chunk *chunk)
{
	return (chunk->end_addr - chunk->start_addr + 1) >>
		pool->min_alloc_order;
}

static int destroy_later(struct kunit *test, struct gen_pool *pool)
{
	return kunit_add_action_or_reset(test, gen_pool_destroy_action, pool);
}

/* A pool that is destroyed when the test ends. */
static struct gen_pool *test_pool(struct kunit *test, int order)
{
	struct gen_pool *pool;

	pool = gen_pool_create(order, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, 0, destroy_later(test, pool));
	return pool;
}

static void test_add(struct kunit *test, struct gen_pool *pool,
		     unsigned long addr, size_t size)
{
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add(pool, addr, size, NUMA_NO_NODE));
}

/* vmalloc()ed memory that is freed when the test ends. */
static void *test_vmalloc(struct kunit *test, size_t size)
{
	void *mem = vmalloc(size);

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vfree_action,
							   mem));
	return mem;
}

/* Allocate with gen_pool_first_fit_align() and an alignment of @align. */
static unsigned long alloc_align(struct gen_pool *pool, size_t size, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_alloc_algo(pool, size, gen_pool_first_fit_align, &data);
}

/* Allocate with gen_pool_fixed_alloc() at @offset bytes into a chunk. */
static unsigned long alloc_fixed(struct gen_pool *pool, size_t size,
				 unsigned long offset)
{
	struct genpool_data_fixed data = { .offset = offset };

	return gen_pool_alloc_algo(pool, size, gen_pool_fixed_alloc, &data);
}

/*
 * Consistency of every chunk: its avail counter must equal its byte size
 * minus the granules set in its bitmap.  Collected without calling into
 * KUnit because gen_pool_for_each_chunk() runs under rcu_read_lock().
 */
struct chunk_census {
	unsigned int chunks;
	unsigned int inconsistent;
	unsigned long used_bits;
};

static void census_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			 void *data)
{
	struct chunk_census *c = data;
	unsigned long nbits = chunk_nbits(pool, chunk);
	unsigned long used = bitmap_weight(chunk->bits, nbits);
	unsigned long size = chunk->end_addr - chunk->start_addr + 1;

	c->chunks++;
	c->used_bits += used;
	if (atomic_long_read(&chunk->avail) !=
	    (long)(size - (used << pool->min_alloc_order)))
		c->inconsistent++;
}

static void expect_consistent(struct kunit *test, struct gen_pool *pool)
{
	struct chunk_census c = { };

	gen_pool_for_each_chunk(pool, census_chunk, &c);
	KUNIT_EXPECT_EQ(test, c.inconsistent, 0);
	KUNIT_EXPECT_EQ(test, gen_pool_validate(pool), 0);
}

/* Nothing allocated: avail == size, all bitmaps clear, counters agree. */
static void expect_idle(struct kunit *test, struct gen_pool *pool)
{
	struct chunk_census c = { };

	gen_pool_for_each_chunk(pool, census_chunk, &c);
	KUNIT_EXPECT_EQ(test, c.inconsistent, 0);
	KUNIT_EXPECT_EQ(test, c.used_bits, 0);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), gen_pool_size(pool));
	KUNIT_EXPECT_EQ(test, gen_pool_validate(pool), 0);
}

/* ---------------------------------------------------------------------
 * genalloc: API and placement
 */

/*
 * The first-fit walk-through of CONTRACT.md 2.7 on one 16-byte chunk at
 * 0x1000 with 1-byte granules: each allocation takes the lowest free run
 * that fits, and a freed hole is reused before higher space.
 */
static void genalloc_first_fit_example(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 0);

	test_add(test, pool, 0x1000, 16);
	KUNIT_EXPECT_TRUE(test, pool->algo == gen_pool_first_fit);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 3), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0x1003);
	gen_pool_free(pool, 0x1000, 3);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0x1005);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 10);
	expect_consistent(test, pool);

	gen_pool_free(pool, 0x1000, 2);
	gen_pool_free(pool, 0x1003, 2);
	gen_pool_free(pool, 0x1005, 2);
	expect_idle(test, pool);
}

/*
 * The exported strategies called directly on a bare bitmap, as in-tree
 * custom strategies and CONTRACT.md 2.0-2.5 describe them: success is the
 * chosen index, failure is a value >= size whose exact form differs by
 * strategy (candidate + nr for the first-fit family, size for best fit and
 * fixed allocation).
 */
static void genalloc_algo_direct(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 0);
	struct genpool_data_align align = { .align = 4 };
	struct genpool_data_fixed fixed = { .offset = 6 };
	DECLARE_BITMAP(map, 16);

	bitmap_zero(map, 16);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit(map, 10, 0, 20, NULL, NULL,
						 0), 20);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit(map, 10, 5, 2, NULL, NULL,
						 0), 5);
	bitmap_set(map, 0, 10);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit(map, 10, 0, 3, NULL, NULL,
						 0), 13);

	/* free runs [0,4) and [8,10) of 16 */
	bitmap_fill(map, 16);
	bitmap_clear(map, 0, 4);
	bitmap_clear(map, 8, 2);
	KUNIT_EXPECT_EQ(test, gen_pool_best_fit(map, 16, 0, 2, NULL, pool,
						0x1000), 8);
	KUNIT_EXPECT_EQ(test, gen_pool_best_fit(map, 16, 0, 4, NULL, pool,
						0x1000), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_best_fit(map, 16, 0, 5, NULL, pool,
						0x1000), 16);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit(map, 16, 0, 2, NULL, NULL,
						 0x1000), 0);

	/* equal runs [0,4) and [8,12): the lower one wins */
	bitmap_fill(map, 16);
	bitmap_clear(map, 0, 4);
	bitmap_clear(map, 8, 4);
	KUNIT_EXPECT_EQ(test, gen_pool_best_fit(map, 16, 0, 3, NULL, pool,
						0x1000), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_best_fit(map, 16, 2, 3, NULL, pool,
						0x1000), 8);

	/* order_align: 3 granules go to a multiple of 4, 1 anywhere */
	bitmap_zero(map, 16);
	bitmap_set(map, 0, 5);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit_order_align(map, 16, 0, 3,
							     NULL, NULL, 0),
			8);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit_order_align(map, 16, 0, 1,
							     NULL, NULL, 0),
			5);
	KUNIT_EXPECT_GE(test, gen_pool_first_fit_order_align(map, 16, 0, 16,
							     NULL, NULL, 0),
			16);

	/* first_fit_align: absolute alignment of start_addr + index */
	bitmap_zero(map, 16);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit_align(map, 16, 0, 1, &align,
						       pool, 0x1002), 2);
	KUNIT_EXPECT_EQ(test, gen_pool_first_fit_align(map, 16, 0, 1, &align,
						       pool, 0x1000), 0);
	KUNIT_EXPECT_GE(test, gen_pool_first_fit_align(map, 16, 0, 16, &align,
						       pool, 0x1002), 16);

	/* fixed: exactly at the offset, or exactly size */
	KUNIT_EXPECT_EQ(test, gen_pool_fixed_alloc(map, 16, 0, 4, &fixed, pool,
						   0x1000), 6);
	bitmap_set(map, 9, 1);
	KUNIT_EXPECT_EQ(test, gen_pool_fixed_alloc(map, 16, 0, 4, &fixed, pool,
						   0x1000), 16);
	fixed.offset = 14;
	KUNIT_EXPECT_EQ(test, gen_pool_fixed_alloc(map, 16, 0, 4, &fixed, pool,
						   0x1000), 16);
}

/*
 * Best fit through the pool (CONTRACT.md 2.4 and 2.7): the shortest free
 * run that fits wins, ties go to the lower address, and the choice is made
 * inside the first (newest) chunk that can satisfy the request, not over
 * the whole pool.
 */
static void genalloc_best_fit(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 0);
	struct gen_pool *multi = test_pool(test, 0);

	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	test_add(test, pool, 0x1000, 16);

	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 16), 0x1000);
	gen_pool_free(pool, 0x1000, 4);
	gen_pool_free(pool, 0x1008, 2);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0x1008);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 0);
	/* boundaries are not remembered: one free covers all of them */
	gen_pool_free(pool, 0x1000, 16);
	expect_idle(test, pool);

	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 16), 0x1000);
	gen_pool_free(pool, 0x1000, 4);
	gen_pool_free(pool, 0x1008, 4);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 3), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 5), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 1), 0x1003);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), 0x1008);
	gen_pool_free(pool, 0x1000, 16);
	expect_idle(test, pool);

	/* per chunk: B (newest) fits with a long run, A would fit exactly */
	test_add(test, multi, 0x1000, 16);
	test_add(test, multi, 0x2000, 16);
	gen_pool_set_algo(multi, gen_pool_best_fit, NULL);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(multi, 16), 0x2000);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(multi, 16), 0x1000);
	gen_pool_free(multi, 0x1004, 2);
	gen_pool_free(multi, 0x2004, 8);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(multi, 2), 0x2004);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(multi, 7), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(multi, 6), 0x2006);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(multi, 2), 0x1004);
	gen_pool_free(multi, 0x1000, 16);
	gen_pool_free(multi, 0x2000, 16);
	expect_idle(test, multi);
}

/*
 * A best-fit pool of one-byte granules with one chunk of @size bytes at
 * @base, allocated whole.
 */
static struct gen_pool *best_fit_taken(struct kunit *test,
				       unsigned long base, size_t size)
{
	struct gen_pool *pool = test_pool(test, 0);

	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	test_add(test, pool, base, size);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, size), base);
	return pool;
}

/*
 * Best fit past the lengths the index tells apart (on 64-bit its length
 * masks have a bit for each length up to 30 granules and one for all
 * longer runs): with no run of 5-30 granules free, the first of the
 * shortest longer runs wins, including runs across a leaf boundary (2048)
 * and a boundary between inner nodes (4096), and requests of 31 granules
 * or more pick among the long runs the same way.
 */
static void genalloc_best_fit_long_runs(struct kunit *test)
{
	const unsigned long base = 0x100000;
	struct gen_pool *pool = best_fit_taken(test, base, 8192);
	static const unsigned long busy[][2] = {
		{ 0, 101 }, { 102, 2071 }, { 2075, 3010 }, { 3033, 4119 },
		{ 4123, 7000 }, { 7004, 8192 },
	};
	unsigned int i;

	gen_pool_free(pool, base + 100, 2);
	gen_pool_free(pool, base + 1000, 40);
	gen_pool_free(pool, base + 2040, 35);
	gen_pool_free(pool, base + 3000, 33);
	gen_pool_free(pool, base + 4090, 33);
	gen_pool_free(pool, base + 7000, 4);

	/* 33 granules twice: the first wins */
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 5), base + 3000);
	/* the 28 left over is now the shortest */
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 5), base + 3005);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 29), base + 4090);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 31), base + 2040);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 36), base + 1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 24), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), base + 1036);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 1), base + 100);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 1 + 4 + 23 + 4 + 4);

	for (i = 0; i < ARRAY_SIZE(busy); i++)
		gen_pool_free(pool, base + busy[i][0], busy[i][1] - busy[i][0]);
	expect_idle(test, pool);
}

/*
 * Best fit again and again through the long runs: requests of 30 granules
 * with no run of 30 free, so that each takes the first of the shortest
 * runs of 31 or more, while frees, a fixed and a first-fit allocation
 * leave new long runs of the same length or shorter, before and after the
 * one the last request left.
 */
static void genalloc_best_fit_long_run_kept(struct kunit *test)
{
	const unsigned long base = 0x100000;
	struct gen_pool *pool = best_fit_taken(test, base, 8192);

	gen_pool_free(pool, base + 1000, 200);
	gen_pool_free(pool, base + 3000, 100);
	gen_pool_free(pool, base + 5000, 400);

	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 3000);
	/* shorter than the 70 left at 3030 */
	gen_pool_free(pool, base + 6000, 65);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 6000);
	/* as long as the 35 left at 6030, but after it */
	gen_pool_free(pool, base + 7000, 35);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 6030);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 7000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 3030);
	/* as long as the 40 left at 3060, and before it */
	gen_pool_free(pool, base + 2000, 40);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 2000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 3060);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 1000);
	/* 100 on either side, shorter than the 170 left at 1030 */
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 200, 5100), base + 5100);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 5000);
	/* first fit leaves 70 at 1130, before the 70 left at 5030 */
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_algo(pool, 100, gen_pool_first_fit,
						  NULL), base + 1030);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 1130);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 1160);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 30), base + 5030);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool),
			10 + 10 + 10 + 5 + 5 + 40 + 100);

	while (gen_pool_alloc(pool, 1))
		;
	gen_pool_free(pool, base, 8192);
	expect_idle(test, pool);
}

/*
 * gen_pool_first_fit_order_align (CONTRACT.md 2.3): n granules start at a
 * multiple of roundup_pow_of_two(n) granules counted from the chunk's first
 * byte, whatever the chunk's absolute alignment; the hole left by a
 * non-power-of-two request stays usable.
 */
static void genalloc_order_align(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 0);
	struct gen_pool *odd = test_pool(test, 0);
	struct gen_pool *big = test_pool(test, 3);

	gen_pool_set_algo(pool, gen_pool_first_fit_order_align, NULL);
	test_add(test, pool, 0x1000, 16);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 5), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 3), 0x1008);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 1), 0x1005);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), 0x100c);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0x1006);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 1), 0x100b);
	gen_pool_free(pool, 0x1000, 16);
	expect_idle(test, pool);

	/* alignment is relative to an odd chunk start */
	gen_pool_set_algo(odd, gen_pool_first_fit_order_align, NULL);
	test_add(test, odd, 0x3001, 16);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(odd, 3), 0x3001);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(odd, 2), 0x3005);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(odd, 8), 0x3009);
	gen_pool_free(odd, 0x3001, 3);
	gen_pool_free(odd, 0x3005, 2);
	gen_pool_free(odd, 0x3009, 8);
	expect_idle(test, odd);

	/* alignment comes from the granule count: 24 B = 3 granules -> 32 B */
	gen_pool_set_algo(big, gen_pool_first_fit_order_align, NULL);
	test_add(test, big, 0x10000, 512);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(big, 24), 0x10000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(big, 8), 0x10018);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(big, 60), 0x10040);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(big, 9), 0x10020);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(big), 512 - 32 - 64 - 16);
	gen_pool_free(big, 0x10000, 48);
	gen_pool_free(big, 0x10040, 64);
	expect_idle(test, big);
}

/*
 * gen_pool_first_fit_align (CONTRACT.md 2.2): the returned address is a
 * multiple of align in absolute terms, for chunks whose start is not
 * aligned; alignments below the granule add no constraint.  Also reached
 * through gen_pool_alloc_algo() with caller data.
 */
static void genalloc_first_fit_align(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 0);
	struct gen_pool *g16 = test_pool(test, 4);

	test_add(test, pool, 0x1002, 32);
	KUNIT_EXPECT_EQ(test, alloc_align(pool, 1, 4), 0x1004);
	KUNIT_EXPECT_EQ(test, alloc_align(pool, 3, 4), 0x1008);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 2), 0x1002);
	KUNIT_EXPECT_EQ(test, alloc_align(pool, 1, 16), 0x1010);
	gen_pool_free(pool, 0x1002, 3);
	gen_pool_free(pool, 0x1008, 3);
	gen_pool_free(pool, 0x1010, 1);
	expect_idle(test, pool);

	/* 16-byte granules, chunk aligned to 16 but not to 32 or 64 */
	test_add(test, g16, 0x10010, 0x400);
	KUNIT_EXPECT_EQ(test, alloc_align(g16, 16, 64), 0x10040);
	KUNIT_EXPECT_EQ(test, alloc_align(g16, 16, 16), 0x10010);
	KUNIT_EXPECT_EQ(test, alloc_align(g16, 16, 8), 0x10020);
	KUNIT_EXPECT_EQ(test, alloc_align(g16, 32, 32), 0x10060);
	KUNIT_EXPECT_EQ(test, alloc_align(g16, 1, 64), 0x10080);
	gen_pool_free(g16, 0x10010, 16);
	gen_pool_free(g16, 0x10020, 16);
	gen_pool_free(g16, 0x10040, 16);
	gen_pool_free(g16, 0x10060, 32);
	gen_pool_free(g16, 0x10080, 1);
	expect_idle(test, g16);
}

/*
 * gen_pool_fixed_alloc (CONTRACT.md 2.5): the offset is relative to each
 * chunk and is tried in every chunk, newest first; the allocation fails
 * when no chunk has that exact range free or the range leaves the chunk.
 */
static void genalloc_fixed_alloc(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 2);

	test_add(test, pool, 0x1000, 64);
	test_add(test, pool, 0x2000, 64);

	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 8, 8), 0x2008);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 8, 8), 0x1008);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 8, 8), 0);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 8, 4), 0);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 4, 4), 0x2004);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 8, 56), 0x2038);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 8, 60), 0);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 4, 60), 0x103c);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 64, 0), 0);
	KUNIT_EXPECT_EQ(test, alloc_fixed(pool, 4, 0), 0x2000);
	expect_consistent(test, pool);

	gen_pool_free(pool, 0x2000, 16);
	gen_pool_free(pool, 0x2038, 8);
	gen_pool_free(pool, 0x1008, 8);
	gen_pool_free(pool, 0x103c, 4);
	expect_idle(test, pool);
}

struct chunk_walk {
	unsigned int n;
	unsigned long start[4];
	unsigned long end[4];
	phys_addr_t phys[4];
	void *owner[4];
	struct gen_pool *pool;
	bool wrong_pool;
};

static void walk_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
		       void *data)
{
	struct chunk_walk *w = data;

	if (pool != w->pool)
		w->wrong_pool = true;
	if (w->n < ARRAY_SIZE(w->start)) {
		w->start[w->n] = chunk->start_addr;
		w->end[w->n] = chunk->end_addr;
		w->phys[w->n] = chunk->phys_addr;
		w->owner[w->n] = chunk->owner;
	}
	w->n++;
}

/*
 * Several chunks (CONTRACT.md 2.7, quirk 2): the newest chunk serves
 * requests until it cannot, gen_pool_for_each_chunk() visits newest first
 * with the chunk fields callers read, and no allocation or has_addr()
 * range spans two chunks even when they are contiguous.
 */
static void genalloc_multi_chunk(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 3);
	struct chunk_walk w = { .pool = pool };
	static int tok_a, tok_b;

	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_owner(pool, 0x1000, 0x8000, 64,
						    NUMA_NO_NODE, &tok_a));
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_owner(pool, 0x1040, 0x9000, 64,
						    NUMA_NO_NODE, &tok_b));
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 128);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 128);

	gen_pool_for_each_chunk(pool, walk_chunk, &w);
	KUNIT_EXPECT_FALSE(test, w.wrong_pool);
	KUNIT_ASSERT_EQ(test, w.n, 2);
	KUNIT_EXPECT_EQ(test, w.start[0], 0x1040);
	KUNIT_EXPECT_EQ(test, w.end[0], 0x107f);
	KUNIT_EXPECT_EQ(test, w.phys[0], 0x9000);
	KUNIT_EXPECT_PTR_EQ(test, w.owner[0], &tok_b);
	KUNIT_EXPECT_EQ(test, w.start[1], 0x1000);
	KUNIT_EXPECT_EQ(test, w.end[1], 0x103f);
	KUNIT_EXPECT_EQ(test, w.phys[1], 0x8000);
	KUNIT_EXPECT_PTR_EQ(test, w.owner[1], &tok_a);

	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 32), 0x1040);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 24), 0x1060);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 16), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0x1078);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0x1010);
	gen_pool_free(pool, 0x1000, 24);
	gen_pool_free(pool, 0x1040, 64);
	expect_idle(test, pool);

	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 65), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 128), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 64), 0x1040);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 64), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 1), 0);
	gen_pool_free(pool, 0x1000, 64);
	gen_pool_free(pool, 0x1040, 64);
	expect_idle(test, pool);

	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, 0x1000, 64));
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, 0x1040, 64));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x1000, 128));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x103f, 2));
}

/*
 * Chunk owners (gen_pool_add_owner and the *_owner calls): an allocation
 * reports the owner of the chunk it came from, a free reports the owner of
 * the chunk it returned to, and *owner is cleared on entry so it is NULL
 * after a failed or size-0 allocation.
 */
static void genalloc_owner(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 4);
	static int tok_a, tok_b;
	unsigned long addr;
	void *owner;

	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_owner(pool, 0x10000, 0x10000,
						    256, NUMA_NO_NODE, &tok_a));
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_owner(pool, 0x20000, 0x20000,
						    256, NUMA_NO_NODE, &tok_b));

	owner = test;
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_owner(pool, 256, &owner),
			0x20000);
	KUNIT_EXPECT_PTR_EQ(test, owner, &tok_b);
	owner = test;
	addr = gen_pool_alloc_algo_owner(pool, 100, gen_pool_best_fit, NULL,
					 &owner);
	KUNIT_EXPECT_EQ(test, addr, 0x10000);
	KUNIT_EXPECT_PTR_EQ(test, owner, &tok_a);

	owner = test;
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_owner(pool, 256, &owner), 0);
	KUNIT_EXPECT_NULL(test, owner);
	owner = test;
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_owner(pool, 0, &owner), 0);
	KUNIT_EXPECT_NULL(test, owner);

	owner = test;
	gen_pool_free_owner(pool, 0x20000, 256, &owner);
	KUNIT_EXPECT_PTR_EQ(test, owner, &tok_b);
	owner = NULL;
	gen_pool_free_owner(pool, 0x10000, 100, &owner);
	KUNIT_EXPECT_PTR_EQ(test, owner, &tok_a);
	expect_idle(test, pool);
}

#define VBUF_SIZE	4096
#define KBUF_SIZE	8192
#define VBUF_PHYS	0x7f000000

/*
 * virt_to_phys and the dma_* variants on real memory: a kmalloc()ed chunk
 * with its real physical address and a vmalloc()ed chunk with a made-up
 * one.  Each dma_* call returns the block's kernel address and its physical
 * address through *dma (left alone on failure); the zalloc variants clear
 * exactly the requested bytes and nothing of the rounding slack.
 */
static void genalloc_virt_to_phys_dma(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 4);
	u8 *vbuf = test_vmalloc(test, VBUF_SIZE);
	u8 *kbuf = kunit_kmalloc(test, KBUF_SIZE, GFP_KERNEL);
	unsigned long vb = (unsigned long)vbuf;
	unsigned long kb = (unsigned long)kbuf;
	dma_addr_t dma;
	u8 *p, *q, *z;

	KUNIT_ASSERT_NOT_NULL(test, kbuf);
	memset(vbuf, 0xa5, VBUF_SIZE);
	memset(kbuf, 0x5a, KBUF_SIZE);
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_virt(pool, (unsigned long)kbuf,
						   virt_to_phys(kbuf),
						   KBUF_SIZE, NUMA_NO_NODE));
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_virt(pool, vb, VBUF_PHYS,
						   VBUF_SIZE, NUMA_NO_NODE));

	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, (unsigned long)kbuf),
			virt_to_phys(kbuf));
	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, kb + 1000),
			virt_to_phys(kbuf) + 1000);
	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, vb + VBUF_SIZE - 1),
			VBUF_PHYS + VBUF_SIZE - 1);
	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, 16),
			(phys_addr_t)-1);

	p = gen_pool_dma_alloc(pool, 100, &dma);
	KUNIT_EXPECT_PTR_EQ(test, p, vbuf);
	KUNIT_EXPECT_EQ(test, dma, VBUF_PHYS);
	q = gen_pool_dma_alloc(pool, 100, NULL);
	KUNIT_EXPECT_PTR_EQ(test, q, vbuf + 112);

	dma = 0x1234;
	KUNIT_EXPECT_NULL(test, gen_pool_dma_alloc(pool, KBUF_SIZE + 1, &dma));
	KUNIT_EXPECT_EQ(test, dma, 0x1234);

	p = gen_pool_dma_alloc_align(pool, 32, &dma, 256);
	KUNIT_EXPECT_PTR_EQ(test, p, vbuf + 256);
	KUNIT_EXPECT_EQ(test, dma, VBUF_PHYS + 256);
	p = gen_pool_dma_alloc_algo(pool, 16, &dma, gen_pool_best_fit, NULL);
	KUNIT_EXPECT_PTR_EQ(test, p, vbuf + 224);
	KUNIT_EXPECT_EQ(test, dma, VBUF_PHYS + 224);

	/* 20 bytes take two granules; bytes 20..31 keep their old value */
	z = gen_pool_dma_zalloc(pool, 20, &dma);
	KUNIT_ASSERT_PTR_EQ(test, z, vbuf + 288);
	KUNIT_EXPECT_EQ(test, dma, VBUF_PHYS + 288);
	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, 20));
	KUNIT_EXPECT_NULL(test, memchr_inv(z + 20, 0xa5, 12));

	z = gen_pool_dma_zalloc_algo(pool, 5, &dma, gen_pool_first_fit, NULL);
	KUNIT_ASSERT_PTR_EQ(test, z, vbuf + 240);
	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, 5));
	KUNIT_EXPECT_NULL(test, memchr_inv(z + 5, 0xa5, 11));

	z = gen_pool_dma_zalloc_align(pool, 40, &dma, 128);
	KUNIT_ASSERT_PTR_EQ(test, z, vbuf + 384);
	KUNIT_EXPECT_EQ(test, dma, VBUF_PHYS + 384);
	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, 40));
	KUNIT_EXPECT_NULL(test, memchr_inv(z + 40, 0xa5, 8));
	KUNIT_EXPECT_NULL(test, memchr_inv(vbuf + 432, 0xa5,
					   VBUF_SIZE - 432));

	/* too big for the vmalloc chunk: the kmalloc chunk serves it */
	z = gen_pool_dma_zalloc(pool, 5000, &dma);
	KUNIT_ASSERT_PTR_EQ(test, z, kbuf);
	KUNIT_EXPECT_EQ(test, dma, virt_to_phys(kbuf));
	KUNIT_EXPECT_NULL(test, memchr_inv(z, 0, 5000));
	KUNIT_EXPECT_NULL(test, memchr_inv(z + 5000, 0x5a, KBUF_SIZE - 5000));
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, (unsigned long)z,
						  5000));

	gen_pool_free(pool, (unsigned long)kbuf, 5000);
	gen_pool_free(pool, vb, 320);
	gen_pool_free(pool, vb + 384, 48);
	expect_idle(test, pool);
}

/*
 * Sizes and lookups: gen_pool_size() sums the bytes added, gen_pool_avail()
 * counts the sub-granule tail that can never be allocated and the rounded
 * size of every allocation, and has_addr() accepts a range only when it
 * lies inside one chunk.
 */
static void genalloc_avail_size_has_addr(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 3);

	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0);

	/* 44 bytes = five 8-byte granules and a 4-byte tail */
	test_add(test, pool, 0x1000, 44);
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 44);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 44);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 41), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 33), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 4);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 1), 0);
	gen_pool_free(pool, 0x1000, 33);
	expect_idle(test, pool);

	test_add(test, pool, 0x2000, 100);
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 144);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 3), 0x2000);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 136);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 96), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 40), 0x2008);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 96);
	expect_consistent(test, pool);

	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, 0x1000, 44));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x1000, 45));
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, 0x102b, 1));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x102c, 1));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x0fff, 2));
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, 0x2000, 100));
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, 0x2063, 1));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x2063, 2));
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, 0x3000, 8));

	gen_pool_free(pool, 0x2000, 3);
	gen_pool_free(pool, 0x2008, 40);
	expect_idle(test, pool);
}

/*
 * Freeing does not need the allocation's boundaries (CONTRACT.md, free):
 * a block may be freed in pieces, several adjacent blocks in one call, and
 * an address inside a granule frees from that granule's start.
 */
static void genalloc_free_pieces(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 3);

	test_add(test, pool, 0x4000, 256);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 64), 0x4000);
	gen_pool_free(pool, 0x4000, 16);
	gen_pool_free(pool, 0x4020, 32);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 256 - 16);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 16), 0x4000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0x4020);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0x4028);
	gen_pool_free(pool, 0x4000, 32);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 256 - 16);
	gen_pool_free(pool, 0x4023, 13);
	expect_idle(test, pool);
}

/*
 * gen_pool_set_algo(): NULL selects first fit, the data pointer is kept by
 * reference (a later change of the pointed-to alignment takes effect), and
 * gen_pool_create() starts with first fit, no data and no name.
 */
static void genalloc_set_algo(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 2);
	struct genpool_data_align align = { .align = 64 };
	static int cookie;

	KUNIT_EXPECT_TRUE(test, pool->algo == gen_pool_first_fit);
	KUNIT_EXPECT_NULL(test, pool->data);
	KUNIT_EXPECT_NULL(test, pool->name);
	KUNIT_EXPECT_EQ(test, pool->min_alloc_order, 2);

	gen_pool_set_algo(pool, gen_pool_best_fit, &cookie);
	KUNIT_EXPECT_TRUE(test, pool->algo == gen_pool_best_fit);
	KUNIT_EXPECT_PTR_EQ(test, pool->data, &cookie);
	gen_pool_set_algo(pool, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, pool->algo == gen_pool_first_fit);
	KUNIT_EXPECT_NULL(test, pool->data);

	test_add(test, pool, 0x8004, 1024);
	gen_pool_set_algo(pool, gen_pool_first_fit_align, &align);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), 0x8040);
	align.align = 256;
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), 0x8100);
	gen_pool_set_algo(pool, NULL, NULL);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 4), 0x8004);
	gen_pool_free(pool, 0x8004, 4);
	gen_pool_free(pool, 0x8040, 4);
	gen_pool_free(pool, 0x8100, 4);
	expect_idle(test, pool);
}

/*
 * A chunk whose last byte is ULONG_MAX (its end_addr is inclusive, so it
 * does not wrap): it can be added, filled to the very last granule, looked
 * up and freed.
 */
static void genalloc_top_of_address_space(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 3);
	unsigned long base = ULONG_MAX - 255;
	unsigned long addr = 0;
	int i;

	KUNIT_ASSERT_EQ(test, 0, gen_pool_add_virt(pool, base, 0x1000, 256,
						   NUMA_NO_NODE));
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 256);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 256), base);
	gen_pool_free(pool, base, 256);
	expect_idle(test, pool);

	for (i = 0; i < 32; i++)
		addr = gen_pool_alloc(pool, 8);
	KUNIT_EXPECT_EQ(test, addr, ULONG_MAX - 7);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0);
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, ULONG_MAX - 7, 8));
	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, ULONG_MAX),
			0x1000 + 255);
	gen_pool_free(pool, ULONG_MAX - 7, 8);
	gen_pool_free(pool, base, 248);
	expect_idle(test, pool);
}

/*
 * A reference model for the random test: one bool per granule and the
 * placement rules of CONTRACT.md 2.1-2.5 written as plain loops.
 */
#define MODEL_CHUNKS	3
#define MODEL_MAX_BITS	300
#define MODEL_MAX_LIVE	48
#define MODEL_ROUNDS	6
#define MODEL_OPS	800

enum model_algo {
	MODEL_FIRST_FIT,
	MODEL_BEST_FIT,
	MODEL_ORDER_ALIGN,
	MODEL_ALIGN,
	MODEL_FIXED,
	MODEL_NR_ALGOS,
};

struct model_chunk {
	unsigned long start;
	unsigned long nbits;
	size_t size;
	size_t avail;
	bool used[MODEL_MAX_BITS];
};

struct model_block {
	unsigned long addr;
	size_t size;
};

struct model {
	struct gen_pool *pool;
	unsigned int round;
	unsigned int op;
	unsigned long max_bits;
	int order;
	unsigned int nr_chunks;
	struct model_chunk chunk[MODEL_CHUNKS];	/* in the order added */
	unsigned int nr_live;
	struct model_block live[MODEL_MAX_LIVE];
	unsigned int mismatched_chunks;
};

static bool model_free_run(struct model_chunk *c, unsigned long i,
			   unsigned long nr)
{
	unsigned long j;

	if (i + nr > c->nbits)
		return false;
	for (j = i; j < i + nr; j++)
		if (c->used[j])
			return false;
	return true;
}

/* Index chosen in chunk @c, or ULONG_MAX. */
static unsigned long model_search(struct model *m, struct model_chunk *c,
				  enum model_algo algo, unsigned long nr,
				  unsigned long arg)
{
	unsigned long i, j, step, best = ULONG_MAX, bestlen = ULONG_MAX;

	switch (algo) {
	case MODEL_FIRST_FIT:
	case MODEL_ORDER_ALIGN:
		step = algo == MODEL_ORDER_ALIGN ? roundup_pow_of_two(nr) : 1;
		for (i = 0; i + nr <= c->nbits; i += step)
			if (model_free_run(c, i, nr))
				return i;
		return ULONG_MAX;
	case MODEL_ALIGN:
		for (i = 0; i + nr <= c->nbits; i++)
			if (!((c->start + (i << m->order)) & (arg - 1)) &&
			    model_free_run(c, i, nr))
				return i;
		return ULONG_MAX;
	case MODEL_FIXED:
		i = arg >> m->order;
		return model_free_run(c, i, nr) ? i : ULONG_MAX;
	case MODEL_BEST_FIT:
		for (i = 0; i < c->nbits; i = j) {
			if (c->used[i]) {
				j = i + 1;
				continue;
			}
			for (j = i; j < c->nbits && !c->used[j]; j++)
				;
			if (j - i >= nr && j - i < bestlen) {
				best = i;
				bestlen = j - i;
			}
		}
		return best;
	default:
		return ULONG_MAX;
	}
}

static unsigned long model_alloc(struct model *m, enum model_algo algo,
				 size_t size, unsigned long arg)
{
	unsigned long nr = DIV_ROUND_UP(size, 1UL << m->order);
	unsigned long i, j;
	int k;

	for (k = m->nr_chunks - 1; k >= 0; k--) {
		struct model_chunk *c = &m->chunk[k];

		if (size > c->avail)
			continue;
		i = model_search(m, c, algo, nr, arg);
		if (i == ULONG_MAX)
			continue;
		for (j = i; j < i + nr; j++)
			c->used[j] = true;
		c->avail -= nr << m->order;
		return c->start + (i << m->order);
	}
	return 0;
}

static void model_free(struct model *m, unsigned long addr, size_t size)
{
	unsigned long nr = DIV_ROUND_UP(size, 1UL << m->order);
	unsigned long i, j;
	unsigned int k;

	for (k = 0; k < m->nr_chunks; k++) {
		struct model_chunk *c = &m->chunk[k];

		if (addr < c->start || addr >= c->start + c->size)
			continue;
		i = (addr - c->start) >> m->order;
		for (j = i; j < i + nr; j++)
			c->used[j] = false;
		c->avail += nr << m->order;
	}
}

static size_t model_avail(struct model *m)
{
	size_t avail = 0;
	unsigned int k;

	for (k = 0; k < m->nr_chunks; k++)
		avail += m->chunk[k].avail;
	return avail;
}

/* Compare each real chunk's bitmap and counter with the model's. */
static void model_compare_chunk(struct gen_pool *pool,
				struct gen_pool_chunk *chunk, void *data)
{
	struct model *m = data;
	unsigned long i;
	unsigned int k;

	for (k = 0; k < m->nr_chunks; k++) {
		struct model_chunk *c = &m->chunk[k];

		if (c->start != chunk->start_addr)
			continue;
		if (chunk_nbits(pool, chunk) != c->nbits ||
		    atomic_long_read(&chunk->avail) != (long)c->avail) {
			m->mismatched_chunks++;
			return;
		}
		for (i = 0; i < c->nbits; i++) {
			if (test_bit(i, chunk->bits) != c->used[i]) {
				m->mismatched_chunks++;
				return;
			}
		}
		return;
	}
	m->mismatched_chunks++;
}

static genpool_algo_t model_algo_fn(enum model_algo algo)
{
	switch (algo) {
	case MODEL_BEST_FIT:
		return gen_pool_best_fit;
	case MODEL_ORDER_ALIGN:
		return gen_pool_first_fit_order_align;
	case MODEL_ALIGN:
		return gen_pool_first_fit_align;
	case MODEL_FIXED:
		return gen_pool_fixed_alloc;
	default:
		return gen_pool_first_fit;
	}
}

/* One round: a fresh pool of random shape and MODEL_OPS random operations. */
/* Free a random live block, sometimes in two pieces at a granule boundary. */
static void model_op_free(struct model *m, u32 r)
{
	struct model_block *b = &m->live[(r >> 8) % m->nr_live];
	unsigned long g = 1UL << m->order;
	unsigned long nr = DIV_ROUND_UP(b->size, g);
	unsigned long part = 0;

	if (nr > 1 && (r & 0x80))
		part = 1 + (r >> 16) % (nr - 1);
	if (part) {
		gen_pool_free(m->pool, b->addr, part * g);
		gen_pool_free(m->pool, b->addr + part * g, b->size - part * g);
	} else {
		gen_pool_free(m->pool, b->addr, b->size);
	}
	model_free(m, b->addr, b->size);
	*b = m->live[--m->nr_live];
}

/* Allocate with a random strategy; false if the pool and model disagree. */
static bool model_op_alloc(struct kunit *test, struct model *m,
			   struct rnd_state *rnd, u32 r)
{
	enum model_algo algo = (r >> 4) % MODEL_NR_ALGOS;
	unsigned long g = 1UL << m->order;
	struct genpool_data_align align;
	struct genpool_data_fixed fixed;
	unsigned long want, got, arg = 0;
	void *data = NULL;
	size_t size;

	if (r & 0x8000)
		size = 1 + (r >> 20) % (8 * g);
	else
		size = 1 + (r >> 16) % (m->max_bits * g + g);
	if (algo == MODEL_ALIGN) {
		align.align = 1 << ((r >> 12) % (m->order + 5));
		arg = align.align;
		data = &align;
	} else if (algo == MODEL_FIXED) {
		fixed.offset = prandom_u32_state(rnd) % (m->max_bits + 2) * g;
		arg = fixed.offset;
		data = &fixed;
	}

	want = model_alloc(m, algo, size, arg);
	got = gen_pool_alloc_algo(m->pool, size, model_algo_fn(algo), data);
	if (got != want) {
		KUNIT_FAIL(test, "round %u op %u: algo %d size %zu arg %lu",
			   m->round, m->op, algo, size, arg);
		KUNIT_FAIL(test, "got %#lx, the model says %#lx (seed %u)",
			   got, want, seed);
		if (got)
			gen_pool_free(m->pool, got, size);
		if (want)
			model_free(m, want, size);
		return false;
	}
	if (got) {
		m->live[m->nr_live].addr = got;
		m->live[m->nr_live].size = size;
		m->nr_live++;
	}
	return true;
}

/* One round: a fresh pool of random shape and MODEL_OPS random operations. */
static void model_round(struct kunit *test, struct model *m,
			struct rnd_state *rnd, unsigned int round)
{
	unsigned long g;
	unsigned int k;
	u32 r;

	memset(m, 0, sizeof(*m));
	m->round = round;
	m->order = prandom_u32_state(rnd) % 6;
	g = 1UL << m->order;
	m->nr_chunks = 1 + prandom_u32_state(rnd) % MODEL_CHUNKS;
	m->pool = test_pool(test, m->order);

	for (k = 0; k < m->nr_chunks; k++) {
		struct model_chunk *c = &m->chunk[k];

		c->nbits = 1 + prandom_u32_state(rnd) % MODEL_MAX_BITS;
		c->size = c->nbits * g + prandom_u32_state(rnd) % g;
		c->start = ((unsigned long)(k + 1) << 24) +
			   (prandom_u32_state(rnd) % 4096) * g;
		c->avail = c->size;
		m->max_bits = max(m->max_bits, c->nbits);
		test_add(test, m->pool, c->start, c->size);
	}

	for (m->op = 0; m->op < MODEL_OPS; m->op++) {
		r = prandom_u32_state(rnd);
		if (m->nr_live && (m->nr_live == MODEL_MAX_LIVE || r % 5 < 2))
			model_op_free(m, r);
		else if (!model_op_alloc(test, m, rnd, r))
			break;

		if (gen_pool_avail(m->pool) != model_avail(m)) {
			KUNIT_FAIL(test, "round %u op %u: avail %zu, model %zu",
				   round, m->op, gen_pool_avail(m->pool),
				   model_avail(m));
			break;
		}
		gen_pool_for_each_chunk(m->pool, model_compare_chunk, m);
		if (m->mismatched_chunks) {
			KUNIT_FAIL(test, "round %u op %u: bitmaps differ",
				   round, m->op);
			break;
		}
	}

	while (m->nr_live) {
		struct model_block *b = &m->live[--m->nr_live];

		gen_pool_free(m->pool, b->addr, b->size);
	}
	expect_idle(test, m->pool);
}

/*
 * Random operation sequences on random pool shapes (granule 1..32 bytes,
 * 1..3 chunks with sub-granule tails), each allocation made with a random
 * strategy and compared with the reference model: same address or same
 * failure, same avail, same bitmap after every step.  Frees sometimes split
 * a block in two.  The seed is printed at suite start.
 */
static void genalloc_random_vs_model(struct kunit *test)
{
	struct model *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int round;

	KUNIT_ASSERT_NOT_NULL(test, m);
	prandom_seed_state(&rnd, seed);
	for (round = 0; round < MODEL_ROUNDS; round++)
		model_round(test, m, &rnd, round);
}

static int genalloc_suite_init(struct kunit_suite *suite)
{
	if (!seed)
		seed = get_random_u32() ?: 1;
	kunit_info(suite,
		   "random seed %u; replay with genalloc_kunit_test.seed=%u\n",
		   seed, seed);
	return 0;
}

static struct kunit_case genalloc_cases[] = {
	KUNIT_CASE(genalloc_first_fit_example),
	KUNIT_CASE(genalloc_algo_direct),
	KUNIT_CASE(genalloc_best_fit),
	KUNIT_CASE(genalloc_best_fit_long_runs),
	KUNIT_CASE(genalloc_best_fit_long_run_kept),
	KUNIT_CASE(genalloc_order_align),
	KUNIT_CASE(genalloc_first_fit_align),
	KUNIT_CASE(genalloc_fixed_alloc),
	KUNIT_CASE(genalloc_multi_chunk),
	KUNIT_CASE(genalloc_owner),
	KUNIT_CASE(genalloc_virt_to_phys_dma),
	KUNIT_CASE(genalloc_avail_size_has_addr),
	KUNIT_CASE(genalloc_free_pieces),
	KUNIT_CASE(genalloc_set_algo),
	KUNIT_CASE(genalloc_top_of_address_space),
	KUNIT_CASE(genalloc_random_vs_model),
	{}
};

static struct kunit_suite genalloc_suite = {
	.name = "genalloc",
	.suite_init = genalloc_suite_init,
	.test_cases = genalloc_cases,
};

/* ---------------------------------------------------------------------
 * genalloc_devm: pools managed by a device
 */

static struct device *devm_test_device(struct kunit *test, const char *name)
{
	struct device *dev = kunit_device_register(test, name);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	return dev;
}

static struct gen_pool *devm_test_pool(struct kunit *test, struct device *dev,
				       int order, const char *name)
{
	struct gen_pool *pool;

	pool = devm_gen_pool_create(dev, order, NUMA_NO_NODE, name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	return pool;
}

/*
 * One unnamed and several named pools on one device: each is found by
 * gen_pool_get() under its own name (NULL for the unnamed one), unknown
 * names give NULL, and each pool works on its own.
 */
static void genalloc_devm_named_pools(struct kunit *test)
{
	struct device *dev = devm_test_device(test, "genalloc-devm-named");
	struct gen_pool *unnamed, *a, *b;

	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, NULL));
	unnamed = devm_test_pool(test, dev, 4, NULL);
	a = devm_test_pool(test, dev, 5, "sram-a");
	b = devm_test_pool(test, dev, 6, "sram-b");
	KUNIT_EXPECT_PTR_NE(test, unnamed, a);
	KUNIT_EXPECT_PTR_NE(test, a, b);

	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, NULL), unnamed);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, "sram-a"), a);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, "sram-b"), b);
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, "sram-c"));
	KUNIT_EXPECT_NULL(test, unnamed->name);
	KUNIT_EXPECT_STREQ(test, a->name, "sram-a");
	KUNIT_EXPECT_STREQ(test, b->name, "sram-b");
	KUNIT_EXPECT_EQ(test, unnamed->min_alloc_order, 4);
	KUNIT_EXPECT_EQ(test, a->min_alloc_order, 5);
	KUNIT_EXPECT_EQ(test, b->min_alloc_order, 6);

	test_add(test, unnamed, 0x1000, 256);
	test_add(test, a, 0x2000, 256);
	test_add(test, b, 0x3000, 256);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(unnamed, 1), 0x1000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(a, 1), 0x2000);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(b, 1), 0x3000);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(unnamed), 256 - 16);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(a), 256 - 32);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(b), 256 - 64);
	gen_pool_free(unnamed, 0x1000, 1);
	gen_pool_free(a, 0x2000, 1);
	gen_pool_free(b, 0x3000, 1);
	expect_idle(test, unnamed);
	expect_idle(test, a);
	expect_idle(test, b);
}

/*
 * A second pool under a name already used on the device, or a second
 * unnamed pool, is refused with ERR_PTR(-EINVAL) and the existing pool
 * stays registered; the same name on another device is fine.
 */
static void genalloc_devm_duplicate(struct kunit *test)
{
	struct device *dev = devm_test_device(test, "genalloc-devm-dup");
	struct device *other = devm_test_device(test, "genalloc-devm-other");
	struct gen_pool *named, *unnamed, *again;

	named = devm_test_pool(test, dev, 3, "dup");
	unnamed = devm_test_pool(test, dev, 3, NULL);

	again = devm_gen_pool_create(dev, 3, NUMA_NO_NODE, "dup");
	KUNIT_EXPECT_TRUE(test, IS_ERR(again));
	KUNIT_EXPECT_EQ(test, PTR_ERR(again), -EINVAL);
	again = devm_gen_pool_create(dev, 5, NUMA_NO_NODE, NULL);
	KUNIT_EXPECT_TRUE(test, IS_ERR(again));
	KUNIT_EXPECT_EQ(test, PTR_ERR(again), -EINVAL);

	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, "dup"), named);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, NULL), unnamed);

	again = devm_test_pool(test, other, 3, "dup");
	KUNIT_EXPECT_PTR_NE(test, again, named);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(other, "dup"), again);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, "dup"), named);
	KUNIT_EXPECT_NULL(test, gen_pool_get(other, NULL));
}

/*
 * Names match by content, not by pointer, and the pool keeps its own copy
 * of the name; a NULL name matches only the unnamed pool; a prefix or an
 * extension of a name does not match; pools from gen_pool_create() are not
 * visible through gen_pool_get().
 */
static void genalloc_devm_name_matching(struct kunit *test)
{
	struct device *dev = devm_test_device(test, "genalloc-devm-names");
	char same[] = "dyn-name";
	struct gen_pool *pool;
	char *name;

	name = kstrdup("dyn-name", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	pool = devm_gen_pool_create(dev, 3, NUMA_NO_NODE, name);
	memset(name, 'x', strlen(name));
	kfree(name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);

	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, same), pool);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, "dyn-name"), pool);
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, "dyn"));
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, "dyn-name2"));
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, ""));
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, NULL));

	test_pool(test, 3);
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, NULL));
	pool = devm_test_pool(test, dev, 3, NULL);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, NULL), pool);
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, "xxxxxxxx"));
}

/*
 * Unregistering the device releases its pools: with a reference keeping
 * the struct device alive, gen_pool_get() no longer finds any of them.
 * (KASAN and the debug run catch a pool freed twice or touched after
 * release.)
 */
static void genalloc_devm_release(struct kunit *test)
{
	struct device *dev = devm_test_device(test, "genalloc-devm-release");
	struct gen_pool *unnamed, *named;

	unnamed = devm_test_pool(test, dev, 3, NULL);
	named = devm_test_pool(test, dev, 3, "named");
	test_add(test, unnamed, 0x1000, 128);
	test_add(test, named, 0x2000, 128);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(named, 64), 0x2000);
	gen_pool_free(named, 0x2000, 64);

	get_device(dev);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, NULL));
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, "named"));
	put_device(dev);
}

static struct kunit_case genalloc_devm_cases[] = {
	KUNIT_CASE(genalloc_devm_named_pools),
	KUNIT_CASE(genalloc_devm_duplicate),
	KUNIT_CASE(genalloc_devm_name_matching),
	KUNIT_CASE(genalloc_devm_release),
	{}
};

static struct kunit_suite genalloc_devm_suite = {
	.name = "genalloc_devm",
	.test_cases = genalloc_devm_cases,
};

/* ---------------------------------------------------------------------
 * genalloc_of: of_gen_pool_get() through a device-tree overlay
 *
 * genalloc_kunit.dtso adds a provider node shaped like an "mmio-sram" node
 * (a window with partition children) and a consumer node with phandle
 * properties pointing at it.  A test platform driver binds to the provider
 * and creates pools the way drivers/misc/sram.c does: one unnamed pool for
 * the whole window and one named pool per child with a "pool" property,
 * named by its "label" or else by its node name.
 */

#define OF_POOL_BASE	0x40000
#define OF_POOL_SIZE	0x1000

struct genalloc_of_ctx {
	struct platform_driver pdrv;
	struct completion probed;
	struct device *dev;
	int probe_err;
};

static int genalloc_of_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct platform_driver *pdrv = to_platform_driver(dev->driver);
	struct genalloc_of_ctx *ctx;
	struct gen_pool *pool;
	int ret;

	ctx = container_of(pdrv, struct genalloc_of_ctx, pdrv);
	pool = devm_gen_pool_create(dev, 4, NUMA_NO_NODE, NULL);
	ret = PTR_ERR_OR_ZERO(pool);
	if (!ret)
		ret = gen_pool_add(pool, OF_POOL_BASE, OF_POOL_SIZE,
				   NUMA_NO_NODE);

	for_each_available_child_of_node_scoped(dev->of_node, child) {
		const char *label;
		u32 reg[2];

		if (ret)
			break;
		if (!of_property_read_bool(child, "pool"))
			continue;
		if (of_property_read_string(child, "label", &label))
			label = of_node_full_name(child);
		ret = of_property_read_u32_array(child, "reg", reg, 2);
		if (ret)
			break;
		pool = devm_gen_pool_create(dev, 4, NUMA_NO_NODE, label);
		ret = PTR_ERR_OR_ZERO(pool);
		if (!ret)
			ret = gen_pool_add(pool, OF_POOL_BASE + reg[0], reg[1],
					   NUMA_NO_NODE);
	}

	ctx->dev = dev;
	ctx->probe_err = ret;
	complete(&ctx->probed);
	return ret;
}

static int genalloc_of_init(struct kunit *test)
{
	static const struct of_device_id match[] = {
		{ .compatible = "test,genalloc-kunit-sram" },
		{ }
	};
	struct genalloc_of_ctx *ctx;

	KUNIT_ASSERT_EQ(test, 0, of_overlay_apply_kunit(test, genalloc_kunit));

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&ctx->probed);
	ctx->pdrv.probe = genalloc_of_probe;
	ctx->pdrv.driver.name = "genalloc-kunit-sram";
	ctx->pdrv.driver.of_match_table = match;
	ctx->pdrv.driver.owner = THIS_MODULE;
	test->priv = ctx;

	KUNIT_ASSERT_EQ(test, 0, kunit_platform_driver_register(test,
								&ctx->pdrv));
	KUNIT_ASSERT_NE(test, 0, wait_for_completion_timeout(&ctx->probed,
							     10 * HZ));
	KUNIT_ASSERT_EQ(test, ctx->probe_err, 0);
	return 0;
}

static struct device_node *of_consumer(struct kunit *test)
{
	struct device_node *np;

	np = of_find_node_by_path("/genalloc-kunit-consumer");
	KUNIT_ASSERT_NOT_NULL(test, np);
	of_node_put_kunit(test, np);
	return np;
}

/*
 * A phandle to the provider node itself gives the device's unnamed pool,
 * which covers the whole window.
 */
static void genalloc_of_pool_device(struct kunit *test)
{
	struct genalloc_of_ctx *ctx = test->priv;
	struct gen_pool *pool;

	pool = of_gen_pool_get(of_consumer(test), "sram", 0);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_PTR_EQ(test, pool, gen_pool_get(ctx->dev, NULL));
	KUNIT_EXPECT_NULL(test, pool->name);
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), OF_POOL_SIZE);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 16), OF_POOL_BASE);
	gen_pool_free(pool, OF_POOL_BASE, 16);
}

/*
 * A phandle (index 1) to a partition child with a "label" property gives
 * the provider's pool named by that label.
 */
static void genalloc_of_partition_label(struct kunit *test)
{
	struct genalloc_of_ctx *ctx = test->priv;
	struct gen_pool *pool;

	pool = of_gen_pool_get(of_consumer(test), "sram", 1);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_PTR_EQ(test, pool, gen_pool_get(ctx->dev,
						     "kunit-labelled"));
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 0x100);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 16), OF_POOL_BASE + 0x100);
	gen_pool_free(pool, OF_POOL_BASE + 0x100, 16);
}

/*
 * A phandle (index 2) to a partition child without a label gives the pool
 * named after the child's node name with its unit address.
 */
static void genalloc_of_partition_name(struct kunit *test)
{
	struct genalloc_of_ctx *ctx = test->priv;
	struct gen_pool *pool;

	pool = of_gen_pool_get(of_consumer(test), "sram", 2);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_PTR_EQ(test, pool, gen_pool_get(ctx->dev,
						     "partition@200"));
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 0x80);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 16), OF_POOL_BASE + 0x200);
	gen_pool_free(pool, OF_POOL_BASE + 0x200, 16);
}

/*
 * The index selects among several phandles of one property, in order, and
 * an index past the last one gives NULL.
 */
static void genalloc_of_index(struct kunit *test)
{
	struct genalloc_of_ctx *ctx = test->priv;
	struct device_node *np = of_consumer(test);

	KUNIT_EXPECT_PTR_EQ(test, of_gen_pool_get(np, "other-sram", 0),
			    gen_pool_get(ctx->dev, "partition@200"));
	KUNIT_EXPECT_PTR_EQ(test, of_gen_pool_get(np, "other-sram", 1),
			    gen_pool_get(ctx->dev, NULL));
	KUNIT_EXPECT_PTR_EQ(test, of_gen_pool_get(np, "other-sram", 2),
			    gen_pool_get(ctx->dev, "kunit-labelled"));
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(np, "other-sram", 3));
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(np, "sram", 4));
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(np, "sram", -1));
}

/*
 * No pool: a missing property, a partition without a pool ("export"
 * only), a node whose device has no driver bound, and a NULL node all give
 * NULL rather than an error pointer.
 */
static void genalloc_of_missing(struct kunit *test)
{
	struct device_node *np = of_consumer(test);

	KUNIT_EXPECT_NULL(test, of_gen_pool_get(np, "no-such-sram", 0));
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(np, "sram", 3));
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(np, "unbound-sram", 0));
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(NULL, "sram", 0));
}

static struct kunit_case genalloc_of_cases[] = {
	KUNIT_CASE(genalloc_of_pool_device),
	KUNIT_CASE(genalloc_of_partition_label),
	KUNIT_CASE(genalloc_of_partition_name),
	KUNIT_CASE(genalloc_of_index),
	KUNIT_CASE(genalloc_of_missing),
	{}
};

static struct kunit_suite genalloc_of_suite = {
	.name = "genalloc_of",
	.init = genalloc_of_init,
	.test_cases = genalloc_of_cases,
};

/* ---------------------------------------------------------------------
 * genalloc_stress: concurrent lock-free use
 *
 * Worker kthreads bound to different CPUs and a hard-IRQ hrtimer allocate
 * and free at random from one pool backed by real memory.  Every block is
 * recorded in a shadow bitmap with atomic test-and-set (a granule handed
 * out twice shows up at once) and filled with its owner's byte pattern,
 * which is checked before the block is freed (an overlap that slipped past
 * the shadow shows up as a changed pattern).  The pool grows by one chunk
 * while the workers run.  With byte granules the chunks carry a search
 * index: first fit alone keeps their reach hints, and one case lets the
 * other strategies in half-way, so that chunks switch to the summary tree
 * while the workers and the timer run.  At the end everything has been freed: avail must
 * equal size and every bitmap must be clear.
 */

#define STRESS_MAX_THREADS	4
#define STRESS_LIVE		16
#define STRESS_TIMER_LIVE	4
#define STRESS_CHUNK		4096
#define STRESS_CHUNKS		3
#define STRESS_MEM		(STRESS_CHUNK * STRESS_CHUNKS)
#define STRESS_TIMER_NS		(100 * NSEC_PER_USEC)
#define STRESS_MIN_TIMER_RUNS	16
#define STRESS_TIMER_PATTERN	0xee

struct stress_params {
	const char *desc;
	int order;
	unsigned int ops;
	unsigned int max_size;
	bool mixed_algos;
	bool switch_midway;	/* first fit only until half-way */
	bool best_fit;		/* mostly best fit: chunks keep length masks */
};

struct stress_ctx {
	struct gen_pool *pool;
	const struct stress_params *params;
	u8 *mem;
	unsigned long *shadow;
	atomic_t overlaps;
	atomic_t bad_frees;
	atomic_t corrupted;
	atomic_t out_of_range;
	atomic_t not_in_pool;
	atomic_t timer_runs;
	atomic_t timer_allocs;
	atomic_t timer_not_hardirq;
	bool stop_timer;
	struct hrtimer timer;
	struct rnd_state timer_rnd;
	bool mixed;		/* strategies other than first fit in use */
	unsigned long timer_addr[STRESS_TIMER_LIVE];
	size_t timer_size[STRESS_TIMER_LIVE];
};

struct stress_thread {
	struct stress_ctx *ctx;
	struct task_struct *task;
	struct completion done;
	struct rnd_state rnd;
	u8 pattern;
	unsigned int cpu;
	unsigned long allocs;
	unsigned long addr[STRESS_LIVE];
	size_t size[STRESS_LIVE];
};

static unsigned long stress_alloc(struct stress_ctx *ctx,
				  struct rnd_state *rnd, size_t size)
{
	struct genpool_data_align align;
	u32 r = prandom_u32_state(rnd);

	if (!READ_ONCE(ctx->mixed))
		return gen_pool_alloc(ctx->pool, size);
	if (ctx->params->best_fit)
		return gen_pool_alloc_algo(ctx->pool, size, r % 4 ?
					   gen_pool_best_fit :
					   gen_pool_first_fit, NULL);

	switch (r % 4) {
	case 0:
		return gen_pool_alloc(ctx->pool, size);
	case 1:
		return gen_pool_alloc_algo(ctx->pool, size, gen_pool_best_fit,
					   NULL);
	case 2:
		return gen_pool_alloc_algo(ctx->pool, size,
					   gen_pool_first_fit_order_align,
					   NULL);
	default:
		align.align = 1 << (ctx->params->order + (r >> 8) % 4);
		return gen_pool_alloc_algo(ctx->pool, size,
					   gen_pool_first_fit_align, &align);
	}
}

/* Record a fresh block in the shadow and fill it with @pattern. */
static void stress_claim(struct stress_ctx *ctx, unsigned long addr,
			 size_t size, u8 pattern)
{
	unsigned long base = (unsigned long)ctx->mem;
	int order = ctx->params->order;
	unsigned long first, nr, i;

	if (!gen_pool_has_addr(ctx->pool, addr, size))
		atomic_inc(&ctx->not_in_pool);
	if (addr < base || addr - base + size > STRESS_MEM) {
		atomic_inc(&ctx->out_of_range);
		return;
	}
	first = (addr - base) >> order;
	nr = DIV_ROUND_UP(size, 1UL << order);
	for (i = first; i < first + nr; i++)
		if (test_and_set_bit(i, ctx->shadow))
			atomic_inc(&ctx->overlaps);
	memset((void *)addr, pattern, nr << order);
}

/* Check a block's pattern, drop it from the shadow, then free it. */
static void stress_release(struct stress_ctx *ctx, unsigned long addr,
			   size_t size, u8 pattern)
{
	unsigned long base = (unsigned long)ctx->mem;
	int order = ctx->params->order;
	unsigned long first, nr, i;

	if (addr >= base && addr - base + size <= STRESS_MEM) {
		first = (addr - base) >> order;
		nr = DIV_ROUND_UP(size, 1UL << order);
		if (memchr_inv((void *)addr, pattern, nr << order))
			atomic_inc(&ctx->corrupted);
		for (i = first; i < first + nr; i++)
			if (!test_and_clear_bit(i, ctx->shadow))
				atomic_inc(&ctx->bad_frees);
	}
	gen_pool_free(ctx->pool, addr, size);
}

static enum hrtimer_restart stress_timer_fn(struct hrtimer *timer)
{
	struct stress_ctx *ctx = container_of(timer, struct stress_ctx, timer);
	unsigned int slot = atomic_read(&ctx->timer_runs) % STRESS_TIMER_LIVE;
	size_t size;

	if (!in_hardirq())
		atomic_inc(&ctx->timer_not_hardirq);

	if (ctx->timer_addr[slot]) {
		stress_release(ctx, ctx->timer_addr[slot],
			       ctx->timer_size[slot], STRESS_TIMER_PATTERN);
		ctx->timer_addr[slot] = 0;
	} else {
		size = 1 + prandom_u32_state(&ctx->timer_rnd) %
			   ctx->params->max_size;
		ctx->timer_addr[slot] = stress_alloc(ctx, &ctx->timer_rnd,
						     size);
		if (ctx->timer_addr[slot]) {
			ctx->timer_size[slot] = size;
			stress_claim(ctx, ctx->timer_addr[slot], size,
				     STRESS_TIMER_PATTERN);
			atomic_inc(&ctx->timer_allocs);
		}
	}
	atomic_inc(&ctx->timer_runs);

	if (READ_ONCE(ctx->stop_timer))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(STRESS_TIMER_NS));
	return HRTIMER_RESTART;
}

static int stress_thread_fn(void *data)
{
	struct stress_thread *t = data;
	struct stress_ctx *ctx = t->ctx;
	unsigned int op, slot;
	size_t size;

	t->cpu = raw_smp_processor_id();
	/*
	 * Keep going until the timer has fired a few times, so that hard-IRQ
	 * allocations really interleave with ours; the bound only stops a
	 * broken timer from hanging the test (checked afterwards).
	 */
	for (op = 0; op < ctx->params->ops * 100; op++) {
		if (op >= ctx->params->ops &&
		    atomic_read(&ctx->timer_runs) >= STRESS_MIN_TIMER_RUNS)
			break;
		/*
		 * Let the other strategies in while every thread and the
		 * timer are busy: indexed chunks leave first fit's reach
		 * hints for the summary tree under load.
		 */
		if (op == ctx->params->ops / 2 && ctx->params->mixed_algos)
			WRITE_ONCE(ctx->mixed, true);
		slot = prandom_u32_state(&t->rnd) % STRESS_LIVE;
		if (t->addr[slot]) {
			stress_release(ctx, t->addr[slot], t->size[slot],
				       t->pattern);
			t->addr[slot] = 0;
		} else {
			size = 1 + prandom_u32_state(&t->rnd) %
				   ctx->params->max_size;
			t->addr[slot] = stress_alloc(ctx, &t->rnd, size);
			if (t->addr[slot]) {
				t->size[slot] = size;
				stress_claim(ctx, t->addr[slot], size,
					     t->pattern);
				t->allocs++;
			}
		}
		if (!(op % 64))
			cond_resched();
	}

	for (slot = 0; slot < STRESS_LIVE; slot++)
		if (t->addr[slot])
			stress_release(ctx, t->addr[slot], t->size[slot],
				       t->pattern);
	complete(&t->done);
	return 0;
}

static void genalloc_stress_concurrent(struct kunit *test)
{
	const struct stress_params *params = test->param_value;
	struct stress_thread *threads;
	struct stress_ctx *ctx;
	unsigned int nr_threads, nr_cpus = num_online_cpus();
	unsigned int i, created = 0;
	unsigned long nbits = STRESS_MEM >> params->order;
	unsigned long last;

	nr_threads = clamp(nr_cpus, 2U, (unsigned int)STRESS_MAX_THREADS);
	if (nr_cpus < 2)
		kunit_info(test, "only one CPU online: threads share it\n");

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	threads = kunit_kcalloc(test, nr_threads, sizeof(*threads),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	ctx->params = params;
	ctx->mixed = params->mixed_algos && !params->switch_midway;
	ctx->shadow = kunit_kcalloc(test, BITS_TO_LONGS(nbits),
				    sizeof(unsigned long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->shadow);
	ctx->mem = test_vmalloc(test, STRESS_MEM);
	ctx->pool = test_pool(test, params->order);
	for (i = 0; i < STRESS_CHUNKS - 1; i++)
		test_add(test, ctx->pool,
			 (unsigned long)ctx->mem + i * STRESS_CHUNK,
			 STRESS_CHUNK);
	prandom_seed_state(&ctx->timer_rnd, seed);

	for (i = 0; i < nr_threads; i++) {
		struct stress_thread *t = &threads[i];
		unsigned int cpu = cpumask_nth(i % nr_cpus, cpu_online_mask);

		t->ctx = ctx;
		t->pattern = i + 1;
		init_completion(&t->done);
		prandom_seed_state(&t->rnd, seed + i + 1);
		t->task = kthread_create_on_cpu(stress_thread_fn, t, cpu,
						"genalloc_stress/%u");
		if (IS_ERR(t->task))
			break;
		get_task_struct(t->task);
		created++;
	}
	if (created < nr_threads) {
		for (i = 0; i < created; i++) {
			kthread_stop(threads[i].task);
			put_task_struct(threads[i].task);
		}
		KUNIT_FAIL_AND_ABORT(test, "cannot create the worker threads");
	}

	hrtimer_init(&ctx->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	ctx->timer.function = stress_timer_fn;
	hrtimer_start(&ctx->timer, ns_to_ktime(STRESS_TIMER_NS),
		      HRTIMER_MODE_REL_HARD);
	for (i = 0; i < nr_threads; i++)
		wake_up_process(threads[i].task);

	/* grow the pool under the workers' feet */
	last = (unsigned long)ctx->mem + (STRESS_CHUNKS - 1) * STRESS_CHUNK;
	KUNIT_EXPECT_EQ(test, 0, gen_pool_add(ctx->pool, last, STRESS_CHUNK,
					      NUMA_NO_NODE));

	/*
	 * Wait for the workers to finish on their own: kthread_stop() on a
	 * thread that has not run yet would keep its function from running.
	 */
	for (i = 0; i < nr_threads; i++) {
		wait_for_completion(&threads[i].done);
		kthread_stop(threads[i].task);
		put_task_struct(threads[i].task);
	}
	WRITE_ONCE(ctx->stop_timer, true);
	hrtimer_cancel(&ctx->timer);
	for (i = 0; i < STRESS_TIMER_LIVE; i++)
		if (ctx->timer_addr[i])
			stress_release(ctx, ctx->timer_addr[i],
				       ctx->timer_size[i],
				       STRESS_TIMER_PATTERN);

	kunit_info(test, "%u threads, %d timer runs with %d allocations\n",
		   nr_threads, atomic_read(&ctx->timer_runs),
		   atomic_read(&ctx->timer_allocs));
	for (i = 0; i < nr_threads; i++) {
		KUNIT_EXPECT_GT(test, threads[i].allocs, 0);
		/* each thread was bound to a CPU of its own */
		if (nr_cpus >= 2 && i)
			KUNIT_EXPECT_NE(test, threads[i].cpu, threads[0].cpu);
	}
	KUNIT_EXPECT_GE(test, atomic_read(&ctx->timer_runs),
			STRESS_MIN_TIMER_RUNS);
	KUNIT_EXPECT_GT(test, atomic_read(&ctx->timer_allocs), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->timer_not_hardirq), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->overlaps), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->bad_frees), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->corrupted), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->out_of_range), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->not_in_pool), 0);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(ctx->shadow, nbits));
	KUNIT_EXPECT_EQ(test, gen_pool_size(ctx->pool),
			STRESS_MEM);
	expect_idle(test, ctx->pool);
}

static const struct stress_params stress_params[] = {
	{
		.desc = "mixed strategies, 8-byte granules",
		.order = 3,
		.ops = 3000,
		.max_size = 200,
		.mixed_algos = true,
	},
	{
		.desc = "first fit, byte granules, multi-word blocks",
		.order = 0,
		.ops = 3000,
		.max_size = 3 * BITS_PER_LONG,
		.mixed_algos = false,
	},
	{
		.desc = "first fit, then mixed strategies, byte granules",
		.order = 0,
		.ops = 3000,
		.max_size = 3 * BITS_PER_LONG,
		.mixed_algos = true,
		.switch_midway = true,
	},
	{
		.desc = "mostly best fit, byte granules",
		.order = 0,
		.ops = 3000,
		.max_size = 3 * BITS_PER_LONG,
		.mixed_algos = true,
		.best_fit = true,
	},
};

static void stress_param_desc(const struct stress_params *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(stress, stress_params, stress_param_desc);

static struct kunit_case genalloc_stress_cases[] = {
	KUNIT_CASE_PARAM(genalloc_stress_concurrent, stress_gen_params),
	{}
};

static struct kunit_suite genalloc_stress_suite = {
	.name = "genalloc_stress",
	.test_cases = genalloc_stress_cases,
};

/* ---------------------------------------------------------------------
 * genalloc_bad_input: caller mistakes
 *
 * Each mistake must WARN (once per call site, so the tests do not count
 * warnings) and fail cleanly: the failure value is returned and the pool is
 * exactly as before -- same size, same avail, same chunks, same bitmaps.
 * The pools used here hold live allocations, so a free that wrongly
 * clears some bits or an allocation that wrongly sets some is visible.
 */

#define SNAP_CHUNKS	4
#define SNAP_BITS	512

struct pool_snapshot {
	size_t size;
	size_t avail;
	unsigned int chunks;
	bool too_big;
	unsigned long start[SNAP_CHUNKS];
	unsigned long end[SNAP_CHUNKS];
	long chunk_avail[SNAP_CHUNKS];
	DECLARE_BITMAP(bits, SNAP_CHUNKS * SNAP_BITS);
};

static void snapshot_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			   void *data)
{
	struct pool_snapshot *s = data;
	unsigned long nbits = chunk_nbits(pool, chunk);
	unsigned long i;

	if (s->chunks >= SNAP_CHUNKS || nbits > SNAP_BITS) {
		s->too_big = true;
		return;
	}
	s->start[s->chunks] = chunk->start_addr;
	s->end[s->chunks] = chunk->end_addr;
	s->chunk_avail[s->chunks] = atomic_long_read(&chunk->avail);
	for (i = 0; i < nbits; i++)
		if (test_bit(i, chunk->bits))
			__set_bit(s->chunks * SNAP_BITS + i, s->bits);
	s->chunks++;
}

static struct pool_snapshot *snapshot(struct kunit *test,
				      struct gen_pool *pool)
{
	struct pool_snapshot *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->size = gen_pool_size(pool);
	s->avail = gen_pool_avail(pool);
	gen_pool_for_each_chunk(pool, snapshot_chunk, s);
	KUNIT_ASSERT_FALSE(test, s->too_big);
	return s;
}

/* The pool must look exactly as it did when @before was taken. */
#define EXPECT_UNCHANGED(test, pool, before) \
	expect_unchanged(test, pool, before, __LINE__)

static void expect_unchanged(struct kunit *test, struct gen_pool *pool,
			     struct pool_snapshot *before, int line)
{
	struct pool_snapshot *now = snapshot(test, pool);
	unsigned int k;

	KUNIT_EXPECT_EQ_MSG(test, now->size, before->size, "line %d", line);
	KUNIT_EXPECT_EQ_MSG(test, now->avail, before->avail, "line %d", line);
	KUNIT_ASSERT_EQ_MSG(test, now->chunks, before->chunks, "line %d",
			    line);
	for (k = 0; k < now->chunks; k++) {
		KUNIT_EXPECT_EQ_MSG(test, now->start[k], before->start[k],
				    "line %d", line);
		KUNIT_EXPECT_EQ_MSG(test, now->end[k], before->end[k],
				    "line %d", line);
		KUNIT_EXPECT_EQ_MSG(test, now->chunk_avail[k],
				    before->chunk_avail[k], "line %d", line);
	}
	KUNIT_EXPECT_TRUE_MSG(test, bitmap_equal(now->bits, before->bits,
						 SNAP_CHUNKS * SNAP_BITS),
			      "bitmap changed, line %d", line);
	expect_consistent(test, pool);
}

/*
 * A pool of two 256-byte chunks with 8-byte granules, holding blocks at
 * the start of each chunk: [0x10000, +64) and [0x20000, +64).
 */
static struct gen_pool *bad_input_pool(struct kunit *test)
{
	struct gen_pool *pool = test_pool(test, 3);

	test_add(test, pool, 0x10000, 256);
	test_add(test, pool, 0x20000, 256);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 64), 0x20000);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 192), 0x20040);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 64), 0x10000);
	gen_pool_free(pool, 0x20040, 192);
	return pool;
}

static void bad_input_cleanup(struct kunit *test, struct gen_pool *pool)
{
	gen_pool_free(pool, 0x10000, 64);
	gen_pool_free(pool, 0x20000, 64);
	expect_idle(test, pool);
}

/*
 * Frees that hit no chunk: below, between and above the chunks, at 0 and
 * at ULONG_MAX.
 */
static void genalloc_bad_free_outside(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);

	gen_pool_free(pool, 0x8000, 8);
	gen_pool_free(pool, 0x18000, 8);
	gen_pool_free(pool, 0x30000, 8);
	gen_pool_free(pool, 0, 8);
	gen_pool_free(pool, ULONG_MAX, 1);
	EXPECT_UNCHANGED(test, pool, before);
	bad_input_cleanup(test, pool);
}

/*
 * Double frees and frees of never-allocated granules, including ranges
 * that are only partly allocated: nothing at all is freed, not even the
 * allocated part (the check is made before any bit is cleared).
 */
static void genalloc_bad_double_free(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);
	struct gen_pool *bytes = test_pool(test, 0);

	gen_pool_free(pool, 0x10040, 8);
	gen_pool_free(pool, 0x100f8, 8);
	gen_pool_free(pool, 0x10000, 72);
	gen_pool_free(pool, 0x10038, 16);
	gen_pool_free(pool, 0x1fff8, 16);
	EXPECT_UNCHANGED(test, pool, before);

	gen_pool_free(pool, 0x10000, 64);
	before = snapshot(test, pool);
	gen_pool_free(pool, 0x10000, 64);
	gen_pool_free(pool, 0x10000, 8);
	EXPECT_UNCHANGED(test, pool, before);
	KUNIT_ASSERT_EQ(test, alloc_fixed(pool, 64, 0), 0x10000);

	/* a multi-word block with a hole in the middle */
	test_add(test, bytes, 0x1000, 4 * BITS_PER_LONG);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(bytes, 3 * BITS_PER_LONG),
			0x1000);
	gen_pool_free(bytes, 0x1000 + 2 * BITS_PER_LONG - 3, 6);
	before = snapshot(test, bytes);
	gen_pool_free(bytes, 0x1000, 3 * BITS_PER_LONG);
	gen_pool_free(bytes, 0x1000 + BITS_PER_LONG, 2 * BITS_PER_LONG);
	EXPECT_UNCHANGED(test, bytes, before);
	gen_pool_free(bytes, 0x1000, 2 * BITS_PER_LONG - 3);
	gen_pool_free(bytes, 0x1000 + 2 * BITS_PER_LONG + 3,
		      BITS_PER_LONG - 3);
	expect_idle(test, bytes);

	bad_input_cleanup(test, pool);
}

/*
 * Frees that run past the end of their chunk, by bytes or only after
 * rounding to granules (a 40-byte chunk of 32-byte granules has one
 * granule and an 8-byte tail), leave the pool untouched.
 */
static void genalloc_bad_free_past_end(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct gen_pool *tail = test_pool(test, 5);
	struct pool_snapshot *before;

	KUNIT_ASSERT_EQ(test, gen_pool_alloc(pool, 192), 0x20040);
	before = snapshot(test, pool);
	gen_pool_free(pool, 0x20040, 200);
	gen_pool_free(pool, 0x200f8, 16);
	gen_pool_free(pool, 0x20000, 512);
	EXPECT_UNCHANGED(test, pool, before);
	gen_pool_free(pool, 0x20040, 192);

	test_add(test, tail, 0x1000, 40);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc(tail, 32), 0x1000);
	before = snapshot(test, tail);
	gen_pool_free(tail, 0x1000, 40);
	gen_pool_free(tail, 0x1020, 8);
	EXPECT_UNCHANGED(test, tail, before);
	gen_pool_free(tail, 0x1000, 32);
	expect_idle(test, tail);

	bad_input_cleanup(test, pool);
}

/*
 * Size 0 and sizes near ULONG_MAX, whose rounding to granules would wrap:
 * allocations return 0 (size 0 silently, as upstream), frees free nothing.
 */
static void genalloc_bad_sizes(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);
	dma_addr_t dma = 0x1234;
	static const size_t sizes[] = {
		SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 6, SIZE_MAX - 7,
		SIZE_MAX - 8, SIZE_MAX / 2 + 1, SIZE_MAX / 2,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 0), 0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, sizes[i]), 0);
		KUNIT_EXPECT_EQ(test, alloc_fixed(pool, sizes[i], 0), 0);
		KUNIT_EXPECT_NULL(test, gen_pool_dma_alloc(pool, sizes[i],
							   &dma));
		KUNIT_EXPECT_NULL(test, gen_pool_dma_zalloc(pool, sizes[i],
							    &dma));
	}
	KUNIT_EXPECT_EQ(test, dma, 0x1234);
	EXPECT_UNCHANGED(test, pool, before);

	gen_pool_free(pool, 0x10000, 0);
	gen_pool_free(pool, 0x10040, 0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		gen_pool_free(pool, 0x10000, sizes[i]);
		gen_pool_free(pool, 0x20000, sizes[i]);
		gen_pool_free(pool, 0x20008, sizes[i]);
	}
	EXPECT_UNCHANGED(test, pool, before);
	bad_input_cleanup(test, pool);
}

/*
 * gen_pool_create() refuses a granule order that is negative or at least
 * BITS_PER_LONG (return NULL), and so does devm_gen_pool_create() (an
 * error pointer); the largest valid order works.
 */
static void genalloc_bad_create_order(struct kunit *test)
{
	static const int orders[] = {
		-1, -BITS_PER_LONG, INT_MIN, BITS_PER_LONG, BITS_PER_LONG + 1,
		INT_MAX,
	};
	struct device *dev = devm_test_device(test, "genalloc-bad-order");
	struct gen_pool *pool;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		pool = gen_pool_create(orders[i], NUMA_NO_NODE);
		KUNIT_EXPECT_NULL_MSG(test, pool, "order %d", orders[i]);
		if (pool)
			gen_pool_destroy(pool);
		pool = devm_gen_pool_create(dev, orders[i], NUMA_NO_NODE,
					    NULL);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(pool), "order %d",
				      orders[i]);
	}
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, NULL));

	pool = test_pool(test, BITS_PER_LONG - 1);
	KUNIT_EXPECT_EQ(test, pool->min_alloc_order, BITS_PER_LONG - 1);
	pool = test_pool(test, 0);
	KUNIT_EXPECT_EQ(test, pool->min_alloc_order, 0);
}

/*
 * gen_pool_add*() refuses -EINVAL a size of 0, a range that wraps past
 * ULONG_MAX, and any overlap with an existing chunk; a chunk that touches
 * another without overlapping, or ends exactly at ULONG_MAX, is accepted.
 */
static void genalloc_bad_add(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);
	static int tok;

	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0x40000, 0, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0, 0, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, ULONG_MAX - 15, 32,
					   NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, ULONG_MAX, 2, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 2, SIZE_MAX, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0x10000, 256, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0x100f8, 16, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0xff00, 0x108, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0xf000, 0x20000,
					   NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0x10080, 8, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add_virt(pool, 0x200ff, 0, 1,
						NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add_owner(pool, 0x1ff00, 0, 0x101,
						 NUMA_NO_NODE, &tok), -EINVAL);
	EXPECT_UNCHANGED(test, pool, before);

	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0x10100, 0x100,
					   NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, 0xff00, 0x100,
					   NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_add(pool, ULONG_MAX - 63, 64,
					   NUMA_NO_NODE), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 4 * 256 + 64);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 64), ULONG_MAX - 63);
	gen_pool_free(pool, ULONG_MAX - 63, 64);
	bad_input_cleanup(test, pool);
}

/*
 * gen_pool_first_fit_align with an alignment of 0, negative or not a power
 * of two, or with no data at all: that allocation fails (no hang, no
 * garbage placement), directly, through gen_pool_alloc_algo(), through the
 * dma_*_align calls and as the pool's default strategy.
 */
static void genalloc_bad_align(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);
	static const int aligns[] = { 0, -1, -8, INT_MIN, 3, 12, 24, 100 };
	struct genpool_data_align a;
	DECLARE_BITMAP(map, 16);
	unsigned long addr, bit;
	dma_addr_t dma = 0x1234;
	unsigned int i;
	void *p;

	bitmap_zero(map, 16);
	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		a.align = aligns[i];
		KUNIT_EXPECT_EQ_MSG(test, alloc_align(pool, 8, a.align), 0,
				    "align %d", a.align);
		p = gen_pool_dma_alloc_align(pool, 8, &dma, a.align);
		KUNIT_EXPECT_NULL_MSG(test, p, "align %d", a.align);
		p = gen_pool_dma_zalloc_align(pool, 8, &dma, a.align);
		KUNIT_EXPECT_NULL_MSG(test, p, "align %d", a.align);
		bit = gen_pool_first_fit_align(map, 16, 0, 1, &a, pool, 0);
		KUNIT_EXPECT_GE_MSG(test, bit, 16, "align %d", a.align);
	}
	addr = gen_pool_alloc_algo(pool, 8, gen_pool_first_fit_align, NULL);
	KUNIT_EXPECT_EQ(test, addr, 0);
	KUNIT_EXPECT_GE(test, gen_pool_first_fit_align(map, 16, 0, 1, NULL,
						       pool, 0), 16);
	gen_pool_set_algo(pool, gen_pool_first_fit_align, NULL);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 8), 0);
	KUNIT_EXPECT_EQ(test, dma, 0x1234);
	EXPECT_UNCHANGED(test, pool, before);

	gen_pool_set_algo(pool, NULL, NULL);
	bad_input_cleanup(test, pool);
}

/*
 * gen_pool_fixed_alloc with an offset that is not a multiple of the
 * granule, or whose block would not fit inside the chunk (also when offset
 * + size wraps), fails in every chunk.
 */
static void genalloc_bad_fixed(struct kunit *test)
{
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);
	static const struct {
		unsigned long offset;
		size_t size;
	} cases[] = {
		{ .offset = 4, .size = 8 },
		{ .offset = 0x81, .size = 8 },
		{ .offset = 256, .size = 8 },
		{ .offset = 248, .size = 16 },
		{ .offset = 0x1000, .size = 8 },
		{ .offset = ULONG_MAX & ~7UL, .size = 16 },
		{ .offset = ULONG_MAX, .size = 1 },
	};
	unsigned long addr;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		addr = alloc_fixed(pool, cases[i].size, cases[i].offset);
		KUNIT_EXPECT_EQ_MSG(test, addr, 0, "offset %#lx size %zu",
				    cases[i].offset, cases[i].size);
	}
	EXPECT_UNCHANGED(test, pool, before);
	bad_input_cleanup(test, pool);
}

/*
 * gen_pool_destroy() of a pool with outstanding allocations reports the
 * leak instead of crashing; the kernel keeps running (and WARNs, which the
 * taint flag shows).  The leaked chunk's bookkeeping is deliberately kept.
 */
static void genalloc_bad_destroy_busy(struct kunit *test)
{
	struct gen_pool *pool = gen_pool_create(3, NUMA_NO_NODE);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	if (gen_pool_add(pool, 0x10000, 256, NUMA_NO_NODE) ||
	    gen_pool_add(pool, 0x20000, 256, NUMA_NO_NODE)) {
		gen_pool_destroy(pool);
		KUNIT_FAIL_AND_ABORT(test, "gen_pool_add failed");
	}
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 24), 0x20000);
	gen_pool_destroy(pool);
	KUNIT_EXPECT_TRUE(test, test_taint(TAINT_WARN));
}

static void count_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			void *data)
{
	(*(unsigned int *)data)++;
}

/*
 * A NULL pool at every entry point that takes one, the header's inline
 * wrappers included: each returns its failure value and nothing crashes.
 */
static void genalloc_bad_null_pool(struct kunit *test)
{
	DECLARE_BITMAP(map, 16);
	struct genpool_data_align a = { .align = 8 };
	struct genpool_data_fixed f = { .offset = 0 };
	unsigned int visited = 0;
	dma_addr_t dma = 0x1234;
	unsigned long addr;
	void *owner = test;

	bitmap_zero(map, 16);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(NULL, 8), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_owner(NULL, 8, &owner), 0);
	addr = gen_pool_alloc_algo_owner(NULL, 8, gen_pool_first_fit, NULL,
					 &owner);
	KUNIT_EXPECT_EQ(test, addr, 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_algo(NULL, 8, gen_pool_first_fit,
						  NULL), 0);
	KUNIT_EXPECT_NULL(test, gen_pool_dma_alloc(NULL, 8, &dma));
	KUNIT_EXPECT_NULL(test, gen_pool_dma_alloc_algo(NULL, 8, &dma,
							gen_pool_first_fit,
							NULL));
	KUNIT_EXPECT_NULL(test, gen_pool_dma_alloc_align(NULL, 8, &dma, 8));
	KUNIT_EXPECT_NULL(test, gen_pool_dma_zalloc(NULL, 8, &dma));
	KUNIT_EXPECT_NULL(test, gen_pool_dma_zalloc_algo(NULL, 8, &dma,
							 gen_pool_first_fit,
							 NULL));
	KUNIT_EXPECT_NULL(test, gen_pool_dma_zalloc_align(NULL, 8, &dma, 8));
	KUNIT_EXPECT_EQ(test, dma, 0x1234);

	gen_pool_free_owner(NULL, 0x1000, 8, &owner);
	gen_pool_free(NULL, 0x1000, 8);
	KUNIT_EXPECT_EQ(test, gen_pool_add(NULL, 0x1000, 64, NUMA_NO_NODE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add_virt(NULL, 0x1000, 0x1000, 64,
						NUMA_NO_NODE), -EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_add_owner(NULL, 0x1000, 0x1000, 64,
						 NUMA_NO_NODE, test), -EINVAL);
	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(NULL, 0x1000),
			(phys_addr_t)-1);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(NULL), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_size(NULL), 0);
	KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(NULL, 0x1000, 8));
	gen_pool_for_each_chunk(NULL, count_chunk, &visited);
	KUNIT_EXPECT_EQ(test, visited, 0);
	gen_pool_set_algo(NULL, gen_pool_best_fit, NULL);
	gen_pool_destroy(NULL);

	/* strategies that read the pool's granule order */
	KUNIT_EXPECT_GE(test, gen_pool_first_fit_align(map, 16, 0, 1, &a, NULL,
						       0x1000), 16);
	KUNIT_EXPECT_GE(test, gen_pool_fixed_alloc(map, 16, 0, 1, &f, NULL,
						   0x1000), 16);
	KUNIT_EXPECT_NULL(test, of_gen_pool_get(NULL, "sram", 0));
}

static struct kunit_case genalloc_bad_input_cases[] = {
	KUNIT_CASE(genalloc_bad_free_outside),
	KUNIT_CASE(genalloc_bad_double_free),
	KUNIT_CASE(genalloc_bad_free_past_end),
	KUNIT_CASE(genalloc_bad_sizes),
	KUNIT_CASE(genalloc_bad_create_order),
	KUNIT_CASE(genalloc_bad_add),
	KUNIT_CASE(genalloc_bad_align),
	KUNIT_CASE(genalloc_bad_fixed),
	KUNIT_CASE(genalloc_bad_destroy_busy),
	KUNIT_CASE(genalloc_bad_null_pool),
	{}
};

static struct kunit_suite genalloc_bad_input_suite = {
	.name = "genalloc_bad_input",
	.test_cases = genalloc_bad_input_cases,
};

/* ---------------------------------------------------------------------
 * genalloc_alloc_fail: the pool's own allocations failing
 *
 * gen_pool_create(), gen_pool_add_owner() and devm_gen_pool_create() ask
 * gen_pool_fail_meta_alloc() before each allocation of their own.  These
 * tests redirect it to fail_nth(), which fails the Nth allocation asked
 * for, and repeat the call under test for N = 1, 2, ... until an N at
 * which nothing fails.  Each failing call must return its failure value
 * and leave the pool or the device as it was; the first call that fails
 * nothing must give a working result, registered once.  KASAN (x86_64
 * debug run) catches a double free or a use after free on the error
 * paths; a leak there is not seen (the runs have no kmemleak), which the
 * userspace harness covers with its own allocation accounting.
 *
 * The suite causes no WARN, so it runs before genalloc_bad_input, whose
 * WARNs taint the kernel and switch lockdep off.
 */

/* More allocations than any of these calls makes: ends a runaway loop. */
#define FAIL_NTH_MAX	16

struct fail_nth {
	unsigned int nth;	/* allocation to fail, from 1; 0: none */
	unsigned int calls;	/* allocations asked for since fail_nth_arm() */
	const char *failed;	/* the one failed, or NULL */
	char seen[64];		/* what each N failed, for the log */
};

/* The replacement for gen_pool_fail_meta_alloc() while a test runs. */
static bool fail_nth(const char *what)
{
	struct kunit *test = kunit_get_current_test();
	struct fail_nth *f = test->priv;
	size_t len;

	if (++f->calls != f->nth)
		return false;
	f->failed = what;
	len = strlen(f->seen);
	snprintf(f->seen + len, sizeof(f->seen) - len, "%s%s",
		 len ? " " : "", what);
	return true;
}

/* Redirect the seam for the rest of the test; nothing fails until armed. */
static struct fail_nth *fail_nth_start(struct kunit *test)
{
	struct fail_nth *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	test->priv = f;
	kunit_activate_static_stub(test, gen_pool_fail_meta_alloc, fail_nth);
	return f;
}

/* Fail the @nth allocation from now on (and no other). */
static void fail_nth_arm(struct kunit *test, struct fail_nth *f,
			 unsigned int nth)
{
	KUNIT_ASSERT_LE_MSG(test, nth, FAIL_NTH_MAX,
			    "allocation %u still fails: a loop?", nth);
	f->nth = nth;
	f->calls = 0;
	f->failed = NULL;
}

/*
 * Reached when a call at @nth failed nothing: the earlier N each failed
 * one allocation, and the call made exactly the @nth - 1 allocations seen.
 */
static void fail_nth_done(struct kunit *test, struct fail_nth *f,
			  unsigned int nth, const char *call)
{
	KUNIT_EXPECT_GT_MSG(test, nth, 1,
			    "%s allocated nothing through the seam", call);
	KUNIT_EXPECT_EQ(test, f->calls, nth - 1);
	kunit_info(test, "%s: failed each of its %u allocation(s) in turn: %s\n",
		   call, nth - 1, f->seen);
	f->nth = 0;
}

/*
 * gen_pool_create() returns NULL whichever allocation fails; once none
 * fails it returns an empty pool with the requested order that works.
 */
static void genalloc_fail_create(struct kunit *test)
{
	struct fail_nth *f = fail_nth_start(test);
	struct gen_pool *pool;
	unsigned int n;

	for (n = 1; ; n++) {
		fail_nth_arm(test, f, n);
		pool = gen_pool_create(5, NUMA_NO_NODE);
		if (!f->failed)
			break;
		KUNIT_EXPECT_NULL_MSG(test, pool, "allocation %u (%s) failed",
				      n, f->failed);
		if (pool)
			gen_pool_destroy(pool);
	}
	fail_nth_done(test, f, n, "gen_pool_create");

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, 0, destroy_later(test, pool));
	KUNIT_EXPECT_EQ(test, pool->min_alloc_order, 5);
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), 0);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 32), 0);
	test_add(test, pool, 0x1000, 256);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 32), 0x1000);
	gen_pool_free(pool, 0x1000, 32);
	expect_idle(test, pool);
}

/*
 * gen_pool_add_owner() of [@virt, @virt + @size) to a pool holding one
 * small chunk with a live block at its start: -ENOMEM whichever
 * allocation fails, with the pool exactly as before (size, avail, chunks,
 * bitmaps) and still allocating from its old chunk; once nothing fails,
 * the new chunk is there, searched first, with its owner and physical
 * address, and can be allocated whole.
 */
static void fail_add(struct kunit *test, const char *call, unsigned long virt,
		     phys_addr_t phys, size_t size)
{
	struct fail_nth *f = fail_nth_start(test);
	struct gen_pool *pool = bad_input_pool(test);
	struct pool_snapshot *before = snapshot(test, pool);
	size_t avail = gen_pool_avail(pool);
	void *owner = NULL;
	unsigned long addr;
	static int tok;
	unsigned int n;
	int ret;

	for (n = 1; ; n++) {
		fail_nth_arm(test, f, n);
		ret = gen_pool_add_owner(pool, virt, phys, size, NUMA_NO_NODE,
					 &tok);
		if (!f->failed)
			break;
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM,
				    "allocation %u (%s) failed", n, f->failed);
		EXPECT_UNCHANGED(test, pool, before);
		KUNIT_EXPECT_FALSE(test, gen_pool_has_addr(pool, virt, 1));
		KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, virt),
				(phys_addr_t)-1);
		addr = gen_pool_alloc(pool, 8);
		KUNIT_EXPECT_EQ(test, addr, 0x20040);
		if (addr)
			gen_pool_free(pool, addr, 8);
		if (!ret)
			return;	/* the chunk went in after all; stop here */
	}
	fail_nth_done(test, f, n, call);

	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, gen_pool_size(pool), before->size + size);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(pool), avail + size);
	KUNIT_EXPECT_TRUE(test, gen_pool_has_addr(pool, virt, size));
	KUNIT_EXPECT_EQ(test, gen_pool_virt_to_phys(pool, virt + size - 8),
			phys + size - 8);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc_owner(pool, 8, &owner), virt);
	KUNIT_EXPECT_PTR_EQ(test, owner, (void *)&tok);
	owner = NULL;
	gen_pool_free_owner(pool, virt, 8, &owner);
	KUNIT_EXPECT_PTR_EQ(test, owner, (void *)&tok);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, size), virt);
	expect_consistent(test, pool);
	gen_pool_free(pool, virt, size);
	bad_input_cleanup(test, pool);
}

/* A chunk of 64 granules: no search index. */
static void genalloc_fail_add_small(struct kunit *test)
{
	fail_add(test, "gen_pool_add_owner (small chunk)", 0x40000, 0x7000000,
		 64 * 8);
}

/* A chunk of 8192 granules, more than 1024: with a search index. */
static void genalloc_fail_add_indexed(struct kunit *test)
{
	fail_add(test, "gen_pool_add_owner (indexed chunk)", 0x100000,
		 0x8000000, 8192 * 8);
}

/*
 * devm_gen_pool_create(@name) on a device that already has another pool:
 * ERR_PTR(-ENOMEM) whichever allocation fails, no pool of that name
 * registered afterwards and the other pool untouched; once nothing fails,
 * the pool is registered once, under its own copy of @name, works, and
 * goes away with the device.
 */
static void fail_devm(struct kunit *test, const char *name)
{
	struct fail_nth *f = fail_nth_start(test);
	struct device *dev = devm_test_device(test, "genalloc-fail-devm");
	const char *other_name = name ? NULL : "other";
	struct gen_pool *pool, *other;
	unsigned int n;

	other = devm_test_pool(test, dev, 4, other_name);
	for (n = 1; ; n++) {
		fail_nth_arm(test, f, n);
		pool = devm_gen_pool_create(dev, 5, NUMA_NO_NODE, name);
		if (!f->failed)
			break;
		KUNIT_EXPECT_TRUE_MSG(test, IS_ERR(pool),
				      "allocation %u (%s) failed", n,
				      f->failed);
		if (IS_ERR(pool))
			KUNIT_EXPECT_EQ(test, PTR_ERR(pool), -ENOMEM);
		KUNIT_EXPECT_NULL(test, gen_pool_get(dev, name));
		KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, other_name), other);
		if (!IS_ERR(pool))
			return;	/* registered after all; stop here */
	}
	fail_nth_done(test, f, n, name ? "devm_gen_pool_create (named)" :
		      "devm_gen_pool_create (unnamed)");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, name), pool);
	KUNIT_EXPECT_PTR_EQ(test, gen_pool_get(dev, other_name), other);
	if (name) {
		KUNIT_EXPECT_STREQ(test, pool->name, name);
		KUNIT_EXPECT_PTR_NE(test, pool->name, name);
	} else {
		KUNIT_EXPECT_NULL(test, pool->name);
	}
	KUNIT_EXPECT_EQ(test, pool->min_alloc_order, 5);
	KUNIT_EXPECT_EQ(test, PTR_ERR(devm_gen_pool_create(dev, 5, NUMA_NO_NODE,
							   name)), -EINVAL);
	test_add(test, pool, 0x1000, 256);
	KUNIT_EXPECT_EQ(test, gen_pool_alloc(pool, 32), 0x1000);
	gen_pool_free(pool, 0x1000, 32);
	expect_idle(test, pool);

	get_device(dev);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, name));
	KUNIT_EXPECT_NULL(test, gen_pool_get(dev, other_name));
	put_device(dev);
}

static void genalloc_fail_devm_unnamed(struct kunit *test)
{
	fail_devm(test, NULL);
}

/* The name is on the stack, so kstrdup_const() has to copy it. */
static void genalloc_fail_devm_named(struct kunit *test)
{
	char name[] = "genalloc-fail";

	fail_devm(test, name);
}

static struct kunit_case genalloc_alloc_fail_cases[] = {
	KUNIT_CASE(genalloc_fail_create),
	KUNIT_CASE(genalloc_fail_add_small),
	KUNIT_CASE(genalloc_fail_add_indexed),
	KUNIT_CASE(genalloc_fail_devm_unnamed),
	KUNIT_CASE(genalloc_fail_devm_named),
	{}
};

static struct kunit_suite genalloc_alloc_fail_suite = {
	.name = "genalloc_alloc_fail",
	.test_cases = genalloc_alloc_fail_cases,
};

kunit_test_suites(&genalloc_suite, &genalloc_devm_suite, &genalloc_of_suite,
		  &genalloc_stress_suite, &genalloc_alloc_fail_suite,
		  &genalloc_bad_input_suite);

MODULE_DESCRIPTION("KUnit tests for the genalloc allocator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
