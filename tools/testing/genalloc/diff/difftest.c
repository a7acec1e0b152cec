// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential test: our lib/genalloc.c against upstream's.
 *
 * Both allocators run the same seeded, single-threaded sequence of valid
 * operations in lockstep (see side.h for how both live in one program).
 * After every operation the test compares the returned addresses, owner
 * cookies, DMA addresses, gen_pool_avail() and gen_pool_size() and the
 * bitmap words the operation touched; every FULL_EVERY operations, and at
 * the end of each sequence, it compares every chunk's fields and whole
 * bitmap and runs our gen_pool_validate().
 *
 * The run is split into sequences ("groups") of 10000 operations, each
 * one test: a pool with its own granule order (0-12), one to eight chunks
 * (newest first) of a few to ~100k granules (now and then exactly at the
 * index's size boundaries, or up to 600k) with ragged sizes (not
 * multiples of the granule) and addresses at various alignments, a main
 * strategy (first fit, aligned first fit, order-aligned first fit, best
 * fit, fixed offset, or a mix; group g uses strategy g % 6 and order
 * g % 13; first fit groups use no other strategy but fixed offsets for
 * all or the first half of their operations) and a fill target that
 * wanders between 20% and 99%, so that both the small-chunk paths and our
 * search index (chunks above 1024 granules) are driven through sparse and
 * nearly full states.  Frees
 * release whole blocks with the requested or the rounded size, sub-ranges
 * of blocks, a whole block through an address inside its first granule,
 * or several adjacent blocks at once.  Some operations call the exported
 * strategies directly on a chunk's bitmap, or query gen_pool_has_addr()
 * and gen_pool_virt_to_phys().  Only operations upstream accepts are
 * generated: upstream BUG()s on bad input.
 *
 * On a difference the sequence is replayed and shrunk to a short list of
 * operations that still shows one, which is printed with the seed and
 * the group so that "difftest -s SEED -n OPS -g GROUP" replays it.  A
 * sequence that hangs is stopped by a watchdog and fails.  The exit
 * status is non-zero if any sequence failed.
 *
 * Usage: difftest [-s SEED] [-n OPS] [-g GROUP] [-v]
 */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "side.h"

#define BITS_PER_LONG_	(8 * sizeof(unsigned long))
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_CHUNKS	8
#define GROUP_OPS	10000
#define FULL_EVERY	500
#define SHRINK_SECONDS	20
#define MAX_SHRINKS	2	/* later differences are only reported */
#define WATCHDOG_SECONDS 120	/* per sequence; a normal one takes < 1 s */
/* Chunk n lives in [(n + 1) * SLOT_BYTES, (n + 2) * SLOT_BYTES). */
#if ULONG_MAX > 0xffffffffUL
#define SLOT_BYTES	0x10000000000UL	/* 1 TiB */
#else
#define SLOT_BYTES	(7UL << 26)	/* 448 MiB: 8 slots below 4 GiB */
#endif

static const struct side_ops *O = &ours_side_ops;
static const struct side_ops *U = &up_side_ops;
static int verbose;

/* ---- random numbers ---- */

static uint64_t rng_state;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
	return splitmix64(&rng_state);
}

/* Uniform in [0, n), n > 0. */
static unsigned long rnd_below(unsigned long n)
{
	return rnd() % n;
}

/* Uniform in [lo, hi]. */
static unsigned long rnd_range(unsigned long lo, unsigned long hi)
{
	return lo + rnd_below(hi - lo + 1);
}

static bool chance(unsigned int percent_x10)
{
	return rnd_below(1000) < percent_x10;
}

/* ---- operations ---- */

enum op_type {
	OP_ADD,		/* a = virt, b = size, d = phys, c = owner number */
	OP_ALLOC,	/* algo, a = size, b = arg */
	OP_DEFALLOC,	/* set_algo(algo, b) then gen_pool_alloc_owner(a) */
	OP_DMA,		/* gen_pool_dma_alloc_align(a, align b) */
	OP_FREE,	/* a = addr, b = size */
	OP_ALGO,	/* exported strategy on chunk a: start c, nr, arg b */
	OP_QUERY,	/* has_addr(a, b) and virt_to_phys(a) */
};

struct op {
	enum op_type type;
	enum side_algo algo;
	unsigned int nr;
	unsigned long a, b, c;
	uint64_t d;
};

static const char *const algo_names[] = {
	[SIDE_FIRST_FIT] = "first_fit",
	[SIDE_FIRST_FIT_ALIGN] = "first_fit_align",
	[SIDE_FIRST_FIT_ORDER_ALIGN] = "first_fit_order_align",
	[SIDE_BEST_FIT] = "best_fit",
	[SIDE_FIXED] = "fixed_alloc",
	[SIDE_DEFAULT] = "default",
};

