/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * genalloc: a general-purpose allocator for special memory.
 *
 * A gen_pool manages one or more chunks of address space (on-chip SRAM,
 * device memory, DMA pools, or plain numbers used as handles) with one bit
 * per granule of 2^min_alloc_order bytes.  Allocation and free take no lock:
 * they claim and release bitmap words with compare-and-exchange, so they may
 * be called from any context, NMI included on architectures that select
 * CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG.  Adding memory and destroying a pool
 * may sleep.  See Documentation/core-api/genalloc.rst.
 */

#ifndef __GENALLOC_H__
#define __GENALLOC_H__

#include <linux/types.h>
#include <linux/spinlock_types.h>
#include <linux/atomic.h>

struct device;
struct device_node;
struct gen_pool;
struct genpool_index;

/**
 * typedef genpool_algo_t - allocation strategy of a pool
 * @map: the bitmap of one chunk; a set bit is a granule in use
 * @size: number of valid bits in @map
 * @start: first bit index the search may return
 * @nr: number of consecutive clear bits wanted
 * @data: the strategy's argument (the pool's default or the caller's)
 * @pool: the pool being searched
 * @start_addr: address of the first byte of the chunk
 *
 * A strategy only searches; the allocator claims the bits it picks.
 *
 * Return: the index of the first of @nr clear bits, or any value >= @size
 * if the chunk cannot satisfy the request.
 */
typedef unsigned long (*genpool_algo_t)(unsigned long *map,
					unsigned long size,
					unsigned long start,
					unsigned int nr,
					void *data, struct gen_pool *pool,
					unsigned long start_addr);

/**
 * struct gen_pool - a pool of special memory
 * @lock: serialises additions to @chunks; never taken to allocate or free
 * @chunks: the chunks, newest first, published with RCU
 * @min_alloc_order: log2 of the granule size in bytes
 * @algo: default allocation strategy
 * @data: argument passed to @algo
 * @name: the pool's name when created by devm_gen_pool_create(), or NULL;
 *	  released with kfree_const() by gen_pool_destroy()
 */
struct gen_pool {
	spinlock_t lock;	/* protects insertion into chunks */
	struct list_head chunks;
	int min_alloc_order;

	genpool_algo_t algo;
	void *data;

	const char *name;
};

/**
 * struct gen_pool_chunk - one contiguous range of memory in a pool
 * @next_chunk: link in &gen_pool.chunks
 * @avail: bytes not allocated, including any tail smaller than a granule
 * @phys_addr: physical address of the first byte
 * @owner: cookie given to gen_pool_add_owner(), handed back on alloc and free
 * @start_addr: address of the first byte
 * @end_addr: address of the last byte (inclusive, so a chunk may end at
 *	      ULONG_MAX)
 * @nbits: number of granules, that is of valid bits in @bits (private)
 * @index: search index over @bits, or NULL when the chunk is small (private)
 * @bits: allocation bitmap, one bit per granule, set when in use
 */
struct gen_pool_chunk {
	struct list_head next_chunk;
	atomic_long_t avail;
	phys_addr_t phys_addr;
	void *owner;
	unsigned long start_addr;
	unsigned long end_addr;
	unsigned long nbits;
	struct genpool_index *index;
	unsigned long bits[];
};

/**
 * struct genpool_data_align - argument of gen_pool_first_fit_align()
 * @align: alignment in bytes, a power of two
 */
struct genpool_data_align {
	int align;
};

/**
 * struct genpool_data_fixed - argument of gen_pool_fixed_alloc()
 * @offset: byte offset of the wanted block from the start of a chunk
 */
struct genpool_data_fixed {
	unsigned long offset;
};

struct gen_pool *gen_pool_create(int min_alloc_order, int nid);
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr);
int gen_pool_add_owner(struct gen_pool *pool, unsigned long addr,
		       phys_addr_t phys, size_t size, int nid, void *owner);

/**
 * gen_pool_add_virt - add memory with a known physical address to a pool
 * @pool: the pool
 * @addr: address of the first byte
 * @phys: physical address of the first byte
 * @size: size of the range in bytes
 * @nid: NUMA node for the chunk's bookkeeping, or NUMA_NO_NODE
 *
 * Context: Process context; may sleep.
 * Return: 0 on success, a negative errno otherwise.
 */
static inline int gen_pool_add_virt(struct gen_pool *pool, unsigned long addr,
				    phys_addr_t phys, size_t size, int nid)
{
	return gen_pool_add_owner(pool, addr, phys, size, nid, NULL);
}

/**
 * gen_pool_add - add memory with no physical address to a pool
 * @pool: the pool
 * @addr: address of the first byte
 * @size: size of the range in bytes
 * @nid: NUMA node for the chunk's bookkeeping, or NUMA_NO_NODE
 *
 * The chunk's physical address is set to all ones.
 *
 * Context: Process context; may sleep.
 * Return: 0 on success, a negative errno otherwise.
 */
static inline int gen_pool_add(struct gen_pool *pool, unsigned long addr,
			       size_t size, int nid)
{
	return gen_pool_add_virt(pool, addr, (phys_addr_t)-1, size, nid);
}

