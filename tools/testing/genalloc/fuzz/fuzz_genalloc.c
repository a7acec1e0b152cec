// SPDX-License-Identifier: GPL-2.0-only
/*
 * Coverage-guided fuzzer for lib/genalloc.c (libFuzzer, ASan, UBSan).
 *
 * The input bytes decode into a sequence of operations on up to three
 * pools: create (valid and invalid orders, injected allocation failure),
 * add (valid, empty, wrapping, overlapping, ending at ULONG_MAX, at
 * address 0, smaller than a granule), alloc with every strategy and every
 * entry point (bad alignments, NULL data, unaligned fixed offsets, size 0,
 * huge sizes, custom strategies, a NULL strategy), free (valid, partial,
 * double, never allocated, outside every chunk, past the end, size 0),
 * has_addr, virt_to_phys, avail, size, set_algo, for_each_chunk, direct
 * calls of the exported strategies, NULL pools, and destroy with or
 * without outstanding allocations (a busy pool must be kept whole, late
 * frees must work, and a second destroy must then free everything).
 *
 * A reference model runs beside the library: one bitmap per chunk and a
 * restatement of the placement rules of CONTRACT.md section 2 written
 * without looking at the implementation.  After every operation the
 * fuzzer checks the returned values, that each returned block lies in
 * exactly one chunk, on a granule boundary, on granules the model had
 * free; that the library's bitmaps equal the model's; that avail and size
 * match; that gen_pool_validate() passes; and that a WARN fired exactly
 * when the operation was a caller mistake, which then changed nothing.
 * Any mismatch aborts, which libFuzzer reports as a crash.
 *
 * Every parameter is read from the input by its own statement, in a fixed
 * order, so that gen_corpus.py can write inputs (see the format there).
 *
 * Chunk addresses are plain numbers: the pool never touches the memory it
 * manages, except gen_pool_dma_zalloc*(), which is only called on pools
 * whose chunks are all real heap buffers.
 *
 * Build and run: see tools/genalloc/fuzz.mk (make fuzz, make check-fuzz).
 * GENALLOC_FUZZ_VERBOSE=1 prints every operation and the library's
 * warnings, for replaying a crash file.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/bug.h>

#include "../../../../lib/genalloc.c"

#define NR_POOLS	3
#define NR_CHUNKS	6
#define MAX_BITS	20000UL		/* granules of one model chunk */
#define TOTAL_BITS	60000UL		/* granules of all model chunks */
#define REAL_MAX	(256UL << 10)	/* bytes of a real chunk */
#define NR_RECS		512
#define MAX_OPS		1000

/* Strategies, as numbered in the input. */
enum {
	A_FIRST,
	A_BEST,
	A_ORDER,
	A_ALIGN,
	A_FIXED,
	A_LAST,		/* custom: highest fit */
	A_OVERRUN,	/* custom: returns a run that crosses the chunk's end */
	A_NULL,		/* NULL strategy */
	NR_ALGOS
};

struct mchunk {
	unsigned long start, end, size, nbits;
	phys_addr_t phys;
	void *owner;
	unsigned long *map;		/* model bitmap, 1 = allocated */
	unsigned long used;		/* bits set in map */
	unsigned char *mem;		/* backing memory of a real chunk */
};

struct mpool {
	struct gen_pool *gp;
	int order;
	bool real;			/* every chunk is a heap buffer */
	int nchunks;
	struct mchunk c[NR_CHUNKS];	/* oldest first */
	unsigned long cursor;		/* where the next "plain" chunk goes */
	int algo;			/* default strategy */
	void *data;			/* its data pointer, as set */
	struct genpool_data_align align;
	struct genpool_data_fixed fixed;
};

struct rec {
	int pool;
	unsigned long addr;
	size_t size;
};

static struct mpool pools[NR_POOLS];
static struct rec recs[NR_RECS];
static int nr_recs;
static unsigned long total_bits;
static int verbose;
static unsigned long op_no;

/*
 * The model's own loops are left out of the coverage feedback: they would
 * only slow the fuzzer down and steer it by the model's branches.
 */
#if defined(__clang__) && __clang_major__ >= 13
#define NOCOV	__attribute__((no_sanitize("coverage")))
#else
#define NOCOV
#endif

/* ---- input decoding ---- */

static const uint8_t *in_p;
static size_t in_n;

static uint64_t get(int bytes)
{
	uint64_t v = 0;

	while (bytes--) {
		v <<= 8;
		if (in_n) {
			v |= *in_p++;
			in_n--;
		}
	}
	return v;
}

static unsigned int get8(void)
{
	return get(1);
}

static unsigned int get16(void)
{
	return get(2);
}

/* ---- failure reporting ---- */

static __printf(1, 2) __noreturn void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "genalloc fuzz: op %lu: ", op_no);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  last warning: %s\n  last printk: %s\n",
		shim_last_warning, shim_last_printk);
	abort();
}

#define CHECK(cond, fmt, ...) do {					\
	if (!(cond))							\
		fail("%s: " fmt, #cond, ##__VA_ARGS__);			\
} while (0)

#define TRACE(fmt, ...) do {						\
	if (verbose)							\
		fprintf(stderr, "[%lu] " fmt "\n", op_no, ##__VA_ARGS__); \
} while (0)

/* ---- model bitmap ---- */

static NOCOV bool m_test(const unsigned long *map, unsigned long i)
{
	return map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG) & 1;
}