static void op_str(const struct op *op, char *buf, size_t len)
{
	switch (op->type) {
	case OP_ADD:
		snprintf(buf, len,
			 "gen_pool_add_owner(virt=%#lx, phys=%#llx, size=%#lx, owner=%#lx)",
			 op->a, (unsigned long long)op->d, op->b, op->c);
		break;
	case OP_ALLOC:
		snprintf(buf, len, "gen_pool_alloc_algo_owner(size=%#lx, %s, arg=%#lx)",
			 op->a, algo_names[op->algo], op->b);
		break;
	case OP_DEFALLOC:
		snprintf(buf, len,
			 "gen_pool_set_algo(%s, arg=%#lx); gen_pool_alloc_owner(size=%#lx)",
			 algo_names[op->algo], op->b, op->a);
		break;
	case OP_DMA:
		snprintf(buf, len, "gen_pool_dma_alloc_align(size=%#lx, align=%#lx)",
			 op->a, op->b);
		break;
	case OP_FREE:
		snprintf(buf, len, "gen_pool_free_owner(addr=%#lx, size=%#lx)",
			 op->a, op->b);
		break;
	case OP_ALGO:
		snprintf(buf, len,
			 "gen_pool_%s(map of chunk #%lu, start=%lu, nr=%u, arg=%#lx)",
			 algo_names[op->algo], op->a, op->c, op->nr, op->b);
		break;
	case OP_QUERY:
		snprintf(buf, len, "gen_pool_has_addr(%#lx, %#lx), gen_pool_virt_to_phys(%#lx)",
			 op->a, op->b, op->a);
		break;
	}
}

/* What one implementation answered. */
struct result {
	unsigned long ret;
	void *owner;
	uint64_t extra;
	size_t avail;
	size_t size;
};

/* Both pools and what the test knows about them. */
struct state {
	void *po, *pu;
	int order;
	unsigned long g;		/* granule size */
	unsigned long nchunks;		/* chunks added */
	unsigned long total_bits;	/* allocatable granules, all chunks */
};

static char diff_msg[4096];

static void set_diff(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(diff_msg, sizeof(diff_msg), fmt, ap);
	va_end(ap);
}

/* Chunks of both sides; false (with diff_msg) if they differ. */
static bool get_chunks(struct state *st, struct side_chunk *co,
		       struct side_chunk *cu, int *n)
{
	int no = O->chunks(st->po, co, MAX_CHUNKS);
	int nu = U->chunks(st->pu, cu, MAX_CHUNKS);

	*n = nu;
	if (no != nu) {
		set_diff("chunk count: ours %d, upstream %d", no, nu);
		return false;
	}
	return true;
}

/* First differing bit of [from, to) of two bitmaps, or to. */
static unsigned long first_diff_bit(const unsigned long *a,
				    const unsigned long *b,
				    unsigned long from, unsigned long to)
{
	unsigned long i;

	for (i = from; i < to; i++) {
		unsigned long w = i / BITS_PER_LONG_, m = 1UL << (i % BITS_PER_LONG_);

		if ((a[w] ^ b[w]) & m)
			return i;
	}
	return to;
}

/* Compare bits [from, to) of chunk @i (clamped); false on a difference. */
static bool compare_bits(const struct side_chunk *co,
			 const struct side_chunk *cu, int i,
			 unsigned long from, unsigned long to)
{
	unsigned long nbits = cu[i].nbits, w0, w1, bit;

	if (to > nbits)
		to = nbits;
	if (from >= to)
		return true;
	w0 = from / BITS_PER_LONG_;
	w1 = (to - 1) / BITS_PER_LONG_;
	if (!memcmp(co[i].bits + w0, cu[i].bits + w0,
		    (w1 - w0) * sizeof(unsigned long)) &&
	    first_diff_bit(co[i].bits, cu[i].bits,
			   w1 * BITS_PER_LONG_, to) == to)
		return true;
	bit = first_diff_bit(co[i].bits, cu[i].bits, from, to);
	set_diff("chunk #%d (%#lx) bitmap differs at bit %lu: ours %d, upstream %d",
		 i, cu[i].start_addr, bit,
		 !!(co[i].bits[bit / BITS_PER_LONG_] & (1UL << (bit % BITS_PER_LONG_))),
		 !!(cu[i].bits[bit / BITS_PER_LONG_] & (1UL << (bit % BITS_PER_LONG_))));
	return false;
}

/* Everything: chunk fields, whole bitmaps, our validator. */
static bool compare_full(struct state *st)
{
	struct side_chunk co[MAX_CHUNKS], cu[MAX_CHUNKS];
	int i, n;

	if (!get_chunks(st, co, cu, &n))
		return false;
	for (i = 0; i < n; i++) {
		if (co[i].start_addr != cu[i].start_addr ||
		    co[i].end_addr != cu[i].end_addr ||
		    co[i].phys_addr != cu[i].phys_addr ||
		    co[i].owner != cu[i].owner || co[i].avail != cu[i].avail ||
		    co[i].nbits != cu[i].nbits) {
			snprintf(diff_msg, sizeof(diff_msg),
				 "chunk #%d: ours %#lx-%#lx phys %#llx owner %p avail %ld, upstream %#lx-%#lx phys %#llx owner %p avail %ld",
				 i, co[i].start_addr, co[i].end_addr,
				 (unsigned long long)co[i].phys_addr, co[i].owner,
				 co[i].avail, cu[i].start_addr, cu[i].end_addr,
				 (unsigned long long)cu[i].phys_addr, cu[i].owner,
				 cu[i].avail);
			return false;
		}
		if (!compare_bits(co, cu, i, 0, cu[i].nbits))
			return false;
	}
	if (O->validate(st->po)) {
		set_diff("gen_pool_validate() failed on our pool");
		return false;
	}
	return true;
}

