// SPDX-License-Identifier: GPL-2.0-only
/*
 * Userspace tests of lib/genalloc.c.
 *
 * The real lib/genalloc.c and include/linux/genalloc.h are compiled
 * unmodified against the shim headers in shim/ (as tools/testing/vma
 * does with mm/vma.c), so the tests can look at chunk bitmaps directly.
 * Expected values come from CONTRACT.md (upstream 6.12's behaviour) and,
 * where upstream crashes, from the clean-failure rules of issues 2 and 5.
 */
#ifdef GENALLOC_UPSTREAM
/*
 * Self-check: build the placement tests against upstream's own file
 * (make selfcheck) to show that their expectations are upstream's.
 */
#include GENALLOC_UPSTREAM
static int gen_pool_validate(struct gen_pool *pool)
{
	return 0;
}
#else
#include "../../../lib/genalloc.c"
#endif

#include <pthread.h>
#include "harness.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */
/* ------------------------------------------------------------------ */

#define G(pool)	(1UL << (pool)->min_alloc_order)

static struct gen_pool *new_pool(int order)
{
	struct gen_pool *pool = gen_pool_create(order, NUMA_NO_NODE);

	REQUIRE(pool);
	return pool;
}

static void add(struct gen_pool *pool, unsigned long addr, size_t size)
{
	REQUIRE(gen_pool_add(pool, addr, size, NUMA_NO_NODE) == 0);
}

static void validate(struct gen_pool *pool)
{
	EXPECT_EQ(gen_pool_validate(pool), 0);
}

/* Validate, check the pool is idle, and destroy it. */
static void done(struct gen_pool *pool)
{
	validate(pool);
	EXPECT_EQ(gen_pool_avail(pool), gen_pool_size(pool));
	gen_pool_destroy(pool);
}

/* Valid bits of @chunk, computed from its byte range (not private fields). */
static unsigned long t_nbits(struct gen_pool *pool,
			     struct gen_pool_chunk *chunk)
{
	return (chunk->end_addr - chunk->start_addr + 1) >>
	       pool->min_alloc_order;
}

struct chunk_list {
	struct gen_pool_chunk *c[16];
	int n;
};

static void collect_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			  void *data)
{
	struct chunk_list *l = data;

	if (l->n < (int)ARRAY_SIZE(l->c))
		l->c[l->n] = chunk;
	l->n++;
}

/* The pool's chunks in list order, newest first. */
static struct chunk_list chunks(struct gen_pool *pool)
{
	struct chunk_list l = { .n = 0 };

	gen_pool_for_each_chunk(pool, collect_chunk, &l);
	return l;
}

static struct gen_pool_chunk *chunk_of(struct gen_pool *pool,
				       unsigned long addr)
{
	struct chunk_list l = chunks(pool);
	int i;

	for (i = 0; i < l.n && i < (int)ARRAY_SIZE(l.c); i++)
		if (addr >= l.c[i]->start_addr && addr <= l.c[i]->end_addr)
			return l.c[i];
	return NULL;
}

/* The bitmap of the chunk holding @addr as a string of 0s and 1s. */
static const char *bits_of(struct gen_pool *pool, unsigned long addr)
{
	static char buf[4096];
	struct gen_pool_chunk *chunk = chunk_of(pool, addr);
	unsigned long i, n;

	if (!chunk)
		return "(no chunk)";
	n = min(t_nbits(pool, chunk), sizeof(buf) - 1);
	for (i = 0; i < n; i++)
		buf[i] = test_bit(i, chunk->bits) ? '1' : '0';
	buf[n] = '\0';
	return buf;
}

#define EXPECT_BITS(pool, addr, str) do {				\
	const char *__b = bits_of(pool, addr);				\
	const char *__want = (str);					\
	if (strcmp(__b, __want))					\
		test_fail(__FILE__, __LINE__, "bitmap %s, expected %s",	\
			  __b, __want);					\
} while (0)

/* A snapshot of everything a failed call must leave alone. */
struct snapshot {
	size_t avail, size;
	int nchunks;
	unsigned long words;
	unsigned long hash;
};

static struct snapshot snap(struct gen_pool *pool)
{
	struct chunk_list l = chunks(pool);
	struct snapshot s = {
		.avail = gen_pool_avail(pool),
		.size = gen_pool_size(pool),
		.nchunks = l.n,
	};
	int i;

	for (i = 0; i < l.n && i < (int)ARRAY_SIZE(l.c); i++) {
		unsigned long w, n = BITS_TO_LONGS(t_nbits(pool, l.c[i]));

		for (w = 0; w < n; w++)
			s.hash = s.hash * 1000003 ^ l.c[i]->bits[w];
		s.hash = s.hash * 31 + atomic_long_read(&l.c[i]->avail);
		s.words += n;
	}
	return s;
}

#define EXPECT_UNCHANGED(pool, s) do {					\
	struct snapshot __n = snap(pool);				\
	struct snapshot __s = (s);					\
	EXPECT_EQ(__n.avail, __s.avail);				\
	EXPECT_EQ(__n.size, __s.size);					\
	EXPECT_EQ(__n.nchunks, __s.nchunks);				\
	EXPECT_EQ(__n.hash, __s.hash);					\
} while (0)

/* xorshift64*, seeded per test from the run's seed and the test's name. */
static u64 rng_state;

static void rng_seed(const char *name)
{
	u64 h = 1469598103934665603ULL ^ test_seed;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 1099511628211ULL;
	rng_state = h ? h : 1;
}

static u64 rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Uniform in [0, n). */
static unsigned long rnd_below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

/* ------------------------------------------------------------------ */
/* Creation, chunks, accounting                                       */
/* ------------------------------------------------------------------ */

/* A new pool: first fit, no data, no name, no chunks, nothing to give. */
TEST(create_defaults)
{
	struct gen_pool *pool = new_pool(5);

	EXPECT_EQ(pool->min_alloc_order, 5);
	EXPECT(pool->algo == gen_pool_first_fit);
	EXPECT(!pool->data);
	EXPECT(!pool->name);
	EXPECT(list_empty(&pool->chunks));
	EXPECT_EQ(gen_pool_avail(pool), 0);
	EXPECT_EQ(gen_pool_size(pool), 0);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0);
	EXPECT_EQ(chunks(pool).n, 0);
	done(pool);
}

/* Orders 0 and BITS_PER_LONG - 1 are both valid. */
TEST(create_order_limits)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 3);
	EXPECT_EQ(gen_pool_alloc(pool, 3), 0x1000);
	gen_pool_free(pool, 0x1000, 3);
	done(pool);

	pool = new_pool(BITS_PER_LONG - 1);
	add(pool, 1UL << (BITS_PER_LONG - 1), 1UL << (BITS_PER_LONG - 1));
	EXPECT_EQ(gen_pool_alloc(pool, 1), 1UL << (BITS_PER_LONG - 1));
	EXPECT_EQ(gen_pool_avail(pool), 0);
	gen_pool_free(pool, 1UL << (BITS_PER_LONG - 1), 1);
	done(pool);
}

/* The three add variants fill the chunk fields as CONTRACT.md 1 says. */
TEST(add_fields)
{
	struct gen_pool *pool = new_pool(4);
	struct chunk_list l;
	int owner;

	REQUIRE(gen_pool_add(pool, 0x10000, 0x100, NUMA_NO_NODE) == 0);
	REQUIRE(gen_pool_add_virt(pool, 0x20000, 0x7000, 0x105,
				  NUMA_NO_NODE) == 0);
	REQUIRE(gen_pool_add_owner(pool, 0x30000, 0x9000, 0x40, NUMA_NO_NODE,
				   &owner) == 0);
	l = chunks(pool);
	REQUIRE(l.n == 3);
	/* newest first */
	EXPECT_EQ(l.c[0]->start_addr, 0x30000);
	EXPECT_EQ(l.c[0]->end_addr, 0x3003f);
	EXPECT_EQ(l.c[0]->phys_addr, 0x9000);
	EXPECT(l.c[0]->owner == &owner);
	EXPECT_EQ(atomic_long_read(&l.c[0]->avail), 0x40);
	EXPECT_EQ(l.c[1]->start_addr, 0x20000);
	EXPECT_EQ(l.c[1]->end_addr, 0x20104);
	EXPECT_EQ(l.c[1]->phys_addr, 0x7000);
	EXPECT(!l.c[1]->owner);
	EXPECT_EQ(atomic_long_read(&l.c[1]->avail), 0x105);
	EXPECT_EQ(l.c[2]->start_addr, 0x10000);
	EXPECT_EQ(l.c[2]->end_addr, 0x100ff);
	EXPECT(l.c[2]->phys_addr == (phys_addr_t)-1);
	EXPECT_EQ(gen_pool_size(pool), 0x100 + 0x105 + 0x40);
	EXPECT_EQ(gen_pool_avail(pool), 0x100 + 0x105 + 0x40);
	done(pool);
}

static void count_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			void *data)
{
	unsigned long *seen = data;

	seen[seen[0] + 1] = chunk->start_addr;
	seen[0]++;
}

/*
 * CONTRACT.md 2.7: chunks A then B; allocations come from B until B
 * cannot satisfy a request, and for_each_chunk visits B then A.
 */
TEST(newest_chunk_first)
{
	struct gen_pool *pool = new_pool(0);
	unsigned long seen[4] = { 0 };

	add(pool, 0x1000, 16);	/* A */
	add(pool, 0x2000, 16);	/* B */
	gen_pool_for_each_chunk(pool, count_chunk, seen);
	EXPECT_EQ(seen[0], 2);
	EXPECT_EQ(seen[1], 0x2000);
	EXPECT_EQ(seen[2], 0x1000);

	EXPECT_EQ(gen_pool_alloc(pool, 10), 0x2000);
	EXPECT_EQ(gen_pool_alloc(pool, 4), 0x200a);
	EXPECT_EQ(gen_pool_alloc(pool, 4), 0x1000);	/* 2 left in B */
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x200e);	/* B fits again */
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1004);
	gen_pool_free(pool, 0x2000, 16);
	gen_pool_free(pool, 0x1000, 5);
	done(pool);
}

/* CONTRACT.md 2.7 first fit worked example. */
TEST(example_first_fit)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 16);
	EXPECT_EQ(gen_pool_alloc(pool, 3), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x1003);
	gen_pool_free(pool, 0x1000, 3);
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x1005);
	EXPECT_BITS(pool, 0x1000, "1101111000000000");
	EXPECT_EQ(gen_pool_avail(pool), 10);
	validate(pool);
	gen_pool_free(pool, 0x1000, 2);
	gen_pool_free(pool, 0x1003, 4);
	done(pool);
}

/* Mark bits [from, to) of the pool's only chunk busy by allocating them. */
static void busy(struct gen_pool *pool, unsigned long base,
		 unsigned long from, unsigned long to)
{
	struct genpool_data_fixed f = { .offset = from << pool->min_alloc_order };

	REQUIRE(gen_pool_alloc_algo(pool, (to - from) << pool->min_alloc_order,
				    gen_pool_fixed_alloc, &f) ==
		base + (from << pool->min_alloc_order));
}

/* CONTRACT.md 2.7 best fit worked examples. */
TEST(example_best_fit)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 16);
	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	busy(pool, 0x1000, 4, 8);
	busy(pool, 0x1000, 10, 16);
	/* free runs [0,4) and [8,10) */
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x1008);
	EXPECT_EQ(gen_pool_alloc(pool, 4), 0x1000);
	EXPECT_EQ(gen_pool_avail(pool), 0);
	gen_pool_free(pool, 0x1000, 16);

	/* free runs [0,4) and [8,12): equal length, lowest wins */
	busy(pool, 0x1000, 4, 8);
	busy(pool, 0x1000, 12, 16);
	EXPECT_EQ(gen_pool_alloc(pool, 3), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 5), 0);
	EXPECT_BITS(pool, 0x1000, "1110111100001111");
	/* the algorithm itself returns exactly size on failure */
	EXPECT_EQ(gen_pool_best_fit(chunk_of(pool, 0x1000)->bits, 16, 0, 5,
				    NULL, pool, 0x1000), 16);
	gen_pool_free(pool, 0x1000, 3);
	gen_pool_free(pool, 0x1004, 4);
	gen_pool_free(pool, 0x100c, 4);
	done(pool);
}

/*
 * Best fit: shortest run wins even when it comes after longer ones, ties go
 * to the lowest index, exact fits stop early, and the scope is one chunk.
 */
TEST(best_fit_rules)
{
	unsigned long map[2] = { 0 };
	struct gen_pool *pool;

	/* runs: [0,5) [6,9) [10,13) [14,64): a 3-bit request takes bit 6 */
	map[0] = BIT(5) | BIT(9) | BIT(13);
	EXPECT_EQ(gen_pool_best_fit(map, 64, 0, 3, NULL, NULL, 0), 6);
	EXPECT_EQ(gen_pool_best_fit(map, 64, 0, 4, NULL, NULL, 0), 0);
	EXPECT_EQ(gen_pool_best_fit(map, 64, 0, 6, NULL, NULL, 0), 14);
	EXPECT_EQ(gen_pool_best_fit(map, 64, 7, 3, NULL, NULL, 0), 10);
	EXPECT_EQ(gen_pool_best_fit(map, 64, 0, 51, NULL, NULL, 0), 64);
	/* a run crossing a word boundary */
	map[0] = ~0UL >> 4;
	map[1] = ~0UL << 3;
	EXPECT_EQ(gen_pool_best_fit(map, 2 * BITS_PER_LONG, 0, 7, NULL, NULL,
				    0), BITS_PER_LONG - 4);

	/* per chunk: the newest chunk's poor fit beats the older exact fit */
	pool = new_pool(0);
	add(pool, 0x1000, 8);
	busy(pool, 0x1000, 2, 8);		/* older: run of exactly 2 */
	add(pool, 0x2000, 8);			/* newer: run of 8 */
	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x2000);
	gen_pool_free(pool, 0x2000, 2);
	gen_pool_free(pool, 0x1002, 6);
	done(pool);
}

/* CONTRACT.md 2.7 and 2.0: failure values of the first-fit family. */
TEST(first_fit_failure_values)
{
	unsigned long map[1] = { 0 };
	struct gen_pool *pool = new_pool(0);

	EXPECT_EQ(gen_pool_first_fit(map, 10, 0, 20, NULL, NULL, 0), 20);
	map[0] = (1UL << 10) - 1;
	EXPECT_EQ(gen_pool_first_fit(map, 10, 0, 3, NULL, NULL, 0), 13);
	EXPECT_EQ(gen_pool_first_fit_order_align(map, 10, 0, 3, NULL, NULL, 0),
		  15);
	map[0] = 0;
	EXPECT_EQ(gen_pool_first_fit(map, 10, 10, 2, NULL, NULL, 0), 12);
	EXPECT_EQ(gen_pool_first_fit(map, 10, 3, 7, NULL, NULL, 0), 3);
	EXPECT_EQ(gen_pool_first_fit(map, 10, 4, 7, NULL, NULL, 0), 11);
	/* best fit and fixed return exactly size */
	map[0] = (1UL << 10) - 1;
	EXPECT_EQ(gen_pool_best_fit(map, 10, 0, 3, NULL, NULL, 0), 10);
	{
		struct genpool_data_fixed f = { .offset = 4 };

		EXPECT_EQ(gen_pool_fixed_alloc(map, 10, 0, 3, &f, pool, 0), 10);
		map[0] = 0;
		EXPECT_EQ(gen_pool_fixed_alloc(map, 10, 0, 3, &f, pool, 0), 4);
		EXPECT_EQ(gen_pool_fixed_alloc(map, 10, 0, 7, &f, pool, 0), 10);
		EXPECT_EQ(gen_pool_fixed_alloc(map, 10, 1, 3, &f, pool, 0), 10);
	}
	{
		struct genpool_data_align a = { .align = 4 };

		map[0] = 1;
		EXPECT_EQ(gen_pool_first_fit_align(map, 10, 0, 2, &a, pool,
						   0x1000), 4);
		EXPECT_EQ(gen_pool_first_fit_align(map, 10, 0, 3, &a, pool,
						   0x1000), 4);
		EXPECT_EQ(gen_pool_first_fit_align(map, 10, 0, 3, &a, pool,
						   0x1001), 3);
		map[0] = (1UL << 10) - 1;
		/* no clear bit: size, rounded to the alignment, plus nr */
		EXPECT_EQ(gen_pool_first_fit_align(map, 10, 0, 3, &a, pool,
						   0x1000), 15);
	}
	gen_pool_destroy(pool);
}

/* CONTRACT.md 2.7 order_align example and 2.3's byte-size rules. */
TEST(example_order_align)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 16);
	gen_pool_set_algo(pool, gen_pool_first_fit_order_align, NULL);
	EXPECT_EQ(gen_pool_alloc(pool, 5), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 3), 0x1008);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1005);
	EXPECT_BITS(pool, 0x1000, "1111110011100000");
	gen_pool_free(pool, 0x1000, 6);
	gen_pool_free(pool, 0x1008, 3);
	done(pool);

	/* relative to the chunk: order 3, chunk at 0x1008 */
	pool = new_pool(3);
	add(pool, 0x1008, 0x100);
	gen_pool_set_algo(pool, gen_pool_first_fit_order_align, NULL);
	EXPECT_EQ(gen_pool_alloc(pool, 8), 0x1008);
	EXPECT_EQ(gen_pool_alloc(pool, 24), 0x1008 + 4 * 8);	/* 3 -> 4 */
	EXPECT_EQ(gen_pool_alloc(pool, 60), 0x1008 + 8 * 8);	/* 8 granules */
	EXPECT_EQ(gen_pool_alloc(pool, 8), 0x1008 + 1 * 8);
	EXPECT_BITS(pool, 0x1008, "11001110111111110000000000000000");
	gen_pool_free(pool, 0x1008, 16);
	gen_pool_free(pool, 0x1008 + 32, 24);
	gen_pool_free(pool, 0x1008 + 64, 64);
	done(pool);
}

/* CONTRACT.md 2.2 and 2.7: first_fit_align aligns the absolute address. */
TEST(first_fit_align_absolute)
{
	struct genpool_data_align a4 = { .align = 4 }, a64 = { .align = 64 };
	struct genpool_data_align a8 = { .align = 8 }, a32 = { .align = 32 };
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1002, 16);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_first_fit_align, &a4),
		  0x1004);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_first_fit_align, &a8),
		  0x1008);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_first_fit_align, &a4),
		  0x100c);
	EXPECT_EQ(gen_pool_alloc(pool, 2), 0x1002);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_first_fit_align, &a4),
		  0x1010);	/* the chunk's last 4-aligned byte */
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_first_fit_align, &a4),
		  0);
	EXPECT_BITS(pool, 0x1002, "1110001000100010");
	gen_pool_free(pool, 0x1002, 3);
	gen_pool_free(pool, 0x1008, 1);
	gen_pool_free(pool, 0x100c, 1);
	gen_pool_free(pool, 0x1010, 1);
	done(pool);

	/* granule-aligned start, align > G: absolute */
	pool = new_pool(4);
	add(pool, 0x10010, 0x400);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 16, gen_pool_first_fit_align,
				      &a64), 0x10040);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 100, gen_pool_first_fit_align,
				      &a64), 0x10080);
	/* align below the granule: no constraint */
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_first_fit_align, &a8),
		  0x10010);
	EXPECT(gen_pool_dma_alloc_align(pool, 16, NULL, 32) ==
	       (void *)0x10020);
	gen_pool_free(pool, 0x10010, 0x20);
	gen_pool_free(pool, 0x10040, 0x10);
	gen_pool_free(pool, 0x10080, 100);
	done(pool);

	/* sub-granule misalignment of the chunk is ignored (CONTRACT 2.2) */
	pool = new_pool(4);
	add(pool, 0x1008, 0x100);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 16, gen_pool_first_fit_align,
				      &a32), 0x1008);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 16, gen_pool_first_fit_align,
				      &a32), 0x1028);
	gen_pool_free(pool, 0x1008, 16);
	gen_pool_free(pool, 0x1028, 16);
	done(pool);
}

/* CONTRACT.md 2.5: fixed offsets are relative to each chunk. */
TEST(fixed_alloc_chunk_relative)
{
	struct genpool_data_fixed f = { .offset = 0x40 };
	struct gen_pool *pool = new_pool(4);
	void *owner;

	REQUIRE(gen_pool_add_owner(pool, 0x10000, 0, 0x100, NUMA_NO_NODE,
				   (void *)1) == 0);
	REQUIRE(gen_pool_add_owner(pool, 0x20000, 0, 0x100, NUMA_NO_NODE,
				   (void *)2) == 0);
	EXPECT_EQ(gen_pool_alloc_algo_owner(pool, 0x20, gen_pool_fixed_alloc,
					    &f, &owner), 0x20040);
	EXPECT(owner == (void *)2);
	EXPECT_EQ(gen_pool_alloc_algo_owner(pool, 0x20, gen_pool_fixed_alloc,
					    &f, &owner), 0x10040);
	EXPECT(owner == (void *)1);
	EXPECT_EQ(gen_pool_alloc_algo_owner(pool, 0x20, gen_pool_fixed_alloc,
					    &f, &owner), 0);
	EXPECT(!owner);
	/* a neighbour of an allocated region is still free */
	f.offset = 0x60;
	EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10, gen_pool_fixed_alloc, &f),
		  0x20060);
	/* the region must lie entirely inside the chunk */
	f.offset = 0xf0;
	EXPECT_EQ(gen_pool_alloc_algo(pool, 0x20, gen_pool_fixed_alloc, &f),
		  0);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10, gen_pool_fixed_alloc, &f),
		  0x200f0);
	/* past every chunk: fails, the pool is untouched */
	f.offset = 0x1000;
	EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10, gen_pool_fixed_alloc, &f),
		  0);
	/* offset 0 */
	f.offset = 0;
	EXPECT_EQ(gen_pool_alloc_algo(pool, 0x40, gen_pool_fixed_alloc, &f),
		  0x20000);
	gen_pool_free(pool, 0x20000, 0x70);
	gen_pool_free(pool, 0x200f0, 0x10);
	gen_pool_free(pool, 0x10040, 0x20);
	done(pool);
}