/* Mark bits [@i, @i + @n) of @c, all of which are !@v now, as @v. */
static NOCOV void m_assign(struct mchunk *c, unsigned long i, unsigned long n,
			   bool v)
{
	c->used = v ? c->used + n : c->used - n;
	for (; n; n--, i++) {
		if (v)
			c->map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
		else
			c->map[i / BITS_PER_LONG] &=
				~(1UL << (i % BITS_PER_LONG));
	}
}

static unsigned long m_words(unsigned long nbits)
{
	return (nbits + BITS_PER_LONG - 1) / BITS_PER_LONG;
}

static unsigned long m_used(const struct mchunk *c)
{
	return c->used;
}

static NOCOV unsigned long m_avail(const struct mpool *p, const struct mchunk *c)
{
	return c->size - (m_used(c) << p->order);
}

/* First bit in [@i, @end) of @c whose value is @set, or @end. */
static NOCOV unsigned long m_next(const struct mchunk *c, unsigned long i,
				  unsigned long end, bool set)
{
	while (i < end) {
		unsigned long w = c->map[i / BITS_PER_LONG];

		if (!set)
			w = ~w;
		w >>= i % BITS_PER_LONG;
		if (w) {
			i += __builtin_ctzl(w);
			return i < end ? i : end;
		}
		i = (i / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return end;
}

static unsigned long granules(unsigned long size, int order)
{
	return (size >> order) + !!(size & ((1UL << order) - 1));
}

static unsigned long pow2_up(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* Are bits [@i, @i + @nr) of @c inside the chunk and all free? */
static NOCOV bool m_fits(const struct mchunk *c, unsigned long i,
			 unsigned long nr)
{
	return i < c->nbits && nr <= c->nbits - i &&
	       m_next(c, i, i + nr, true) == i + nr;
}

/* ---- reference strategies (CONTRACT.md section 2) ---- */

#define NONE	ULONG_MAX

/*
 * Lowest i >= start with (i + off) a multiple of step such that bits
 * [i, i + nr) are free and inside the chunk.  A candidate that meets a
 * set bit j rules out every candidate up to j as well.
 */
static NOCOV unsigned long r_first(const struct mchunk *c,
				   unsigned long start, unsigned long nr,
				   unsigned long step, unsigned long off)
{
	unsigned long i = start, j;

	for (;;) {
		if ((i + off) % step)
			i += step - (i + off) % step;
		if (i >= c->nbits || nr > c->nbits - i)
			return NONE;
		j = m_next(c, i, i + nr, true);
		if (j == i + nr)
			return i;
		i = j + 1;
	}
}

/*
 * Shortest free run of at least nr bits at or after start (a run cut by
 * start counts from start), lowest on ties; the block goes at its start.
 */
static NOCOV unsigned long r_best(const struct mchunk *c, unsigned long start,
				  unsigned long nr)
{
	unsigned long z = start, o, best = NONE, best_len = ULONG_MAX;

	while ((z = m_next(c, z, c->nbits, false)) < c->nbits) {
		o = m_next(c, z, c->nbits, true);
		if (o - z >= nr && o - z < best_len) {
			best = z;
			best_len = o - z;
		}
		z = o;
	}
	return best;
}

/* Highest i >= start such that bits [i, i + nr) are free. */
static NOCOV unsigned long r_last(const struct mchunk *c, unsigned long start,
				  unsigned long nr)
{
	unsigned long z = start, o, best = NONE;

	while ((z = m_next(c, z, c->nbits, false)) < c->nbits) {
		o = m_next(c, z, c->nbits, true);
		if (o - z >= nr)
			best = o - nr;
		z = o;
	}
	return best;
}

/*
 * The bit strategy @algo picks in chunk @c for @nr granules from @start,
 * or NONE.  Sets *@warn when the library must report a caller mistake.
 */
static NOCOV unsigned long r_algo(const struct mpool *p,
				  const struct mchunk *c, int algo,
				  const void *data, unsigned long start,
				  unsigned long nr, bool *warn)
{
	const struct genpool_data_align *al = data;
	const struct genpool_data_fixed *fx = data;
	unsigned long g = 1UL << p->order, mask, off, bit;

	switch (algo) {
	case A_FIRST:
		return r_first(c, start, nr, 1, 0);
	case A_ORDER:
		return r_first(c, start, nr, pow2_up(nr), 0);
	case A_BEST:
		return r_best(c, start, nr);
	case A_ALIGN:
		if (!al || al->align <= 0 || (al->align & (al->align - 1))) {
			*warn = true;
			return NONE;
		}
		mask = ((al->align + g - 1) >> p->order) - 1;
		off = (c->start & (al->align - 1)) >> p->order;
		return r_first(c, start, nr, mask + 1, off);
	case A_FIXED:
		if (!fx || (fx->offset & (g - 1))) {
			*warn = true;
			return NONE;
		}
		bit = fx->offset >> p->order;
		return !start && m_fits(c, bit, nr) ? bit : NONE;
	case A_LAST:
		return r_last(c, start, nr);
	case A_OVERRUN:
		if (nr > 1 && nr <= c->nbits)
			*warn = true;
		return NONE;
	}
	fail("bad algo %d", algo);
}

/* ---- custom strategies handed to the library ---- */

static NOCOV unsigned long last_fit(unsigned long *map, unsigned long size,
				    unsigned long start, unsigned int nr, void *data,
				    struct gen_pool *pool, unsigned long start_addr)
{
	unsigned long i, j;

	for (i = size; nr && nr <= size && i-- > start;) {
		if (i > size - nr)
			continue;
		for (j = i; j < i + nr && !test_bit(j, map); j++)
			;
		if (j == i + nr)
			return i;
	}
	return size;
}

static unsigned long overrun_fit(unsigned long *map, unsigned long size,
				 unsigned long start, unsigned int nr,
				 void *data, struct gen_pool *pool,
				 unsigned long start_addr)
{
	return nr > 1 && nr <= size ? size - nr + 1 : size;
}

static genpool_algo_t algo_fn(int algo)
{
	static const genpool_algo_t fns[NR_ALGOS] = {
		[A_FIRST] = gen_pool_first_fit,
		[A_BEST] = gen_pool_best_fit,
		[A_ORDER] = gen_pool_first_fit_order_align,
		[A_ALIGN] = gen_pool_first_fit_align,
		[A_FIXED] = gen_pool_fixed_alloc,
		[A_LAST] = last_fit,
		[A_OVERRUN] = overrun_fit,
		[A_NULL] = NULL,
	};
	return fns[algo];
}

/* ---- checking the library against the model ---- */

static unsigned long warn_base;

/* Re-arm every WARN_ONCE site and start counting. */
static void warn_begin(void)
{
	__atomic_add_fetch(&shim_warn_generation, 1, __ATOMIC_RELAXED);
	warn_base = shim_nr_warnings;
}

static void warn_end(bool expect, const char *what)
{
	unsigned long n = shim_nr_warnings - warn_base;

	CHECK(n == (expect ? 1 : 0), "%s: %lu warnings, expected %d", what,
	      n, expect ? 1 : 0);
}

struct lib_chunks {
	int n;
	struct gen_pool_chunk *c[NR_CHUNKS + 1];
};

static void collect(struct gen_pool *gp, struct gen_pool_chunk *chunk,
		    void *data)
{
	struct lib_chunks *l = data;

	CHECK(l->n <= NR_CHUNKS, "too many chunks");
	l->c[l->n++] = chunk;
}

/* The library's chunk for model chunk @i (chunks are listed newest first). */
static struct gen_pool_chunk *lib_chunk(struct mpool *p, int i)
{
	struct lib_chunks l = { 0 };

	gen_pool_for_each_chunk(p->gp, collect, &l);
	CHECK(l.n == p->nchunks, "%d chunks, model %d", l.n, p->nchunks);
	return l.c[p->nchunks - 1 - i];
}

static NOCOV void check_pool(struct mpool *p)
{
	struct lib_chunks l = { 0 };
	unsigned long avail = 0, size = 0;
	int i;

	if (!p->gp)
		return;
	gen_pool_for_each_chunk(p->gp, collect, &l);
	CHECK(l.n == p->nchunks, "%d chunks, model %d", l.n, p->nchunks);
	for (i = 0; i < p->nchunks; i++) {
		struct mchunk *m = &p->c[i];
		struct gen_pool_chunk *c = l.c[p->nchunks - 1 - i];
		unsigned long w = m_words(m->nbits);

		CHECK(c->start_addr == m->start && c->end_addr == m->end,
		      "chunk %d: %#lx-%#lx, model %#lx-%#lx", i,
		      c->start_addr, c->end_addr, m->start, m->end);
		CHECK(c->phys_addr == m->phys && c->owner == m->owner,
		      "chunk %d: phys or owner", i);
		CHECK(c->nbits == m->nbits, "chunk %d: %lu bits, model %lu", i,
		      c->nbits, m->nbits);
		CHECK(!w || !memcmp(c->bits, m->map, w * sizeof(long)),
		      "chunk %d (%#lx): bitmap differs from the model", i,
		      m->start);
		CHECK((unsigned long)atomic_long_read(&c->avail) ==
		      m_avail(p, m), "chunk %d: avail %ld, model %lu", i,
		      atomic_long_read(&c->avail), m_avail(p, m));
		avail += m_avail(p, m);
		size += m->size;
	}
	CHECK(gen_pool_avail(p->gp) == avail, "avail %zu, model %lu",
	      gen_pool_avail(p->gp), avail);
	CHECK(gen_pool_size(p->gp) == size, "size %zu, model %lu",
	      gen_pool_size(p->gp), size);
	CHECK(gen_pool_validate(p->gp) == 0, "gen_pool_validate() failed");
}

static struct mpool *pick_pool(void)
{
	struct mpool *p = &pools[get8() % NR_POOLS];

	return p->gp ? p : NULL;
}

/* Newest model chunk of @p containing @addr, or NULL. */
static struct mchunk *m_find(struct mpool *p, unsigned long addr)
{
	int i;

	for (i = p->nchunks - 1; i >= 0; i--)
		if (addr >= p->c[i].start && addr <= p->c[i].end)
			return &p->c[i];
	return NULL;
}

static void add_rec(int pool, unsigned long addr, size_t size)
{
	if (nr_recs == NR_RECS)
		nr_recs--;
	recs[nr_recs].pool = pool;
	recs[nr_recs].addr = addr;
	recs[nr_recs].size = size;
	nr_recs++;
}

static void drop_rec(int i)
{
	recs[i] = recs[--nr_recs];
}

/* ---- operations ---- */

static void op_create(void)
{
	static const int bad[] = { -1, 64, INT_MIN, INT_MAX, BITS_PER_LONG + 1,
				   -64 };
	struct mpool *p = &pools[get8() % NR_POOLS];
	unsigned int b = get8();
	bool inject = get8() % 16 == 0;
	long allocated = shim_nr_allocated;
	struct gen_pool *gp;
	int order;

	if (p->gp)
		return;
	if (b % 16 < 11)
		order = b % 13;
	else if (b % 16 < 14)
		order = 13 + b / 16 % (BITS_PER_LONG - 13);
	else
		order = bad[b / 16 % ARRAY_SIZE(bad)];
	TRACE("create(%d)%s", order, inject ? " failing" : "");
	warn_begin();
	if (inject)
		shim_alloc_fail_nth(1);
	gp = gen_pool_create(order, NUMA_NO_NODE);
	shim_alloc_fail_nth(0);
	if (order < 0 || order >= BITS_PER_LONG || inject) {
		CHECK(!gp, "create(%d) succeeded", order);
		CHECK(shim_nr_allocated == allocated, "create leaked");
		warn_end(order < 0 || order >= BITS_PER_LONG, "bad create");
		return;
	}
	warn_end(false, "create");
	CHECK(gp, "create(%d) failed", order);
	CHECK(gp->min_alloc_order == order && gp->algo == gen_pool_first_fit &&
	      !gp->data && !gp->name, "create: fields");
	memset(p, 0, sizeof(*p));
	p->gp = gp;
	p->order = order;
	p->real = order <= 8 && get8() % 4 == 0;
	p->cursor = 0x10000000UL * (p - pools + 1) + 0x1000;
	p->algo = A_FIRST;
}

/* A chunk size of about @nbits granules of @order plus a tail. */
static unsigned long mk_size(int order, unsigned long nbits,
			     unsigned long tail)
{
	unsigned long g = 1UL << order;

	tail &= g - 1;
	if (nbits > (ULONG_MAX - tail) >> order)
		nbits = (ULONG_MAX - tail) >> order;
	return (nbits << order) + tail;
}

static void op_add(void)
{
	struct mpool *p = pick_pool();
	unsigned int kind = get8(), how = get8();
	unsigned long nbits, tail = get(8), start = 0, size, end;
	bool inject = how % 32 == 0, bad, overlap = false;
	long allocated = shim_nr_allocated;
	phys_addr_t phys = get(8);
	void *owner = NULL;
	unsigned char *mem = NULL;
	struct mchunk *m;
	int i, rc;

	if (!p || p->nchunks == NR_CHUNKS)
		return;
	switch (kind % 8) {
	case 0: case 1: case 2:
		nbits = 1 + get8() % 64;
		break;
	case 3: case 4:
		nbits = 1 + get16() % 1100;
		break;
	case 5:
		nbits = 1025 + get16() % (MAX_BITS - 1024);
		break;
	case 6:
		nbits = 0;	/* smaller than a granule, or empty */
		break;
	default:
		nbits = get(8);	/* huge: wraps, or too big for the model */
		break;
	}
	size = mk_size(p->order, nbits, tail);
	nbits = size >> p->order;

	if (p->real) {
		if (kind / 8 % 4 == 0 && p->nchunks) {
			/* overlapping a real chunk: rejected untouched */
			m = &p->c[get8() % p->nchunks];
			start = m->start + get(8) % m->size;
		} else if (kind / 8 % 4 == 1) {
			size = kind / 32 % 2 ? 0 : ULONG_MAX - get8();
			start = 0x1000;
		} else {
			if (!size || size > REAL_MAX)
				size = 1 + get16() % REAL_MAX;
			nbits = size >> p->order;
			mem = malloc(size);
			CHECK(mem, "malloc");
			memset(mem, 0xa5, size);
			start = (unsigned long)mem;
		}
	} else {
		switch (kind / 8 % 8) {
		case 0: case 1: case 2:
			start = p->cursor + get8() % 4 * (1UL << p->order);
			if (get8() % 8 == 0)
				start += get8();	/* ragged */
			break;
		case 3:
			start = size ? ULONG_MAX - size + 1 : ULONG_MAX;
			break;
		case 4:
			if (p->nchunks) {
				m = &p->c[get8() % p->nchunks];
				start = m->start + get(8) % m->size;
				break;
			}
			fallthrough;
		case 5:
			start = get(8);
			break;
		case 6:
			start = 0;
			break;
		default:
			start = p->cursor + get(2);
			size = get8() % 2 ? 0 : ULONG_MAX - get(2);
			break;
		}
	}
	nbits = size >> p->order;
	end = start + size - 1;
	bad = !size || end < start;
	for (i = 0; !bad && i < p->nchunks; i++)
		if (start <= p->c[i].end && p->c[i].start <= end)
			overlap = true;
	bad |= overlap;
	/*
	 * A valid range beyond what the model tracks is not added; nor is
	 * an overlapping one whose bookkeeping the library would have to
	 * allocate (gigabytes) before it can see the overlap.
	 */
	if (size && end >= start &&
	    (nbits > MAX_BITS || (!bad && total_bits + nbits > TOTAL_BITS))) {
		free(mem);
		return;
	}
	if (how % 4 == 1)
		owner = (void *)(0x0ddba11UL + (how << 4));

	TRACE("add(pool %td, %#lx, size %#lx, order %d)%s%s",
	      p - pools, start, size, p->order, inject ? " failing" : "",
	      bad ? " (bad)" : "");
	warn_begin();
	if (inject)
		shim_alloc_fail_nth(1);
	switch (how / 4 % 3) {
	case 0:
		rc = gen_pool_add(p->gp, start, size, NUMA_NO_NODE);
		phys = (phys_addr_t)-1;
		owner = NULL;
		break;
	case 1:
		rc = gen_pool_add_virt(p->gp, start, phys, size, NUMA_NO_NODE);
		owner = NULL;
		break;
	default:
		rc = gen_pool_add_owner(p->gp, start, phys, size, NUMA_NO_NODE,
					owner);
		break;
	}
	shim_alloc_fail_nth(0);
	if (bad || inject) {
		/*
		 * Empty and wrapping ranges are refused before the chunk is
		 * allocated.  An overlap may be seen before (-EINVAL) or only
		 * after (-ENOMEM, no WARN, if that allocation fails).
		 */
		bool einval = !size || end < start || (overlap && !inject);

		if (overlap && inject && rc == -EINVAL)
			einval = true;
		CHECK(rc == (einval ? -EINVAL : -ENOMEM), "add returned %d", rc);
		CHECK(shim_nr_allocated == allocated, "failed add leaked");
		warn_end(einval, "bad add");
		free(mem);
		return;
	}
	warn_end(false, "add");
	CHECK(rc == 0, "add returned %d", rc);
	m = &p->c[p->nchunks++];
	m->start = start;
	m->end = end;
	m->size = size;
	m->nbits = nbits;
	m->phys = phys;
	m->owner = owner;
	m->mem = mem;
	m->map = calloc(m_words(nbits) + 1, sizeof(long));
	CHECK(m->map, "calloc");
	total_bits += nbits;
	if (!p->real && end >= p->cursor && end < ULONG_MAX / 2)
		p->cursor = end + 1;
}

/*
 * Strategy data chosen by the input, valid or not, in @al or @fx.  The
 * strategies that ignore their data get @al or NULL.
 */
static void *mk_data(struct mpool *p, int algo, struct genpool_data_align *al,
		     struct genpool_data_fixed *fx)
{
	static const int bad_align[] = { 0, -1, 3, 6, 12, INT_MIN, 0x30000 };
	unsigned int b = get8();
	unsigned long g = 1UL << p->order;

	if (algo == A_ALIGN) {
		if (b % 16 == 0)
			return NULL;
		if (b % 16 == 1)
			al->align = bad_align[b / 16 % ARRAY_SIZE(bad_align)];
		else
			al->align = 1 << (b / 16 + get8() % 8) % 31;
		return al;
	}
	if (algo == A_FIXED) {
		if (b % 16 == 0)
			return NULL;
		if (p->nchunks && b % 4) {
			struct mchunk *m = &p->c[get8() % p->nchunks];

			fx->offset = (get16() % (m->nbits + 2)) << p->order;
		} else {
			fx->offset = get(4) << p->order;
		}
		if (b % 16 == 1)
			fx->offset += 1 + get8() % (g > 1 ? g - 1 : 1);
		return fx;
	}
	return b % 8 ? al : NULL;	/* ignored by the other strategies */
}

static size_t mk_alloc_size(struct mpool *p)
{
	unsigned int b = get8();
	unsigned long g = 1UL << p->order;
	size_t size;

	switch (b % 16) {
	case 0:
		return 0;
	case 1:
		return ULONG_MAX - get8();
	case 2:
		return get(8);
	case 3: case 4:
		size = (get16() % 2048) * g;
		return size + get8() % g;
	default:
		size = (1 + get8() % 24) * g;
		return size - (b / 16 % 2 ? get8() % g : 0);
	}
}

/*
 * What the library must do for an allocation: the chunk and bit, or
 * chunk NULL for failure; *warn for a reported caller mistake.
 */
static NOCOV struct mchunk *r_alloc(struct mpool *p, size_t size, int algo,
				    const void *data, unsigned long *bit, bool *warn)
{
	unsigned long nr = granules(size, p->order);
	int i;

	*warn = false;
	if (!size || algo == A_NULL) {
		*warn = true;
		return NULL;
	}
	for (i = p->nchunks - 1; i >= 0; i--) {
		struct mchunk *c = &p->c[i];

		if (size > m_avail(p, c) || nr > UINT_MAX)
			continue;
		*bit = r_algo(p, c, algo, data, 0, nr, warn);
		if (*bit != NONE)
			return c;
	}
	return NULL;
}

/* Print the free runs of @c, for a failure report. */
static NOCOV void dump_runs(const struct mchunk *c)
{
	unsigned long z = 0, o;

	fprintf(stderr, "free runs of chunk %#lx (%lu bits):", c->start,
		c->nbits);
	while ((z = m_next(c, z, c->nbits, false)) < c->nbits) {
		o = m_next(c, z, c->nbits, true);
		fprintf(stderr, " [%lu,%lu)", z, o);
		z = o;
	}
	fprintf(stderr, "\n");
}

/* Check a block the library returned and record it in the model. */
static NOCOV void took(struct mpool *p, struct mchunk *want, unsigned long bit,
		       unsigned long addr, size_t size)
{
	unsigned long nr = granules(size, p->order), i, g = 1UL << p->order;
	int hits = 0;

	if (!want) {
		CHECK(!addr, "alloc returned %#lx, model: failure", addr);
		return;
	}
	if (addr != want->start + (bit << p->order))
		dump_runs(want);
	CHECK(addr == want->start + (bit << p->order),
	      "alloc returned %#lx, model %#lx (chunk %#lx, bit %lu)", addr,
	      want->start + (bit << p->order), want->start, bit);
	for (i = 0; i < (unsigned long)p->nchunks; i++)
		if (addr >= p->c[i].start && addr <= p->c[i].end)
			hits++;
	CHECK(hits == 1, "block %#lx in %d chunks", addr, hits);
	CHECK((addr - want->start) % g == 0, "block %#lx unaligned", addr);
	CHECK(size - 1 <= want->end - addr, "block %#lx + %#zx past the end",
	      addr, size);
	for (i = bit; i < bit + nr; i++)
		CHECK(!m_test(want->map, i), "block %#lx overlaps a live one",
		      addr);
	m_assign(want, bit, nr, true);
	add_rec(p - pools, addr, size);
}

static void op_alloc(void)
{
	struct mpool *p = pick_pool();
	unsigned int how = get8();
	int algo = get8() % NR_ALGOS;
	struct genpool_data_align al = { 0 };
	struct genpool_data_fixed fx = { 0 };
	struct mchunk *want;
	unsigned long bit = 0, addr;
	void *owner = (void *)1, *data, *v;
	dma_addr_t dma = 0x5a5a;
	size_t size;
	bool warn;
	int entry;

	if (!p)
		return;
	data = mk_data(p, algo, &al, &fx);
	size = mk_alloc_size(p);
	entry = how % 10;
	if (entry >= 7 && !p->real)
		entry -= 3;
	/* The entry points that use the pool's own strategy. */
	if (entry == 0 || entry == 2 || entry == 4 || entry == 7) {
		algo = p->algo;
		data = p->data;
	}
	/* Those with a fixed one. */
	if (entry == 5 || entry == 8) {
		algo = A_ALIGN;
		mk_data(p, A_ALIGN, &al, &fx);	/* NULL leaves al as it is */
		data = &al;
	}
	want = r_alloc(p, size, algo, data, &bit, &warn);
	TRACE("alloc(pool %td, %#zx, algo %d, entry %d) model %#lx%s",
	      p - pools, size, algo, entry,
	      want ? want->start + (bit << p->order) : 0, warn ? " warn" : "");

	warn_begin();
	switch (entry) {
	case 0:
		addr = gen_pool_alloc(p->gp, size);
		break;
	case 1:
		addr = gen_pool_alloc_algo(p->gp, size, algo_fn(algo), data);
		break;
	case 2:
		addr = gen_pool_alloc_owner(p->gp, size, &owner);
		break;
	case 3:
		addr = gen_pool_alloc_algo_owner(p->gp, size, algo_fn(algo),
						 data, &owner);
		break;
	case 4:
		v = gen_pool_dma_alloc(p->gp, size, &dma);
		addr = (unsigned long)v;
		break;
	case 5:
		v = gen_pool_dma_alloc_align(p->gp, size, &dma, al.align);
		addr = (unsigned long)v;
		break;
	case 6:
		v = gen_pool_dma_alloc_algo(p->gp, size, &dma, algo_fn(algo),
					    data);
		addr = (unsigned long)v;
		break;
	case 7:
		v = gen_pool_dma_zalloc(p->gp, size, &dma);
		addr = (unsigned long)v;
		break;
	case 8:
		v = gen_pool_dma_zalloc_align(p->gp, size, &dma, al.align);
		addr = (unsigned long)v;
		break;
	default:
		v = gen_pool_dma_zalloc_algo(p->gp, size, &dma, algo_fn(algo),
					     data);
		addr = (unsigned long)v;
		break;
	}
	warn_end(warn, "alloc");
	took(p, want, bit, addr, size);

	if (entry == 2 || entry == 3)
		CHECK(owner == (want ? want->owner : NULL),
		      "alloc: owner %p", owner);
	if (entry >= 4) {
		if (want && addr)
			CHECK(dma == (dma_addr_t)(want->phys + (addr -
			      want->start)), "alloc: dma %#llx",
			      (unsigned long long)dma);
		else
			CHECK(dma == 0x5a5a, "failed dma alloc wrote *dma");
	}
	if (entry >= 7 && addr) {
		const unsigned char *b = (const unsigned char *)addr;
		size_t i;

		for (i = 0; i < size; i++)
			CHECK(!b[i], "zalloc: byte %zu not zero", i);
	}
}

/*
 * The outcome the library must produce for free(@addr, @size): true if
 * the granules are freed, false (with a WARN) if nothing may change.
 */
static NOCOV bool r_free(struct mpool *p, unsigned long addr, size_t size,
			 struct mchunk **cp, unsigned long *bitp, unsigned long *nrp)
{
	unsigned long nr = granules(size, p->order), bit, i;
	struct mchunk *c;

	/* The chunk is looked up first: a zero-size free reports its owner. */
	c = m_find(p, addr);
	*cp = c;
	if (!c || !size)
		return false;
	bit = (addr - c->start) >> p->order;
	if (size - 1 > c->end - addr || bit > c->nbits || nr > c->nbits - bit)
		return false;
	for (i = bit; i < bit + nr; i++)
		if (!m_test(c->map, i))
			return false;
	*bitp = bit;
	*nrp = nr;
	return true;
}

static void op_free(void)
{
	struct mpool *p = pick_pool();
	unsigned int kind = get8();
	unsigned long addr = 0, g, bit = 0, nr = 0;
	void *owner = (void *)1;
	struct mchunk *c = NULL, *m;
	size_t size = 0;
	bool ok;
	int r = -1;

	if (!p)
		return;
	g = 1UL << p->order;
	if (nr_recs) {
		r = get16() % nr_recs;
		if (recs[r].pool != p - pools)
			r = -1;
	}
	switch (kind % 8) {
	case 0: case 1: case 2:	/* a whole block, or a double free */
		if (r < 0)
			return;
		addr = recs[r].addr;
		size = recs[r].size;
		break;
	case 3:			/* part of a block, maybe unaligned */
		if (r < 0)
			return;
		addr = recs[r].addr + get8() % 4 * g;
		if (kind / 8 % 2)
			addr += get8() % g;
		size = get8() % 4 * g;
		size += get8() % g;
		break;
	case 4:			/* anywhere in a chunk */
		if (!p->nchunks)
			return;
		m = &p->c[get8() % p->nchunks];
		addr = m->start + get(8) % m->size;
		size = get16() % 64 * g;
		if (get8() % 2)
			size += get8() % g;
		break;
	case 5:			/* past a chunk's end */
		if (!p->nchunks)
			return;
		m = &p->c[get8() % p->nchunks];
		addr = m->end - get8() % (m->size < 256 ? m->size : 256);
		size = m->end - addr + 1 + get8();
		break;
	case 6:			/* anything */
		addr = get(8);
		size = get(8);
		break;
	default:		/* size 0 */
		if (r >= 0)
			addr = recs[r].addr;
		size = 0;
		break;
	}
	ok = r_free(p, addr, size, &c, &bit, &nr);
	TRACE("free(pool %td, %#lx, %#zx)%s", p - pools, addr, size,
	      ok ? "" : " (bad)");
	warn_begin();
	if (kind / 16 % 2)
		gen_pool_free_owner(p->gp, addr, size, &owner);
	else
		gen_pool_free(p->gp, addr, size);
	warn_end(!ok, "free");
	if (kind / 16 % 2)
		CHECK(owner == (ok || (!size && c) ? c->owner : NULL),
		      "free: owner %p", owner);
	if (!ok)
		return;
	m_assign(c, bit, nr, false);
	if (kind % 8 < 2 && r >= 0)
		drop_rec(r);
}

static void op_query(void)
{
	struct mpool *p = pick_pool();
	unsigned int kind = get8();
	unsigned long addr, size, end;
	struct mchunk *m;
	bool want = false;
	phys_addr_t phys;
	int i;

	if (!p)
		return;
	if (p->nchunks && kind % 4) {
		m = &p->c[get8() % p->nchunks];
		switch (kind / 4 % 4) {
		case 0:
			addr = m->start + get(8) % m->size;
			break;
		case 1:
			addr = m->end + 1 - get8() % 2;
			break;
		case 2:
			addr = m->start - get8() % 2;
			break;
		default:
			addr = m->start;
			break;
		}
	} else {
		addr = get(8);
	}
	size = kind / 16 % 2 ? get(8) : get16();
	end = addr + size - 1;
	for (i = 0; i < p->nchunks; i++)
		if (addr >= p->c[i].start && addr <= p->c[i].end &&
		    end <= p->c[i].end)
			want = true;
	warn_begin();
	CHECK(gen_pool_has_addr(p->gp, addr, size) == want,
	      "has_addr(%#lx, %#lx) != %d", addr, size, want);
	m = m_find(p, addr);
	phys = gen_pool_virt_to_phys(p->gp, addr);
	CHECK(phys == (m ? m->phys + (addr - m->start) : (phys_addr_t)-1),
	      "virt_to_phys(%#lx) = %#llx", addr, (unsigned long long)phys);
	warn_end(false, "query");
}

static void op_set_algo(void)
{
	struct mpool *p = pick_pool();
	int algo = get8() % NR_ALGOS;

	if (!p)
		return;
	/* The data is kept by reference: it lives in the pool's model. */
	p->data = mk_data(p, algo, &p->align, &p->fixed);
	TRACE("set_algo(pool %td, %d)", p - pools, algo);
	warn_begin();
	gen_pool_set_algo(p->gp, algo_fn(algo), p->data);
	warn_end(false, "set_algo");
	p->algo = algo == A_NULL ? A_FIRST : algo;
	CHECK(p->gp->algo == algo_fn(p->algo) && p->gp->data == p->data,
	      "set_algo: fields");
}

/* Call an exported strategy directly on a chunk's bitmap. */
static void op_direct(void)
{
	struct mpool *p = pick_pool();
	int algo = get8() % (A_FIXED + 1);
	struct genpool_data_align al = { 0 };
	struct genpool_data_fixed fx = { 0 };
	struct gen_pool_chunk *lc;
	unsigned long start, nr, want, got;
	genpool_algo_t fn;
	struct mchunk *m;
	bool warn = false;
	void *data;
	int i;

	if (!p || !p->nchunks)
		return;
	i = get8() % p->nchunks;
	m = &p->c[i];
	lc = lib_chunk(p, i);
	data = mk_data(p, algo, &al, &fx);
	start = get16() % (m->nbits + 2);
	nr = 1 + get8() % 40;
	want = r_algo(p, m, algo, data, start, nr, &warn);
	warn_begin();
	fn = algo_fn(algo);
	got = fn(lc->bits, lc->nbits, start, nr, data, p->gp, lc->start_addr);
	warn_end(warn, "direct strategy");
	if (want == NONE)
		CHECK(got >= m->nbits, "strategy %d from %lu for %lu: %lu, model none",
		      algo, start, nr, got);
	else
		CHECK(got == want, "strategy %d from %lu for %lu: %lu, model %lu",
		      algo, start, nr, got, want);
}

static void op_null_pool(void)
{
	unsigned int which = get8() % 18;
	dma_addr_t dma = 7;
	void *owner = (void *)1;
	bool ok = true, warn = true;

	warn_begin();
	switch (which) {
	case 0:
		ok = gen_pool_add(NULL, 0x1000, 0x1000, NUMA_NO_NODE) == -EINVAL;
		break;
	case 1:
		ok = gen_pool_virt_to_phys(NULL, 0x1000) == (phys_addr_t)-1;
		break;
	case 2:
		gen_pool_destroy(NULL);
		break;
	case 3:
		ok = !gen_pool_alloc(NULL, 8);
		break;
	case 4:
		ok = !gen_pool_alloc_algo_owner(NULL, 8, gen_pool_first_fit,
						NULL, &owner) && !owner;
		break;
	case 5:
		ok = !gen_pool_dma_alloc(NULL, 8, &dma) && dma == 7;
		break;
	case 6:
		ok = !gen_pool_dma_zalloc(NULL, 8, &dma) && dma == 7;
		break;
	case 7:
		ok = !gen_pool_dma_alloc_algo(NULL, 8, &dma, gen_pool_first_fit,
					      NULL) && dma == 7;
		warn = false;
		break;
	case 8:
		ok = !gen_pool_dma_alloc_align(NULL, 8, &dma, 8) && dma == 7;
		warn = false;
		break;
	case 9:
		ok = !gen_pool_dma_zalloc_algo(NULL, 8, &dma, gen_pool_best_fit,
					       NULL) && dma == 7;
		warn = false;
		break;
	case 10:
		ok = !gen_pool_dma_zalloc_align(NULL, 8, &dma, 8) && dma == 7;
		warn = false;
		break;
	case 11:
		gen_pool_free_owner(NULL, 0x1000, 8, &owner);
		ok = !owner;
		break;
	case 12:
		gen_pool_for_each_chunk(NULL, collect, NULL);
		break;
	case 13:
		ok = !gen_pool_has_addr(NULL, 0x1000, 1);
		break;
	case 14:
		ok = !gen_pool_avail(NULL);
		break;
	case 15:
		ok = !gen_pool_size(NULL);
		break;
	case 16:
		gen_pool_set_algo(NULL, gen_pool_best_fit, NULL);
		break;
	default:
		ok = gen_pool_validate(NULL) == -EINVAL;
		break;
	}
	warn_end(warn, "NULL pool");
	CHECK(ok, "NULL pool entry %u", which);
}

/* Free everything the model says is allocated in @p. */
static NOCOV void free_all(struct mpool *p)
{
	int i;

	for (i = 0; i < p->nchunks; i++) {
		struct mchunk *c = &p->c[i];
		unsigned long b = 0, e;

		while (b < c->nbits) {
			if (!m_test(c->map, b)) {
				b++;
				continue;
			}
			for (e = b; e < c->nbits && m_test(c->map, e); e++)
				;
			warn_begin();
			gen_pool_free(p->gp, c->start + (b << p->order),
				      (e - b) << p->order);
			warn_end(false, "free_all");
			m_assign(c, b, e - b, false);
			b = e;
		}
	}
}

static void destroy_pool(struct mpool *p, bool clean)
{
	long allocated = shim_nr_allocated;
	int i, busy = 0;

	if (clean)
		free_all(p);
	for (i = 0; i < p->nchunks; i++)
		busy += m_used(&p->c[i]) != 0;
	TRACE("destroy(pool %td), %d busy chunks", p - pools, busy);
	warn_begin();
	gen_pool_destroy(p->gp);
	warn_end(busy, "pool destruction");
	if (busy) {
		/*
		 * A busy pool is reported and kept whole: late frees must
		 * still work, and then it can be destroyed for real.
		 */
		CHECK(shim_nr_allocated == allocated,
		      "destroying a busy pool freed %ld blocks",
		      allocated - shim_nr_allocated);
		check_pool(p);
		free_all(p);
		check_pool(p);
		warn_begin();
		gen_pool_destroy(p->gp);
		warn_end(false, "pool destruction after late frees");
	}
	CHECK(shim_nr_allocated == allocated - 1 - p->nchunks,
	      "pool destruction freed %ld blocks, expected %d",
	      allocated - shim_nr_allocated, 1 + p->nchunks);
	for (i = 0; i < p->nchunks; i++) {
		struct mchunk *c = &p->c[i];

		free(c->map);
		free(c->mem);
		total_bits -= c->nbits;
	}
	for (i = nr_recs - 1; i >= 0; i--)
		if (recs[i].pool == p - pools)
			drop_rec(i);
	memset(p, 0, sizeof(*p));
}

static void op_destroy(void)
{
	struct mpool *p = pick_pool();

	if (p)
		destroy_pool(p, get8() % 4 != 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool inited;
	long allocated;
	int i;

	if (!inited) {
		const char *v = getenv("GENALLOC_FUZZ_VERBOSE");

		verbose = v && *v && *v != '0';
		shim_verbose = verbose;
		inited = true;
	}
	allocated = shim_nr_allocated;
	in_p = data;
	in_n = size;
	nr_recs = 0;
	total_bits = 0;
	for (op_no = 0; in_n && op_no < MAX_OPS; op_no++) {
		switch (get8() % 16) {
		case 0:
			op_create();
			break;
		case 1: case 2:
			op_add();
			break;
		case 3: case 4: case 5: case 6: case 7:
			op_alloc();
			break;
		case 8: case 9: case 10:
			op_free();
			break;
		case 11:
			op_query();
			break;
		case 12:
			op_set_algo();
			break;
		case 13:
			op_direct();
			break;
		case 14:
			op_null_pool();
			break;
		default:
			op_destroy();
			break;
		}
		for (i = 0; i < NR_POOLS; i++)
			check_pool(&pools[i]);
	}
	/* Tear down: everything freed must give avail == size. */
	for (i = 0; i < NR_POOLS; i++) {
		struct mpool *p = &pools[i];

		if (!p->gp)
			continue;
		free_all(p);
		check_pool(p);
		CHECK(gen_pool_avail(p->gp) == gen_pool_size(p->gp),
		      "pool %d: avail != size after freeing everything", i);
		destroy_pool(p, false);
	}
	CHECK(shim_nr_allocated == allocated, "%ld blocks leaked",
	      shim_nr_allocated - allocated);
	CHECK(total_bits == 0, "model accounting");
	return 0;
}