/* The chunk (index in list order) holding @addr, or -1. */
static int chunk_of(const struct side_chunk *c, int n, unsigned long addr)
{
	int i;

	for (i = 0; i < n; i++)
		if (addr >= c[i].start_addr && addr <= c[i].end_addr)
			return i;
	return -1;
}

static bool bits_all_set(const unsigned long *map, unsigned long from,
			 unsigned long nr)
{
	unsigned long i;

	for (i = from; i < from + nr; i++)
		if (!(map[i / BITS_PER_LONG_] & (1UL << (i % BITS_PER_LONG_))))
			return false;
	return true;
}

/*
 * Would upstream accept this operation in the current state?  Generated
 * sequences are valid by construction; shrunk ones may not be.
 */
static bool op_valid(struct state *st, const struct op *op)
{
	struct side_chunk cu[MAX_CHUNKS];
	unsigned long nbits, bit;
	int n, i;

	n = U->chunks(st->pu, cu, MAX_CHUNKS);
	switch (op->type) {
	case OP_ADD:
		if (n >= MAX_CHUNKS)
			return false;
		for (i = 0; i < n; i++)
			if (op->a <= cu[i].end_addr &&
			    cu[i].start_addr <= op->a + op->b - 1)
				return false;
		return true;
	case OP_FREE:
		i = chunk_of(cu, n, op->a);
		if (i < 0 || op->a + op->b - 1 > cu[i].end_addr)
			return false;
		bit = (op->a - cu[i].start_addr) >> st->order;
		nbits = (op->b + st->g - 1) >> st->order;
		return bit + nbits <= cu[i].nbits &&
		       bits_all_set(cu[i].bits, bit, nbits);
	case OP_ALGO:
		return op->a < (unsigned long)n;
	default:
		return true;
	}
}

/*
 * Run @op on both sides and compare.  Returns false with diff_msg set on
 * a difference; @ro and @ru receive the answers.
 */
static bool run_op(struct state *st, const struct op *op, struct result *ro,
		   struct result *ru)
{
	struct side_chunk co[MAX_CHUNKS], cu[MAX_CHUNKS];
	unsigned long bit = 0, nbits = 0;
	int n, ci = -1;

	memset(ro, 0, sizeof(*ro));
	memset(ru, 0, sizeof(*ru));
	switch (op->type) {
	case OP_ADD:
		ro->ret = O->add(st->po, op->a, op->d, op->b, (void *)op->c);
		ru->ret = U->add(st->pu, op->a, op->d, op->b, (void *)op->c);
		if (!ro->ret && !ru->ret) {
			st->nchunks++;
			st->total_bits += op->b >> st->order;
		}
		break;
	case OP_ALLOC:
		ro->ret = O->alloc(st->po, op->a, op->algo, op->b, &ro->owner);
		ru->ret = U->alloc(st->pu, op->a, op->algo, op->b, &ru->owner);
		nbits = (op->a + st->g - 1) >> st->order;
		break;
	case OP_DEFALLOC:
		O->set_algo(st->po, op->algo, op->b);
		U->set_algo(st->pu, op->algo, op->b);
		ro->ret = O->alloc(st->po, op->a, SIDE_DEFAULT, 0, &ro->owner);
		ru->ret = U->alloc(st->pu, op->a, SIDE_DEFAULT, 0, &ru->owner);
		O->set_algo(st->po, SIDE_FIRST_FIT, 0);
		U->set_algo(st->pu, SIDE_FIRST_FIT, 0);
		nbits = (op->a + st->g - 1) >> st->order;
		break;
	case OP_DMA:
		ro->ret = O->dma_alloc_align(st->po, op->a, op->b, &ro->extra);
		ru->ret = U->dma_alloc_align(st->pu, op->a, op->b, &ru->extra);
		nbits = (op->a + st->g - 1) >> st->order;
		break;
	case OP_FREE:
		O->free(st->po, op->a, op->b, &ro->owner);
		U->free(st->pu, op->a, op->b, &ru->owner);
		ro->ret = op->a;
		ru->ret = op->a;
		nbits = (op->b + st->g - 1) >> st->order;
		break;
	case OP_ALGO:
		O->chunks(st->po, co, MAX_CHUNKS);
		U->chunks(st->pu, cu, MAX_CHUNKS);
		ro->ret = O->algo(op->algo, op->b, (unsigned long *)co[op->a].bits,
				  co[op->a].nbits, op->c, op->nr, st->po,
				  co[op->a].start_addr);
		ru->ret = U->algo(op->algo, op->b, (unsigned long *)cu[op->a].bits,
				  cu[op->a].nbits, op->c, op->nr, st->pu,
				  cu[op->a].start_addr);
		/*
		 * Upstream's fixed_alloc fails with @size, except when the
		 * offset is exactly size + nr granules: then its search
		 * fails with that very value, which it takes for the
		 * offset.  Any value >= size is failure; don't count it.
		 */
		if (op->algo == SIDE_FIXED && ro->ret >= cu[op->a].nbits &&
		    ru->ret >= cu[op->a].nbits)
			ro->ret = ru->ret;
		break;
	case OP_QUERY:
		ro->ret = O->has_addr(st->po, op->a, op->b);
		ru->ret = U->has_addr(st->pu, op->a, op->b);
		ro->extra = O->virt_to_phys(st->po, op->a);
		ru->extra = U->virt_to_phys(st->pu, op->a);
		break;
	}
	ro->avail = O->avail(st->po);
	ru->avail = U->avail(st->pu);
	ro->size = O->size(st->po);
	ru->size = U->size(st->pu);