/* Allocation never spans chunks, even contiguous ones (CONTRACT 1). */
TEST(never_spans_chunks)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 16);
	add(pool, 0x1010, 16);
	EXPECT_EQ(gen_pool_alloc(pool, 24), 0);
	EXPECT_EQ(gen_pool_alloc(pool, 16), 0x1010);
	EXPECT_EQ(gen_pool_alloc(pool, 16), 0x1000);
	EXPECT(!gen_pool_has_addr(pool, 0x1008, 16));
	gen_pool_free(pool, 0x1000, 16);
	gen_pool_free(pool, 0x1010, 16);
	done(pool);
}

/* CONTRACT.md 1 and 5.14: owners are reported, and cleared on entry. */
TEST(owners)
{
	struct gen_pool *pool = new_pool(3);
	int a, b;
	void *owner;
	unsigned long x, y;

	REQUIRE(gen_pool_add_owner(pool, 0x1000, 0x1000, 64, NUMA_NO_NODE,
				   &a) == 0);
	REQUIRE(gen_pool_add_owner(pool, 0x2000, 0x2000, 64, NUMA_NO_NODE,
				   &b) == 0);
	owner = (void *)0x1;
	x = gen_pool_alloc_owner(pool, 64, &owner);
	EXPECT_EQ(x, 0x2000);
	EXPECT(owner == &b);
	y = gen_pool_alloc_owner(pool, 8, &owner);
	EXPECT_EQ(y, 0x1000);
	EXPECT(owner == &a);
	owner = (void *)0x1;
	EXPECT_EQ(gen_pool_alloc_owner(pool, 64, &owner), 0);
	EXPECT(!owner);
	owner = (void *)0x1;
	gen_pool_free_owner(pool, x, 64, &owner);
	EXPECT(owner == &b);
	gen_pool_free_owner(pool, y, 8, &owner);
	EXPECT(owner == &a);
	done(pool);
}

/* CONTRACT.md 1 gen_pool_virt_to_phys, 5.10. */
TEST(virt_to_phys)
{
	struct gen_pool *pool = new_pool(2);

	REQUIRE(gen_pool_add_virt(pool, 0x10000, 0x80000, 0x100,
				  NUMA_NO_NODE) == 0);
	add(pool, 0x20000, 0x100);
	EXPECT(gen_pool_virt_to_phys(pool, 0x10000) == 0x80000);
	EXPECT(gen_pool_virt_to_phys(pool, 0x10005) == 0x80005);
	EXPECT(gen_pool_virt_to_phys(pool, 0x100ff) == 0x800ff);
	EXPECT(gen_pool_virt_to_phys(pool, 0x10100) == (phys_addr_t)-1);
	EXPECT(gen_pool_virt_to_phys(pool, 0xffff) == (phys_addr_t)-1);
	/* gen_pool_add() chunks: phys is all ones, plus the offset */
	EXPECT(gen_pool_virt_to_phys(pool, 0x20000) == (phys_addr_t)-1);
	EXPECT(gen_pool_virt_to_phys(pool, 0x20010) == (phys_addr_t)0xf);
	EXPECT(gen_pool_virt_to_phys(pool, 0x200ff) == (phys_addr_t)0xfe);
	done(pool);
}

/* dma_* variants on real memory (CONTRACT.md 1, 5.13). */
TEST(dma_variants)
{
	static unsigned char mem[1024] __aligned(256);
	unsigned long base = (unsigned long)mem;
	struct gen_pool *pool = new_pool(3);
	dma_addr_t dma;
	unsigned char *p, *q;
	int i;

	REQUIRE(gen_pool_add_virt(pool, base, 0x40000000, sizeof(mem),
				  NUMA_NO_NODE) == 0);
	memset(mem, 0xaa, sizeof(mem));

	p = gen_pool_dma_alloc(pool, 10, &dma);
	EXPECT(p == mem);
	EXPECT(dma == 0x40000000);
	q = gen_pool_dma_zalloc(pool, 13, &dma);
	EXPECT(q == mem + 16);
	EXPECT(dma == 0x40000010);
	for (i = 0; i < 13; i++)
		EXPECT_EQ(q[i], 0);
	for (i = 13; i < 16; i++)		/* only the requested bytes */
		EXPECT_EQ(q[i], 0xaa);
	EXPECT_EQ(q[16], 0xaa);
	EXPECT_EQ(p[10], 0xaa);			/* dma_alloc does not zero */

	p = gen_pool_dma_zalloc_align(pool, 20, &dma, 128);
	EXPECT(p == mem + 128);
	EXPECT(dma == 0x40000080);
	for (i = 0; i < 20; i++)
		EXPECT_EQ(p[i], 0);
	EXPECT_EQ(p[20], 0xaa);
	p = gen_pool_dma_alloc_align(pool, 8, &dma, 64);
	EXPECT(p == mem + 64);
	EXPECT(dma == 0x40000040);
	/* holes [32, 64), [72, 128), [152, 1024): best fit takes the first */
	p = gen_pool_dma_alloc_algo(pool, 8, &dma, gen_pool_best_fit, NULL);
	EXPECT(p == mem + 32);
	EXPECT(dma == 0x40000020);
	p = gen_pool_dma_zalloc_algo(pool, 9, NULL, gen_pool_first_fit, NULL);
	EXPECT(p == mem + 40);
	EXPECT_EQ(p[8], 0);
	EXPECT_EQ(p[9], 0xaa);

	/* failure: NULL, and *dma untouched */
	dma = 0x1234;
	EXPECT(!gen_pool_dma_alloc(pool, 4096, &dma));
	EXPECT(!gen_pool_dma_zalloc(pool, 4096, &dma));
	EXPECT(!gen_pool_dma_alloc_align(pool, 4096, &dma, 8));
	EXPECT(!gen_pool_dma_zalloc_align(pool, 4096, &dma, 8));
	EXPECT(!gen_pool_dma_alloc_algo(pool, 4096, &dma, gen_pool_best_fit,
					NULL));
	EXPECT(!gen_pool_dma_zalloc_algo(pool, 4096, &dma, gen_pool_best_fit,
					 NULL));
	EXPECT(dma == 0x1234);

	gen_pool_free(pool, base, 56);
	gen_pool_free(pool, base + 64, 8);
	gen_pool_free(pool, base + 128, 24);
	done(pool);

	/* with gen_pool_add() chunks *dma gets the all-ones garbage */
	pool = new_pool(3);
	add(pool, base, sizeof(mem));
	p = gen_pool_dma_alloc(pool, 8, &dma);
	EXPECT(p == mem);
	EXPECT(dma == (dma_addr_t)(phys_addr_t)-1);
	p = gen_pool_dma_alloc(pool, 8, &dma);
	EXPECT(dma == (dma_addr_t)(phys_addr_t)7);
	gen_pool_free(pool, base, 16);
	done(pool);
}

/* CONTRACT.md 1 gen_pool_has_addr and 5.16. */
TEST(has_addr)
{
	struct gen_pool *pool = new_pool(4);

	add(pool, 0x1000, 0x100);
	add(pool, 0x1100, 0x100);	/* contiguous */
	EXPECT(gen_pool_has_addr(pool, 0x1000, 1));
	EXPECT(gen_pool_has_addr(pool, 0x1000, 0x100));
	EXPECT(!gen_pool_has_addr(pool, 0x1000, 0x101));
	EXPECT(gen_pool_has_addr(pool, 0x10ff, 1));
	EXPECT(!gen_pool_has_addr(pool, 0x10ff, 2));	/* spans two chunks */
	EXPECT(gen_pool_has_addr(pool, 0x1100, 0x100));
	EXPECT(!gen_pool_has_addr(pool, 0x1200, 1));
	EXPECT(!gen_pool_has_addr(pool, 0xfff, 1));
	EXPECT(!gen_pool_has_addr(pool, 0xfff, 2));
	/* size 0: does the start lie in a chunk */
	EXPECT(gen_pool_has_addr(pool, 0x1000, 0));
	EXPECT(gen_pool_has_addr(pool, 0x11ff, 0));
	EXPECT(!gen_pool_has_addr(pool, 0x1200, 0));
	EXPECT(!gen_pool_has_addr(pool, 0, 0));
	/* an end that wraps below the start passes, as upstream */
	EXPECT(gen_pool_has_addr(pool, 0x1010, ULONG_MAX - 0x100));
	/* allocation state is not looked at */
	EXPECT_EQ(gen_pool_alloc(pool, 0x10), 0x1100);
	EXPECT(gen_pool_has_addr(pool, 0x1100, 0x10));
	gen_pool_free(pool, 0x1100, 0x10);
	done(pool);
}

/* CONTRACT.md 5.6: avail counts the sub-granule tail and rounded sizes. */
TEST(avail_and_size)
{
	struct gen_pool *pool = new_pool(5);

	add(pool, 0x1000, 100);		/* 3 granules + 4 bytes */
	EXPECT_EQ(gen_pool_avail(pool), 100);
	EXPECT_EQ(gen_pool_size(pool), 100);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1000);
	EXPECT_EQ(gen_pool_avail(pool), 68);
	EXPECT_EQ(gen_pool_alloc(pool, 64), 0x1020);
	EXPECT_EQ(gen_pool_avail(pool), 4);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0);
	EXPECT_EQ(gen_pool_avail(pool), 4);
	validate(pool);
	gen_pool_free(pool, 0x1000, 1);
	EXPECT_EQ(gen_pool_avail(pool), 36);
	/* a request above every chunk's avail fails without a search */
	EXPECT_EQ(gen_pool_alloc(pool, 37), 0);
	gen_pool_free(pool, 0x1020, 64);
	add(pool, 0x2000, 0x20);
	EXPECT_EQ(gen_pool_size(pool), 132);
	EXPECT_EQ(gen_pool_avail(pool), 132);
	done(pool);
}

/* CONTRACT.md 1 gen_pool_set_algo. */
TEST(set_algo)
{
	struct genpool_data_align a = { .align = 64 };
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 256);
	gen_pool_set_algo(pool, gen_pool_first_fit_align, &a);
	EXPECT(pool->algo == gen_pool_first_fit_align);
	EXPECT(pool->data == &a);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1040);
	a.align = 128;			/* data is kept by reference */
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1080);
	gen_pool_set_algo(pool, NULL, &a);
	EXPECT(pool->algo == gen_pool_first_fit);
	EXPECT(pool->data == &a);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0x1001);
	gen_pool_free(pool, 0x1000, 2);
	gen_pool_free(pool, 0x1040, 1);
	gen_pool_free(pool, 0x1080, 1);
	done(pool);
}

/* Free works on any allocated range, not on allocation boundaries. */
TEST(free_ranges)
{
	struct gen_pool *pool = new_pool(2);

	add(pool, 0x1000, 64);
	EXPECT_EQ(gen_pool_alloc(pool, 16), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 16), 0x1010);
	/* free the middle of the first block */
	gen_pool_free(pool, 0x1004, 8);
	EXPECT_BITS(pool, 0x1000, "1001111100000000");
	/* an address inside the first granule and a size covering two blocks */
	gen_pool_free(pool, 0x100d, 12);
	EXPECT_BITS(pool, 0x1000, "1000001100000000");
	validate(pool);
	gen_pool_free(pool, 0x1000, 1);
	/* one free covering what is left of two blocks */
	gen_pool_free(pool, 0x1018, 8);
	done(pool);
}

/* CONTRACT.md 5.1: a granule at address 0 looks like a failure. */
TEST(address_zero)
{
	struct gen_pool *pool = new_pool(3);

	add(pool, 0, 64);
	EXPECT_EQ(gen_pool_alloc(pool, 8), 0);
	EXPECT_EQ(gen_pool_avail(pool), 56);
	EXPECT_BITS(pool, 0, "10000000");
	EXPECT_EQ(gen_pool_alloc(pool, 8), 8);
	validate(pool);
	gen_pool_free(pool, 0, 16);
	done(pool);
}

/* A chunk may end at the very top of the address space. */
TEST(chunk_at_top)
{
	struct gen_pool *pool = new_pool(4);
	unsigned long base = ULONG_MAX - 0xff;

	REQUIRE(gen_pool_add_virt(pool, base, 0x1000, 0x100,
				  NUMA_NO_NODE) == 0);
	EXPECT_EQ(chunks(pool).c[0]->end_addr, ULONG_MAX);
	EXPECT_EQ(gen_pool_size(pool), 0x100);
	EXPECT_EQ(gen_pool_alloc(pool, 0xf0), base);
	EXPECT_EQ(gen_pool_alloc(pool, 0x10), ULONG_MAX - 0xf);
	EXPECT_EQ(gen_pool_alloc(pool, 0x10), 0);
	EXPECT(gen_pool_virt_to_phys(pool, ULONG_MAX) == 0x10ff);
	EXPECT(gen_pool_has_addr(pool, ULONG_MAX, 1));
	EXPECT(gen_pool_has_addr(pool, base, 0x100));
	EXPECT(!gen_pool_has_addr(pool, 0, 0));	/* 0 is in no chunk */
	gen_pool_free(pool, ULONG_MAX - 0xf, 0x10);
	gen_pool_free(pool, base, 0xf0);
	done(pool);
}

/*
 * Size 0: allocation returns 0 and clears *owner (CONTRACT 1), as upstream
 * does; issue 5 lists it as a caller mistake, so ours also warns (once per
 * call site: EXPECT_WARNS re-arms the site before each call).
 */
TEST(zero_size_alloc)
{
	struct gen_pool *pool = new_pool(3);
	struct snapshot s;
	void *owner = &owner;

	add(pool, 0x1000, 64);
	s = snap(pool);
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc(pool, 0), 0));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_owner(pool, 0, &owner), 0));
	EXPECT(!owner);
	EXPECT_WARNS(1, EXPECT(!gen_pool_dma_alloc(pool, 0, NULL)));
	/* a repeated mistake is reported once */
	EXPECT_WARNS(1, {
		gen_pool_alloc(pool, 0);
		gen_pool_alloc(pool, 0);
	});
	EXPECT_UNCHANGED(pool, s);
	done(pool);
}

/*
 * Size 0 free: upstream is a no-op apart from reporting the owner of the
 * chunk holding @addr (CONTRACT 1 gen_pool_free_owner).  The pool must not
 * change; a warning is tolerated (issue 5 lists it as a caller mistake).
 */
TEST(zero_size_free)
{
	struct gen_pool *pool = new_pool(3);
	struct snapshot s;
	unsigned long before;

	add(pool, 0x1000, 64);
	EXPECT_EQ(gen_pool_alloc(pool, 8), 0x1000);
	s = snap(pool);
	before = shim_nr_warnings;
	gen_pool_free(pool, 0x1000, 0);
	EXPECT(shim_nr_warnings - before <= 1);
	test_acked_warnings += shim_nr_warnings - before;
	EXPECT_UNCHANGED(pool, s);
	gen_pool_free(pool, 0x1000, 8);
	done(pool);
}

static unsigned long nr_custom_calls;
static unsigned long custom_starts[4];

/* Returns bit 2 on the first call, then defers to first fit. */
static unsigned long custom_algo(unsigned long *map, unsigned long size,
				 unsigned long start, unsigned int nr,
				 void *data, struct gen_pool *pool,
				 unsigned long start_addr)
{
	if (nr_custom_calls < ARRAY_SIZE(custom_starts))
		custom_starts[nr_custom_calls] = start;
	EXPECT(data == &nr_custom_calls);
	EXPECT_EQ(start_addr, 0x1000);
	EXPECT_EQ(size, 16);
	if (nr_custom_calls++ == 0)
		return 2;
	return gen_pool_first_fit(map, size, start, nr, data, pool,
				  start_addr);
}

/*
 * Custom strategies get the plain bitmap; when the bits they pick turn out
 * to be taken, the core retries from the contested index (CONTRACT 1.5d).
 */
TEST(custom_algo_retry)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x1000, 16);
	EXPECT_EQ(gen_pool_alloc(pool, 4), 0x1000);
	nr_custom_calls = 0;
	EXPECT_EQ(gen_pool_alloc_algo(pool, 2, custom_algo, &nr_custom_calls),
		  0x1004);
	EXPECT_EQ(nr_custom_calls, 2);
	EXPECT_EQ(custom_starts[0], 0);
	EXPECT_EQ(custom_starts[1], 2);
	gen_pool_free(pool, 0x1000, 6);
	done(pool);
}

/* A pool used from NMI context (the harness has NMI-safe cmpxchg). */
TEST(nmi_and_atomic_context)
{
	struct gen_pool *pool = new_pool(3);
	unsigned long a;

	add(pool, 0x1000, 64);
	nmi_enter();
	rcu_read_lock();
	preempt_disable();
	a = gen_pool_alloc(pool, 8);
	EXPECT_EQ(a, 0x1000);
	EXPECT(gen_pool_has_addr(pool, a, 8));
	EXPECT(gen_pool_virt_to_phys(pool, a) == (phys_addr_t)-1);
	EXPECT_EQ(gen_pool_avail(pool), 56);
	EXPECT_EQ(gen_pool_size(pool), 64);
	gen_pool_free(pool, a, 8);
	preempt_enable();
	rcu_read_unlock();
	nmi_exit();
	done(pool);
}

/* CONTRACT.md 0.4: export classes. */
TEST(exports)
{
	static const char * const plain[] = {
		"gen_pool_create", "gen_pool_add_owner",
		"gen_pool_virt_to_phys", "gen_pool_destroy",
		"gen_pool_alloc_algo_owner", "gen_pool_dma_alloc",
		"gen_pool_dma_alloc_algo", "gen_pool_dma_alloc_align",
		"gen_pool_dma_zalloc", "gen_pool_dma_zalloc_algo",
		"gen_pool_dma_zalloc_align", "gen_pool_free_owner",
		"gen_pool_for_each_chunk", "gen_pool_has_addr",
		"gen_pool_set_algo", "gen_pool_first_fit",
		"gen_pool_first_fit_align", "gen_pool_fixed_alloc",
		"gen_pool_first_fit_order_align", "gen_pool_best_fit",
		"devm_gen_pool_create",
	};
	static const char * const gpl[] = {
		"gen_pool_avail", "gen_pool_size", "gen_pool_get",
		"of_gen_pool_get",
	};
	static const char * const none[] = {
		"gen_pool_alloc", "gen_pool_free", "gen_pool_add",
		"gen_pool_add_virt", "gen_pool_alloc_algo",
		"gen_pool_alloc_owner", "addr_in_gen_pool",
		"devm_gen_pool_release", "devm_gen_pool_match",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		const char *c = shim_export_class(plain[i]);

		if (!c || strcmp(c, ""))
			test_fail(__FILE__, __LINE__, "%s: export class %s",
				  plain[i], c ? c : "(none)");
	}
	for (i = 0; i < ARRAY_SIZE(gpl); i++) {
		const char *c = shim_export_class(gpl[i]);

		if (!c || strcmp(c, "GPL"))
			test_fail(__FILE__, __LINE__, "%s: export class %s",
				  gpl[i], c ? c : "(none)");
	}
	for (i = 0; i < ARRAY_SIZE(none); i++)
		if (shim_export_class(none[i]))
			test_fail(__FILE__, __LINE__, "%s is exported",
				  none[i]);
}

int nocfg_of_gen_pool_get(void);

/* Without CONFIG_OF, of_gen_pool_get() is an inline returning NULL. */
TEST(of_gen_pool_get_without_of)
{
	EXPECT(nocfg_of_gen_pool_get());
}

/* ------------------------------------------------------------------ */
/* Device-managed pools and the device tree                           */
/* ------------------------------------------------------------------ */

/*
 * One unnamed and several named pools per device; duplicates give
 * -EINVAL; plain gen_pool_create() pools are invisible; releasing the
 * device destroys every pool (CONTRACT.md 1 devm_gen_pool_create).
 */
TEST(devm_pools)
{
	struct device dev, other;
	struct gen_pool *unnamed, *a, *b, *p;
	char name[] = "sram-b";	/* not read-only data: must be copied */
	long base = shim_nr_allocated;

	shim_device_init(&dev, "dev");
	shim_device_init(&other, "other");
	EXPECT(!gen_pool_get(&dev, NULL));
	EXPECT(!gen_pool_get(&dev, "a"));

	unnamed = devm_gen_pool_create(&dev, 4, NUMA_NO_NODE, NULL);
	REQUIRE(!IS_ERR_OR_NULL(unnamed));
	a = devm_gen_pool_create(&dev, 5, NUMA_NO_NODE, "a");
	REQUIRE(!IS_ERR_OR_NULL(a));
	b = devm_gen_pool_create(&dev, 6, NUMA_NO_NODE, name);
	REQUIRE(!IS_ERR_OR_NULL(b));
	EXPECT(!unnamed->name);
	EXPECT(!strcmp(a->name, "a"));
	EXPECT(!strcmp(b->name, "sram-b"));
	EXPECT(b->name != name);
	name[0] = 'X';
	EXPECT(!strcmp(b->name, "sram-b"));
	EXPECT_EQ(b->min_alloc_order, 6);

	EXPECT(gen_pool_get(&dev, NULL) == unnamed);
	EXPECT(gen_pool_get(&dev, "a") == a);
	EXPECT(gen_pool_get(&dev, "sram-b") == b);
	EXPECT(!gen_pool_get(&dev, "c"));
	EXPECT(!gen_pool_get(&other, NULL));

	p = devm_gen_pool_create(&dev, 4, NUMA_NO_NODE, NULL);
	EXPECT(p == ERR_PTR(-EINVAL));
	p = devm_gen_pool_create(&dev, 4, NUMA_NO_NODE, "a");
	EXPECT(p == ERR_PTR(-EINVAL));
	EXPECT_EQ(shim_devres_count(&dev), 3);

	/* a pool of another device with the same name is independent */
	p = devm_gen_pool_create(&other, 4, NUMA_NO_NODE, "a");
	REQUIRE(!IS_ERR_OR_NULL(p));
	EXPECT(gen_pool_get(&other, "a") == p);
	EXPECT(gen_pool_get(&dev, "a") == a);

	/* the pools work, and are released with their device */
	add(a, 0x1000, 0x100);
	EXPECT_EQ(gen_pool_alloc(a, 32), 0x1000);
	gen_pool_free(a, 0x1000, 32);
	EXPECT_EQ(devres_release_all(&dev), 3);
	EXPECT(!gen_pool_get(&dev, NULL));
	EXPECT(!gen_pool_get(&dev, "a"));
	EXPECT_EQ(devres_release_all(&other), 1);
	EXPECT_EQ(shim_nr_allocated, base);
}

