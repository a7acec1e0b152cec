// SPDX-License-Identifier: GPL-2.0-only
/*
 * One genalloc implementation wrapped in a struct side_ops (see side.h).
 *
 * Built with -DSIDE_SRC='"path/to/genalloc.c"' and the include path of the
 * matching <linux/genalloc.h>, then every global symbol of the object is
 * renamed (ours_*, up_*) so that two of them link into one program.
 * Nothing here reaches inside a chunk except through this implementation's
 * own struct gen_pool_chunk.
 *
 * -DSIDE_FAST_RCU (benchmark builds) replaces the shim's RCU read side,
 * two sequentially consistent atomics on shared counters, by a plain
 * nesting counter as PREEMPT_RCU keeps in the task, so that both
 * implementations pay what they would pay in a kernel.
 */

/* Count the bytes the allocator asks for (chunk, bitmap, index). */
#define shim_alloc side_counted_alloc

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>

#ifdef SIDE_FAST_RCU
static int side_rcu_depth;
#undef rcu_read_lock_held
#define rcu_read_lock()		do { side_rcu_depth++; barrier(); } while (0)
#define rcu_read_unlock()	do { barrier(); side_rcu_depth--; } while (0)
#define rcu_read_lock_held()	(side_rcu_depth > 0)
#endif

#include SIDE_SRC

#undef shim_alloc
#include "side.h"

void *shim_alloc(size_t size, gfp_t gfp, enum shim_alloc_kind kind,
		 const char *func, int line);

static size_t side_bytes;

void *side_counted_alloc(size_t size, gfp_t gfp, enum shim_alloc_kind kind,
			 const char *func, int line)
{
	void *p = shim_alloc(size, gfp, kind, func, line);

	if (p)
		side_bytes += size;
	return p;
}

static size_t side_bytes_allocated(void)
{
	return side_bytes;
}

/* Strategy data for ->set_algo(); one pool per side at a time. */
static struct genpool_data_align side_pool_align;
static struct genpool_data_fixed side_pool_fixed;

static genpool_algo_t side_algo_fn(enum side_algo algo)
{
	switch (algo) {
	case SIDE_FIRST_FIT:
		return gen_pool_first_fit;
	case SIDE_FIRST_FIT_ALIGN:
		return gen_pool_first_fit_align;
	case SIDE_FIRST_FIT_ORDER_ALIGN:
		return gen_pool_first_fit_order_align;
	case SIDE_BEST_FIT:
		return gen_pool_best_fit;
	case SIDE_FIXED:
		return gen_pool_fixed_alloc;
	default:
		abort();
	}
}

static void *side_create(int order)
{
	return gen_pool_create(order, NUMA_NO_NODE);
}

static int side_add(void *pool, unsigned long virt, uint64_t phys,
		    size_t size, void *owner)
{
	return gen_pool_add_owner(pool, virt, phys, size, NUMA_NO_NODE, owner);
}

static void side_set_algo(void *pool, enum side_algo algo, unsigned long arg)
{
	void *data = NULL;

	if (algo == SIDE_FIRST_FIT_ALIGN) {
		side_pool_align.align = arg;
		data = &side_pool_align;
	} else if (algo == SIDE_FIXED) {
		side_pool_fixed.offset = arg;
		data = &side_pool_fixed;
	}
	gen_pool_set_algo(pool, side_algo_fn(algo), data);
}

static unsigned long side_alloc(void *pool, size_t size, enum side_algo algo,
				unsigned long arg, void **owner)
{
	struct genpool_data_align align = { .align = arg };
	struct genpool_data_fixed fixed = { .offset = arg };
	void *data = NULL;

	if (algo == SIDE_DEFAULT)
		return gen_pool_alloc_owner(pool, size, owner);
	if (algo == SIDE_FIRST_FIT_ALIGN)
		data = &align;
	else if (algo == SIDE_FIXED)
		data = &fixed;
	return gen_pool_alloc_algo_owner(pool, size, side_algo_fn(algo), data,
					 owner);
}

static unsigned long side_dma_alloc_align(void *pool, size_t size, int align,
					  uint64_t *dma)
{
	dma_addr_t d = 0x5a5a5a5a;
	void *p = gen_pool_dma_alloc_align(pool, size, &d, align);

	*dma = d;
	return (unsigned long)p;
}

static void side_free(void *pool, unsigned long addr, size_t size,
		      void **owner)
{
	gen_pool_free_owner(pool, addr, size, owner);
}

static size_t side_avail(void *pool)
{
	return gen_pool_avail(pool);
}

static size_t side_size(void *pool)
{
	return gen_pool_size(pool);
}

static uint64_t side_virt_to_phys(void *pool, unsigned long addr)
{
	return gen_pool_virt_to_phys(pool, addr);
}

static bool side_has_addr(void *pool, unsigned long start, size_t size)
{
	return gen_pool_has_addr(pool, start, size);
}

struct side_walk {
	struct side_chunk *out;
	int max;
	int n;
};

static void side_walk_one(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			  void *data)
{
	struct side_walk *w = data;
	struct side_chunk *c;

	if (w->n < w->max) {
		c = &w->out[w->n];
		c->start_addr = chunk->start_addr;
		c->end_addr = chunk->end_addr;
		c->phys_addr = chunk->phys_addr;
		c->owner = chunk->owner;
		c->avail = atomic_long_read(&chunk->avail);
		c->nbits = (chunk->end_addr - chunk->start_addr + 1) >>
			   pool->min_alloc_order;
		c->bits = chunk->bits;
	}
	w->n++;
}

static int side_chunks(void *pool, struct side_chunk *out, int max)
{
	struct side_walk w = { .out = out, .max = max };

	gen_pool_for_each_chunk(pool, side_walk_one, &w);
	return w.n;
}

static unsigned long side_algo_call(enum side_algo algo, unsigned long arg,
				    unsigned long *map, unsigned long size,
				    unsigned long start, unsigned int nr,
				    void *pool, unsigned long start_addr)
{
	struct genpool_data_align align = { .align = arg };
	struct genpool_data_fixed fixed = { .offset = arg };
	void *data = NULL;

	if (algo == SIDE_FIRST_FIT_ALIGN)
		data = &align;
	else if (algo == SIDE_FIXED)
		data = &fixed;
	return side_algo_fn(algo)(map, size, start, nr, data, pool,
				  start_addr);
}

static int side_validate(void *pool)
{
#ifdef SIDE_VALIDATE
	return gen_pool_validate(pool);
#else
	return 0;
#endif
}

static void side_destroy(void *pool)
{
	gen_pool_destroy(pool);
}

const struct side_ops side_ops = {
	.name = SIDE_NAME,
	.create = side_create,
	.add = side_add,
	.set_algo = side_set_algo,
	.alloc = side_alloc,
	.dma_alloc_align = side_dma_alloc_align,
	.free = side_free,
	.avail = side_avail,
	.size = side_size,
	.virt_to_phys = side_virt_to_phys,
	.has_addr = side_has_addr,
	.chunks = side_chunks,
	.algo = side_algo_call,
	.validate = side_validate,
	.destroy = side_destroy,
	.bytes_allocated = side_bytes_allocated,
	.chunk_struct_size = sizeof(struct gen_pool_chunk),
};