	if (ro->ret != ru->ret) {
		set_diff("return value: ours %#lx, upstream %#lx", ro->ret,
			 ru->ret);
		return false;
	}
	if (ro->owner != ru->owner) {
		set_diff("owner: ours %p, upstream %p", ro->owner, ru->owner);
		return false;
	}
	if (ro->extra != ru->extra) {
		set_diff("dma/phys: ours %#llx, upstream %#llx",
			 (unsigned long long)ro->extra,
			 (unsigned long long)ru->extra);
		return false;
	}
	if (ro->avail != ru->avail || ro->size != ru->size) {
		set_diff("avail/size: ours %#zx/%#zx, upstream %#zx/%#zx",
			 ro->avail, ro->size, ru->avail, ru->size);
		return false;
	}
	/* The bitmap words the operation touched. */
	if (nbits && ru->ret) {
		if (!get_chunks(st, co, cu, &n))
			return false;
		ci = chunk_of(cu, n, ru->ret);
		if (ci >= 0) {
			bit = (ru->ret - cu[ci].start_addr) >> st->order;
			if (!compare_bits(co, cu, ci, bit > 64 ? bit - 64 : 0,
					  bit + nbits + 64))
				return false;
		}
	}
	return true;
}

/* ---- one sequence ---- */

struct block {
	unsigned long addr;	/* as returned, granule-aligned in its chunk */
	unsigned long nbits;
	unsigned long req;	/* bytes asked for; <= nbits << order */
};

struct group_cfg {
	int order;
	int algo;		/* enum side_algo, or -1 for a mix */
	int chunks;		/* chunks added at the start */
	unsigned long ops;
	unsigned long pure;	/* ops before another strategy may stray in */
};

struct group_stats {
	unsigned long allocs, alloc_ok, frees, partial, merged, algo_calls;
	unsigned long max_bits;
	double max_fill;
};

static struct op *oplog;
static unsigned long oplog_len, oplog_cap;
static uint64_t run_seed;
static int shrinks_done;
static unsigned long total_ops;
static unsigned long totals[8];

static void log_op(const struct op *op)
{
	if (oplog_len == oplog_cap) {
		oplog_cap = oplog_cap ? 2 * oplog_cap : 1024;
		oplog = realloc(oplog, oplog_cap * sizeof(*oplog));
		if (!oplog) {
			perror("realloc");
			exit(2);
		}
	}
	oplog[oplog_len++] = *op;
}

static void state_init(struct state *st, int order)
{
	memset(st, 0, sizeof(*st));
	st->order = order;
	st->g = 1UL << order;
	st->po = O->create(order);
	st->pu = U->create(order);
	if (!st->po || !st->pu) {
		fprintf(stderr, "difftest: gen_pool_create(%d) failed\n", order);
		exit(2);
	}
}

/* Free what is still allocated (valid frees only), then destroy. */
static void state_fini(struct state *st)
{
	struct side_chunk c[MAX_CHUNKS];
	int n, i;
	unsigned long b, e;

	n = U->chunks(st->pu, c, MAX_CHUNKS);
	for (i = 0; i < n; i++) {
		for (b = 0; b < c[i].nbits; b = e) {
			for (; b < c[i].nbits; b++)
				if (c[i].bits[b / BITS_PER_LONG_] &
				    (1UL << (b % BITS_PER_LONG_)))
					break;
			for (e = b; e < c[i].nbits; e++)
				if (!(c[i].bits[e / BITS_PER_LONG_] &
				      (1UL << (e % BITS_PER_LONG_))))
					break;
			if (e > b) {
				unsigned long a = c[i].start_addr +
						  (b << st->order);

				U->free(st->pu, a, (e - b) << st->order, NULL);
				O->free(st->po, a, (e - b) << st->order, NULL);
			}
		}
	}
	O->destroy(st->po);
	U->destroy(st->pu);
}

/* Granules of one request: mostly small, sometimes large. */
static unsigned long pick_nbits(unsigned long max_bits)
{
	unsigned long cap;
	unsigned int r = rnd_below(100);

	if (r < 55)
		cap = 8;
	else if (r < 80)
		cap = 64;
	else if (r < 95)
		cap = 512;
	else
		cap = max_bits / 4 + 1;
	if (cap > max_bits + 2)
		cap = max_bits + 2;	/* a few requests fit nowhere */
	if (cap > (1UL << 20))
		cap = 1UL << 20;
	return rnd_range(1, cap);
}

/* Bytes for @nbits granules: anywhere in ((nbits - 1) * G, nbits * G]. */
static unsigned long bytes_for(struct state *st, unsigned long nbits)
{
	return ((nbits - 1) << st->order) + rnd_range(1, st->g);
}