/*
 * A pool left allocated at unbind WARNs and is kept whole instead of
 * crashing: late frees still work.
 */
TEST(devm_release_with_allocations)
{
	struct device dev;
	struct gen_pool *pool;
	long base = shim_nr_allocated;

	shim_device_init(&dev, "dev");
	pool = devm_gen_pool_create(&dev, 3, NUMA_NO_NODE, "busy");
	REQUIRE(!IS_ERR_OR_NULL(pool));
	add(pool, 0x1000, 64);
	EXPECT_EQ(gen_pool_alloc(pool, 8), 0x1000);
	EXPECT_WARNS(1, devres_release_all(&dev));
	EXPECT(strstr(shim_last_printk, "0x1000"));
	EXPECT_EQ(shim_devres_count(&dev), 0);
	/* the pool and its chunk stay allocated, only the record went */
	EXPECT_EQ(shim_nr_allocated - base, 2);
	gen_pool_free(pool, 0x1000, 8);
	validate(pool);
	accept_leaks(shim_nr_allocated - base);
}

static struct property prop(const char *name, const void *value, int len)
{
	struct property p = { .name = name, .value = value, .length = len };

	return p;
}

/*
 * of_gen_pool_get() against a fake tree shaped like drivers/misc/sram.c's:
 *
 *	sram@5c000000 (phandle 1, device "sram", unnamed pool + partitions)
 *		part@1000  (phandle 2, label "fw")
 *		part@2000  (phandle 3, no label: name@unit)
 *		part@3000  (phandle 4, no pool)
 *	other@0 (phandle 5, device without pools)
 *	orphan@0 (phandle 6, no device, parent has none either)
 *	consumer: sram = <1 2 3 4 5 6 99>
 */
TEST(of_gen_pool_get)
{
	static const u32 phandles[] = { 1, 2, 3, 4, 5, 6, 99 };
	struct device_node root, sram, p1, p2, p3, other, orphan, consumer;
	struct property pr_sram, pr_label, pr_other;
	struct platform_device sram_dev, other_dev;
	struct gen_pool *whole, *fw, *p2pool;
	long base = shim_nr_allocated;

	shim_of_reset();
	shim_of_node_init(&root, "", "/", NULL, 0);
	shim_of_node_init(&sram, "sram", "sram@5c000000", &root, 1);
	shim_of_node_init(&p1, "part", "part@1000", &sram, 2);
	shim_of_node_init(&p2, "part", "part@2000", &sram, 3);
	shim_of_node_init(&p3, "part", "part@3000", &sram, 4);
	shim_of_node_init(&other, "other", "other@0", &root, 5);
	shim_of_node_init(&orphan, "orphan", "orphan@0", &root, 6);
	shim_of_node_init(&consumer, "consumer", "consumer@0", &root, 0);
	pr_sram = prop("sram", phandles, sizeof(phandles));
	shim_of_add_prop(&consumer, &pr_sram);
	pr_label = prop("label", "fw", 3);
	shim_of_add_prop(&p1, &pr_label);
	pr_other = prop("pool", NULL, 0);
	shim_of_add_prop(&p2, &pr_other);
	shim_platform_device_init(&sram_dev, "sram", &sram);
	shim_platform_device_init(&other_dev, "other", &other);

	whole = devm_gen_pool_create(&sram_dev.dev, 5, NUMA_NO_NODE, NULL);
	fw = devm_gen_pool_create(&sram_dev.dev, 5, NUMA_NO_NODE, "fw");
	p2pool = devm_gen_pool_create(&sram_dev.dev, 5, NUMA_NO_NODE,
				      "part@2000");
	REQUIRE(!IS_ERR_OR_NULL(whole) && !IS_ERR_OR_NULL(fw) &&
		!IS_ERR_OR_NULL(p2pool));

	EXPECT(of_gen_pool_get(&consumer, "sram", 0) == whole);
	EXPECT(of_gen_pool_get(&consumer, "sram", 1) == fw);
	EXPECT(of_gen_pool_get(&consumer, "sram", 2) == p2pool);
	EXPECT(!of_gen_pool_get(&consumer, "sram", 3));
	EXPECT(!of_gen_pool_get(&consumer, "sram", 4));
	EXPECT(!of_gen_pool_get(&consumer, "sram", 5));
	EXPECT(!of_gen_pool_get(&consumer, "sram", 6));	/* no node */
	EXPECT(!of_gen_pool_get(&consumer, "sram", 7));	/* past end */
	EXPECT(!of_gen_pool_get(&consumer, "sram", -1));
	EXPECT(!of_gen_pool_get(&consumer, "iram", 0));
	EXPECT(!of_gen_pool_get(&sram, "sram", 0));

	/* every node and device reference taken was dropped */
	EXPECT_EQ(sram.refcount, 1);
	EXPECT_EQ(p1.refcount, 1);
	EXPECT_EQ(p2.refcount, 1);
	EXPECT_EQ(p3.refcount, 1);
	EXPECT_EQ(other.refcount, 1);
	EXPECT_EQ(orphan.refcount, 1);
	EXPECT_EQ(root.refcount, 1);
	EXPECT_EQ(sram_dev.dev.refcount, 1);
	EXPECT_EQ(other_dev.dev.refcount, 1);

	/* after unbinding, the lookups find nothing */
	EXPECT_EQ(devres_release_all(&sram_dev.dev), 3);
	EXPECT(!of_gen_pool_get(&consumer, "sram", 0));
	EXPECT(!of_gen_pool_get(&consumer, "sram", 1));
	EXPECT_EQ(sram_dev.dev.refcount, 1);
	EXPECT_EQ(shim_nr_allocated, base);
	shim_of_reset();
}

/* ------------------------------------------------------------------ */
/* Allocation failure                                                 */
/* ------------------------------------------------------------------ */

/*
 * Fail the Nth internal allocation for every N until the call succeeds:
 * each failure must return the documented error and leak nothing.
 */
TEST(create_alloc_failure)
{
	unsigned long n;

	for (n = 1; n < 10; n++) {
		struct gen_pool *pool;
		long base = shim_nr_allocated;

		shim_alloc_fail_nth(n);
		pool = gen_pool_create(4, NUMA_NO_NODE);
		shim_alloc_fail_nth(0);
		if (pool) {
			EXPECT(n > 1);
			gen_pool_destroy(pool);
			break;
		}
		EXPECT_EQ(shim_nr_allocated, base);
	}
	EXPECT(n < 10);
}

TEST(add_alloc_failure)
{
	static const size_t sizes[] = { 64, 0x10000, 0x1000000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct gen_pool *pool = new_pool(4);
		unsigned long n;

		add(pool, 0x1000, 0x100);
		for (n = 1; n < 10; n++) {
			struct snapshot s = snap(pool);
			long base = shim_nr_allocated;
			int ret;

			shim_alloc_fail_nth(n);
			ret = gen_pool_add_owner(pool, 0x10000000, 0, sizes[i],
						 NUMA_NO_NODE, NULL);
			shim_alloc_fail_nth(0);
			if (!ret)
				break;
			EXPECT_EQ(ret, -ENOMEM);
			EXPECT_EQ(shim_nr_allocated, base);
			EXPECT_UNCHANGED(pool, s);
		}
		EXPECT(n > 1 && n < 10);
		EXPECT_EQ(chunks(pool).n, 2);
		EXPECT_EQ(gen_pool_alloc(pool, sizes[i]), 0x10000000);
		gen_pool_free(pool, 0x10000000, sizes[i]);
		done(pool);
	}
}

TEST(devm_alloc_failure)
{
	char heap_name[] = "named";	/* writable, so not rodata */
	const char *const names[] = { NULL, "literal", heap_name };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct device dev;
		unsigned long n;

		shim_device_init(&dev, "dev");
		for (n = 1; n < 10; n++) {
			long base = shim_nr_allocated;
			struct gen_pool *pool;

			shim_alloc_fail_nth(n);
			pool = devm_gen_pool_create(&dev, 4, NUMA_NO_NODE,
						    names[i]);
			shim_alloc_fail_nth(0);
			if (!IS_ERR(pool)) {
				REQUIRE(pool);
				EXPECT(gen_pool_get(&dev, names[i]) == pool);
				break;
			}
			EXPECT(pool == ERR_PTR(-ENOMEM));
			EXPECT_EQ(shim_nr_allocated, base);
			EXPECT_EQ(shim_devres_count(&dev), 0);
			EXPECT(!gen_pool_get(&dev, names[i]));
		}
		/* devres record + pool, + the name copy when not rodata */
		EXPECT_EQ(n, i == 2 ? 4 : 3);
		EXPECT_EQ(devres_release_all(&dev), 1);
	}
}

/* ------------------------------------------------------------------ */
/* Caller mistakes: one WARN, a clean failure, the pool unchanged      */
/* ------------------------------------------------------------------ */

TEST(bad_create_order)
{
	static const int orders[] = { -1, -100, INT_MIN, BITS_PER_LONG,
				      BITS_PER_LONG + 1, INT_MAX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		struct gen_pool *pool = (void *)1;
		struct device dev;

		EXPECT_WARNS(1, pool = gen_pool_create(orders[i],
						       NUMA_NO_NODE));
		EXPECT(!pool);
		shim_device_init(&dev, "dev");
		EXPECT_WARNS(1, pool = devm_gen_pool_create(&dev, orders[i],
							    NUMA_NO_NODE,
							    "x"));
		EXPECT(IS_ERR_OR_NULL(pool));
		EXPECT_EQ(shim_devres_count(&dev), 0);
	}
}

TEST(bad_add)
{
	struct gen_pool *pool = new_pool(4);
	struct snapshot s;

	add(pool, 0x1000, 0x100);
	add(pool, 0x3000, 0x100);
	EXPECT_EQ(gen_pool_alloc(pool, 0x10), 0x3000);
	s = snap(pool);
	/* empty */
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x5000, 0,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0, 0, NUMA_NO_NODE),
				  -EINVAL));
	/* wraps the address space */
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, ULONG_MAX - 0xf, 0x20,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x5000, ULONG_MAX,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 2, ULONG_MAX,
					       NUMA_NO_NODE), -EINVAL));
	/* overlaps: identical, inside, around, either edge by one byte */
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x1000, 0x100,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x1010, 0x10,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x800, 0x1000,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0xf01, 0x100,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x10ff, 0x100,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0x30ff, 0x10,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, 0, ULONG_MAX,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_UNCHANGED(pool, s);
	/* touching is fine, so is ending at the very top */
	EXPECT_WARNS(0, EXPECT_EQ(gen_pool_add(pool, 0xf00, 0x100,
					       NUMA_NO_NODE), 0));
	EXPECT_WARNS(0, EXPECT_EQ(gen_pool_add(pool, 0x1100, 0x100,
					       NUMA_NO_NODE), 0));
	EXPECT_WARNS(0, EXPECT_EQ(gen_pool_add(pool, ULONG_MAX - 0x1f, 0x20,
					       NUMA_NO_NODE), 0));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(pool, ULONG_MAX, 1,
					       NUMA_NO_NODE), -EINVAL));
	gen_pool_free(pool, 0x3000, 0x10);
	done(pool);
}

/* Each bad free WARNs once and frees nothing at all (CONTRACT 5.7). */
TEST(bad_free)
{
	struct gen_pool *pool = new_pool(5);
	struct snapshot s;

	add(pool, 0x1000, 0x100);	/* 8 granules */
	add(pool, 0x2000, 40);		/* 1 granule + 8 bytes */
	add(pool, 0x2028, 0x40);	/* contiguous with the previous */
	EXPECT_EQ(gen_pool_alloc(pool, 0x40), 0x2028);
	EXPECT_EQ(gen_pool_alloc(pool, 0x20), 0x2000);
	EXPECT_EQ(gen_pool_alloc(pool, 0x60), 0x1000);
	EXPECT_EQ(gen_pool_alloc(pool, 0x20), 0x1060);
	s = snap(pool);

	/* outside every chunk */
	EXPECT_WARNS(1, gen_pool_free(pool, 0x5000, 0x20));
	EXPECT_WARNS(1, gen_pool_free(pool, 0xfff, 0x20));
	EXPECT_WARNS(1, gen_pool_free(pool, 0, 0x20));
	/* never allocated, and partly allocated (nothing may be cleared) */
	EXPECT_WARNS(1, gen_pool_free(pool, 0x10a0, 0x20));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1060, 0x40));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1040, 0x80));
	/* runs past the chunk's end, in bytes and in granules */
	EXPECT_WARNS(1, gen_pool_free(pool, 0x10e0, 0x40));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x2000, 40));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x2020, 8));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x2000, 0x68));  /* into next */
	/* sizes near ULONG_MAX must not overflow while rounding */
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1000, ULONG_MAX));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1000, ULONG_MAX - 0x1e));
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1000, ULONG_MAX / 2));
	EXPECT_UNCHANGED(pool, s);

	/* double free */
	gen_pool_free(pool, 0x1060, 0x20);
	s = snap(pool);
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1060, 0x20));
	EXPECT_UNCHANGED(pool, s);
	/* a double free of the second half of a block */
	gen_pool_free(pool, 0x1040, 0x20);
	s = snap(pool);
	EXPECT_WARNS(1, gen_pool_free(pool, 0x1000, 0x60));
	EXPECT_UNCHANGED(pool, s);
	validate(pool);

	gen_pool_free(pool, 0x1000, 0x40);
	gen_pool_free(pool, 0x2000, 0x20);
	gen_pool_free(pool, 0x2028, 0x40);
	done(pool);
}

/* Huge requests fail without wrapping while rounding (CONTRACT 1.5). */
TEST(huge_alloc)
{
	struct gen_pool *pool = new_pool(4);
	struct snapshot s;

	add(pool, 0x1000, 0x100);
	s = snap(pool);
	EXPECT_EQ(gen_pool_alloc(pool, ULONG_MAX), 0);
	EXPECT_EQ(gen_pool_alloc(pool, ULONG_MAX - 0xe), 0);
	EXPECT_EQ(gen_pool_alloc(pool, ULONG_MAX / 2 + 1), 0);
	EXPECT_EQ(gen_pool_alloc(pool, 0x101), 0);
	EXPECT(!gen_pool_dma_alloc(pool, ULONG_MAX, NULL));
	EXPECT_UNCHANGED(pool, s);
	EXPECT_EQ(gen_pool_alloc(pool, 0x100), 0x1000);
	gen_pool_free(pool, 0x1000, 0x100);
	done(pool);
}

/* CONTRACT 2.2: align 0, negative, not a power of two, NULL data. */
TEST(bad_align)
{
	static const int aligns[] = { 0, -8, -1, 3, 12, 48, INT_MIN };
	struct gen_pool *pool = new_pool(2);
	struct snapshot s;
	unsigned int i;
	unsigned long map[1] = { 0 };

	add(pool, 0x1000, 0x100);
	add(pool, 0x10000, 0x10000);	/* big enough for a search index */
	s = snap(pool);
	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		struct genpool_data_align a = { .align = aligns[i] };

		EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(pool, 4,
							      gen_pool_first_fit_align,
							      &a), 0));
		EXPECT_WARNS(1, EXPECT(!gen_pool_dma_alloc_align(pool, 4, NULL,
								 aligns[i])));
		EXPECT_WARNS(1, EXPECT(!gen_pool_dma_zalloc_align(pool, 4, NULL,
								  aligns[i])));
		EXPECT_WARNS(1, EXPECT(gen_pool_first_fit_align(map, 10, 0, 1,
								&a, pool,
								0x1000) >= 10));
	}
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(pool, 4,
						      gen_pool_first_fit_align,
						      NULL), 0));
	gen_pool_set_algo(pool, gen_pool_first_fit_align, NULL);
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc(pool, 4), 0));
	EXPECT_UNCHANGED(pool, s);
	done(pool);
}

/* CONTRACT 2.5: unaligned fixed offsets WARN (once) and fail. */
TEST(bad_fixed)
{
	struct genpool_data_fixed f = { .offset = 0x18 };
	struct gen_pool *pool = new_pool(4);
	struct snapshot s;

	add(pool, 0x1000, 0x100);
	add(pool, 0x2000, 0x100);
	s = snap(pool);
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10,
						      gen_pool_fixed_alloc,
						      &f), 0));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10,
						      gen_pool_fixed_alloc,
						      NULL), 0));
	f.offset = 0x100;		/* just past each chunk */
	EXPECT_WARNS(0, EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10,
						      gen_pool_fixed_alloc,
						      &f), 0));
	f.offset = ULONG_MAX & ~0xfUL;
	EXPECT_WARNS(0, EXPECT_EQ(gen_pool_alloc_algo(pool, 0x10,
						      gen_pool_fixed_alloc,
						      &f), 0));
	EXPECT_UNCHANGED(pool, s);
	done(pool);
}

/*
 * Destroy with allocations outstanding: one WARN, a report per busy chunk,
 * and nothing freed, so late frees of the blocks still work.
 */
TEST(destroy_with_allocations)
{
	struct gen_pool *pool = new_pool(3);
	long base;

	add(pool, 0x1000, 64);
	add(pool, 0x2000, 64);
	add(pool, 0x3000, 64);
	EXPECT_EQ(gen_pool_alloc(pool, 64), 0x3000);
	EXPECT_EQ(gen_pool_alloc(pool, 24), 0x2000);
	base = shim_nr_allocated;
	shim_nr_printk = 0;
	EXPECT_WARNS(1, gen_pool_destroy(pool));
	EXPECT(shim_nr_printk >= 2);
	EXPECT_EQ(shim_nr_allocated, base);	/* pool + 3 chunks kept */
	gen_pool_free(pool, 0x3000, 64);
	gen_pool_free(pool, 0x2000, 24);
	validate(pool);
	EXPECT_EQ(gen_pool_avail(pool), gen_pool_size(pool));
	accept_leaks(4);
}

/* A strategy returning a run that leaves the chunk must not corrupt it. */
static unsigned long overrun_algo(unsigned long *map, unsigned long size,
				  unsigned long start, unsigned int nr,
				  void *data, struct gen_pool *pool,
				  unsigned long start_addr)
{
	return size - 1;
}

TEST(bad_custom_algo)
{
	struct gen_pool *pool = new_pool(0);
	struct snapshot s;

	add(pool, 0x1000, 64);
	s = snap(pool);
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(pool, 4, overrun_algo,
						      NULL), 0));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(pool, 4, NULL, NULL),
				  0));
	EXPECT_UNCHANGED(pool, s);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, overrun_algo, NULL), 0x103f);
	gen_pool_free(pool, 0x103f, 1);
	done(pool);
}

static void never_called(struct gen_pool *pool, struct gen_pool_chunk *chunk,
			 void *data)
{
	test_fail(__FILE__, __LINE__, "for_each_chunk callback on NULL pool");
}

/*
 * A NULL pool at every entry point: upstream dereferences it; ours WARNs
 * once and returns the failure value.  The dma_*_algo/_align variants
 * tolerated NULL upstream and stay quiet.
 */
TEST(null_pool)
{
	void *owner = &owner;
	dma_addr_t dma = 7;

	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add_owner(NULL, 0x1000, 0, 64,
						     NUMA_NO_NODE, NULL),
				  -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add_virt(NULL, 0x1000, 0, 64,
						    NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_add(NULL, 0x1000, 64,
					       NUMA_NO_NODE), -EINVAL));
	EXPECT_WARNS(1, EXPECT(gen_pool_virt_to_phys(NULL, 0x1000) ==
			       (phys_addr_t)-1));
	EXPECT_WARNS(1, gen_pool_destroy(NULL));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo_owner(NULL, 8,
							    gen_pool_first_fit,
							    NULL, &owner), 0));
	EXPECT(!owner);
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc(NULL, 8), 0));
	owner = &owner;
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_owner(NULL, 8, &owner), 0));
	EXPECT(!owner);
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_alloc_algo(NULL, 8,
						      gen_pool_best_fit,
						      NULL), 0));
	EXPECT_WARNS(1, EXPECT(!gen_pool_dma_alloc(NULL, 8, &dma)));
	EXPECT_WARNS(1, EXPECT(!gen_pool_dma_zalloc(NULL, 8, &dma)));
	EXPECT_WARNS(0, EXPECT(!gen_pool_dma_alloc_algo(NULL, 8, &dma,
							gen_pool_first_fit,
							NULL)));
	EXPECT_WARNS(0, EXPECT(!gen_pool_dma_alloc_align(NULL, 8, &dma, 8)));
	EXPECT_WARNS(0, EXPECT(!gen_pool_dma_zalloc_algo(NULL, 8, &dma,
							 gen_pool_first_fit,
							 NULL)));
	EXPECT_WARNS(0, EXPECT(!gen_pool_dma_zalloc_align(NULL, 8, &dma, 8)));
	EXPECT(dma == 7);
	owner = &owner;
	EXPECT_WARNS(1, gen_pool_free_owner(NULL, 0x1000, 8, &owner));
	EXPECT(!owner);
	EXPECT_WARNS(1, gen_pool_free(NULL, 0x1000, 8));
	EXPECT_WARNS(1, gen_pool_for_each_chunk(NULL, never_called, NULL));
	EXPECT_WARNS(1, EXPECT(!gen_pool_has_addr(NULL, 0x1000, 8)));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_avail(NULL), 0));
	EXPECT_WARNS(1, EXPECT_EQ(gen_pool_size(NULL), 0));
	EXPECT_WARNS(1, gen_pool_set_algo(NULL, gen_pool_best_fit, NULL));
	EXPECT_WARNS(1, EXPECT(gen_pool_validate(NULL) != 0));
}

