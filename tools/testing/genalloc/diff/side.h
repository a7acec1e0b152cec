/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One genalloc implementation behind a table of functions.
 *
 * side.c is compiled twice, once around our lib/genalloc.c and once around
 * upstream's (extracted from linux-source-6.12 at build time), each with
 * its own <linux/genalloc.h>.  Every global symbol of each object is then
 * renamed with objcopy (ours_*, up_*), so both allocators live in one
 * program and each is reached only through its struct side_ops:
 * ours_side_ops and up_side_ops.  Pools and chunks are opaque here, since
 * the two struct gen_pool_chunk layouts differ.
 */
#ifndef _GENALLOC_SIDE_H
#define _GENALLOC_SIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The strategies, as the test names them. */
enum side_algo {
	SIDE_FIRST_FIT,
	SIDE_FIRST_FIT_ALIGN,		/* arg: alignment in bytes */
	SIDE_FIRST_FIT_ORDER_ALIGN,
	SIDE_BEST_FIT,
	SIDE_FIXED,			/* arg: byte offset in the chunk */
	SIDE_NR_ALGOS,
	SIDE_DEFAULT = SIDE_NR_ALGOS,	/* the pool's, set by ->set_algo() */
};

/* One chunk as seen through its own implementation's struct. */
struct side_chunk {
	unsigned long start_addr;
	unsigned long end_addr;
	uint64_t phys_addr;
	void *owner;
	long avail;
	unsigned long nbits;		/* (end - start + 1) >> order */
	const unsigned long *bits;	/* the chunk's live bitmap */
};

struct side_ops {
	const char *name;
	void *(*create)(int order);
	int (*add)(void *pool, unsigned long virt, uint64_t phys, size_t size,
		   void *owner);
	void (*set_algo)(void *pool, enum side_algo algo, unsigned long arg);
	unsigned long (*alloc)(void *pool, size_t size, enum side_algo algo,
			       unsigned long arg, void **owner);
	/* gen_pool_dma_alloc_align(); returns the address, 0 on failure. */
	unsigned long (*dma_alloc_align)(void *pool, size_t size, int align,
					 uint64_t *dma);
	void (*free)(void *pool, unsigned long addr, size_t size,
		     void **owner);
	size_t (*avail)(void *pool);
	size_t (*size)(void *pool);
	uint64_t (*virt_to_phys)(void *pool, unsigned long addr);
	bool (*has_addr)(void *pool, unsigned long start, size_t size);
	/* Fills up to @max chunks in list order; returns the number of chunks. */
	int (*chunks)(void *pool, struct side_chunk *out, int max);
	/* Calls the exported strategy directly on a bitmap. */
	unsigned long (*algo)(enum side_algo algo, unsigned long arg,
			      unsigned long *map, unsigned long size,
			      unsigned long start, unsigned int nr, void *pool,
			      unsigned long start_addr);
	/* gen_pool_validate() where it exists (ours), else 0. */
	int (*validate)(void *pool);
	void (*destroy)(void *pool);
	/* Bytes this implementation has kmalloc'ed/vmalloc'ed so far. */
	size_t (*bytes_allocated)(void);
	/* sizeof(struct gen_pool_chunk) of this implementation. */
	size_t chunk_struct_size;
};

extern const struct side_ops ours_side_ops;
extern const struct side_ops up_side_ops;

#endif /* _GENALLOC_SIDE_H */