/* A new chunk at slot st->nchunks, never overlapping the others. */
static void gen_add(struct state *st, struct op *op, bool big)
{
	unsigned long nbits, size, virt;
	unsigned int r = rnd_below(100);

	static const unsigned long edges[] = {
		1024, 1025, 1535, 1536, 1537, 8191, 8192, 8193, 131071,
		131072, 131073,
	};

	if (chance(60))		/* index boundaries, and a 4-level tree */
		nbits = chance(700) ? edges[rnd_below(ARRAY_LEN(edges))] :
				      rnd_range(131073, 600000);
	else if (big || r >= 40)
		nbits = rnd_range(1025, r < 80 ? 8192 : 100000);
	else if (r < 15)
		nbits = rnd_range(1, 64);
	else
		nbits = rnd_range(65, 1024);
	if (nbits > SLOT_BYTES / 2 >> st->order)
		nbits = SLOT_BYTES / 2 >> st->order;	/* 32-bit address space */
	size = nbits << st->order;
	if (st->g > 1 && chance(600))
		size += rnd_range(1, st->g - 1);	/* ragged tail */
	/* One slot per chunk, at varied alignments inside it. */
	virt = (st->nchunks + 1) * SLOT_BYTES;
	virt += rnd_below(SLOT_BYTES / 8 >> st->order) << st->order;
	if (st->g > 1 && chance(50))
		virt += rnd_range(1, st->g - 1);	/* not granule-aligned */
	memset(op, 0, sizeof(*op));
	op->type = OP_ADD;
	op->a = virt;
	op->b = size;
	op->c = 0x100 + st->nchunks;
	op->d = chance(200) ? (uint64_t)-1 : rnd() & ~0xfffULL;
}

/*
 * Where the run is, for pick_algo() and the watchdog; the run stores them
 * with __atomic_store_n() for the watchdog, a signal handler.
 */
static unsigned long cur_group, cur_op;

static enum side_algo pick_algo(const struct group_cfg *cfg)
{
	/* Only first fit and fixed: a chunk keeps its reach hints. */
	if (cur_op < cfg->pure)
		return chance(50) ? SIDE_FIXED : SIDE_FIRST_FIT;
	if (cfg->algo >= 0 && !chance(100))
		return cfg->algo;
	return rnd_below(SIDE_NR_ALGOS);
}

static unsigned long pick_align(struct state *st)
{
	if (chance(50))
		return 1UL << rnd_below(st->order + 1);	/* <= granule */
	return st->g << rnd_below(st->order <= 12 ? 9 : 4);
}

/* A byte offset worth trying for fixed_alloc: usually a free granule. */
static unsigned long pick_fixed(struct state *st)
{
	struct side_chunk c[MAX_CHUNKS];
	unsigned long b;
	int n = U->chunks(st->pu, c, MAX_CHUNKS), i;

	i = rnd_below(n);
	b = rnd_below(c[i].nbits + 1);
	if (chance(800)) {
		for (; b < c[i].nbits; b++)
			if (!(c[i].bits[b / BITS_PER_LONG_] &
			      (1UL << (b % BITS_PER_LONG_))))
				break;
	}
	return b << st->order;
}

static void gen_alloc(struct state *st, const struct group_cfg *cfg,
		      struct op *op, unsigned long max_bits)
{
	memset(op, 0, sizeof(*op));
	op->type = chance(30) ? OP_DEFALLOC : OP_ALLOC;
	op->algo = pick_algo(cfg);
	op->a = bytes_for(st, pick_nbits(max_bits));
	if (op->algo == SIDE_FIRST_FIT_ALIGN) {
		op->b = pick_align(st);
		if (chance(100)) {
			op->type = OP_DMA;
			op->algo = SIDE_FIRST_FIT;
		}
	} else if (op->algo == SIDE_FIXED) {
		op->b = pick_fixed(st);
	}
}

/* Free (part of) block @k of @live, updating @live. */
static void gen_free(struct state *st, struct op *op, struct block *live,
		     unsigned long *nlive, unsigned long k,
		     struct group_stats *gs)
{
	struct block b = live[k];
	struct side_chunk c[MAX_CHUNKS];
	unsigned int r = rnd_below(100);
	unsigned long i, len;
	int n, ci;

	memset(op, 0, sizeof(*op));
	op->type = OP_FREE;
	live[k] = live[--*nlive];
	if (r < 45) {				/* as allocated */
		op->a = b.addr;
		op->b = b.req;
	} else if (r < 65) {			/* rounded size */
		op->a = b.addr;
		op->b = b.nbits << st->order;
	} else if (r < 90 && b.nbits > 1) {	/* a sub-range */
		i = rnd_below(b.nbits);
		len = rnd_range(1, b.nbits - i);
		op->a = b.addr + (i << st->order);
		op->b = bytes_for(st, len);
		if (i) {
			live[*nlive].addr = b.addr;
			live[*nlive].nbits = i;
			live[*nlive].req = i << st->order;
			++*nlive;
		}
		if (i + len < b.nbits) {
			live[*nlive].addr = b.addr + ((i + len) << st->order);
			live[*nlive].nbits = b.nbits - i - len;
			live[*nlive].req = live[*nlive].nbits << st->order;
			++*nlive;
		}
		gs->partial++;
	} else {		/* through an address inside the first granule */
		op->a = b.addr;
		op->b = b.req;
		n = U->chunks(st->pu, c, MAX_CHUNKS);
		ci = chunk_of(c, n, b.addr);
		if (st->g > 1 && ci >= 0) {
			unsigned long d = rnd_range(1, st->g - 1);

			if (b.addr + d + b.req - 1 <= c[ci].end_addr)
				op->a += d;
		}
	}
}