/* WARN_ON_ONCE semantics: a repeated mistake is reported once. */
TEST(warn_once_per_cause)
{
	struct gen_pool *pool = new_pool(3);

	add(pool, 0x1000, 64);
	EXPECT_WARNS(1, {
		gen_pool_free(pool, 0x5000, 8);
		gen_pool_free(pool, 0x6000, 8);
		gen_pool_free(pool, 0x7000, 8);
	});
	done(pool);
}

/* gen_pool_validate() notices a bitmap that disagrees with avail. */
TEST(validate_detects_corruption)
{
	struct gen_pool *pool = new_pool(0);
	struct gen_pool_chunk *chunk;

	add(pool, 0x1000, 4000);
	EXPECT_EQ(gen_pool_alloc(pool, 100), 0x1000);
	validate(pool);
	chunk = chunk_of(pool, 0x1000);
	REQUIRE(chunk);
	set_bit(3000, chunk->bits);
	EXPECT(gen_pool_validate(pool) != 0);
	clear_bit(3000, chunk->bits);
	validate(pool);
	atomic_long_add(1, &chunk->avail);
	EXPECT(gen_pool_validate(pool) != 0);
	atomic_long_sub(1, &chunk->avail);
	gen_pool_free(pool, 0x1000, 100);
	done(pool);
}

/* ------------------------------------------------------------------ */
/* Seeded comparison with a reference model                           */
/* ------------------------------------------------------------------ */

/*
 * The model restates CONTRACT.md 1 and 2 as directly as possible: one
 * bool per granule, and each strategy a plain scan over candidate start
 * indices in increasing order.  It shares no code with lib/genalloc.c.
 */
struct m_chunk {
	unsigned long start, size, nbits;
	bool *used;
	long avail;
	void *owner;
};

struct model {
	int order;
	int n;			/* chunks, newest first in c[] */
	struct m_chunk c[6];
};

enum m_algo { M_FIRST, M_ALIGN, M_ORDER, M_BEST, M_FIXED, M_NR };

static bool m_free_run(const struct m_chunk *c, unsigned long i,
		       unsigned long nr)
{
	unsigned long k;

	if (i > c->nbits || nr > c->nbits - i)
		return false;
	for (k = i; k < i + nr; k++)
		if (c->used[k])
			return false;
	return true;
}

/* The index a strategy picks in @c, or -1. */
static long m_search(const struct model *m, const struct m_chunk *c,
		     enum m_algo algo, unsigned long nr, unsigned long arg)
{
	unsigned long g = 1UL << m->order, i, step;
	long best = -1;
	unsigned long best_len = ULONG_MAX;

	switch (algo) {
	case M_FIRST:
		for (i = 0; i + nr <= c->nbits; i++)
			if (m_free_run(c, i, nr))
				return i;
		return -1;
	case M_ALIGN:		/* arg: alignment in bytes, a power of two */
		/*
		 * The address is a multiple of arg; for a chunk that does
		 * not start on a granule boundary, its granule-aligned part
		 * is (CONTRACT.md 2.2).
		 */
		for (i = 0; i + nr <= c->nbits; i++) {
			unsigned long a = (c->start & ~(g - 1)) + i * g;

			if (arg > g && a % arg)
				continue;
			if (m_free_run(c, i, nr))
				return i;
		}
		return -1;
	case M_ORDER:		/* chunk-relative multiple of pow2(nr) */
		for (step = 1; step < nr; step <<= 1)
			;
		for (i = 0; i + nr <= c->nbits; i += step)
			if (m_free_run(c, i, nr))
				return i;
		return -1;
	case M_BEST:		/* shortest maximal free run, lowest first */
		for (i = 0; i < c->nbits; ) {
			unsigned long len = 0;

			if (c->used[i]) {
				i++;
				continue;
			}
			while (i + len < c->nbits && !c->used[i + len])
				len++;
			if (len >= nr && len < best_len) {
				best_len = len;
				best = i;
			}
			i += len;
		}
		return best;
	case M_FIXED:		/* arg: byte offset in the chunk */
		i = arg / g;
		return m_free_run(c, i, nr) ? (long)i : -1;
	default:
		return -1;
	}
}

static unsigned long m_alloc(struct model *m, size_t size, enum m_algo algo,
			     unsigned long arg, void **owner)
{
	unsigned long g = 1UL << m->order, nr, k;
	int j;

	*owner = NULL;
	if (!size)
		return 0;
	nr = size / g + !!(size % g);
	for (j = 0; j < m->n; j++) {
		struct m_chunk *c = &m->c[j];
		long i;

		if ((long)size > c->avail || size > LONG_MAX)
			continue;
		i = m_search(m, c, algo, nr, arg);
		if (i < 0)
			continue;
		for (k = i; k < i + nr; k++)
			c->used[k] = true;
		c->avail -= nr * g;
		*owner = c->owner;
		return c->start + i * g;
	}
	return 0;
}

static void m_free(struct model *m, unsigned long addr, size_t size)
{
	unsigned long g = 1UL << m->order, nr = size / g + !!(size % g), k;
	int j;

	for (j = 0; j < m->n; j++) {
		struct m_chunk *c = &m->c[j];
		unsigned long bit;

		if (addr < c->start || addr - c->start >= c->size)
			continue;
		bit = (addr - c->start) / g;
		for (k = bit; k < bit + nr; k++) {
			REQUIRE(k < c->nbits && c->used[k]);
			c->used[k] = false;
		}
		c->avail += nr * g;
		return;
	}
	REQUIRE(!"model: free outside the pool");
}

/* Compare the pool's chunks, bitmaps and counters with the model. */
static void m_compare(struct gen_pool *pool, const struct model *m)
{
	struct chunk_list l = chunks(pool);
	size_t avail = 0;
	int j;

	REQUIRE(l.n == m->n);
	for (j = 0; j < m->n; j++) {
		const struct m_chunk *c = &m->c[j];
		unsigned long k;

		REQUIRE(l.c[j]->start_addr == c->start);
		EXPECT_EQ(atomic_long_read(&l.c[j]->avail), c->avail);
		for (k = 0; k < c->nbits; k++) {
			if (test_bit(k, l.c[j]->bits) != c->used[k]) {
				test_fail(__FILE__, __LINE__,
					  "chunk %#lx bit %lu: pool %d model %d",
					  c->start, k,
					  test_bit(k, l.c[j]->bits),
					  c->used[k]);
				longjmp(test_abort, 1);
			}
		}
		avail += c->avail;
	}
	EXPECT_EQ(gen_pool_avail(pool), avail);
}

struct live {
	unsigned long addr;
	size_t size;
};

static const enum m_algo m_algos[M_NR] = {
	M_FIRST, M_ALIGN, M_ORDER, M_BEST, M_FIXED
};

static genpool_algo_t algo_fn(enum m_algo a)
{
	switch (a) {
	case M_ALIGN:
		return gen_pool_first_fit_align;
	case M_ORDER:
		return gen_pool_first_fit_order_align;
	case M_BEST:
		return gen_pool_best_fit;
	case M_FIXED:
		return gen_pool_fixed_alloc;
	default:
		return gen_pool_first_fit;
	}
}

/* A random request size in bytes: mostly small, sometimes large. */
static size_t rnd_size(unsigned long g, bool big)
{
	if (big && rnd_below(2))	/* around leaf sizes and length caps */
		return (rnd_below(1200) + 1) * g - rnd_below(g);
	switch (rnd_below(8)) {
	case 0:
		return rnd_below(g) + 1;
	case 1:
		return (rnd_below(256) + 1) * g - rnd_below(g);
	case 2:
		return (rnd_below(2048) + 1) * g;
	default:
		return (rnd_below(16) + 1) * g - rnd_below(g);
	}
}

/* The current round's model memory, released even when a check aborts. */
static struct model *m_cur;
static struct live *m_live;

static void m_release(void)
{
	int j;

	if (m_cur)
		for (j = 0; j < m_cur->n; j++)
			free(m_cur->c[j].used);
	m_cur = NULL;
	free(m_live);
	m_live = NULL;
}

/* Failed and successful allocations per strategy, for -v. */
static unsigned long m_stats[M_NR][2];

/* gen_pool_free_owner(), traced with -vvv. */
static void t_free(struct gen_pool *pool, unsigned long addr, size_t size,
		   void **owner)
{
	if (test_verbose > 2)
		printf("  free %#lx %#zx\n", addr, size);
	gen_pool_free_owner(pool, addr, size, owner);
}

/* The owner of the model's chunk holding @addr, NULL if none does. */
static void *m_owner_of(const struct model *m, unsigned long addr)
{
	void *owner = NULL;
	int j;

	for (j = 0; j < m->n; j++)
		if (addr >= m->c[j].start && addr - m->c[j].start < m->c[j].size)
			owner = m->c[j].owner;
	return owner;
}

/*
 * One random pool and a few hundred random operations on it.  @big pools
 * have one or two large chunks (several levels of search index) and see
 * requests of hundreds of granules.
 */
static void model_round(unsigned int ops, bool big)
{
	struct model m = { .order = 0 };
	struct gen_pool *pool;
	struct live *live;
	unsigned long addr = 0x10000, g, nlive = 0, op;
	enum m_algo dflt = m_algos[rnd_below(M_NR)];
	struct genpool_data_align dflt_align;
	struct genpool_data_fixed dflt_fixed;
	int j, nchunks;

	m_cur = &m;
	test_cleanup = m_release;
	m.order = big ? rnd_below(4) : rnd_below(13);
	g = 1UL << m.order;
	pool = new_pool(m.order);
	nchunks = 1 + rnd_below(big ? 2 : 4);
	for (j = 0; j < nchunks; j++) {
		struct m_chunk *c;
		unsigned long nbits;
		int k;

		switch (big ? 4 : rnd_below(4)) {
		case 4:
			nbits = 4000 + rnd_below(16000);
			break;
		case 0:
			nbits = 1 + rnd_below(64);
			break;
		case 1:
			nbits = 1000 + rnd_below(2000);	/* indexed */
			break;
		default:
			nbits = 1 + rnd_below(700);
			break;
		}
		if (m.order >= 10 && nbits > 1500)
			nbits = 1500;		/* stay below 4 GiB */
		/* newest first: shift the older chunks down */
		for (k = m.n; k > 0; k--)
			m.c[k] = m.c[k - 1];
		c = &m.c[0];
		if (m.order && rnd_below(4) == 0)	/* off a granule */
			addr += 1 + rnd_below(g - 1);
		c->start = addr;
		c->size = nbits * g + rnd_below(g);	/* ragged tail */
		c->nbits = c->size >> m.order;
		c->used = calloc(c->nbits + 1, sizeof(bool));
		REQUIRE(c->used);
		c->avail = c->size;
		c->owner = (void *)(addr | 1);
		m.n++;
		REQUIRE(gen_pool_add_owner(pool, addr, addr * 2, c->size,
					   NUMA_NO_NODE, c->owner) == 0);
		if (test_verbose > 2)
			printf("  order %d add %#lx size %#lx\n", m.order,
			       addr, c->size);
		/* a gap, or none: allocations must not span chunks anyway */
		addr = ALIGN(addr + c->size, g) +
		       (rnd_below(2) ? 0 : g * rnd_below(64));
	}
	dflt_align.align = 1 << rnd_below(m.order + 6);
	dflt_fixed.offset = rnd_below(64) * g;
	gen_pool_set_algo(pool, algo_fn(dflt),
			  dflt == M_ALIGN ? (void *)&dflt_align :
			  dflt == M_FIXED ? (void *)&dflt_fixed : NULL);
	live = calloc(ops, sizeof(*live));
	m_live = live;
	REQUIRE(live);

	for (op = 0; op < ops; op++) {
		if (nlive && rnd_below(100) < 45) {
			/* free a random block: whole, rounded or in pieces */
			unsigned long i = rnd_below(nlive);
			struct live b = live[i];
			void *owner, *m_owner;

			live[i] = live[--nlive];
			switch (rnd_below(3)) {
			case 0:
				t_free(pool, b.addr, b.size, &owner);
				m_free(&m, b.addr, b.size);
				break;
			case 1:
				b.size = ALIGN(b.size, g);
				t_free(pool, b.addr, b.size, &owner);
				m_free(&m, b.addr, b.size);
				break;
			default: {
				size_t rounded = ALIGN(b.size, g);
				size_t first = rnd_below(rounded / g + 1) * g;

				if (first) {
					t_free(pool, b.addr, first, NULL);
					m_free(&m, b.addr, first);
				}
				if (rounded > first) {
					t_free(pool, b.addr + first,
					       rounded - first, &owner);
					m_free(&m, b.addr + first,
					       rounded - first);
				} else {
					owner = m_owner_of(&m, b.addr);
				}
				break;
			}
			}
			m_owner = m_owner_of(&m, b.addr);
			EXPECT(owner == m_owner);
		} else {
			enum m_algo a = m_algos[rnd_below(M_NR)];
			struct genpool_data_align al;
			struct genpool_data_fixed fx;
			size_t size = rnd_size(g, big);
			unsigned long got, want, arg = 0;
			void *owner, *m_owner;
			void *data = NULL;

			if (rnd_below(4) == 0) {
				/* the pool's default strategy */
				a = dflt;
				arg = a == M_ALIGN ? dflt_align.align :
				      dflt_fixed.offset;
				want = m_alloc(&m, size, a, arg, &m_owner);
				got = gen_pool_alloc_owner(pool, size, &owner);
			} else {
				if (a == M_ALIGN) {
					al.align = 1 << rnd_below(m.order + 6);
					arg = al.align;
					data = &al;
				} else if (a == M_FIXED) {
					fx.offset = rnd_below(1 + rnd_below(2) *
							     1000) * g;
					arg = fx.offset;
					data = &fx;
				}
				want = m_alloc(&m, size, a, arg, &m_owner);
				got = gen_pool_alloc_algo_owner(pool, size,
								algo_fn(a),
								data, &owner);
			}
			if (got != want) {
				test_fail(__FILE__, __LINE__,
					  "op %lu: alloc(%zu, algo %d, arg %#lx) order %d: got %#lx, model %#lx",
					  op, size, a, arg, m.order, got, want);
				longjmp(test_abort, 1);
			}
			EXPECT(owner == m_owner);
			m_stats[a][!!got]++;
			if (test_verbose > 2)
				printf("  alloc %#zx algo %d arg %#lx -> %#lx\n",
				       size, a, arg, got);
			if (got) {
				live[nlive].addr = got;
				live[nlive].size = size;
				nlive++;
			}
		}
		m_compare(pool, &m);
		if (op % 64 == 0)
			validate(pool);
	}
	while (nlive) {
		nlive--;
		t_free(pool, live[nlive].addr, live[nlive].size, NULL);
		m_free(&m, live[nlive].addr, live[nlive].size);
	}
	m_compare(pool, &m);
	/* everything free again: a whole chunk is one allocation */
	EXPECT_EQ(gen_pool_alloc_algo(pool, m.c[0].nbits * g,
				      gen_pool_first_fit, NULL),
		  m.c[0].nbits ? m.c[0].start : 0);
	if (m.c[0].nbits)
		gen_pool_free(pool, m.c[0].start, m.c[0].nbits * g);
	done(pool);
	m_release();
}

TEST(random_vs_model)
{
	unsigned int round, rounds = 150 * test_rounds;

	rng_seed("random_vs_model");
	memset(m_stats, 0, sizeof(m_stats));
	for (round = 0; round < rounds; round++)
		model_round(150 + rnd_below(300), false);
	if (test_verbose)
		fprintf(stdout,
			"  %u pools; allocations ok/failed: first_fit %lu/%lu, align %lu/%lu, order_align %lu/%lu, best_fit %lu/%lu, fixed %lu/%lu\n",
			rounds, m_stats[M_FIRST][1], m_stats[M_FIRST][0],
			m_stats[M_ALIGN][1], m_stats[M_ALIGN][0],
			m_stats[M_ORDER][1], m_stats[M_ORDER][0],
			m_stats[M_BEST][1], m_stats[M_BEST][0],
			m_stats[M_FIXED][1], m_stats[M_FIXED][0]);
}

/* ------------------------------------------------------------------ */
/* A little concurrency                                               */
/* ------------------------------------------------------------------ */

/*
 * Four threads allocate, stamp, check and free blocks of one pool backed
 * by real memory; a block overwritten by another thread's block means two
 * live allocations overlapped.  (The dedicated stress test, under TSan,
 * lives elsewhere; this one keeps ASan and the -m32 build honest.)
 */
#define NR_THREADS	4
#define THREAD_ITERS	20000

struct thread_arg {
	struct gen_pool *pool;
	unsigned char id;
	u64 rng;
	unsigned long errors;
	unsigned long allocs;
};

static pthread_barrier_t thread_start;

static void *thread_fn(void *p)
{
	struct thread_arg *t = p;
	struct { unsigned char *p; size_t n; } held[64] = { { 0 } };
	unsigned int i, k;

	pthread_barrier_wait(&thread_start);
	for (i = 0; i < THREAD_ITERS; i++) {
		unsigned int slot;

		t->rng ^= t->rng << 13;
		t->rng ^= t->rng >> 7;
		t->rng ^= t->rng << 17;
		slot = t->rng % ARRAY_SIZE(held);
		if (held[slot].p) {
			for (k = 0; k < held[slot].n; k++)
				if (held[slot].p[k] != t->id)
					t->errors++;
			gen_pool_free(t->pool, (unsigned long)held[slot].p,
				      held[slot].n);
			held[slot].p = NULL;
		} else {
			size_t n = 1 + (t->rng >> 20) % 200;

			struct genpool_data_align al = { .align = 64 };
			static const genpool_algo_t algos[] = {
				gen_pool_first_fit, gen_pool_best_fit,
				gen_pool_first_fit_align,
				gen_pool_first_fit_order_align,
			};

			held[slot].p = (void *)gen_pool_alloc_algo(t->pool, n,
					algos[(t->rng >> 40) % ARRAY_SIZE(algos)],
					&al);
			held[slot].n = n;
			if (held[slot].p) {
				memset(held[slot].p, t->id, n);
				t->allocs++;
			}
		}
	}
	for (k = 0; k < ARRAY_SIZE(held); k++)
		if (held[k].p)
			gen_pool_free(t->pool, (unsigned long)held[k].p,
				      held[k].n);
	return NULL;
}

TEST(threads_no_overlap)
{
	/* two small chunks and one big enough for the search index */
	static unsigned char mem0[2048], mem1[4096], mem2[65536];
	static unsigned char * const mem[3] = { mem0, mem1, mem2 };
	static const size_t len[3] = { sizeof(mem0), sizeof(mem1),
				       sizeof(mem2) };
	struct thread_arg args[NR_THREADS];
	pthread_t th[NR_THREADS];
	struct gen_pool *pool = new_pool(3);
	int i;

	rng_seed("threads_no_overlap");
	for (i = 0; i < 3; i++)
		add(pool, (unsigned long)mem[i], len[i]);
	REQUIRE(!pthread_barrier_init(&thread_start, NULL, NR_THREADS));
	for (i = 0; i < NR_THREADS; i++) {
		args[i] = (struct thread_arg){ .pool = pool, .id = i + 1,
					       .rng = rnd() | 1 };
		REQUIRE(pthread_create(&th[i], NULL, thread_fn, &args[i]) == 0);
	}
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(args[i].errors, 0);
		EXPECT(args[i].allocs > THREAD_ITERS / 4);
		if (test_verbose)
			printf("  thread %d: %lu allocations\n", i,
			       args[i].allocs);
	}
	pthread_barrier_destroy(&thread_start);
	done(pool);
}

/* ------------------------------------------------------------------ */
/* The exported strategies, called directly on random bitmaps         */
/* ------------------------------------------------------------------ */

/* CONTRACT.md 2.4, restated over the 2.0 primitive of the shim. */
static unsigned long ref_best_fit(unsigned long *map, unsigned long size,
				  unsigned long start, unsigned int nr)
{
	unsigned long best = size, best_len = size + 1, idx, nb;

	idx = bitmap_find_next_zero_area(map, size, start, nr, 0);
	while (idx < size) {
		nb = find_next_bit(map, size, idx + nr);
		if (nb - idx < best_len) {
			best_len = nb - idx;
			best = idx;
			if (best_len == nr)
				return idx;
		}
		idx = bitmap_find_next_zero_area(map, size, nb + 1, nr, 0);
	}
	return best;
}

/*
 * The strategies are exported and called by drivers with their own
 * bitmaps: their return values, failure values included, must be
 * upstream's bit for bit (CONTRACT.md 2.0-2.5).
 */