void gen_pool_destroy(struct gen_pool *pool);
unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size,
					genpool_algo_t algo, void *data,
					void **owner);

/**
 * gen_pool_alloc_owner - allocate with the pool's strategy and get the owner
 * @pool: the pool
 * @size: number of bytes
 * @owner: if not NULL, receives the owner cookie of the chunk used
 *
 * A NULL @pool is reported and fails.
 *
 * Context: Any context, including NMI on architectures with NMI-safe cmpxchg.
 * Return: the address of the block, or 0 on failure.
 */
static inline unsigned long gen_pool_alloc_owner(struct gen_pool *pool,
						 size_t size, void **owner)
{
	return gen_pool_alloc_algo_owner(pool, size, pool ? pool->algo : NULL,
					 pool ? pool->data : NULL, owner);
}

/**
 * gen_pool_alloc_algo - allocate with a given strategy
 * @pool: the pool
 * @size: number of bytes
 * @algo: the strategy
 * @data: argument for @algo
 *
 * Context: Any context, including NMI on architectures with NMI-safe cmpxchg.
 * Return: the address of the block, or 0 on failure.
 */
static inline unsigned long gen_pool_alloc_algo(struct gen_pool *pool,
						size_t size,
						genpool_algo_t algo,
						void *data)
{
	return gen_pool_alloc_algo_owner(pool, size, algo, data, NULL);
}

/**
 * gen_pool_alloc - allocate with the pool's strategy
 * @pool: the pool
 * @size: number of bytes
 *
 * Context: Any context, including NMI on architectures with NMI-safe cmpxchg.
 * Return: the address of the block, or 0 on failure.
 */
static inline unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size)
{
	return gen_pool_alloc_algo(pool, size, pool ? pool->algo : NULL,
				   pool ? pool->data : NULL);
}

void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void *gen_pool_dma_alloc_algo(struct gen_pool *pool, size_t size,
			      dma_addr_t *dma, genpool_algo_t algo, void *data);
void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size,
			       dma_addr_t *dma, int align);
void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void *gen_pool_dma_zalloc_algo(struct gen_pool *pool, size_t size,
			       dma_addr_t *dma, genpool_algo_t algo,
			       void *data);
void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size,
				dma_addr_t *dma, int align);
void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr,
			 size_t size, void **owner);

/**
 * gen_pool_free - free a block
 * @pool: the pool
 * @addr: address of the block
 * @size: size of the block in bytes
 *
 * Context: Any context, including NMI on architectures with NMI-safe cmpxchg.
 */
static inline void gen_pool_free(struct gen_pool *pool, unsigned long addr,
				 size_t size)
{
	gen_pool_free_owner(pool, addr, size, NULL);
}

/**
 * gen_pool_for_each_chunk - call a function for every chunk of a pool
 * @pool: the pool
 * @func: called with the pool, the chunk and @data; must not sleep
 * @data: passed to @func
 *
 * Chunks are visited newest first.  A chunk added concurrently may or may
 * not be visited.
 *
 * Context: Any context @func allows.  Calls @func under the RCU read lock.
 */
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool,
					  struct gen_pool_chunk *chunk,
					  void *data),
			     void *data);
size_t gen_pool_avail(struct gen_pool *pool);
size_t gen_pool_size(struct gen_pool *pool);

void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo,
		       void *data);

unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size,
				 unsigned long start, unsigned int nr,
				 void *data, struct gen_pool *pool,
				 unsigned long start_addr);
unsigned long gen_pool_fixed_alloc(unsigned long *map, unsigned long size,
				   unsigned long start, unsigned int nr,
				   void *data, struct gen_pool *pool,
				   unsigned long start_addr);
unsigned long gen_pool_first_fit_align(unsigned long *map,
				       unsigned long size,
				       unsigned long start, unsigned int nr,
				       void *data, struct gen_pool *pool,
				       unsigned long start_addr);
unsigned long gen_pool_first_fit_order_align(unsigned long *map,
					     unsigned long size,
					     unsigned long start,
					     unsigned int nr, void *data,
					     struct gen_pool *pool,
					     unsigned long start_addr);
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size,
				unsigned long start, unsigned int nr,
				void *data, struct gen_pool *pool,
				unsigned long start_addr);

struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order,
				      int nid, const char *name);
struct gen_pool *gen_pool_get(struct device *dev, const char *name);

bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start,
		       size_t size);

#ifdef CONFIG_OF
struct gen_pool *of_gen_pool_get(struct device_node *np, const char *propname,
				 int index);
#else
static inline struct gen_pool *of_gen_pool_get(struct device_node *np,
					       const char *propname, int index)
{
	return NULL;
}
#endif

#ifdef CONFIG_DEBUG_GENALLOC
int gen_pool_validate(struct gen_pool *pool);
#else
static inline int gen_pool_validate(struct gen_pool *pool)
{
	return 0;
}
#endif

#if IS_ENABLED(CONFIG_KUNIT)
/* For lib/tests/genalloc_kunit.c only: see lib/genalloc.c. */
bool gen_pool_fail_meta_alloc(const char *what);
#endif

#endif /* __GENALLOC_H__ */