/*
 * Free block @k together with up to three blocks that follow it without
 * a gap, in one call: the allocator does not know where blocks begin.
 */
static void gen_free_merged(struct state *st, struct op *op,
			    struct block *live, unsigned long *nlive,
			    unsigned long k)
{
	unsigned long start = live[k].addr, end, j;
	int joined;

	end = start + (live[k].nbits << st->order);
	live[k] = live[--*nlive];
	for (joined = 0; joined < 3; joined++) {
		for (j = 0; j < *nlive; j++)
			if (live[j].addr == end)
				break;
		if (j == *nlive)
			break;
		end += live[j].nbits << st->order;
		live[j] = live[--*nlive];
	}
	memset(op, 0, sizeof(*op));
	op->type = OP_FREE;
	op->a = start;
	op->b = end - start - (st->g > 1 ? rnd_below(st->g) : 0);
}

static void report(const struct group_cfg *cfg, unsigned long group,
		   unsigned long idx, const struct op *op,
		   const struct result *ro, const struct result *ru)
{
	char buf[256];

	op_str(op, buf, sizeof(buf));
	printf("DIFFERENCE: seed %llu group %lu (order %d, %s) op %lu: %s\n",
	       (unsigned long long)run_seed, group, cfg->order,
	       cfg->algo < 0 ? "mixed" : algo_names[cfg->algo], idx, buf);
	printf("  %s\n", diff_msg);
	printf("  ours: ret %#lx owner %p dma/phys %#llx avail %#zx size %#zx\n",
	       ro->ret, ro->owner, (unsigned long long)ro->extra, ro->avail,
	       ro->size);
	printf("  upstream: ret %#lx owner %p dma/phys %#llx avail %#zx size %#zx\n",
	       ru->ret, ru->owner, (unsigned long long)ru->extra, ru->avail,
	       ru->size);
}

/*
 * Replay @ops[0..n) (skipping marked and invalid ones) on fresh pools;
 * returns the index of the first operation showing a difference, or -1.
 */
static long replay(int order, const struct op *ops, const bool *skip,
		   unsigned long n, bool full_each)
{
	struct state st;
	struct result ro, ru;
	unsigned long i;
	long bad = -1;

	state_init(&st, order);
	for (i = 0; i < n; i++) {
		if (skip && skip[i])
			continue;
		if (!op_valid(&st, &ops[i]))
			continue;
		if (!run_op(&st, &ops[i], &ro, &ru) ||
		    (full_each && !compare_full(&st))) {
			bad = i;
			break;
		}
	}
	if (bad < 0 && !compare_full(&st))
		bad = n ? n - 1 : 0;
	if (bad < 0)
		state_fini(&st);
	/* On a difference the pools may disagree: leak them. */
	return bad;
}

/* Print each chunk's free runs (from upstream's bitmap), a few dozen. */
static void dump_runs(struct state *st)
{
	struct side_chunk c[MAX_CHUNKS];
	int n = U->chunks(st->pu, c, MAX_CHUNKS), i, shown;
	unsigned long b, e;

	for (i = 0; i < n; i++) {
		printf("  before it, chunk #%d %#lx (%lu granules) free runs [first, end):",
		       i, c[i].start_addr, c[i].nbits);
		shown = 0;
		for (b = 0; b < c[i].nbits; b = e) {
			for (; b < c[i].nbits; b++)
				if (!(c[i].bits[b / BITS_PER_LONG_] &
				      (1UL << (b % BITS_PER_LONG_))))
					break;
			for (e = b; e < c[i].nbits; e++)
				if (c[i].bits[e / BITS_PER_LONG_] &
				    (1UL << (e % BITS_PER_LONG_)))
					break;
			if (e > b && shown++ < 40)
				printf(" [%lu,%lu)", b, e);
		}
		printf(shown > 40 ? " ... (%d runs)\n" : "\n", shown);
	}
}

/*
 * Shrink the logged sequence to a few operations that still differ:
 * drop windows of halving size while the replay keeps differing.
 */
static void shrink_and_print(const struct group_cfg *cfg, unsigned long bad)
{
	unsigned long n = bad + 1, win, i, j, kept, nnew;
	bool *skip = calloc(n, sizeof(bool));
	unsigned long *fresh = calloc(n, sizeof(unsigned long));
	time_t t0 = time(NULL);
	char buf[256];
	long r;

	if (!skip || !fresh)
		return;
	for (win = n / 2 ? n / 2 : 1; ; win /= 2) {
		for (i = 0; i < n; i += win) {
			if (time(NULL) - t0 > SHRINK_SECONDS)
				goto out;
			alarm(WATCHDOG_SECONDS);
			nnew = 0;
			for (j = i; j < i + win && j < n; j++) {
				if (!skip[j]) {
					skip[j] = true;
					fresh[nnew++] = j;
				}
			}
			if (!nnew)
				continue;
			if (replay(cfg->order, oplog, skip, n, true) < 0)
				for (j = 0; j < nnew; j++)
					skip[fresh[j]] = false;
		}
		if (win == 1)
			break;
	}
out:
	r = replay(cfg->order, oplog, skip, n, true);
	kept = 0;
	for (i = 0; i < n; i++)
		kept += !skip[i];
	fprintf(stdout,
		"  shrunk to %lu of %lu operations (order %d; invalid ones are skipped on replay):\n",
		kept, n, cfg->order);
	for (i = 0; i < n; i++) {
		if (skip[i])
			continue;
		op_str(&oplog[i], buf, sizeof(buf));
		printf("    [%lu] %s\n", i, buf);
		if ((long)i == r)
			break;
	}
	if (r >= 0) {
		struct state st;
		struct result ro, ru;

		state_init(&st, cfg->order);
		for (i = 0; i < (unsigned long)r; i++)
			if (!skip[i] && op_valid(&st, &oplog[i]))
				run_op(&st, &oplog[i], &ro, &ru);
		dump_runs(&st);
		if (!run_op(&st, &oplog[r], &ro, &ru) || !compare_full(&st))
			fprintf(stdout,
				"  at [%ld]: %s\n    ours: ret %#lx avail %#zx; upstream: ret %#lx avail %#zx\n",
				r, diff_msg, ro.ret, ro.avail, ru.ret, ru.avail);
	} else {
		printf("  (the shrunk sequence no longer differs)\n");
	}
	free(fresh);
	free(skip);
}