TEST(strategies_direct_random)
{
	unsigned long map[8];
	unsigned int iter;
	struct gen_pool *pool = new_pool(0);

	rng_seed("strategies_direct_random");
	for (iter = 0; iter < 20000 * test_rounds; iter++) {
		unsigned long size = 1 + rnd_below(8 * BITS_PER_LONG);
		unsigned long start = rnd_below(size + 4), want, got;
		unsigned int nr = 1 + rnd_below(rnd_below(2) ? 8 : 70);
		unsigned int density = rnd_below(100), w;
		struct genpool_data_align al;
		struct genpool_data_fixed fx;
		unsigned long start_addr = rnd() & ~0UL;
		unsigned long align_mask, align_off;
		unsigned long i;

		pool->min_alloc_order = rnd_below(6);
		for (w = 0; w < ARRAY_SIZE(map); w++)
			map[w] = 0;
		for (i = 0; i < size; i++)
			if (rnd_below(100) < density)
				__set_bit(i, map);
		if (rnd_below(4) == 0) {	/* some long runs */
			i = rnd_below(size);
			bitmap_clear(map, i, rnd_below(size - i + 1));
		}
		/* set bits past size must be ignored */
		for (i = size; i < 8 * BITS_PER_LONG; i++)
			if (rnd_below(2))
				__set_bit(i, map);

		want = bitmap_find_next_zero_area(map, size, start, nr, 0);
		got = gen_pool_first_fit(map, size, start, nr, NULL, NULL, 0);
		if (got != want)
			test_fail(__FILE__, __LINE__,
				  "first_fit(size %lu start %lu nr %u): %lu, want %lu",
				  size, start, nr, got, want);

		want = bitmap_find_next_zero_area(map, size, start, nr,
						  roundup_pow_of_two(nr) - 1);
		got = gen_pool_first_fit_order_align(map, size, start, nr,
						     NULL, NULL, 0);
		if (got != want)
			test_fail(__FILE__, __LINE__,
				  "order_align(size %lu start %lu nr %u): %lu, want %lu",
				  size, start, nr, got, want);

		al.align = 1 << rnd_below(10);
		start_addr &= ~((1UL << pool->min_alloc_order) - 1);
		align_mask = ((al.align + (1UL << pool->min_alloc_order) - 1) >>
			      pool->min_alloc_order) - 1;
		align_off = (start_addr & (al.align - 1)) >> pool->min_alloc_order;
		want = bitmap_find_next_zero_area_off(map, size, start, nr,
						      align_mask, align_off);
		got = gen_pool_first_fit_align(map, size, start, nr, &al, pool,
					       start_addr);
		if (got != want)
			test_fail(__FILE__, __LINE__,
				  "first_fit_align(size %lu start %lu nr %u align %d order %d addr %#lx): %lu, want %lu",
				  size, start, nr, al.align,
				  pool->min_alloc_order, start_addr, got, want);

		want = ref_best_fit(map, size, start, nr);
		got = gen_pool_best_fit(map, size, start, nr, NULL, NULL, 0);
		if (got != want)
			test_fail(__FILE__, __LINE__,
				  "best_fit(size %lu start %lu nr %u): %lu, want %lu",
				  size, start, nr, got, want);

		fx.offset = rnd_below(size + 1) << pool->min_alloc_order;
		want = bitmap_find_next_zero_area(map, size,
						  start + (fx.offset >> pool->min_alloc_order),
						  nr, 0);
		if (want != fx.offset >> pool->min_alloc_order)
			want = size;
		got = gen_pool_fixed_alloc(map, size, start, nr, &fx, pool, 0);
		if (got != want)
			test_fail(__FILE__, __LINE__,
				  "fixed_alloc(size %lu start %lu nr %u offset %#lx): %lu, want %lu",
				  size, start, nr, fx.offset, got, want);
	}
	pool->min_alloc_order = 0;
	gen_pool_destroy(pool);
}

TEST(random_vs_model_big_chunks)
{
	unsigned int round, rounds = 12 * test_rounds;

	rng_seed("random_vs_model_big_chunks");
	for (round = 0; round < rounds; round++)
		model_round(300 + rnd_below(300), true);
}

/*
 * A free run that crosses the boundary between two index nodes must be
 * found even after a failed search has summarised the nodes on both
 * sides (found by random_vs_model_big_chunks).  For each boundary B of a
 * leaf, a level-1 and a level-2 node (fanout 8, and the bounds of a
 * fanout of 16 too): everything allocated but
 * [B - 492, B + 982) and a decoy run; a search that fails; then the
 * 907-granule request must land at B - 492 as with a linear scan.
 */
TEST(index_run_across_node_boundary)
{
	static const unsigned long bounds[] = {
		512, 4096, 8192, 32768, 131072,
	};
	static const genpool_algo_t algos[] = {
		gen_pool_first_fit, gen_pool_best_fit,
		gen_pool_first_fit_align, gen_pool_first_fit_order_align,
	};
	unsigned int i, k;

	for (i = 0; i < ARRAY_SIZE(bounds); i++) {
		for (k = 0; k < ARRAY_SIZE(algos); k++) {
			unsigned long b = bounds[i], base = 0x100000;
			unsigned long size = 2 * b + 4096, want, got;
			struct genpool_data_align al = { .align = 4 };
			struct gen_pool *pool = new_pool(0);

			add(pool, base, size);
			EXPECT_EQ(gen_pool_alloc(pool, size), base);
			gen_pool_free(pool, base + b - 492, 1474);
			gen_pool_free(pool, base + b + 2000, 600);
			EXPECT_EQ(gen_pool_alloc(pool, 1600), 0);
			want = base + b - 492;
			if (algos[k] == gen_pool_first_fit_order_align) {
				/* 907 granules: 1024-aligned */
				unsigned long a = ALIGN(b - 492, 1024);

				want = a + 907 <= b + 982 ? base + a : 0;
			}
			got = gen_pool_alloc_algo(pool, 907, algos[k], &al);
			if (got != want)
				test_fail(__FILE__, __LINE__,
					  "boundary %lu, strategy %u: %#lx, want %#lx",
					  b, k, got, want);
			validate(pool);
			if (got)
				gen_pool_free(pool, got, 907);
			gen_pool_free(pool, base, b - 492);
			gen_pool_free(pool, base + b + 982, 2000 - 982);
			gen_pool_free(pool, base + b + 2600, size - b - 2600);
			done(pool);
		}
	}
}

/*
 * On 32-bit, a chunk of more than 2^30 granules would need an index whose
 * root spans more bits than a long can count; it is searched without one,
 * as a linear scan would.  (Its bitmap takes 128 MiB, so 64-bit builds,
 * where the index covers it, skip this.)
 */
TEST(chunk_beyond_index_span)
{
	unsigned long base = 0x10000000, size = (1UL << 30) + (1UL << 20);
	struct genpool_data_fixed f = { .offset = size - 64 };
	struct gen_pool *pool;

	if (BITS_PER_LONG != 32)
		return;
	pool = new_pool(0);
	add(pool, base, size);
	EXPECT_EQ(gen_pool_alloc(pool, 100), base);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 64, gen_pool_fixed_alloc, &f),
		  base + size - 64);
	EXPECT_EQ(gen_pool_alloc(pool, size - 164), base + 100);
	EXPECT_EQ(gen_pool_alloc(pool, 1), 0);
	gen_pool_free(pool, base + 5000, 3);
	gen_pool_free(pool, base + 9000, 2);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 2, gen_pool_best_fit, NULL),
		  base + 9000);
	EXPECT_EQ(gen_pool_alloc(pool, 3), base + 5000);
	validate(pool);
	gen_pool_free(pool, base, size);
	done(pool);
}

/*
 * drivers/net/ethernet/ti/k3-cppi-desc-pool.c writes pool->name itself
 * with kstrdup_const() and relies on gen_pool_destroy() to free it.
 */
TEST(caller_sets_name)
{
	char heap[] = "k3-cppi";
	struct gen_pool *pool = new_pool(4);
	long base = shim_nr_allocated;

	pool->name = kstrdup_const(heap, GFP_KERNEL);
	REQUIRE(pool->name);
	EXPECT_EQ(shim_nr_allocated, base + 1);
	gen_pool_destroy(pool);

	pool = new_pool(4);
	pool->name = kstrdup_const("literal", GFP_KERNEL);
	EXPECT_EQ(shim_nr_allocated, base);	/* no copy: just the pool */
	gen_pool_destroy(pool);
}

/* ------------------------------------------------------------------ */
/* First fit through the reach hints, and the switch to the tree      */
/* ------------------------------------------------------------------ */

/*
 * A pool whose chunks each have a shadow bitmap kept by the test.  Every
 * allocation is checked against a plain reference over the shadow (for
 * first fit, a walk over its free runs, lowest first); the chunks' bitmaps
 * are compared with their shadows.  On 64-bit, chunks of more than 1024
 * granules search first fit through the reach hints until a best-fit or
 * aligned search comes; each chunk's expected state (hints or tree) is
 * tracked too, and checked where the build can see it.
 */
struct rp_chunk {
	unsigned long base, nbits, size, used;
	unsigned long *map;
	struct gen_pool_chunk *chunk;
	unsigned long allocs;	/* allocations it served */
	bool tree;		/* a switching strategy has searched it */
};

struct rp_live {
	unsigned long addr;
	size_t size;
};

struct rpool {
	struct gen_pool *pool;
	unsigned long g;
	int order;
	int n;			/* chunks, oldest first */
	struct rp_chunk c[4];
	struct rp_live *live;	/* blocks of rp_step() */
	unsigned long nlive, cap;
	unsigned long *perm;	/* scratch of reach_split_and_merge */
	const char *what;	/* for failure messages */
	unsigned long round, op;
};

static struct rpool rp_state;

/* Allocations: tried, failed, of 127 granules or more; for -v. */
static unsigned long rp_stats[3];

static void rp_release(void)
{
	int j;

	for (j = 0; j < rp_state.n; j++)
		free(rp_state.c[j].map);
	free(rp_state.live);
	free(rp_state.perm);
	memset(&rp_state, 0, sizeof(rp_state));
}

/* Report a failure with the test's context and seed, and end the test. */
#define rp_fail(rp, line, fmt, ...) do {				\
	const struct rpool *__fail_rp = (rp);				\
	test_fail(__FILE__, line, "%s (seed %u, round %lu, op %lu): " fmt, \
		  __fail_rp->what, test_seed, __fail_rp->round,		\
		  __fail_rp->op, ##__VA_ARGS__);			\
	longjmp(test_abort, 1);						\
} while (0)

static struct rpool *rp_new(int order, const char *what)
{
	struct rpool *rp = &rp_state;

	rp_release();
	test_cleanup = rp_release;
	rp->order = order;
	rp->g = 1UL << order;
	rp->what = what;
	rp->pool = new_pool(order);
	return rp;
}

/* Add a chunk of @nbits granules and @tail more bytes at @base. */
static struct rp_chunk *rp_add(struct rpool *rp, unsigned long base,
			       unsigned long nbits, unsigned long tail)
{
	struct rp_chunk *c;

	REQUIRE(rp->n < (int)ARRAY_SIZE(rp->c));
	c = &rp->c[rp->n++];
	c->base = base;
	c->nbits = nbits;
	c->size = nbits * rp->g + tail;
	c->map = calloc(BITS_TO_LONGS(nbits), sizeof(long));
	REQUIRE(c->map);
	add(rp->pool, base, c->size);
	c->chunk = chunk_of(rp->pool, base);
	REQUIRE(c->chunk);
	REQUIRE(t_nbits(rp->pool, c->chunk) == nbits);
	rp->cap += nbits;
	rp->live = realloc(rp->live, rp->cap * sizeof(*rp->live));
	REQUIRE(rp->live);
	return c;
}

static int rp_chunk_of(struct rpool *rp, unsigned long addr)
{
	int j;

	for (j = 0; j < rp->n; j++)
		if (addr >= rp->c[j].base &&
		    addr - rp->c[j].base < rp->c[j].size)
			return j;
	return -1;
}

/*
 * Reference first fit: the lowest bit of @map at which @nr clear bits
 * start, below @nbits, or @nbits.  A plain walk over the free runs.
 */
static unsigned long ref_first_fit(const unsigned long *map,
				   unsigned long nbits, unsigned long nr)
{
	unsigned long z = 0, s;

	for (;;) {
		z = find_next_zero_bit(map, nbits, z);
		if (z >= nbits || nr > nbits - z)
			return nbits;
		s = find_next_bit(map, nbits, z);
		if (s - z >= nr)
			return z;
		z = s;
	}
}

/* What @algo would pick in chunk @j of the shadow, or its nbits. */
static unsigned long rp_ref_in(struct rpool *rp, int j, genpool_algo_t algo,
			       void *data, unsigned long nr)
{
	struct rp_chunk *c = &rp->c[j];
	unsigned long r, mask = 0, off = 0;

	if (algo == gen_pool_best_fit)
		return ref_best_fit(c->map, c->nbits, 0, nr);
	if (algo == gen_pool_fixed_alloc) {
		r = ((struct genpool_data_fixed *)data)->offset >> rp->order;
		if (r > c->nbits || nr > c->nbits - r ||
		    find_next_bit(c->map, r + nr, r) < r + nr)
			return c->nbits;
		return r;
	}
	if (algo == gen_pool_first_fit_order_align) {
		mask = roundup_pow_of_two(nr) - 1;
	} else if (algo == gen_pool_first_fit_align) {
		struct genpool_data_align *al = data;
		unsigned long align = al->align;

		mask = ((align + rp->g - 1) >> rp->order) - 1;
		off = (c->base & (align - 1)) >> rp->order;
	} else {
		/* first fit, and the custom strategy that wraps it */
		return ref_first_fit(c->map, c->nbits, nr);
	}
	r = bitmap_find_next_zero_area_off(c->map, c->nbits, 0, nr, mask, off);
	return r + nr <= c->nbits ? r : c->nbits;
}

/* Mark bits [@bit, @bit + @nr) of chunk @j's shadow as @set. */
static void rp_mark(struct rpool *rp, int j, unsigned long bit,
		    unsigned long nr, bool set, int line)
{
	struct rp_chunk *c = &rp->c[j];
	unsigned long k;

	if (bit > c->nbits || nr > c->nbits - bit)
		rp_fail(rp, line, "bits %lu+%lu outside chunk %#lx", bit, nr,
			c->base);
	k = set ? find_next_bit(c->map, bit + nr, bit) :
		  find_next_zero_bit(c->map, bit + nr, bit);
	if (k < bit + nr)
		rp_fail(rp, line, "chunk %#lx bit %lu already %s", c->base, k,
			set ? "set" : "clear");
	if (set)
		bitmap_set(c->map, bit, nr);
	else
		bitmap_clear(c->map, bit, nr);
	if (set)
		c->used += nr;
	else
		c->used -= nr;
}

/* Compare the words of chunk @j's bitmap over bits [@bit, @bit + @nr). */
static void rp_check_words(struct rpool *rp, int j, unsigned long bit,
			   unsigned long nr, int line)
{
	struct rp_chunk *c = &rp->c[j];
	unsigned long w, last = BIT_WORD(bit + nr - 1);

	for (w = BIT_WORD(bit); w <= last; w++) {
		unsigned long x = READ_ONCE(c->chunk->bits[w]);

		if (x != c->map[w])
			rp_fail(rp, line, "chunk %#lx word %lu is %#lx, shadow %#lx",
				c->base, w, x, c->map[w]);
	}
}

/*
 * Everything: bitmaps (bits past the end included, they must stay
 * clear), counters, each indexed chunk's search state, and
 * gen_pool_validate().
 */
static void rp_check_at(struct rpool *rp, int line)
{
	int j;

	for (j = 0; j < rp->n; j++) {
		struct rp_chunk *c = &rp->c[j];

		rp_check_words(rp, j, 0, c->nbits, line);
		if (atomic_long_read(&c->chunk->avail) !=
		    (long)(c->size - c->used * rp->g))
			rp_fail(rp, line, "chunk %#lx avail %ld, want %lu",
				c->base, atomic_long_read(&c->chunk->avail),
				c->size - c->used * rp->g);
#ifndef GENALLOC_UPSTREAM
		if (c->nbits > 1024 && !c->chunk->index)
			rp_fail(rp, line, "chunk %#lx of %lu granules has no index",
				c->base, c->nbits);
		if (c->chunk->index &&
		    gp_tree_kept(c->chunk->index) != (c->tree || !GP_REACH))
			rp_fail(rp, line, "chunk %#lx searches through the %s",
				c->base, gp_tree_kept(c->chunk->index) ?
				"tree" : "reach hints");
#endif
	}
	if (gen_pool_validate(rp->pool))
		rp_fail(rp, line, "gen_pool_validate() failed");
}

#define rp_check(rp) rp_check_at(rp, __LINE__)

static const char *algo_name(genpool_algo_t algo)
{
	return algo == gen_pool_first_fit ? "first_fit" :
	       algo == gen_pool_best_fit ? "best_fit" :
	       algo == gen_pool_first_fit_align ? "first_fit_align" :
	       algo == gen_pool_first_fit_order_align ? "order_align" :
	       algo == gen_pool_fixed_alloc ? "fixed" : "custom";
}

/* A custom strategy: the driver's own call of gen_pool_first_fit(). */
static unsigned long rp_custom_first_fit(unsigned long *map,
					 unsigned long size,
					 unsigned long start, unsigned int nr,
					 void *data, struct gen_pool *pool,
					 unsigned long start_addr)
{
	return gen_pool_first_fit(map, size, start, nr, data, pool,
				  start_addr);
}

/*
 * Allocate @size bytes with @algo (gen_pool_first_fit: through one of the
 * entry points that use it) and check the address against the reference:
 * the newest chunk with enough bytes available in which the strategy
 * finds room.  Returns the address, 0 on (expected) failure.
 */
static unsigned long rp_alloc_algo_at(struct rpool *rp, genpool_algo_t algo,
				      void *data, size_t size, int line)
{
	unsigned long nr = DIV_ROUND_UP(size, rp->g), want = 0, got, bit = 0;
	bool switches = algo == gen_pool_best_fit ||
			algo == gen_pool_first_fit_align ||
			algo == gen_pool_first_fit_order_align;
	int j, wj = -1;

	for (j = rp->n - 1; j >= 0; j--) {
		struct rp_chunk *c = &rp->c[j];

		if (size > c->size - c->used * rp->g)
			continue;
		if (switches)
			c->tree = true;
		bit = rp_ref_in(rp, j, algo, data, nr);
		if (bit < c->nbits) {
			want = c->base + bit * rp->g;
			wj = j;
			break;
		}
	}
	if (algo != gen_pool_first_fit) {
		got = gen_pool_alloc_algo(rp->pool, size, algo, data);
	} else {
		switch (rnd_below(4)) {
		case 0:
			got = gen_pool_alloc_algo(rp->pool, size,
						  gen_pool_first_fit, NULL);
			break;
		case 1:
			algo = rp_custom_first_fit;
			got = gen_pool_alloc_algo(rp->pool, size, algo, NULL);
			break;
		default:		/* the pool's strategy */
			got = gen_pool_alloc(rp->pool, size);
			break;
		}
	}
	if (got != want)
		rp_fail(rp, line, "alloc of %zu bytes (%lu granules, %s): got %#lx, want %#lx",
			size, nr, algo_name(algo), got, want);
	rp_stats[0]++;
	rp_stats[1] += !got;
	rp_stats[2] += got && nr >= 127;
	if (got) {
		rp->c[wj].allocs++;
		rp_mark(rp, wj, bit, nr, true, line);
		rp_check_words(rp, wj, bit, nr, line);
	}
	return got;
}

#define rp_alloc_algo(rp, algo, data, size) \
	rp_alloc_algo_at(rp, algo, data, size, __LINE__)
#define rp_alloc(rp, size) \
	rp_alloc_algo_at(rp, gen_pool_first_fit, NULL, size, __LINE__)

/* First fit of @nr granules: must land at bit @bit of chunk @c, or fail. */
static void rp_alloc_expect_at(struct rpool *rp, const struct rp_chunk *c,
			       unsigned long nr, unsigned long bit, int line)
{
	unsigned long got = rp_alloc_algo_at(rp, gen_pool_first_fit, NULL,
					     nr * rp->g, line);
	unsigned long want = c->base + bit * rp->g;

	if (got != want)
		rp_fail(rp, line, "%lu granules: got %#lx, want %#lx", nr, got,
			want);
}

#define rp_alloc_expect(rp, c, nr, bit) \
	rp_alloc_expect_at(rp, c, nr, bit, __LINE__)

static void rp_free_at(struct rpool *rp, unsigned long addr, size_t size,
		       int line)
{
	int j = rp_chunk_of(rp, addr);
	unsigned long bit, nr = DIV_ROUND_UP(size, rp->g);

	if (j < 0)
		rp_fail(rp, line, "free of %#lx outside the pool", addr);
	bit = (addr - rp->c[j].base) >> rp->order;
	rp_mark(rp, j, bit, nr, false, line);
	gen_pool_free(rp->pool, addr, size);
	rp_check_words(rp, j, bit, nr, line);
}

#define rp_free(rp, addr, size) rp_free_at(rp, addr, size, __LINE__)

/* Free granules [@bit, @bit + @nr) of chunk @c. */
static void rp_free_bits_at(struct rpool *rp, const struct rp_chunk *c,
			    unsigned long bit, unsigned long nr, int line)
{
	rp_free_at(rp, c->base + bit * rp->g, nr * rp->g, line);
}

#define rp_free_bits(rp, c, bit, nr) rp_free_bits_at(rp, c, bit, nr, __LINE__)