/* A sequence that hangs (an endless retry loop, say) is a failure too. */
static void watchdog(int sig)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "TIMEOUT: seed %llu group %lu op %lu took more than %d s (a hang in one implementation?)\n"
		     "difftest: 0 passed, 1 failed (seed %llu)\n",
		     (unsigned long long)run_seed,
		     __atomic_load_n(&cur_group, __ATOMIC_RELAXED),
		     __atomic_load_n(&cur_op, __ATOMIC_RELAXED),
		     WATCHDOG_SECONDS, (unsigned long long)run_seed);
	if (write(STDOUT_FILENO, buf, n) < 0)
		_exit(3);
	_exit(1);
}

/* Run one sequence; true if both implementations agreed throughout. */
static bool run_group(unsigned long group, unsigned long nops)
{
	struct group_cfg cfg;
	struct group_stats gs = { 0 };
	struct state st;
	struct result ro, ru;
	struct side_chunk c[MAX_CHUNKS];
	struct block *live;
	unsigned long nlive = 0, cap, used = 0, i, max_bits = 0;
	double target, fill;
	struct op op;
	int k, n;
	uint64_t s = run_seed ^ (group * 0xd1b54a32d192ed03ULL);

	rng_state = splitmix64(&s);
	__atomic_store_n(&cur_group, group, __ATOMIC_RELAXED);
	__atomic_store_n(&cur_op, 0, __ATOMIC_RELAXED);
	alarm(WATCHDOG_SECONDS);
	cfg.order = group % 13;
	if (chance(300))
		cfg.order = rnd_below(13);
	cfg.algo = group % 6;	/* with order = group % 13: all 78 pairs */
	if (cfg.algo == 5)
		cfg.algo = -1;
	cfg.chunks = chance(400) ? 1 : rnd_range(2, 4);
	cfg.ops = nops;
	/*
	 * First fit groups keep to first fit and fixed offsets for the
	 * whole sequence or its first half: our chunks then keep their
	 * reach hints, and switch to the tree in the middle of a sequence.
	 */
	cfg.pure = 0;
	if (cfg.algo == SIDE_FIRST_FIT)
		cfg.pure = chance(500) ? nops : nops / 2;

	state_init(&st, cfg.order);
	oplog_len = 0;
	for (k = 0; k < cfg.chunks; k++) {
		gen_add(&st, &op, k == 0 && chance(800));
		log_op(&op);
		if (!run_op(&st, &op, &ro, &ru))
			goto differ;
	}
	cap = 1024;
	live = malloc(cap * sizeof(*live));
	target = 0.2 + 0.79 * (rnd_below(1000) / 1000.0);

	for (i = 0; i < nops; i++) {
		if (nlive + 2 > cap) {	/* a partial free adds a block */
			cap *= 2;
			live = realloc(live, cap * sizeof(*live));
			if (!live) {
				perror("realloc");
				exit(2);
			}
		}
		n = U->chunks(st.pu, c, MAX_CHUNKS);
		max_bits = 0;
		for (k = 0; k < n; k++)
			if (c[k].nbits > max_bits)
				max_bits = c[k].nbits;
		if (max_bits > gs.max_bits)
			gs.max_bits = max_bits;
		fill = st.total_bits ? (double)used / st.total_bits : 1;
		if (fill > gs.max_fill)
			gs.max_fill = fill;
		if (i % 2000 == 1999)	/* wander: sparse, half, nearly full */
			target = 0.2 + 0.79 * (rnd_below(1000) / 1000.0);
		if (i % 10000 == 5999)	/* and always one nearly full phase */
			target = 0.95 + 0.049 * (rnd_below(1000) / 1000.0);

		if (chance(2) && st.nchunks < MAX_CHUNKS) {
			gen_add(&st, &op, false);
		} else if (chance(20)) {
			memset(&op, 0, sizeof(op));
			op.type = OP_ALGO;
			op.algo = rnd_below(SIDE_NR_ALGOS);
			op.a = rnd_below(n);
			op.c = chance(700) ? 0 : rnd_below(c[op.a].nbits + 2);
			op.nr = pick_nbits(c[op.a].nbits);
			op.b = op.algo == SIDE_FIRST_FIT_ALIGN ? pick_align(&st) :
			       op.algo == SIDE_FIXED ? pick_fixed(&st) : 0;
			gs.algo_calls++;
		} else if (chance(5)) {
			memset(&op, 0, sizeof(op));
			op.type = OP_QUERY;
			k = rnd_below(n);
			op.a = c[k].start_addr + rnd_below(c[k].end_addr -
							   c[k].start_addr + 1);
			op.b = rnd_range(1, 1UL << (st.order + 4));
			if (chance(100))	/* just before the chunk */
				op.a = c[k].start_addr - rnd_range(1, 64);
			else if (chance(100))	/* at or after its end */
				op.a = c[k].end_addr + 1 - rnd_below(4);
		} else if (nlive && chance(3)) {
			gen_free_merged(&st, &op, live, &nlive,
					rnd_below(nlive));
			gs.frees++;
			gs.merged++;
		} else if (nlive && (fill > target ? chance(750) : chance(150))) {
			gen_free(&st, &op, live, &nlive, rnd_below(nlive), &gs);
			gs.frees++;
		} else {
			gen_alloc(&st, &cfg, &op, max_bits);
			gs.allocs++;
		}
		log_op(&op);
		__atomic_store_n(&cur_op, i, __ATOMIC_RELAXED);
		if (!run_op(&st, &op, &ro, &ru))
			goto differ;
		if (op.type == OP_FREE) {
			used -= (op.b + st.g - 1) >> st.order;
		} else if ((op.type == OP_ALLOC || op.type == OP_DEFALLOC ||
			    op.type == OP_DMA) && ro.ret) {
			live[nlive].addr = ro.ret;
			n = U->chunks(st.pu, c, MAX_CHUNKS);
			k = chunk_of(c, n, ro.ret);
			/* Our block model needs granule-aligned addresses. */
			live[nlive].addr -= (ro.ret - c[k].start_addr) &
					    (st.g - 1);
			live[nlive].nbits = (op.a + st.g - 1) >> st.order;
			live[nlive].req = op.a;
			used += live[nlive].nbits;
			nlive++;
			gs.alloc_ok++;
		}
		if (i % FULL_EVERY == FULL_EVERY - 1 && !compare_full(&st)) {
			ro = ru;
			goto differ;
		}
	}
	if (!compare_full(&st)) {
		ro = ru;
		goto differ;
	}
	free(live);
	state_fini(&st);
	if (verbose)
		fprintf(stdout,
			"ok %lu - order %d %s, %d+ chunks, largest %lu granules, %lu allocs (%lu ok), %lu frees (%lu partial), %lu direct, max fill %.0f%%\n",
			group, cfg.order,
			cfg.algo < 0 ? "mixed" : algo_names[cfg.algo],
			cfg.chunks, gs.max_bits, gs.allocs, gs.alloc_ok,
			gs.frees, gs.partial, gs.algo_calls,
			gs.max_fill * 100);
	totals[0] += gs.allocs;
	totals[1] += gs.alloc_ok;
	totals[2] += gs.frees;
	totals[3] += gs.partial;
	totals[4] += gs.algo_calls;
	totals[7] += gs.merged;
	if (gs.max_fill >= 0.9)
		totals[5]++;
	if (gs.max_bits > 1024)
		totals[6]++;
	return true;

differ:
	report(&cfg, group, oplog_len - 1, &oplog[oplog_len - 1], &ro, &ru);
	if (shrinks_done++ < MAX_SHRINKS)
		shrink_and_print(&cfg, oplog_len - 1);
	printf("  replay: difftest -s %llu -n %lu -g %lu\n",
	       (unsigned long long)run_seed, total_ops, group);
	return false;
}