/* Free every allocated range of every chunk, then check. */
static void rp_free_all(struct rpool *rp)
{
	int j;

	for (j = 0; j < rp->n; j++) {
		struct rp_chunk *c = &rp->c[j];
		unsigned long s = 0, e;

		for (;;) {
			s = find_next_bit(c->map, c->nbits, s);
			if (s >= c->nbits)
				break;
			e = find_next_zero_bit(c->map, c->nbits, s);
			rp_free_bits(rp, c, s, e - s);
			s = e;
		}
	}
	rp->nlive = 0;
	rp_check(rp);
}

/* Free everything, check, destroy the pool. */
static void rp_finish(struct rpool *rp)
{
	rp_free_all(rp);
	done(rp->pool);
	rp_release();
}

/* A request size in granules: 1 .. @max_nr, around the hints' cap often. */
static unsigned long rp_rnd_nr(unsigned long max_nr)
{
	switch (rnd_below(8)) {
	case 0:
		return 1 + rnd_below(min(4UL, max_nr));
	case 1:
		return min(max_nr, 120 + rnd_below(16));
	case 2:
		return max_nr - rnd_below(max_nr / 2);
	default:
		return 1 + rnd_below(max_nr);
	}
}

/* Free live block @i: whole, its tail or its head. */
static void rp_free_live(struct rpool *rp, unsigned long i)
{
	struct rp_live *b = &rp->live[i];
	unsigned long nr = DIV_ROUND_UP(b->size, rp->g), k;
	unsigned int how = rnd_below(10);

	if (nr > 1 && how < 2) {
		k = 1 + rnd_below(nr - 1);
		if (how == 0) {
			/* the tail, from granule k on */
			rp_free(rp, b->addr + k * rp->g, b->size - k * rp->g);
			b->size = k * rp->g;
		} else {
			/* the head, granules 0 .. k - 1 */
			rp_free(rp, b->addr, k * rp->g);
			b->addr += k * rp->g;
			b->size -= k * rp->g;
		}
		return;
	}
	rp_free(rp, b->addr, b->size);
	*b = rp->live[--rp->nlive];
}

static void rp_keep(struct rpool *rp, unsigned long addr, size_t size)
{
	REQUIRE(rp->nlive < rp->cap);
	rp->live[rp->nlive].addr = addr;
	rp->live[rp->nlive].size = size;
	rp->nlive++;
}

/* rp_step() flags */
#define RP_FIXED	1	/* now and then a fixed allocation */

/*
 * One random operation: a first-fit allocation of 1 .. @max_nr granules
 * (rarely a fixed one), or a free of a live block, whole or in part,
 * steering the pool towards @fill_pct percent in use.
 */
static void rp_step(struct rpool *rp, unsigned int fill_pct,
		    unsigned long max_nr, unsigned int flags)
{
	unsigned long total = 0, used = 0, nr, addr;
	size_t size;
	int j;

	rp->op++;
	for (j = 0; j < rp->n; j++) {
		total += rp->c[j].nbits;
		used += rp->c[j].used;
	}
	if (rp->nlive && rnd_below(512) == 0) {
		/* a burst of frees: long runs, merged across words */
		for (j = 1 + rnd_below(24); j > 0 && rp->nlive; j--)
			rp_free_live(rp, rnd_below(rp->nlive));
		return;
	}
	if (rp->nlive &&
	    rnd_below(100) >= (used * 100 < fill_pct * total ? 70 : 30)) {
		rp_free_live(rp, rnd_below(rp->nlive));
		return;
	}
	nr = rp_rnd_nr(max_nr);
	size = nr * rp->g - rnd_below(rp->g);
	if ((flags & RP_FIXED) && rnd_below(32) == 0) {
		/* a fixed allocation in some free run, anywhere in it */
		struct rp_chunk *c = &rp->c[rnd_below(rp->n)];
		struct genpool_data_fixed f;
		unsigned long bit = rnd_below(c->nbits), run;

		if (test_bit(bit, c->map))
			return;
		run = find_next_bit(c->map, c->nbits, bit) - bit;
		nr = 1 + rnd_below(min(run, nr));
		size = nr * rp->g - rnd_below(rp->g);
		f.offset = bit * rp->g;
		addr = rp_alloc_algo(rp, gen_pool_fixed_alloc, &f, size);
		REQUIRE(addr);
	} else {
		addr = rp_alloc(rp, size);
	}
	if (addr)
		rp_keep(rp, addr, size);
}

/*
 * Free live blocks of chunk @j until @algo finds room there for @nr
 * granules.
 */
static void rp_make_room(struct rpool *rp, int j, genpool_algo_t algo,
			 void *data, unsigned long nr)
{
	struct rp_chunk *c = &rp->c[j];

	while (c->size - c->used * rp->g < nr * rp->g ||
	       rp_ref_in(rp, j, algo, data, nr) >= c->nbits) {
		unsigned long i;

		for (i = 0; i < rp->nlive; i++)
			if (rp_chunk_of(rp, rp->live[i].addr) == j)
				break;
		REQUIRE(i < rp->nlive);
		rp_free(rp, rp->live[i].addr, rp->live[i].size);
		rp->live[i] = rp->live[--rp->nlive];
	}
}

/*
 * Requests at and above the hints' cap of 127 (where a hint only says
 * "127 or more"), among free runs just shorter than the request, some of
 * them saturated, starting at various bits of their first word and
 * crossing into later words: the search must visit the words whose hints
 * promise enough, find that their runs are too short, and skip the words
 * those runs cover, up to the first run that fits.
 */
TEST(reach_long_requests)
{
	static const unsigned long reqs[] = {
		127, 128, 129, 200, 255, 1000, 1025, 3000,
	};
	static const unsigned long offs[] = { 0, 1, 63, 37, 62, 32, 5, 60 };
	unsigned int i, order;

	rng_seed("reach_long_requests");
	for (order = 0; order <= 4; order += 4) {
		for (i = 0; i < ARRAY_SIZE(reqs); i++) {
			struct rpool *rp = rp_new(order, "long requests");
			unsigned long r = reqs[i], nbits = 48000 + 37, pos;
			unsigned long fit1, fit2, k, ndecoys = 0;
			struct rp_chunk *c;

			rp->round = i;
			c = rp_add(rp, 0x1000000, nbits, order ? 7 : 0);
			rp_alloc_expect(rp, c, nbits, 0);

			/* decoys: runs of r - 1 and below, 127 and 128 too */
			pos = 64 + offs[i];
			while (pos < nbits / 3) {
				static const unsigned long cut[] = {
					1, 1, 2, 3, 8, 0, 0, 0,
				};
				unsigned long len = r - cut[rnd_below(8)];

				if (!len || len >= r)
					len = rnd_below(4) ? 127 : 128;
				if (len >= r)
					len = r - 1;
				/* some start at the top of a word */
				if (rnd_below(3) == 0)
					pos = ALIGN(pos, 64) + 63 -
					      rnd_below(3);
				/* some decoys freed in two pieces */
				if (len > 2 && rnd_below(2)) {
					k = 1 + rnd_below(len - 1);
					rp_free_bits(rp, c, pos + k, len - k);
					rp_free_bits(rp, c, pos, k);
				} else {
					rp_free_bits(rp, c, pos, len);
				}
				ndecoys++;
				pos += len + 1 + rnd_below(3);
			}
			EXPECT(ndecoys >= 5);
			/* the first fit, freed in three pieces */
			fit1 = ALIGN(pos, 64) + offs[(i + 3) % 8];
			rp_free_bits(rp, c, fit1 + r / 2, r - r / 2 - 1);
			rp_free_bits(rp, c, fit1, r / 2);
			rp_free_bits(rp, c, fit1 + r - 1, 1);
			/* more decoys, then a run of r + 5 */
			pos = fit1 + r + 1;
			for (k = 0; k < 20 && pos + 2 * r + 80 < nbits; k++) {
				rp_free_bits(rp, c, pos, r - 1);
				pos += r + rnd_below(70);
			}
			fit2 = pos + 3;
			rp_free_bits(rp, c, fit2, r + 5);
			rp_check(rp);

			rp_alloc_expect(rp, c, r, fit1);
			rp_alloc_expect(rp, c, r, fit2);
			EXPECT_EQ(rp_alloc(rp, r * rp->g), 0);
			EXPECT_EQ(rp_alloc(rp, (r + 1) * rp->g), 0);
			rp_check(rp);
			/* the first fit again once freed, then the decoys */
			rp_free_bits(rp, c, fit1, r);
			rp_alloc_expect(rp, c, r, fit1);
			for (k = 0; k < 8; k++)
				rp_alloc(rp, (r - 1 - rnd_below(3)) * rp->g);
			rp_alloc(rp, 127 * rp->g);
			rp_alloc(rp, 128 * rp->g);
			rp_alloc(rp, 126 * rp->g);
			rp_check(rp);
			/* free fit2 and its neighbour: a run of r + 6 */
			rp_free_bits(rp, c, fit2 - 1, 1);
			rp_free_bits(rp, c, fit2, r);
			rp_alloc_expect(rp, c, r + 6, fit2 - 1);
			rp_check(rp);
			rp_finish(rp);
		}
	}
}

/*
 * Chunks whose size is not a multiple of 64 granules (nor, for a nonzero
 * order, of the granule): the bits past the end are never handed out,
 * runs that end at the chunk's end are found, and requests that fit only
 * there land there.
 */
TEST(reach_ragged_tail)
{
	static const unsigned long sizes[] = {
		1025, 1030, 1087, 1088, 1089, 1151, 1153, 1600, 2049, 4097,
		4100, 4159, 8191, 32769, 33001,
	};
	static const unsigned long steps[] = { 7, 64, 100, 129 };
	unsigned int i, k;

	rng_seed("reach_ragged_tail");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		int order = i % 3 == 2 ? 5 : i % 3;
		struct rpool *rp = rp_new(order, "ragged tail");
		unsigned long nbits = sizes[i], tail = nbits % 64, n;
		unsigned long lens[] = {
			1, 2, 3, tail - 1, tail, tail + 1, 63, 64, 65, 127,
			128, 129, 200, 700,
		};
		struct rp_chunk *c;

		rp->round = i;
		c = rp_add(rp, 0x4000000, nbits, rp->g - 1);
		/* the whole chunk, and not a granule more */
		EXPECT_EQ(rp_alloc(rp, (nbits + 1) * rp->g), 0);
		rp_alloc_expect(rp, c, nbits, 0);
		rp_check(rp);

		for (k = 0; k < ARRAY_SIZE(lens); k++) {
			unsigned long l = lens[k], d = nbits / 3;

			/* (tail - 1 wraps when tail is 0) */
			if (!l || l > nbits || d + 2 * l + 10 > nbits)
				continue;
			rp->op = k;
			/* a run ending at the end, a shorter decoy before */
			rp_free_bits(rp, c, nbits - l, l);
			if (l > 1)
				rp_free_bits(rp, c, d, l - 1);
			EXPECT_EQ(rp_alloc(rp, (l + 1) * rp->g), 0);
			rp_alloc_expect(rp, c, l, nbits - l);
			if (l > 1) {
				rp_free_bits(rp, c, nbits - l, l);
				/* merge with the run before it */
				rp_free_bits(rp, c, nbits - l - 3, 3);
				rp_alloc_expect(rp, c, l + 3, nbits - l - 3);
				/* the decoy takes the small ones */
				rp_alloc_expect(rp, c, l - 1, d);
			}
			rp_check(rp);
		}
		rp_free_all(rp);

		/* equal blocks from empty; the rest fits at the end */
		for (k = 0; k < ARRAY_SIZE(steps); k++) {
			unsigned long s = steps[k];

			for (n = 0; n < nbits / s; n++)
				rp_alloc_expect(rp, c, s, n * s);
			EXPECT_EQ(rp_alloc(rp, s * rp->g), 0);
			if (nbits % s) {
				EXPECT_EQ(rp_alloc(rp, (nbits % s + 1) * rp->g),
					  0);
				rp_alloc_expect(rp, c, nbits % s,
						nbits - nbits % s);
			}
			EXPECT_EQ(rp_alloc(rp, 1), 0);
			rp_check(rp);
			/* free the last two blocks: they fit only there */
			if (nbits >= 2 * s + nbits % s) {
				n = nbits - nbits % s - s;
				rp_free_bits(rp, c, n, s + nbits % s);
				rp_free_bits(rp, c, n - s, s);
				EXPECT_EQ(rp_alloc(rp, (2 * s + nbits % s + 1) *
						       rp->g), 0);
				rp_alloc_expect(rp, c, 2 * s + nbits % s,
						n - s);
			}
			rp_free_all(rp);
		}
		rp_finish(rp);
	}
}

#ifndef GP_RTOP_WORDS
#define GP_RTOP_WORDS	16	/* the self-check: upstream has no hints */
#endif
#define RT	GP_RTOP_WORDS

/*
 * The reach hints end in a level of up to GP_RTOP_WORDS (RT) words, which
 * a search reads in turn.  Chunks whose hints take two to RT words on
 * level 0 alone, or more there and levels above (RT + 1 words on level 0
 * give RT / 8 + 1 above; 8 * RT + 1 give RT + 1, then RT / 8 + 1): a lone
 * run of nine granules near the end of the span of each top word in
 * turn, past a decoy of eight, is where nine go and ten do not.  Then a
 * pool whose two newer chunks hold free granules but no two in a row,
 * which first fit passes over to reach the oldest.
 */
TEST(reach_top_level)
{
	static const unsigned long sizes[] = {
		2048, 3001, 4096, 5000, (RT - 1) * 1024 - 100, RT * 1024,
		RT * 1024 + 1, 24577, 32768, 33000, 8 * RT * 1024,
		8 * RT * 1024 + 1000, 262144,
	};
	struct rp_chunk *c, *c1, *c2;
	unsigned long span, p, k;
	struct rpool *rp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long nbits = sizes[i];

		rp = rp_new(i % 2 ? 3 : 0, "top level");
		rp->round = i;
		c = rp_add(rp, 0x10000000, nbits, 0);
		rp_alloc_expect(rp, c, nbits, 0);
		rp_free_bits(rp, c, 100, 8);
		/* 1024 granules per word of level 0, eight times more above */
		for (span = 1024; DIV_ROUND_UP(nbits, span) > RT; span *= 8)
			;
		for (k = 0; k * span < nbits; k++) {
			rp->op = k;
			p = min((k + 1) * span, nbits) - 12;
			rp_free_bits(rp, c, p, 9);
			EXPECT_EQ(rp_alloc(rp, 10 * rp->g), 0);
			rp_alloc_expect(rp, c, 9, p);
			rp_check(rp);
		}
		rp_alloc_expect(rp, c, 8, 100);
		rp_finish(rp);
	}

	rp = rp_new(0, "top level, chunks passed over");
	c = rp_add(rp, 0x10000000, 32768, 0);
	c1 = rp_add(rp, 0x20000000, 4096, 0);
	c2 = rp_add(rp, 0x30000000, 33000, 0);
	rp_alloc_expect(rp, c2, 33000, 0);
	rp_alloc_expect(rp, c1, 4096, 0);
	rp_alloc_expect(rp, c, 32768, 0);
	for (p = 1; p < 33000; p += 3) {
		rp_free_bits(rp, c2, p, 1);
		if (p < 4096)
			rp_free_bits(rp, c1, p, 1);
	}
	rp_free_bits(rp, c, 32768 - 5, 2);
	rp_check(rp);
	rp_alloc_expect(rp, c, 2, 32768 - 5);
	EXPECT_EQ(rp_alloc(rp, 2), 0);
	rp_alloc_expect(rp, c2, 1, 1);
	rp_finish(rp);
}

#undef RT

/*
 * Free runs that cross word boundaries, 8-word (512-bit) boundaries and
 * the boundaries of the levels above (4096 and 32768 bits on 64-bit, the
 * tree's leaves and nodes on 32-bit): a run [B - a, B + b) freed in two
 * pieces with one busy granule between them, so that it first does not
 * fit; a fitting run later on and a decoy one granule short before it;
 * then the busy granule freed, merging the pieces across B.
 */
TEST(reach_runs_across_boundaries)
{
	static const unsigned long bounds[] = {
		64, 448, 512, 1536, 4096, 12288, 32768, 65536,
	};
	static const unsigned long as[] = { 1, 30, 64, 65, 130 };
	static const unsigned long bs[] = { 1, 64, 100, 200, 600 };
	unsigned int i, ia, ib;
	unsigned long nbits = 70001;

	rng_seed("reach_runs_across_boundaries");
	for (i = 0; i < ARRAY_SIZE(bounds); i++) {
		struct rpool *rp = rp_new(0, "runs across boundaries");
		struct rp_chunk *c = rp_add(rp, 0x1000000, nbits, 0);
		unsigned long b = bounds[i];

		rp->round = i;
		for (ia = 0; ia < ARRAY_SIZE(as); ia++) {
			for (ib = 0; ib < ARRAY_SIZE(bs); ib++) {
				unsigned long l = as[ia] + bs[ib];
				unsigned long s = b - as[ia], x, later;

				if (as[ia] > b)
					continue;
				rp->op = ia * 8 + ib;
				rp_alloc_expect(rp, c, nbits, 0);
				/* a decoy one granule short, before */
				if (s >= l + 10)
					rp_free_bits(rp, c, s - l - 10, l - 1);
				/* the run in two pieces */
				x = rnd_below(l - 1);
				if (x)
					rp_free_bits(rp, c, s, x);
				if (l - x - 1)
					rp_free_bits(rp, c, s + x + 1,
						     l - x - 1);
				/* a run that fits, later */
				later = b + bs[ib] + 37 + rnd_below(64);
				rp_free_bits(rp, c, later, l);
				rp_check(rp);
				rp_alloc_expect(rp, c, l, later);
				rp_free_bits(rp, c, later, l);
				/* merge across the boundary */
				rp_free_bits(rp, c, s + x, 1);
				rp_check(rp);
				rp_alloc_expect(rp, c, l, s);
				rp_alloc_expect(rp, c, l, later);
				if (s >= l + 10)
					rp_alloc_expect(rp, c, l - 1,
							s - l - 10);
				/* and once more, freed as one */
				rp_free_bits(rp, c, s, l);
				rp_alloc_expect(rp, c, l, s);
				rp_free_all(rp);
			}
		}
		rp_finish(rp);
	}
}

/*
 * Blocks of one size laid out from an empty chunk, so that block
 * boundaries fall everywhere in words, then freed in random order: each
 * free merges runs, often across word and node boundaries, and is
 * followed by a probe allocation (freed again) whose placement is
 * checked.
 */
TEST(reach_split_and_merge)
{
	static const unsigned long blocks[] = { 37, 100, 300, 513 };
	unsigned long nbits = 40000 + 11, *order_of;
	unsigned int i;

	rng_seed("reach_split_and_merge");
	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		struct rpool *rp = rp_new(1, "split and merge");
		struct rp_chunk *c = rp_add(rp, 0x1000000, nbits, 1);
		unsigned long s = blocks[i], n = nbits / s, k, t, p;

		rp->round = i;
		rp->perm = calloc(n, sizeof(*order_of));
		order_of = rp->perm;
		REQUIRE(order_of);
		for (k = 0; k < n; k++) {
			rp_alloc_expect(rp, c, s, k * s);
			order_of[k] = k;
		}
		if (nbits % s)
			rp_alloc_expect(rp, c, nbits % s, n * s);
		EXPECT_EQ(rp_alloc(rp, 1), 0);
		rp_check(rp);
		/* shuffle */
		for (k = n - 1; k > 0; k--) {
			unsigned long r = rnd_below(k + 1);

			t = order_of[k];
			order_of[k] = order_of[r];
			order_of[r] = t;
		}
		for (k = 0; k < n; k++) {
			rp->op = k;
			rp_free_bits(rp, c, order_of[k] * s, s);
			t = 1 + rnd_below(3 * s);
			p = rp_alloc(rp, t * rp->g);
			if (p && t > 1 && rnd_below(2)) {
				/* freed tail first, then head */
				rp_free(rp, p + rp->g, (t - 1) * rp->g);
				rp_free(rp, p, 1);
			} else if (p) {
				rp_free(rp, p, t * rp->g);
			}
			if (k % 64 == 0)
				rp_check(rp);
		}
		rp_finish(rp);
	}
}

/*
 * The switch from the reach hints to the tree: a pool of two indexed
 * chunks used with first fit (and fixed and custom strategies, which do
 * not switch) for a while; then one allocation with a strategy that needs
 * the tree, satisfied by the newer chunk B, which switches for good while
 * the older chunk A keeps its hints; first fit again, served by both
 * kinds of chunk; then A switched too by a request B cannot take; then
 * every strategy.  Every placement is checked, and each chunk's state.
 */
TEST(reach_strategy_switch)
{
	static const genpool_algo_t switchers[] = {
		gen_pool_best_fit, gen_pool_first_fit_align,
		gen_pool_first_fit_order_align,
	};
	struct genpool_data_align al = { .align = 128 };
	unsigned int s;

	rng_seed("reach_strategy_switch");
	for (s = 0; s < 3 * ARRAY_SIZE(switchers); s++) {
		genpool_algo_t sw = switchers[s % ARRAY_SIZE(switchers)];
		struct rpool *rp = rp_new(3, "strategy switch");
		struct rp_chunk *a, *b;
		unsigned long op, nr, addr, in_a = 0, in_b = 0;

		rp->round = s;
		/* A: older, off the 128-byte alignment; B: newer, ragged */
		a = rp_add(rp, 0x1000000 + 5 * 8, 6000 + rnd_below(3000), 0);
		b = rp_add(rp, 0x2000000, 2000 + rnd_below(2000), 3);

		for (op = 0; op < 3000; op++) {
			rp_step(rp, 75, 300, RP_FIXED);
			if (op % 256 == 0)
				rp_check(rp);
		}
		rp_check(rp);
		EXPECT(!a->tree && !b->tree);

		/* make room in B if needed, then switch B alone */
		nr = 1 + rnd_below(40);
		rp_make_room(rp, 1, sw, &al, nr);
		addr = rp_alloc_algo(rp, sw, &al, nr * rp->g);
		REQUIRE(rp_chunk_of(rp, addr) == 1);
		rp_keep(rp, addr, nr * rp->g);
		REQUIRE(b->tree && !a->tree);
		rp_check(rp);

		/* first fit again: B through the tree, A through its hints */
		in_a = a->allocs;
		in_b = b->allocs;
		for (op = 0; op < 3000; op++) {
			rp_step(rp, 75, 300, RP_FIXED);
			if (op % 256 == 0)
				rp_check(rp);
		}
		in_a = a->allocs - in_a;
		in_b = b->allocs - in_b;
		rp_check(rp);
		EXPECT(in_a > 100);
		EXPECT(in_b > 100);

		/* a request only A can take switches A */
		nr = (b->size - b->used * rp->g) / rp->g + 1 + rnd_below(8);
		rp_make_room(rp, 0, sw, &al, nr);
		addr = rp_alloc_algo(rp, sw, &al, nr * rp->g);
		REQUIRE(rp_chunk_of(rp, addr) == 0);
		rp_keep(rp, addr, nr * rp->g);
		REQUIRE(a->tree && b->tree);
		rp_check(rp);
		for (op = 0; op < 1000; op++) {
			if (rnd_below(4)) {
				rp_step(rp, 75, 300, RP_FIXED);
			} else {
				nr = rp_rnd_nr(300);
				al.align = 1 << rnd_below(12);
				sw = switchers[rnd_below(3)];
				addr = rp_alloc_algo(rp, sw, &al, nr * rp->g);
				if (addr)
					rp_keep(rp, addr, nr * rp->g);
			}
			if (op % 256 == 0)
				rp_check(rp);
		}
		al.align = 128;
		rp_finish(rp);
	}
}

/*
 * Random first fit on one big chunk (3000 .. 70000 granules, a ragged
 * end), requests of 1 .. 300 granules, frees of random live blocks, whole
 * or their head or tail, and a few fixed allocations: every address is
 * checked against the reference.  The run's seed (-s) replays it; -r
 * multiplies the rounds.
 */
TEST(reach_random_first_fit)
{
	unsigned int round, rounds = 8 * test_rounds;

	rng_seed("reach_random_first_fit");
	memset(rp_stats, 0, sizeof(rp_stats));
	for (round = 0; round < rounds; round++) {
		int order = rnd_below(5);
		struct rpool *rp = rp_new(order, "random first fit");
		unsigned long nbits = 3000 + rnd_below(67001), g = 1UL << order;
		unsigned int fill = 40 + rnd_below(58);
		unsigned long n = 40000, op;

		rp->round = round;
		rp_add(rp, 0x10000000 + g * rnd_below(4096), nbits,
		       rnd_below(g));
		if (test_verbose)
			printf("  seed %u round %u: order %d, %lu granules, fill %u%%\n",
			       test_seed, round, order, nbits, fill);
		for (op = 0; op < n; op++) {
			rp_step(rp, fill, 300, RP_FIXED);
			if (op % 256 == 0)
				rp_check_words(rp, 0, 0, nbits, __LINE__);
			if (op % 4096 == 0)
				rp_check(rp);
		}
		rp_check(rp);
		rp_finish(rp);
	}
	if (test_verbose)
		printf("  %lu allocations, %lu failed, %lu of 127 granules or more\n",
		       rp_stats[0], rp_stats[1], rp_stats[2]);
}

/*
 * A chunk of @nbits granules, allocated whole by best fit: the chunk
 * keeps length masks from then on.
 */
static struct rp_chunk *rp_add_taken(struct rpool *rp, unsigned long nbits)
{
	struct rp_chunk *c = rp_add(rp, 0x10000000, nbits, 0);

	REQUIRE(rp_alloc_algo(rp, gen_pool_best_fit, NULL, nbits * rp->g) ==
		c->base);
	return c;
}

/*
 * Best fit when no run of the requested length up to 30 granules is free
 * (the length masks have one bit for all longer runs): the pick is the
 * first of the shortest longer runs.  A full chunk gets runs of 1-4
 * granules and long runs (31-300 granules, a few of them across the 512-,
 * 4096-, 8192- and 32768-granule boundaries, one over many leaves); then
 * best fit of 5-80 granules, each checked against the reference, until it
 * fails three times, with a free of a random block now and then.  Every
 * long run is cut down, so the shortest long run changes from one request
 * to the next.
 */
TEST(best_fit_long_runs)
{
	static const unsigned long bounds[] = { 512, 4096, 8192, 32768 };
	unsigned long nbits, p, len, nr, addr, i;
	unsigned int round, fails;
	struct rp_chunk *c;
	struct rpool *rp;
	size_t size;

	rng_seed("best_fit_long_runs");
	for (round = 0; round < 4 * test_rounds; round++) {
		rp = rp_new(rnd_below(3), "best fit long runs");
		rp->round = round;
		nbits = 34000 + rnd_below(40000);
		c = rp_add_taken(rp, nbits);
		for (i = 0; i < ARRAY_SIZE(bounds); i++) {
			len = 31 + rnd_below(60);
			p = bounds[i] - 1 - rnd_below(len - 1);
			rp_free_bits(rp, c, p, len);
		}
		rp_free_bits(rp, c, 20000 + rnd_below(1000), 3000);
		/* Elsewhere, where granules p - 1 .. p + 300 are all busy. */
		for (p = 100; p + 400 < nbits; p += 300 + rnd_below(800)) {
			if (find_next_zero_bit(c->map, p + 301, p - 1) < p + 301)
				continue;
			len = rnd_below(4) ? 1 + rnd_below(4) :
					     31 + rnd_below(270);
			rp_free_bits(rp, c, p, len);
		}
		rp_check(rp);
		for (fails = 0; fails < 3;) {
			rp->op++;
			nr = 5 + rnd_below(rnd_below(4) ? 26 : 76);
			size = nr * rp->g - rnd_below(rp->g);
			addr = rp_alloc_algo(rp, gen_pool_best_fit, NULL, size);
			if (addr)
				rp_keep(rp, addr, size);
			else
				fails++;
			if (rp->nlive && !rnd_below(8))
				rp_free_live(rp, rnd_below(rp->nlive));
			if (rp->op % 64 == 0)
				rp_check(rp);
		}
		rp_check(rp);
		rp_finish(rp);
	}
}

/*
 * Best fit remembers the first of the shortest long runs between calls;
 * every change that could make another run the answer must be seen:
 * frees that leave a long run (merged with others), first-fit and fixed
 * claims that cut a longer run into a long part, best fit cutting the
 * remembered run itself.  No short run is left for long, so that small
 * best-fit requests keep going to the long runs.
 */
TEST(best_fit_long_run_kept)
{
	unsigned long nbits, p, len, nr, addr, i, *held;
	struct genpool_data_fixed f;
	unsigned int round, op;
	struct rp_chunk *c;
	struct rpool *rp;
	size_t size;

	rng_seed("best_fit_long_run_kept");
	for (round = 0; round < 12 * test_rounds; round++) {
		rp = rp_new(rnd_below(3), "best fit long run kept");
		rp->round = round;
		nbits = 4096 + rnd_below(20000);
		c = rp_add_taken(rp, nbits);
		/* Granules still held by the first allocation. */
		held = calloc(BITS_TO_LONGS(nbits), sizeof(long));
		REQUIRE(held);
		bitmap_set(held, 0, nbits);
		for (op = 0; op < 3000; op++) {
			rp->op++;
			i = rnd_below(100);
			if (i < 30) {
				/* Free a long range of the first allocation. */
				len = 31 + rnd_below(rnd_below(4) ? 40 : 200);
				p = rnd_below(nbits - len);
				if (find_next_zero_bit(held, p + len, p) < p + len)
					continue;
				bitmap_clear(held, p, len);
				rp_free_bits(rp, c, p, len);
				continue;
			}
			if (i < 45 && rp->nlive) {
				rp_free_live(rp, rnd_below(rp->nlive));
				continue;
			}
			if (i < 55) {
				/* First fit, through the first long run. */
				nr = 20 + rnd_below(80);
				size = nr * rp->g - rnd_below(rp->g);
				addr = rp_alloc_algo(rp, gen_pool_first_fit,
						     NULL, size);
			} else if (i < 62) {
				/* Fixed, anywhere in some free run. */
				p = rnd_below(nbits);
				if (test_bit(p, c->map))
					continue;
				len = find_next_bit(c->map, nbits, p) - p;
				nr = 1 + rnd_below(len);
				if (len > 80 && rnd_below(2)) {
					/* Long parts on either side. */
					nr = 1 + rnd_below(len - 70);
					p += 31 + rnd_below(len - nr - 61);
				}
				size = nr * rp->g - rnd_below(rp->g);
				f.offset = p * rp->g;
				addr = rp_alloc_algo(rp, gen_pool_fixed_alloc,
						     &f, size);
				REQUIRE(addr);
			} else {
				/* Mostly too long for the short runs left. */
				nr = rnd_below(4) ? 20 + rnd_below(12) :
						    1 + rnd_below(60);
				size = nr * rp->g - rnd_below(rp->g);
				addr = rp_alloc_algo(rp, gen_pool_best_fit,
						     NULL, size);
			}
			if (addr)
				rp_keep(rp, addr, size);
			if (rp->op % 128 == 0)
				rp_check(rp);
		}
		free(held);
		rp_check(rp);
		rp_finish(rp);
	}
}

/* ------------------------------------------------------------------ */
/* Index internals against brute force                                */
/* ------------------------------------------------------------------ */

/* Upstream has none of these: userspace-selfcheck leaves them out. */
#ifndef GENALLOC_UPSTREAM

#if GP_REACH
static unsigned long naive_longest_ones(unsigned long f)
{
	unsigned long best = 0, cur = 0;
	unsigned int i;

	for (i = 0; i < BITS_PER_LONG; i++) {
		cur = f & BIT(i) ? cur + 1 : 0;
		best = max(best, cur);
	}
	return best;
}

static void check_longest_ones(unsigned long f)
{
	unsigned long got = gp_longest_ones(f), want = naive_longest_ones(f);

	if (got != want)
		test_fail(__FILE__, __LINE__,
			  "gp_longest_ones(%#lx) = %lu, want %lu", f, got, want);
}

/*
 * gp_longest_ones() measures the free runs inside a bitmap word for the
 * reach hints; a result too short would make first fit skip a range that
 * fits.  Every single run, pairs of runs, alternating patterns and random
 * words of every density, top bit clear as its callers guarantee.
 */
TEST(reach_longest_ones)
{
	unsigned long f, top = ~0UL >> 1;
	unsigned int pos, len, iter, d, i;

	rng_seed("reach_longest_ones");
	check_longest_ones(0);
	for (pos = 0; pos < BITS_PER_LONG - 1; pos++)
		for (len = 1; pos + len < BITS_PER_LONG; len++) {
			f = (BIT(len) - 1) << pos;
			check_longest_ones(f);
			check_longest_ones(f | BIT(BITS_PER_LONG - 2));
			check_longest_ones(f | 1);
		}
	check_longest_ones(0x5555555555555555UL & top);
	check_longest_ones(0x2aaaaaaaaaaaaaaaUL);
	check_longest_ones(0x3333333333333333UL);
	check_longest_ones(0x0f0f0f0f0f0f0f0fUL);
	for (iter = 0; iter < 20000 * test_rounds; iter++) {
		d = rnd_below(101);
		f = 0;
		for (i = 0; i < BITS_PER_LONG - 1; i++)
			if (rnd_below(100) < d)
				f |= BIT(i);
		check_longest_ones(f);
		check_longest_ones(rnd() & top);
	}
}

/*
 * gp_ones_from() marks where @n set bits start in a word, for first fit
 * through the reach hints; a bit missing would make it pass a fit over.
 * Every length on random words of every density and on single runs.
 */
TEST(reach_ones_from)
{
	unsigned long f, want, n, p, k;
	unsigned int iter, d, i;

	rng_seed("reach_ones_from");
	for (iter = 0; iter < 2000 * test_rounds; iter++) {
		d = rnd_below(101);
		f = 0;
		for (i = 0; i < BITS_PER_LONG; i++)
			if (rnd_below(100) < d)
				f |= BIT(i);
		if (iter % 4 == 0)
			f = rnd();
		for (n = 1; n <= BITS_PER_LONG; n++) {
			want = 0;
			for (p = 0; p + n <= BITS_PER_LONG; p++) {
				for (k = 0; k < n && (f & BIT(p + k)); k++)
					;
				if (k == n)
					want |= BIT(p);
			}
			if (gp_ones_from(f, n) != want)
				test_fail(__FILE__, __LINE__,
					  "gp_ones_from(%#lx, %lu) = %#lx, want %#lx",
					  f, n, gp_ones_from(f, n), want);
		}
	}
}
#endif

/* A random bitmap of @words words: runs of set and clear bits. */
static void rnd_map(unsigned long *map, unsigned long words)
{
	unsigned long bit = 0, nbits = words * BITS_PER_LONG;
	unsigned int dense = rnd_below(4), longest = 1 + rnd_below(200);
	bool set = rnd_below(2);

	memset(map, 0, words * sizeof(*map));
	while (bit < nbits) {
		unsigned long len = 1 + rnd_below(set && dense ? 3 * longest :
						  longest);

		len = min(len, nbits - bit);
		if (set)
			bitmap_set(map, bit, len);
		bit += len;
		set = !set;
	}
}

/*
 * gp_leaf_summary() of bits [a, b) against the definition: the free runs
 * touching each edge, the longest, and the mask of the lengths of the
 * others.
 */
static void check_leaf_summary(const unsigned long *map, unsigned long a,
			       unsigned long b, unsigned int round)
{
	struct gp_sum got, want = { .exact = true, .free = true };
	unsigned long p = a, q;

	while (p < b) {
		for (q = p; q < b && test_bit(q, map) == test_bit(p, map); q++)
			;
		if (test_bit(p, map)) {
			want.free = false;
		} else {
			want.mx = max(want.mx, q - p);
			if (p == a)
				want.lf = q - p;
			if (q == b)
				want.rf = q - p;
			if (p != a && q != b)
				want.mask |= BIT(min(q - p, GP_LONG_RUN) - 1);
		}
		p = q;
	}
	want.lf = gp_cap(want.lf);
	want.rf = gp_cap(want.rf);
	want.mx = gp_cap(want.mx);
	gp_leaf_summary(map, a, b, &got);
	if (gp_encode(&got) != gp_encode(&want))
		test_fail(__FILE__, __LINE__,
			  "seed %u round %u: [%lu, %lu): %#lx, want %#lx",
			  test_seed, round, a, b, gp_encode(&got),
			  gp_encode(&want));
}

/*
 * gp_leaf_tight() against the definition: for each alignment class, the
 * longest free run from a position of the class (chunk phase included)
 * inside [a, b), cut at b; its edge runs and longest run as
 * gp_leaf_bound() gives them.  gp_leaf_summary() is checked on the same
 * bitmaps.
 */
TEST(align_bounds_brute_force)
{
	unsigned long map[24], a, b, p, q, want[GP_ALIGN_CLASSES + 1];
	unsigned int round, k;

	rng_seed("align_bounds_brute_force");
	for (round = 0; round < 3000 * test_rounds; round++) {
		struct genpool_index idx = { .phase = rnd_below(16) };
		struct gp_sum got, bound;

		rnd_map(map, ARRAY_SIZE(map));
		a = BITS_PER_LONG * rnd_below(8);
		b = a + 1 + rnd_below(ARRAY_SIZE(map) * BITS_PER_LONG - a);
		memset(want, 0, sizeof(want));
		for (p = a; p < b; p++) {
			if (test_bit(p, map))
				continue;
			for (q = p; q < b && !test_bit(q, map); q++)
				;
			for (k = 1; k <= GP_ALIGN_CLASSES; k++)
				if (!((p + idx.phase) & (BIT(k) - 1)))
					want[k] = max(want[k], q - p);
		}
		gp_leaf_tight(&idx, map, a, b, &got);
		gp_leaf_bound(map, a, b, &bound);
		check_leaf_summary(map, a, b, round);
		EXPECT_EQ(gp_range_al(&idx, map, a, b), got.mask);
		bound.mask = got.mask;
		if (gp_encode(&got) != gp_encode(&bound)) {
			test_fail(__FILE__, __LINE__,
				  "seed %u round %u: [%lu, %lu): %#lx, want %#lx",
				  test_seed, round, a, b, gp_encode(&got),
				  gp_encode(&bound));
			return;
		}
		for (k = 1; k <= GP_ALIGN_CLASSES; k++)
			if (gp_al(got.mask, k) != min(want[k], GP_ALIGN_CAP)) {
				test_fail(__FILE__, __LINE__,
					  "seed %u round %u: [%lu, %lu) phase %u class %u: %lu, want %lu",
					  test_seed, round, a, b, idx.phase, k,
					  gp_al(got.mask, k), want[k]);
				return;
			}
	}
}

/*
 * An inner node's exact summary folded from its children's stored
 * values (gp_fold_packed()) equals the one gp_fold() computes from the
 * decoded children, whenever no child is entirely free; with one free
 * child gp_fold_packed() declines.
 */
TEST(packed_fold_matches_fold)
{
	unsigned long map[8 * GENPOOL_LEAF_BITS / BITS_PER_LONG];
	unsigned long cv[GENPOOL_FANOUT], leaf = GENPOOL_LEAF_BITS;
	unsigned int round, n, i, declined = 0;

	rng_seed("packed_fold_matches_fold");
	for (round = 0; round < 2000 * test_rounds; round++) {
		struct gp_sum s, t, cs;
		unsigned long cur = 0;
		bool seen = false, any_free = false;

		rnd_map(map, ARRAY_SIZE(map));
		n = 1 + rnd_below(GENPOOL_FANOUT);
		for (i = 0; i < n; i++) {
			if (!rnd_below(8))
				bitmap_zero(map + i * leaf / BITS_PER_LONG, leaf);
			gp_leaf_summary(map, i * leaf, (i + 1) * leaf, &cs);
			any_free |= cs.free;
			cv[i] = gp_encode(&cs);
		}
		gp_fold_start(&t);
		for (i = 0; i < n; i++) {
			gp_decode(cv[i], &cs);
			gp_fold(&t, &cs, leaf, &cur, &seen);
		}
		gp_fold_end(&t, cur, seen);
		if (!gp_fold_packed(cv, n, &s)) {
			EXPECT(any_free);
			declined++;
			continue;
		}
		EXPECT(!any_free);
		if (gp_encode(&s) != gp_encode(&t)) {
			test_fail(__FILE__, __LINE__,
				  "seed %u round %u: %#lx, want %#lx", test_seed,
				  round, gp_encode(&s), gp_encode(&t));
			return;
		}
	}
	EXPECT(declined > 0);
}

/*
 * gp_fold_bounds_packed() gives what gp_fold_values() gives for the same
 * children, for random bounds (including saturated edge runs, ragged last
 * nodes and every chunk phase), with and without precise alignment
 * bounds; it declines when a child may be entirely free, is exact or is
 * not known.
 */
TEST(packed_bound_fold_matches_fold)
{
	unsigned long cv[GENPOOL_FANOUT];
	unsigned int round, i, n, lvl, packed = 0;

	rng_seed("packed_bound_fold_matches_fold");
	for (round = 0; round < 20000 * test_rounds; round++) {
		struct genpool_index idx = { .phase = rnd_below(16) };
		struct gen_pool_chunk chunk = { .index = &idx };
		unsigned long j, span, v;
		bool precise = rnd_below(2), odd = false;
		struct gp_sum s, t, cs;

		lvl = 1 + rnd_below(3);
		span = BIT(gp_span_shift(lvl - 1));
		j = rnd_below(4);
		n = 1 + rnd_below(GENPOOL_FANOUT);
		chunk.nbits = j * GENPOOL_FANOUT * span + (n - 1) * span +
			      1 + rnd_below(span);
		for (i = 0; i < n; i++) {
			unsigned long len = i == n - 1 ?
				chunk.nbits - (j * GENPOOL_FANOUT + i) * span :
				span;
			unsigned long lim = min(len, GP_CAP);

			memset(&cs, 0, sizeof(cs));
			cs.lf = rnd_below(2) ? rnd_below(lim + 1) : lim;
			cs.rf = rnd_below(2) ? rnd_below(lim + 1) : lim;
			cs.mx = max(cs.lf, cs.rf) +
				rnd_below(lim + 1 - max(cs.lf, cs.rf));
			cs.mask = gp_al_pack((long [4]) { rnd_below(128),
					     rnd_below(128), rnd_below(128),
					     rnd_below(128) });
			v = gp_encode(&cs);
			switch (rnd_below(40)) {
			case 0:
				v |= BIT(GP_FREE_BIT);
				odd = true;
				break;
			case 1:
				v |= BIT(GP_EXACT_BIT);
				odd = true;
				break;
			case 2:
				v = GP_DIRTY;
				odd = true;
				break;
			}
			cv[i] = v;
		}
		if (!gp_fold_bounds_packed(&chunk, lvl, j, cv, n, precise, &s)) {
			EXPECT(odd);
			continue;
		}
		EXPECT(!odd);
		packed++;
		REQUIRE(gp_fold_values(&chunk, lvl, j, cv, n, precise, &t));
		if (gp_encode(&s) != gp_encode(&t)) {
			test_fail(__FILE__, __LINE__,
				  "seed %u round %u: level %u, %u children, phase %u, precise %d: %#lx, want %#lx",
				  test_seed, round, lvl, n, idx.phase, precise,
				  gp_encode(&s), gp_encode(&t));
			return;
		}
	}
	EXPECT(packed > 10000 * test_rounds);
}