int main(int argc, char **argv)
{
	unsigned long nops = 1000000, groups, g, passed = 0, failed = 0;
	long only = -1;
	bool seeded = false;
	int c;

	while ((c = getopt(argc, argv, "s:n:g:v")) != -1) {
		switch (c) {
		case 's':
			run_seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'n':
			nops = strtoul(optarg, NULL, 0);
			break;
		case 'g':
			only = strtol(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-g GROUP] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (!seeded)
		run_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	signal(SIGALRM, watchdog);
	total_ops = nops;
	groups = (nops + GROUP_OPS - 1) / GROUP_OPS;
	fprintf(stdout,
		"difftest: random seed %llu (replay with -s %llu), %lu operations in %lu sequences\n",
		(unsigned long long)run_seed, (unsigned long long)run_seed,
		nops, groups);
	fflush(stdout);

	for (g = 0; g < groups; g++) {
		if (only >= 0 && (long)g != only)
			continue;
		if (run_group(g, nops - g * GROUP_OPS < GROUP_OPS ?
				 nops - g * GROUP_OPS : GROUP_OPS))
			passed++;
		else
			failed++;
		fflush(stdout);
	}
	fprintf(stdout,
		"difftest: %lu allocations (%lu succeeded), %lu frees (%lu partial, %lu over several blocks), %lu direct strategy calls; %lu sequences reached 90%% fill, %lu had an indexed chunk\n",
		totals[0], totals[1], totals[2], totals[3], totals[7],
		totals[4], totals[5], totals[6]);
	printf("difftest: %lu passed, %lu failed (seed %llu)\n", passed,
	       failed, (unsigned long long)run_seed);
	return failed ? 1 : 0;
}