/*
 * A chunk whose first search past first fit is best fit keeps length
 * masks (64-bit): random best-fit allocations of 1 .. 200 granules (so
 * runs of GP_LONG_RUN or more are asked for too), frees of whole blocks,
 * heads and tails, and now and then a first fit or an aligned first fit,
 * which scan the plain bitmap there and do not switch the chunk again.
 * Every address is checked against the reference, and gen_pool_validate()
 * checks that every mask has the bits of its runs.
 */
TEST(best_fit_masks)
{
	struct genpool_data_align al;
	unsigned int round;

	rng_seed("best_fit_masks");
	for (round = 0; round < 4 * test_rounds; round++) {
		int order = rnd_below(4);
		struct rpool *rp = rp_new(order, "best fit masks");
		unsigned long nbits = 2000 + rnd_below(60000), op, nr, addr;
		unsigned int fill = 50 + rnd_below(45);
		struct rp_chunk *c;
		size_t size;

		rp->round = round;
		c = rp_add(rp, 0x10000000 + rp->g * rnd_below(4096), nbits,
			   rnd_below(rp->g));
		for (op = 0; op < 20000; op++) {
			rp->op++;
			if (rp->nlive && rnd_below(100) >=
			    (c->used * 100 < fill * c->nbits ? 70 : 30)) {
				rp_free_live(rp, rnd_below(rp->nlive));
				continue;
			}
			nr = 1 + rnd_below(rnd_below(8) ? 24 : 200);
			size = nr * rp->g - rnd_below(rp->g);
			/* The first request, best fit, chooses the masks. */
			switch (rp->nlive ? rnd_below(64) : 63) {
			case 0:
				al.align = rp->g << rnd_below(5);
				addr = rp_alloc_algo(rp, gen_pool_first_fit_align,
						     &al, size);
				break;
			case 1:
				addr = rp_alloc_algo(rp, gen_pool_first_fit,
						     NULL, size);
				break;
			default:
				addr = rp_alloc_algo(rp, gen_pool_best_fit,
						     NULL, size);
			}
			if (addr)
				rp_keep(rp, addr, size);
			if (op % 1024 == 0)
				rp_check(rp);
		}
		rp_check(rp);
		EXPECT_EQ(READ_ONCE(c->chunk->index->form),
			  GP_REACH ? GP_FORM_MASKS : GP_FORM_TREE);
		rp_finish(rp);
	}
}

/*
 * A pool of byte granules with one indexed 4096-byte chunk at 0x100000
 * (eight leaves under the root), which goes to *@chunk.
 */
static struct gen_pool *mask_pool(struct gen_pool_chunk **chunk)
{
	struct gen_pool *pool = new_pool(0);

	add(pool, 0x100000, 4096);
	*chunk = chunk_of(pool, 0x100000);
	REQUIRE(*chunk && (*chunk)->index);
	return pool;
}

/*
 * A free whose range another CPU partly claims again between two of the
 * free's word updates, played step by step: the free clears the word
 * holding granules 100-127, another allocation takes them back, the free
 * clears 128-139.  The free must record the run really left (12 granules
 * at 128, up to the granule allocated at 140), not its whole range; best
 * fit must then find that run.
 */
TEST(mask_free_reclaimed)
{
	struct gen_pool_chunk *chunk;
	struct gen_pool *pool = mask_pool(&chunk);

	EXPECT_EQ(gen_pool_alloc_algo(pool, 100, gen_pool_best_fit, NULL),
		  0x100000);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 40, gen_pool_best_fit, NULL),
		  0x100000 + 100);
	/* A short request visits (and recomputes) the nodes. */
	EXPECT_EQ(gen_pool_alloc_algo(pool, 1, gen_pool_best_fit, NULL),
		  0x100000 + 140);
	EXPECT_EQ(READ_ONCE(chunk->index->form),
		  GP_REACH ? GP_FORM_MASKS : GP_FORM_TREE);
	validate(pool);

	EXPECT_EQ(gp_clear_range(chunk->bits, 100, 28), 28);
	REQUIRE(gp_set_range(chunk, 100, 28));
	gp_after_alloc(chunk, gen_pool_first_fit, 100, 28, NULL);
	EXPECT_EQ(gp_clear_range(chunk->bits, 128, 12), 12);
	gp_after_free(chunk, 100, 40);
	atomic_long_add(12, &chunk->avail);
	validate(pool);

	EXPECT_EQ(gen_pool_alloc_algo(pool, 12, gen_pool_best_fit, NULL),
		  0x100000 + 128);
	validate(pool);
	gen_pool_free(pool, 0x100000, 141);
	done(pool);
}

#if GP_REACH
/*
 * Best fit searches a leaf under a claim that the allocation keeps: once
 * the run is taken the leaf is published, without the run's length only
 * if no other run of it is left, and a leaf whose run is not taken is
 * given back as it was.  Runs of 5 at 10 and 20 (leaf 0) and at 600
 * (leaf 1), everything else allocated.
 */
TEST(best_fit_held_leaf)
{
	struct gen_pool_chunk *chunk;
	struct gen_pool *pool = mask_pool(&chunk);
	struct gp_held held = { .token = 1 };
	unsigned long *leaf0, *leaf1, *root, v;

	EXPECT_EQ(gen_pool_alloc_algo(pool, 4096, gen_pool_best_fit, NULL),
		  0x100000);
	gen_pool_free(pool, 0x100000 + 10, 5);
	gen_pool_free(pool, 0x100000 + 20, 5);
	gen_pool_free(pool, 0x100000 + 600, 5);
	/* A request nothing fits recomputes every node on its way. */
	EXPECT_EQ(gen_pool_alloc_algo(pool, 7, gen_pool_best_fit, NULL), 0);
	leaf0 = gp_node(chunk->index, 0, 0);
	leaf1 = gp_node(chunk->index, 0, 1);
	root = gp_node(chunk->index, 1, 0);
	REQUIRE(gp_known(READ_ONCE(*leaf0)) && gp_known(READ_ONCE(*root)));
	validate(pool);

	v = READ_ONCE(*leaf0);
	EXPECT_EQ(gp_mask_best(chunk, 0, 5, &held), 10);
	EXPECT(held.node == leaf0);
	EXPECT(held.more);
	EXPECT(!gp_known(READ_ONCE(*leaf0)));
	gp_held_release(&held);
	EXPECT(!held.node);
	EXPECT_EQ(READ_ONCE(*leaf0), v);

	EXPECT_EQ(gen_pool_alloc_algo(pool, 5, gen_pool_best_fit, NULL),
		  0x100000 + 10);
	EXPECT(gp_known(READ_ONCE(*leaf0)));
	EXPECT(READ_ONCE(*leaf0) & gp_mbit(5));
	EXPECT_EQ(gen_pool_alloc_algo(pool, 5, gen_pool_best_fit, NULL),
		  0x100000 + 20);
	EXPECT(gp_known(READ_ONCE(*leaf0)));
	EXPECT(!(READ_ONCE(*leaf0) & gp_mbit(5)));
	EXPECT(READ_ONCE(*root) & gp_mbit(5));
	EXPECT_EQ(gen_pool_alloc_algo(pool, 5, gen_pool_best_fit, NULL),
		  0x100000 + 600);
	EXPECT(gp_known(READ_ONCE(*leaf1)));
	EXPECT(!(READ_ONCE(*leaf1) & gp_mbit(5)));
	EXPECT(gp_known(READ_ONCE(*root)));
	EXPECT(!(READ_ONCE(*root) & gp_mbit(5)));
	validate(pool);
	gen_pool_free(pool, 0x100000, 4096);
	done(pool);
}

/* Claim @nr granules at @pos (from 0x100000) with a fixed allocation. */
static void long_claim(struct gen_pool *pool, unsigned long pos,
		       unsigned long nr)
{
	struct genpool_data_fixed f = { .offset = pos };

	EXPECT_EQ(gen_pool_alloc_algo(pool, nr, gen_pool_fixed_alloc, &f),
		  0x100000 + pos);
}

/* Claim every free run left, then free the whole chunk. */
static void long_finish(struct gen_pool *pool, struct gen_pool_chunk *chunk)
{
	unsigned long p = 0, e;

	while ((p = find_next_zero_bit(chunk->bits, chunk->nbits, p)) <
	       chunk->nbits) {
		e = find_next_bit(chunk->bits, chunk->nbits, p);
		long_claim(pool, p, e - p);
		p = e;
	}
	gen_pool_free(pool, 0x100000, 4096);
	done(pool);
}

static void expect_long_run(struct gen_pool_chunk *chunk, unsigned long rs,
			    unsigned long len)
{
	unsigned long v = READ_ONCE(chunk->index->long_run);

	EXPECT_EQ(gp_long_start(v), rs);
	EXPECT_EQ(gp_long_len(v), len);
}

/*
 * A mask pool taken whole but for @runs, (start, length) pairs up to a
 * zero length, the first of the shortest at @first and 70 long.  Best
 * fit of 31 granules walks the long runs, takes it and remembers the 39
 * granules left.
 */
static struct gen_pool *long_pool(struct gen_pool_chunk **chunk,
				  const unsigned long *runs,
				  unsigned long first)
{
	struct gen_pool *pool = mask_pool(chunk);

	EXPECT_EQ(gen_pool_alloc_algo(pool, 4096, gen_pool_best_fit, NULL),
		  0x100000);
	for (; runs[1]; runs += 2)
		gen_pool_free(pool, 0x100000 + runs[0], runs[1]);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 31, gen_pool_best_fit, NULL),
		  0x100000 + first);
	expect_long_run(*chunk, first + 31, 39);
	return pool;
}

/*
 * The first of the shortest long runs that best fit remembers: a long run
 * left by a free or a claim takes its place if it comes first (shorter,
 * or as long and lower), and not otherwise.
 */
TEST(best_fit_long_run_replaced)
{
	static const unsigned long runs[] = { 100, 70, 1000, 90, 0, 0 };
	struct gen_pool_chunk *chunk;
	struct gen_pool *pool = long_pool(&chunk, runs, 100);

	gen_pool_free(pool, 0x100000 + 500, 35);
	expect_long_run(chunk, 500, 35);
	gen_pool_free(pool, 0x100000 + 50, 35);
	expect_long_run(chunk, 50, 35);
	gen_pool_free(pool, 0x100000 + 600, 35);
	expect_long_run(chunk, 50, 35);
	/* A claim that leaves 33 granules at 1000 and 37 at 1053. */
	long_claim(pool, 1033, 20);
	expect_long_run(chunk, 1000, 33);
	validate(pool);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 31, gen_pool_best_fit, NULL),
		  0x100000 + 1000);
	validate(pool);
	long_finish(pool, chunk);
}

/*
 * Once the remembered run has grown, no long run is shorter than it was
 * and none as long comes before it: the walk looks after it first, and
 * before it only if no run of that length is there.  The pool of @runs
 * (see long_pool()) gets a run of @len at @pos, the remembered run grows
 * from 39 to 44 granules, and best fit of 35 must take the run at @want.
 */
static void long_bound_case(const unsigned long *runs, unsigned long first,
			    unsigned long pos, unsigned long len,
			    unsigned long want)
{
	struct gen_pool_chunk *chunk;
	struct gen_pool *pool = long_pool(&chunk, runs, first);

	gen_pool_free(pool, 0x100000 + pos, len);
	gen_pool_free(pool, 0x100000 + first + 70, 5);
	expect_long_run(chunk, first + 31, 39);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 35, gen_pool_best_fit, NULL),
		  0x100000 + want);
	validate(pool);
	long_finish(pool, chunk);
}

/*
 * A run of 39 after the remembered one is the answer; with none, a run
 * of 44 before it, as long as the remembered run has grown to, wins.
 */
TEST(best_fit_long_run_bound)
{
	static const unsigned long after[] = {
		100, 70, 1000, 90, 2000, 70, 0, 0
	};
	static const unsigned long before[] = { 2000, 70, 3000, 90, 0, 0 };

	long_bound_case(after, 100, 3000, 39, 3000);
	long_bound_case(before, 2000, 100, 44, 100);
}
#endif

#if GP_REACH
/*
 * Both leaf walks of best fit's long runs, gp_long_leaf_words() and
 * gp_long_leaf_runs(), against a walk over the maximal runs of the whole
 * bitmap: on random bitmaps of three leaves and a ragged end, for every
 * leaf, from and to bounds at run starts, allocated bits and nowhere, and
 * several stopping lengths, the same runs are weighed (count, best,
 * length, where the walk got to) and the same answer comes back.  Runs
 * reaching through a leaf's edge are not the leaf's.
 */
static unsigned long long_leaf_bound(const unsigned long *map,
				     unsigned long nbits)
{
	unsigned long p = rnd_below(nbits);

	switch (rnd_below(4)) {
	case 0:
		return 0;
	case 1:		/* an allocated bit, or the chunk's end */
		return find_next_bit(map, nbits, p);
	case 2:		/* where a run starts */
		while (p && !test_bit(p - 1, map))
			p--;
		return p;
	}
	return ULONG_MAX;
}

TEST(long_leaf_walks)
{
	unsigned long words = 3 * GENPOOL_LEAF_BITS / BITS_PER_LONG;
	struct gen_pool_chunk *chunk;
	unsigned int iter, j;

	chunk = calloc(1, sizeof(*chunk) + words * sizeof(long));
	REQUIRE(chunk);
	rng_seed("long_leaf_walks");
	for (iter = 0; iter < 400 * test_rounds; iter++) {
		unsigned long nbits = 3 * GENPOOL_LEAF_BITS;

		if (rnd_below(2))
			nbits -= rnd_below(GENPOOL_LEAF_BITS);

		rnd_map(chunk->bits, words);
		chunk->nbits = nbits;
		for (j = 0; j * GENPOOL_LEAF_BITS < nbits; j++) {
			unsigned long a = j * GENPOOL_LEAF_BITS;
			unsigned long b = min(a + GENPOOL_LEAF_BITS, nbits);
			struct gp_long got = { .len = ULONG_MAX }, want, start;
			bool ret, stop = false;
			unsigned long z, o;
			unsigned int k;

			/* One after the other, for the seed's sake. */
			got.from = long_leaf_bound(chunk->bits, nbits);
			got.to = long_leaf_bound(chunk->bits, nbits) ?: ULONG_MAX;
			got.min = rnd_below(3) ? GP_LONG_RUN :
				  GP_LONG_RUN + rnd_below(GENPOOL_LEAF_BITS);
			want = got;
			for (z = max(a, want.from); z < min(b, want.to) && !stop;
			     z = o) {
				z = find_next_zero_bit(chunk->bits, nbits, z);
				o = find_next_bit(chunk->bits, nbits, z);
				if (z >= min(b, want.to))
					break;
				if (o > b || (z == a && a &&
					      !test_bit(a - 1, chunk->bits)))
					continue;
				if (o - z >= GP_LONG_RUN)
					stop = gp_long_take(&want, z, o);
			}
			start = got;
			for (k = 0; k < 2; k++) {
				got = start;
				ret = k ? gp_long_leaf_runs(chunk, a, b, &got) :
					  gp_long_leaf_words(chunk, a, b, &got);
				if (ret == stop && got.seen == want.seen &&
				    got.from == want.from &&
				    got.len == want.len &&
				    (want.len == ULONG_MAX ||
				     got.best == want.best))
					continue;
				test_fail(__FILE__, __LINE__,
					  "%s, leaf %u of %lu bits: %d %lu %lu %lu %lu, want %d %lu %lu %lu %lu",
					  k ? "runs" : "words", j, nbits, ret,
					  got.seen, got.from, got.best, got.len,
					  stop, want.seen, want.from, want.best,
					  want.len);
			}
		}
	}
	free(chunk);
}
#endif

/*
 * A cut below a node refolds it from its children and its own lengths as
 * stored.  Own long runs are not kept apart (a free that measures only a
 * part of one notes it where that part is), so the refold must keep the
 * long bit.  Here the root owns the run 460-529, noted as long by a free
 * that measured back only to 469; the cut of the run at 10 recomputes
 * leaf 0 (whose run through its right edge is not its own) and refolds
 * the root.  Best fit of 20 granules must then find the run at 460.
 */
TEST(mask_refold_keeps_long)
{
	struct gen_pool_chunk *chunk;
	struct gen_pool *pool = mask_pool(&chunk);

	EXPECT_EQ(gen_pool_alloc_algo(pool, 4096, gen_pool_best_fit, NULL),
		  0x100000);
	/* Two lone granules: best fit of 2 fails, recomputing every node. */
	gen_pool_free(pool, 0x100000 + 3000, 1);
	gen_pool_free(pool, 0x100000 + 3010, 1);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 2, gen_pool_best_fit, NULL), 0);
	gen_pool_free(pool, 0x100000 + 460, 40);
	gen_pool_free(pool, 0x100000 + 500, 30);
	gen_pool_free(pool, 0x100000 + 10, 2);
	validate(pool);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 2, gen_pool_best_fit, NULL),
		  0x100000 + 10);
	validate(pool);
	EXPECT_EQ(gen_pool_alloc_algo(pool, 20, gen_pool_best_fit, NULL),
		  0x100000 + 460);
	validate(pool);
	gen_pool_free(pool, 0x100000, 480);
	gen_pool_free(pool, 0x100000 + 530, 3000 - 530);
	gen_pool_free(pool, 0x100000 + 3001, 9);
	gen_pool_free(pool, 0x100000 + 3011, 4096 - 3011);
	done(pool);
}

#if GP_REACH
/*
 * gen_pool_validate() notices a long run best fit kept that still
 * measures as kept but is not the first of the shortest, and a kept word
 * left PENDING.
 */
TEST(validate_detects_stale_long_run)
{
	struct gen_pool *pool = new_pool(0);
	struct gen_pool_chunk *chunk;
	unsigned long kept;

	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	add(pool, 0x100000, 8192);
	EXPECT_EQ(gen_pool_alloc(pool, 8192), 0x100000);
	gen_pool_free(pool, 0x100000 + 1000, 40);
	gen_pool_free(pool, 0x100000 + 3000, 50);
	/* The walk keeps the 35 granules left at 1005. */
	EXPECT_EQ(gen_pool_alloc(pool, 5), 0x100000 + 1000);
	chunk = chunk_of(pool, 0x100000);
	REQUIRE(chunk && chunk->index);
	kept = READ_ONCE(chunk->index->long_run);
	EXPECT_EQ(kept, 1005UL << 32 | 35);
	validate(pool);

	WRITE_ONCE(chunk->index->long_run, 3000UL << 32 | 50);
	EXPECT(gen_pool_validate(pool) != 0);
	WRITE_ONCE(chunk->index->long_run, gp_pending(1));
	EXPECT(gen_pool_validate(pool) != 0);
	WRITE_ONCE(chunk->index->long_run, kept);
	validate(pool);
	EXPECT_EQ(gen_pool_alloc(pool, 5), 0x100000 + 1005);

	while (gen_pool_alloc(pool, 1))
		;
	gen_pool_free(pool, 0x100000, 8192);
	done(pool);
}

/*
 * gp_leaf_find_len() against a walk over the runs of the leaf, for every
 * leaf of random maps (runs of every length, chunks ending anywhere, so
 * short last leaves too) and every length below GP_LONG_RUN: a run counts
 * if it starts after an allocated granule and ends before one (or at the
 * chunk's edges), and only the first of the length is returned; asked
 * whether there are more, it says whether the leaf holds two or more.
 */
TEST(leaf_find_len_brute_force)
{
	unsigned long words = 3 * GENPOOL_LEAF_BITS / BITS_PER_LONG;
	unsigned long j, len, a, b, p, q, want, got, got2, runs;
	struct gen_pool_chunk *chunk;
	unsigned int round;
	bool more, many;

	chunk = calloc(1, sizeof(*chunk) + words * sizeof(unsigned long));
	REQUIRE(chunk);
	rng_seed("leaf_find_len_brute_force");
	for (round = 0; round < 200 * test_rounds; round++) {
		rnd_map(chunk->bits, words);
		chunk->nbits = 1 + rnd_below(words * BITS_PER_LONG);
		for (j = 0; j * GENPOOL_LEAF_BITS < chunk->nbits; j++) {
			a = gp_node_start(0, j);
			b = gp_node_end(0, j, chunk->nbits);
			for (len = 1; len < GP_LONG_RUN; len++) {
				want = ULONG_MAX;
				runs = 0;
				for (p = a; p < b; p = q) {
					p = find_next_zero_bit(chunk->bits, b, p);
					if (p >= b)
						break;
					q = find_next_bit(chunk->bits, b, p);
					if (q - p == len &&
					    (!p || test_bit(p - 1, chunk->bits)) &&
					    (q == chunk->nbits ||
					     test_bit(q, chunk->bits)) &&
					    !runs++)
						want = p;
				}
				got = gp_leaf_find_len(chunk, j, len, NULL);
				more = false;
				got2 = gp_leaf_find_len(chunk, j, len, &more);
				many = runs > 1;
				if (got != want || got2 != want ||
				    more != many) {
					test_fail(__FILE__, __LINE__,
						  "seed %u round %u: %lu bits, leaf %lu, length %lu: %ld, %ld (more %d), want %ld (%lu runs)",
						  test_seed, round, chunk->nbits,
						  j, len, (long)got, (long)got2,
						  more, (long)want, runs);
					free(chunk);
					return;
				}
			}
		}
	}
	free(chunk);
}
#endif

#endif /* !GENALLOC_UPSTREAM */
