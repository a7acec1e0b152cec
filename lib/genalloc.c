// SPDX-License-Identifier: GPL-2.0-only
/*
 * genalloc: a general-purpose allocator for special memory.
 *
 * Glossary of names used throughout this file:
 *
 *  @pool:	a struct gen_pool, a list of chunks sharing one granule size
 *  @chunk:	a struct gen_pool_chunk, one contiguous address range
 *  @order:	pool->min_alloc_order; a granule is 1 << @order bytes
 *  @addr:	an address inside a chunk (virtual, or any number the
 *		caller uses as a handle)
 *  @bit:	a granule's index in its chunk's bitmap
 *  @nbits:	a number of granules
 *  @nr:	a number of granules as passed to a strategy (unsigned int)
 *  @node:	one word of a chunk's search index
 */

/**
 * DOC: genalloc design
 *
 * A pool is a list of chunks.  Each chunk describes one contiguous range
 * of addresses and carries a bitmap with one bit per granule, set while the
 * granule is allocated.  A tail smaller than a granule is never handed out.
 * Allocation picks a run of clear bits with a strategy (first fit, best
 * fit, aligned or fixed variants, or a caller-supplied function) and
 * claims it; free clears the bits again.  The allocator does not remember
 * where blocks begin: the caller passes the size back to
 * gen_pool_free_owner().
 *
 * Concurrency.  Allocation and free take no lock.  A run is claimed one
 * bitmap word at a time with a compare-and-exchange that fails if any of
 * the wanted bits is already set; on such a conflict the words claimed so
 * far are released and the search resumes from the contested bit.  Free
 * checks that every bit of the range is set before it clears anything
 * (the compare-and-exchange itself checks a range within one word), then
 * clears word by word the same way.  The chunk list is published with
 * RCU: gen_pool_add_owner() inserts at the head under @pool->lock, the only
 * use of that lock, and every reader walks the list under rcu_read_lock().
 * Nothing ever removes a chunk except gen_pool_destroy(), which requires
 * that the pool has no other users.  Each chunk's @avail counter is updated
 * after its bitmap and is only a hint for skipping full chunks.  Hence
 * gen_pool_alloc*(), gen_pool_free*(), gen_pool_dma_*alloc*(),
 * gen_pool_virt_to_phys(), gen_pool_has_addr(), gen_pool_avail(),
 * gen_pool_size() and gen_pool_for_each_chunk() may be called from any
 * context, NMI included on architectures that select
 * CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG.  gen_pool_create(), adding memory,
 * gen_pool_destroy() and devm_gen_pool_create() allocate or free memory
 * and may sleep.
 *
 * Search index.  A chunk of more than %GENPOOL_INDEX_MIN_BITS granules also
 * carries an index, in one of three forms.  On 64-bit a chunk starts with
 * reach hints, which serve plain first fit: for each 128 bits of the
 * bitmap, one byte bounds the longest free run that starts at one of
 * those bits, measured to its end further on and saturated at 127;
 * above them each byte is the largest of eight below it, up to a level
 * of at most thirty-two words.  A word of the index holds eight hints,
 * so one subtraction and a mask find the hints that reach a request's
 * length.
 * The first time an aligned first fit searches the chunk, the chunk
 * switches for good to the summary tree described next, which serves
 * every built-in strategy; the first time best fit does, it switches for
 * good to length masks (below), which serve best fit only, the other
 * strategies then scanning the plain bitmap.  Either way the reach hints
 * are no longer kept; on 32-bit there is only the tree.  The tree's
 * leaves each summarise %GENPOOL_LEAF_BITS bits of the bitmap and its
 * inner nodes %GENPOOL_FANOUT children.  A node is one word.  It is
 * DIRTY (nothing known), PENDING (being recomputed by one searcher,
 * nothing known to others) or a summary of its range: the free run
 * touching its left edge, the one touching its right edge, the longest
 * free run, whether it is entirely free, and an "exact" flag.  Lengths
 * saturate at a cap that means "this many or more".  A summary without the
 * exact flag is a bound: the true lengths are at most the ones stored.  An
 * exact summary also holds a mask of the lengths of the maximal free runs
 * that touch neither edge (small lengths exactly, longer ones in one
 * bucket); on 64-bit, a bound uses those bits for the longest free run
 * starting at a position aligned to 2, 4, 8 and 16 granules (in absolute
 * address terms), kept precisely once aligned requests use the chunk.
 * First fit and its aligned variants skip every node whose bounds leave no
 * room for the request; best fit needs exact nodes, recomputes the inexact
 * ones it meets, and uses the masks to find the shortest fitting run.
 * Custom strategies get the plain bitmap.
 *
 * Length masks use the tree's nodes.  Each maximal free run belongs to the
 * lowest node whose range holds all of it: a leaf, or the node where the
 * run crosses from one child into the next.  Bit L - 1 of a node's mask
 * says that a run of exactly L granules may belong to the node or to one
 * below it (the top bit stands for all longer runs), so a mask is a
 * superset of the truth.  The same word of an inner node holds a second
 * mask, of its own lengths: those of the runs below %GP_LONG_RUN that
 * belong to the node itself.  An allocation adds the lengths of the pieces
 * it leaves on either side, a free the lengths of the runs its granules
 * are part of afterwards, each to the node the run belongs to (and to its
 * own lengths) and every node above (measuring at most %GP_LONG_RUN
 * granules beyond the range: a longer run counts as long, from the lowest
 * node holding the part measured).  An allocation then recomputes, under
 * a claim, the node the run it cut belonged to (a leaf only drops that
 * length if it holds no other run of it), and each node above while that
 * length goes away (those only from their children and their own
 * lengths, which a run inside one child does not change); the next best
 * fit of that length would walk into them otherwise.  Best fit claims a
 * leaf already to search it, scans all of it, and keeps the claim over
 * its bitmap claim when the run is there, so that the leaf is scanned
 * once: the claim's token comes from the frame of the allocation, live
 * until it publishes the leaf (or gives it back unchanged if the bitmap
 * claim failed), and a writer that changes the leaf meanwhile spoils the
 * claim as it would any other.  A free measures its
 * runs in the bitmap: another CPU may claim part of its range again
 * between two of its word updates.  Best fit tries each length from the
 * request's up: it walks down in address order into the children whose
 * mask has the length and, where the node's own lengths have it, checks
 * the bitmap at each boundary between two children for a run of that
 * length crossing it; a node whose bit led nowhere is recomputed from its
 * children and those boundaries (or the bitmap) under a PENDING claim,
 * which is how bits go away.  If no length below %GP_LONG_RUN fits, or
 * the request is that long, it walks the nodes with the long bit in the
 * same way, checking every boundary, measures each long run and keeps the
 * first of the shortest that fit.  A walk over every long run (for a
 * shorter request) leaves its answer in the index, which the next such
 * request takes after checking it in the bitmap.  Writers that leave a
 * long run measure it against the answer kept and put it in its place if
 * it comes first (shorter, or as long and lower); a claim out of that very
 * run keeps its long remainder, now the shortest, or forgets the answer if
 * none is left.  An answer that has gone (its run grew, say) still bounds
 * the others, so the next walk looks after it first for a run of its
 * length, stops at the first one, and walks the part before it only if
 * there is none.  Writers that meet a PENDING node spoil it to DIRTY,
 * which promises every length.
 *
 * The index follows the bitmap without a lock, and a bound only has to
 * stay above the truth.  Allocation only shortens free runs, so every
 * bound stays true; it recomputes the leaf it took the block from when
 * that leaf's bound may now promise too much (its alignment bounds too,
 * once aligned requests use the chunk), so that the next search does not
 * scan it for nothing.  Only exact nodes above the claimed bits stop being
 * true, and they become DIRTY (an inexact node has no exact ancestor, so
 * the climb stops at the first inexact one).  Free measures the free run
 * around the cleared bits in the bitmap, as far as the leaves it touched,
 * and raises the leaves and every ancestor to cover it; exact nodes become
 * DIRTY, and where the run may go on beyond those leaves its length is
 * unknown and the ancestors are marked DIRTY too.  Only best fit keeps
 * exact nodes, and it recomputes every node that is not exact, so marking
 * them DIRTY costs it nothing; DIRTY promises nothing, so it is written
 * with a plain store, which may replace whatever another writer left,
 * where a raise is a compare-and-exchange that must not lose a concurrent
 * one.  A search that is let into a node by a bound that turns out to be
 * loose tightens it: it claims the node as PENDING with a token unique to
 * its stack frame, recomputes it from the bitmap (a leaf) or the children
 * (an inner node), and replaces its own PENDING value with the result,
 * with a compare-and-exchange that fails if a writer spoilt the claim
 * meanwhile: writers turn a PENDING node DIRTY.  Every change to the
 * bitmap and every raise is a fully ordered compare-and-exchange, and a
 * DIRTY mark is a release store after them, so either the searcher reads
 * the writer's bits (or raised child) or the writer meets the PENDING
 * value and spoils it.  Hence a node is never below the truth once the
 * operations that changed its range have returned; the bitmap, claimed by
 * compare-and-exchange, remains the only truth, and a loose bound costs
 * time, never placement.
 *
 * Reach hints follow the same rules: a hint only has to stay at or above
 * the truth, and a word of hints is recomputed under the same PENDING
 * claim.  An allocation recomputes the level-0 hints of the ranges whose
 * free runs it shortened and lowers the levels above where their largest
 * hint went down; a free measures the run it created and raises every
 * hint over it, up to the top (stopping early could lose a raise to a
 * searcher that recomputes a level from an older value below it); a
 * search that finds a range holding less than its hint promised
 * recomputes it.  The switch from the hints is the form of the index,
 * set once by compare-and-exchange, which writers read after their
 * compare-and-exchange on the bitmap; the switching searcher issues a
 * full barrier before any node, DIRTY until then, is recomputed from the
 * bitmap under a claim.  A writer that still saw the hints' form, and so
 * kept only the hints, therefore made its change before any node is
 * recomputed.  Length masks follow the rules of the tree, with adding a
 * bit for a raise.
 *
 * Placement cannot change: the search visits ranges in address order and
 * skips a range only when its bounds prove that no candidate of the
 * request can start there, and within a range it runs the same candidate
 * rules as the plain strategies.  The first candidate it accepts is
 * therefore the one a linear scan of the bitmap would have accepted.
 * With reach hints, the lowest start that fits is a clear bit whose run
 * holds the request, so the hint of its range, and of every level above,
 * is at least the request's length (or saturated); the ranges skipped
 * have lower hints and hold no such start, and within a range the starts
 * are tried from the lowest.  For best fit, the exact length masks give
 * the shortest fitting run length, and the tree is then walked in address
 * order for the first run of that length, which is what a full linear
 * scan would pick.  With length
 * masks, a length is given up only when no node's mask, or no boundary,
 * holds a run of it, and every run of it sets the bit in its node and all
 * above (and among its node's own lengths, so a boundary skipped for
 * their lack holds none); the lengths are tried from the request's up and
 * the first run of the first length found is taken, in address order (a
 * child's runs, then the one crossing into the next child, which starts
 * after them), which is again what a full scan picks.  A run crossing a
 * boundary that also reaches past its node belongs to a node above, whose
 * boundary it also crosses; every granule between the two boundaries is
 * in it, so that boundary finds it with nothing skipped in between.  Runs
 * of %GP_LONG_RUN granules or more share one bit: when no shorter length
 * fits, or the request is that long, the nodes with that bit are walked
 * in address order in the same way, every long run is measured whole in
 * the bitmap, and the first of the shortest that fit is taken, as a full
 * scan takes it (the walk stops early at one of the shortest length that
 * can fit, which none can beat).  A kept answer stays that first of the
 * shortest: a new long run that comes before it takes its place, other
 * long runs can only grow or go away, and the run itself is measured whole
 * before it is used.  Once it has gone, no long run is shorter than it was
 * and none as long lies before it, so the first run of its length after it
 * is the first of the shortest, and only if there is none does the walk
 * need the part before it.
 *
 * Caller mistakes that would corrupt a pool (freeing memory that is not
 * allocated or not in the pool, destroying a pool that still has
 * allocations, invalid sizes, orders or alignments, overlapping chunks, a
 * NULL pool) are reported once per cause with a warning whose text starts
 * with "genalloc:" and fail without changing the pool.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/genalloc.h>
#include <linux/hardirq.h>
#include <linux/log2.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <kunit/static_stub.h>
#include <kunit/visibility.h>

/* The callback type of gen_pool_for_each_chunk(), as the header spells it. */
typedef void (*gp_chunk_func_t)(struct gen_pool *pool,
				struct gen_pool_chunk *chunk, void *data);

/* Warn once per call site; every message names the allocator. */
#define genpool_warn(cond, fmt, ...) \
	WARN_ONCE(cond, "genalloc: " fmt "\n", ##__VA_ARGS__)

/* ------------------------------------------------------------------ */
/* Search index layout and node encoding                              */
/* ------------------------------------------------------------------ */

/*
 * With a fanout of eight a search checks at most eight children per level
 * instead of sixteen, over a third more levels: on a 1 GiB pool of 4 KiB
 * granules, 6% (first fit) to 18% (best fit) fewer instructions per
 * allocation in the userspace benchmark.
 */
#define GP_LEAF_SHIFT		9
#define GP_FANOUT_SHIFT		3
#define GENPOOL_LEAF_BITS	BIT(GP_LEAF_SHIFT)
#define GENPOOL_FANOUT		BIT(GP_FANOUT_SHIFT)
/* gp_mask_children() and gp_mask_have() read eight children unrolled. */
static_assert(GENPOOL_FANOUT == 8);
#define GENPOOL_INDEX_MIN_BITS	1024
/*
 * Chunks larger than this (2^38 granules on 64-bit) are searched without
 * an index, which keeps every offset of the index in an unsigned int.
 */
#define GENPOOL_INDEX_MAX_BITS	(1UL << (BITS_PER_LONG == 64 ? 38 : 31))

/*
 * Reach hints (64-bit only): one per GP_RBITS bits of the bitmap.  One
 * per 128 bits rather than per word keeps them and the tree together
 * within a quarter of the bitmap's size.
 */
#if BITS_PER_LONG == 64
#define GP_REACH		1
#else
#define GP_REACH		0
#endif
#define GP_RBITS_SHIFT		7
/*
 * The reach hints end in a level of at most this many words (four cache
 * lines), which a search reads in turn, rather than in a single word:
 * fewer levels for every search to go down, every free to raise and
 * every allocation to lower, for up to 31 more words read where first
 * fit passes a whole chunk over.  On the userspace benchmark, 16 rather
 * than 4 left a 64 MiB chunk of 4 KiB granules one level instead of two
 * (W1 102-106 -> 96-97 ns per pair; W8, whose first chunks are nearly
 * full and passed over, 134-138 -> 141-147 ns); 32 rather than 16 leaves
 * a 1 GiB chunk two levels instead of three (W2 124-125 -> 112-114 ns)
 * and a 16M-granule one four instead of five (W4 and W7 a few per cent
 * faster, less than the host's noise; 3-5% fewer instructions).
 */
#define GP_RTOP_WORDS		32

/* The forms of an index: see struct genpool_index. */
#define GP_FORM_REACH		0
#define GP_FORM_TREE		1
#define GP_FORM_MASKS		2
#define GP_RBITS		BIT(GP_RBITS_SHIFT)

/*
 * A known node, from bit 0 up: run-length mask (GP_MASK_BITS), left run,
 * right run, longest run (GP_FIELD_BITS each), the "may be entirely free"
 * flag and the "exact" flag; the top bit is clear.
 * A PENDING node has the top bit set and a token below it; the next bit
 * down is always clear, so no token equals DIRTY, which is all ones.
 */
#if BITS_PER_LONG == 64
#define GP_MASK_BITS	31
#define GP_FIELD_BITS	10
#else
#define GP_MASK_BITS	8
#define GP_FIELD_BITS	7
#endif

#define GP_CAP		((1UL << GP_FIELD_BITS) - 1)
#define GP_LF_SHIFT	GP_MASK_BITS
#define GP_RF_SHIFT	(GP_LF_SHIFT + GP_FIELD_BITS)
#define GP_MX_SHIFT	(GP_RF_SHIFT + GP_FIELD_BITS)
#define GP_FREE_BIT	(GP_MX_SHIFT + GP_FIELD_BITS)
#define GP_EXACT_BIT	(GP_FREE_BIT + 1)
#define GP_TOP		(1UL << (BITS_PER_LONG - 1))
#define GP_DIRTY	(~0UL)
#define GP_TOKEN_MASK	((1UL << (BITS_PER_LONG - 2)) - 1)

/*
 * Lengths 1 .. GP_LONG_RUN - 1 have a mask bit each; bit GP_LONG_RUN - 1
 * stands for every length of GP_LONG_RUN or more.
 */
#define GP_LONG_RUN	GP_MASK_BITS

/*
 * In an inexact node the mask bits hold, for each alignment class k
 * (1 .. GP_ALIGN_CLASSES, positions aligned to 1 << k granules of the
 * chunk's phase), a bound on the longest free run that starts at such a
 * position, cut at the node's end.  GP_ALIGN_CAP means "unknown".
 */
#if BITS_PER_LONG == 64
#define GP_ALIGN_CLASSES	4
#else
#define GP_ALIGN_CLASSES	0
#endif
#define GP_ALIGN_BITS		7
#define GP_ALIGN_CAP		((1UL << GP_ALIGN_BITS) - 1)

static_assert(BITS_PER_LONG - 1 > GP_EXACT_BIT);
static_assert(GP_ALIGN_CLASSES * GP_ALIGN_BITS <= GP_MASK_BITS);
/* The helpers that keep class maxima in registers spell out four classes. */
static_assert(GP_ALIGN_CLASSES == 0 || GP_ALIGN_CLASSES == 4);
static_assert(GP_LONG_RUN <= GP_CAP);

/**
 * struct genpool_index - search index of one chunk
 * @levels: number of levels of the summary tree; level 0 holds the
 *	    leaves, the last the root
 * @rlevels: number of levels of the reach hints (0 on 32-bit)
 * @aligned: set once an aligned request used the tree; until then the
 *	     alignment bounds are not kept precisely (the longest run is a
 *	     true, if loose, bound for each of them)
 * @phase: the chunk's start address in granules, modulo the largest
 *	   alignment class: a position p is aligned to 1 << k granules in
 *	   absolute terms when (p + @phase) is a multiple of 1 << k
 * @form: what the index keeps: GP_FORM_REACH (the reach hints, 64-bit
 *	  only) until the first best fit or aligned first fit searches the
 *	  chunk, then for good GP_FORM_MASKS (length masks in the tree's
 *	  nodes) if that was best fit, else GP_FORM_TREE (the summary tree,
 *	  always on 32-bit)
 * @long_run: with length masks, the first of the shortest free runs of
 *	      GP_LONG_RUN granules or more as the last whole walk over them
 *	      found it (start << 32 | length), 0 if not known, PENDING while
 *	      a walk that will store it runs
 * @nodes: all words of the index: the tree's, leaves first, then the
 *	   reach hints', level 0 first
 * @first: index in @nodes of the first word of each tree level, then of
 *	   each reach level, then the total number of words
 */
struct genpool_index {
	unsigned char levels;
	unsigned char rlevels;
	bool aligned;
	unsigned char phase;
	unsigned int form;
	unsigned long long_run;
	unsigned long *nodes;
	unsigned int first[];
};

static inline unsigned long *gp_node(struct genpool_index *idx,
				     unsigned int lvl, unsigned long j)
{
	return &idx->nodes[idx->first[lvl] + j];
}

/* Bytes in @chunk. */
static inline unsigned long chunk_size(const struct gen_pool_chunk *chunk)
{
	return chunk->end_addr - chunk->start_addr + 1;
}

/* Number of nodes on level @lvl of the tree. */
static inline unsigned long gp_count(const struct genpool_index *idx,
				     unsigned int lvl)
{
	return idx->first[lvl + 1] - idx->first[lvl];
}

/*
 * A decoded known node; lengths at GP_CAP mean "GP_CAP or more".  Unless
 * @exact, the lengths are upper bounds, @free means "may be entirely
 * free" and @mask means nothing.
 */
struct gp_sum {
	bool free;
	bool exact;
	unsigned long lf;
	unsigned long rf;
	unsigned long mx;
	unsigned long mask;
};

/* Is @v a summary (exact or a bound), rather than DIRTY or PENDING? */
static inline bool gp_known(unsigned long v)
{
	return !(v & GP_TOP);
}

static inline bool gp_is_exact(unsigned long v)
{
	return gp_known(v) && (v & BIT(GP_EXACT_BIT));
}

static inline unsigned long gp_cap(unsigned long len)
{
	return len < GP_CAP ? len : GP_CAP;
}

static unsigned long gp_encode(const struct gp_sum *s)
{
	return s->mask | gp_cap(s->lf) << GP_LF_SHIFT |
	       gp_cap(s->rf) << GP_RF_SHIFT | gp_cap(s->mx) << GP_MX_SHIFT |
	       (unsigned long)s->free << GP_FREE_BIT |
	       (unsigned long)s->exact << GP_EXACT_BIT;
}

static void gp_decode(unsigned long v, struct gp_sum *s)
{
	s->mask = v & ((1UL << GP_MASK_BITS) - 1);
	s->lf = (v >> GP_LF_SHIFT) & GP_CAP;
	s->rf = (v >> GP_RF_SHIFT) & GP_CAP;
	s->mx = (v >> GP_MX_SHIFT) & GP_CAP;
	s->free = (v >> GP_FREE_BIT) & 1;
	s->exact = (v >> GP_EXACT_BIT) & 1;
}

/* The length field at @shift of the known node value @v. */
static inline unsigned long gp_field(unsigned long v, unsigned int shift)
{
	return (v >> shift) & GP_CAP;
}

/* Saturating sum of two run lengths. */
static inline unsigned long gp_add(unsigned long a, unsigned long b)
{
	return gp_cap(a + b < a ? GP_CAP : a + b);
}

/* Record an interior maximal run of @len granules in @s. */
static inline void gp_add_run(struct gp_sum *s, unsigned long len)
{
	if (!len)
		return;
	s->mask |= len < GP_LONG_RUN ? BIT(len - 1) : BIT(GP_LONG_RUN - 1);
	if (len > s->mx)
		s->mx = len;
}

/* log2 of the bits a node of level @lvl spans. */
static inline unsigned int gp_span_shift(unsigned int lvl)
{
	return GP_LEAF_SHIFT + GP_FANOUT_SHIFT * lvl;
}

/* First bit and end of node @j on level @lvl of a chunk of @nbits bits. */
static inline unsigned long gp_node_start(unsigned int lvl, unsigned long j)
{
	return j << gp_span_shift(lvl);
}

static inline unsigned long gp_node_end(unsigned int lvl, unsigned long j,
					unsigned long nbits)
{
	return min(nbits, (j + 1) << gp_span_shift(lvl));
}

/* The node of level @lvl that covers bit @bit. */
static inline unsigned long gp_node_of(unsigned int lvl, unsigned long bit)
{
	return bit >> gp_span_shift(lvl);
}

/*
 * Levels of a tree with @n words at the bottom and fanout 8, up to a
 * level of at most @top words; its words are added to *@words.
 */
static unsigned int gp_levels(unsigned long n, unsigned long *words,
			      unsigned long top)
{
	unsigned int lvl = 1;

	*words += n;
	while (n > top) {
		n = DIV_ROUND_UP(n, GENPOOL_FANOUT);
		*words += n;
		lvl++;
	}
	return lvl;
}

/*
 * Record in @idx->first[@f ..] where each of the @levels levels of a
 * tree with @n words at the bottom starts, from word @first on; returns
 * the word after its last.
 */
static unsigned long gp_lay_out(struct genpool_index *idx, unsigned int f,
				unsigned int levels, unsigned long n,
				unsigned long first)
{
	for (; levels--; f++) {
		idx->first[f] = first;
		first += n;
		n = DIV_ROUND_UP(n, GENPOOL_FANOUT);
	}
	return first;
}

/*
 * Reach hints are bytes, one per GP_RBITS bits of the bitmap, eight to a
 * word of the index: level 0 has this many words.
 */
static inline unsigned long gp_reach_leaves(unsigned long nbits)
{
	return GP_REACH ? DIV_ROUND_UP(DIV_ROUND_UP(nbits, GP_RBITS), 8) : 0;
}

/* Header bytes of an index, before its nodes. */
static size_t gp_index_header(unsigned int levels, unsigned int rlevels)
{
	return ALIGN(struct_size_t(struct genpool_index, first,
				   levels + rlevels + 1), sizeof(long));
}

/* Bytes the index of a chunk with @nbits granules needs, 0 for none. */
static size_t gp_index_bytes(unsigned long nbits)
{
	unsigned long words = 0;
	unsigned int levels, rlevels = 0;

	if (nbits <= GENPOOL_INDEX_MIN_BITS || nbits > GENPOOL_INDEX_MAX_BITS)
		return 0;
	levels = gp_levels(DIV_ROUND_UP(nbits, GENPOOL_LEAF_BITS), &words, 1);
	/*
	 * Node ends are computed as (j + 1) << span: the root's span must
	 * fit in a long (on 32-bit, chunks of more than 2^30 granules are
	 * searched without an index).
	 */
	if (gp_span_shift(levels - 1) >= BITS_PER_LONG)
		return 0;
	if (GP_REACH)
		rlevels = gp_levels(gp_reach_leaves(nbits), &words,
				    GP_RTOP_WORDS);
	return gp_index_header(levels, rlevels) + words * sizeof(long);
}

static void gp_reach_init(struct genpool_index *idx, unsigned long nbits);

/* Lay out an index of @nbits granules in zeroed memory at @idx. */
static void gp_index_init(struct genpool_index *idx, unsigned long nbits,
			  unsigned long start_addr, int order)
{
	unsigned long leaves = DIV_ROUND_UP(nbits, GENPOOL_LEAF_BITS);
	unsigned long rleaves = gp_reach_leaves(nbits), words = 0;
	unsigned int levels = gp_levels(leaves, &words, 1);
	unsigned int rlevels = GP_REACH ?
				 gp_levels(rleaves, &words, GP_RTOP_WORDS) : 0;
	unsigned long first;

	idx->levels = levels;
	idx->rlevels = rlevels;
	idx->form = GP_REACH ? GP_FORM_REACH : GP_FORM_TREE;
	idx->phase = (start_addr >> order) & (BIT(GP_ALIGN_CLASSES) - 1);
	idx->nodes = (void *)idx + gp_index_header(levels, rlevels);
	first = gp_lay_out(idx, 0, levels, leaves, 0);
	/* Every tree node starts DIRTY. */
	memset(idx->nodes, 0xff, first * sizeof(unsigned long));
	idx->first[levels + rlevels] = gp_lay_out(idx, levels, rlevels,
						  rleaves, first);
	if (rlevels)
		gp_reach_init(idx, nbits);
}

/* ------------------------------------------------------------------ */
/* Keeping the index                                                  */
/* ------------------------------------------------------------------ */

/* The alignment bound of class @k (1 .. GP_ALIGN_CLASSES) in @mask. */
static inline unsigned long gp_al(unsigned long mask, unsigned int k)
{
	return (mask >> ((k - 1) * GP_ALIGN_BITS)) & GP_ALIGN_CAP;
}

static inline unsigned long gp_al_set(unsigned long mask, unsigned int k,
				      unsigned long len)
{
	unsigned int shift = (k - 1) * GP_ALIGN_BITS;

	len = min(len, GP_ALIGN_CAP);
	return (mask & ~(GP_ALIGN_CAP << shift)) | len << shift;
}

static inline unsigned long gp_al_max(unsigned long mask, unsigned int k,
				      unsigned long len)
{
	return gp_al(mask, k) < min(len, GP_ALIGN_CAP) ?
	       gp_al_set(mask, k, len) : mask;
}

/* The class by class maximum of two sets of alignment bounds. */
static inline unsigned long gp_al_union(unsigned long a, unsigned long b)
{
#if GP_ALIGN_CLASSES == 4 && GP_ALIGN_BITS == 7
	/*
	 * Classes 1 and 3, then 2 and 4, two at a time: each field has a
	 * free bit above it to borrow from, which survives a - b exactly
	 * where a's field is not below b's.
	 */
	const unsigned long lanes = GP_ALIGN_CAP | GP_ALIGN_CAP << 14;
	const unsigned long guard = BIT(7) | BIT(21);
	unsigned long r = 0;
	unsigned int half;

	for (half = 0; half < 2; half++) {
		unsigned long x = (a >> (7 * half)) & lanes;
		unsigned long y = (b >> (7 * half)) & lanes;
		unsigned long m = ((((x | guard) - y) & guard) >> 7) *
				  GP_ALIGN_CAP;

		r |= ((x & m) | (y & ~m & lanes)) << (7 * half);
	}
	return r;
#else
	unsigned int k;

	for (k = 1; k <= GP_ALIGN_CLASSES; k++)
		a = gp_al_max(a, k, gp_al(b, k));
	return a;
#endif
}

/* Alignment bounds that say no more than "at most @len" for every class. */
static inline unsigned long gp_al_all(unsigned long len)
{
	unsigned long mask = 0;
	unsigned int k;

	len = min(len, GP_ALIGN_CAP);
	for (k = 0; k < GP_ALIGN_CLASSES; k++)
		mask |= len << (k * GP_ALIGN_BITS);
	return mask;
}

/* First position >= @p aligned to class @k. */
static inline unsigned long gp_al_pos(const struct genpool_index *idx,
				      unsigned long p, unsigned int k)
{
	return p + (-(p + idx->phase) & (BIT(k) - 1));
}

/*
 * The alignment bounds of a free run of bits [@p0, @p1) that count only
 * the aligned positions before @lim: for each class, what is left of the
 * run from its first aligned position, if that is below @lim.  A larger
 * class never starts earlier than a smaller one.
 */
static inline unsigned long gp_al_starts(const struct genpool_index *idx,
					 unsigned long p0, unsigned long lim,
					 unsigned long p1)
{
	unsigned long mask = 0;
	unsigned int k;

	for (k = 1; k <= GP_ALIGN_CLASSES; k++) {
		unsigned long p = gp_al_pos(idx, p0, k);

		if (p >= lim)
			break;
		mask |= min(p1 - p, GP_ALIGN_CAP) << ((k - 1) * GP_ALIGN_BITS);
	}
	return mask;
}

/*
 * While a node is recomputed, @m[k - 1] holds the longest free run seen
 * from a position of alignment class k.  The four classes are spelt out
 * below, so that the compiler keeps the maxima in registers.
 */

/* Raise each @m[k - 1] to @len less the low k bits of @skip. */
static __always_inline void gp_al_max_from(long *m, unsigned long skip,
					   long len)
{
	if (!GP_ALIGN_CLASSES)
		return;
	m[0] = max(m[0], len - (long)(skip & 1));
	m[1] = max(m[1], len - (long)(skip & 3));
	m[2] = max(m[2], len - (long)(skip & 7));
	m[3] = max(m[3], len - (long)(skip & 15));
}

/* Raise the maxima with a free run of @len granules from bit @rs. */
static __always_inline void gp_al_note(const struct genpool_index *idx,
				       long *m, unsigned long rs,
				       unsigned long len)
{
	/* Low bits: the distance to the next position of each class. */
	gp_al_max_from(m, -(rs + idx->phase), len);
}

/* Raise the maxima to the alignment bounds @al of a child. */
static __always_inline void gp_al_max_of(long *m, unsigned long al)
{
	if (!GP_ALIGN_CLASSES)
		return;
	m[0] = max_t(long, m[0], gp_al(al, 1));
	m[1] = max_t(long, m[1], gp_al(al, 2));
	m[2] = max_t(long, m[2], gp_al(al, 3));
	m[3] = max_t(long, m[3], gp_al(al, 4));
}

/* The maxima as alignment bounds, saturated. */
static __always_inline unsigned long gp_al_pack(const long *m)
{
	if (!GP_ALIGN_CLASSES)
		return 0;
	return gp_al_set(gp_al_set(gp_al_set(gp_al_set(0, 1, m[0]), 2, m[1]),
				   3, m[2]), 4, m[3]);
}

/* The alignment bounds of a lone free run of bits [@p0, @p1). */
static inline unsigned long gp_al_run(const struct genpool_index *idx,
				      unsigned long p0, unsigned long p1)
{
	long m[4] = { 0 };

	gp_al_note(idx, m, p0, p1 - p0);
	return gp_al_pack(m);
}

/*
 * Raise the alignment bounds in @mask for a free run of (a bound of)
 * @cur granules that ends at bit @edge and goes on for (a bound of) @ext
 * granules past it: from its first aligned position before @edge.
 */
static unsigned long gp_al_cross(const struct genpool_index *idx,
				 unsigned long mask, unsigned long edge,
				 unsigned long cur, unsigned long ext)
{
	if (!cur)
		return mask;
	if (cur >= GP_CAP)
		return gp_al_all(GP_ALIGN_CAP);	/* nothing is above it */
	return gp_al_union(mask, gp_al_starts(idx, edge - cur, edge,
					      edge + ext));
}

/*
 * Drop the exact flag of *@node after an allocation below it.  Exact
 * nodes are only kept for best fit, which recomputes every node that is
 * not exact, so the node is simply marked DIRTY: a plain store, since
 * DIRTY claims nothing and may replace whatever another writer left.  A
 * PENDING node is spoilt the same way: its owner may be computing a
 * summary from the bitmap as it was before the allocation.  Returns true
 * if the node was exact, so that its parent may be exact too, or PENDING,
 * since its owner may be a best-fit search about to publish exact
 * summaries of the ancestors from it.
 */
static bool gp_drop_exact(unsigned long *node)
{
	unsigned long v = READ_ONCE(*node);

	if (v == GP_DIRTY || (gp_known(v) && !gp_is_exact(v)))
		return false;
	/* Ordered after the bitmap and the level below. */
	smp_store_release(node, GP_DIRTY);
	return true;
}

/*
 * Bits [@start, @start + @nbits) have just been claimed.  Taking bits
 * only shortens free runs, so every bound stays true; only exact nodes
 * over the range stop being exact.  An inexact node has no exact
 * ancestor, so the climb stops at the first node that was neither exact
 * nor PENDING.
 */
static void gp_note_alloc(struct gen_pool_chunk *chunk, unsigned long start,
			  unsigned long nbits)
{
	struct genpool_index *idx = chunk->index;
	unsigned long first, last, j;
	unsigned int lvl;

	first = gp_node_of(0, start);
	last = gp_node_of(0, start + nbits - 1);
	for (lvl = 0; lvl < idx->levels; lvl++) {
		bool climb = false;

		for (j = first; j <= last; j++)
			climb |= gp_drop_exact(gp_node(idx, lvl, j));
		if (!climb)
			break;
		first /= GENPOOL_FANOUT;
		last /= GENPOOL_FANOUT;
	}
}

/* gp_run_start() past its first word: word by word down from @pos. */
static unsigned long gp_run_scan(const unsigned long *map, unsigned long pos,
				 unsigned long lo)
{
	while (pos > lo) {
		unsigned long w = BIT_WORD(pos - 1);
		unsigned long used = READ_ONCE(map[w]) &
				     BITMAP_LAST_WORD_MASK(pos);

		if (used)
			return max(lo, w * BITS_PER_LONG + __fls(used) + 1);
		pos = w * BITS_PER_LONG;
	}
	return lo;
}

/*
 * Lowest bit >= @lo such that bits [it, @pos) of @map are all clear.
 * This and gp_run_end() look at the whole word next to @pos rather than
 * at the neighbouring bit first: whether a block's neighbour is free is a
 * coin toss for the branch predictor, whether its run ends inside that
 * word mostly is not (measured on W1, 3 ns per free).
 */
static inline unsigned long gp_run_start(const unsigned long *map,
					 unsigned long pos, unsigned long lo)
{
	unsigned long w, used;

	if (pos <= lo)
		return lo;
	w = BIT_WORD(pos - 1);
	used = READ_ONCE(map[w]) & BITMAP_LAST_WORD_MASK(pos);
	if (likely(used))
		return max(lo, w * BITS_PER_LONG + __fls(used) + 1);
	return gp_run_scan(map, w * BITS_PER_LONG, lo);
}

/* First set bit of @map in [@pos, @hi), or @hi. */
static inline unsigned long gp_run_end(const unsigned long *map,
				       unsigned long pos, unsigned long hi)
{
	unsigned long w, used;

	if (pos >= hi)
		return hi;
	w = BIT_WORD(pos);
	used = READ_ONCE(map[w]) & BITMAP_FIRST_WORD_MASK(pos);
	if (likely(used))
		return min(hi, w * BITS_PER_LONG + __ffs(used));
	return find_next_bit(map, hi, (w + 1) * BITS_PER_LONG);
}

/*
 * Make the bound in *@node cover a free run of @len granules inside its
 * range, touching its left edge if @left and its right edge if @right;
 * @runal holds the run's own alignment bounds if @aligned; otherwise they
 * are not kept precisely, and every class bound follows the longest run.
 * An exact node becomes DIRTY (see gp_drop_exact()), and so does a
 * PENDING one: its owner may have read the bitmap before the run was
 * freed.
 */
static __always_inline void gp_raise(unsigned long *node, unsigned long len,
				     bool aligned, unsigned long runal,
				     bool left, bool right)
{
	unsigned long v = READ_ONCE(*node), nv;
	unsigned long c = gp_cap(len), al;

	do {
		if (v == GP_DIRTY)
			return;
		if (!gp_known(v) || gp_is_exact(v)) {
			/* As in gp_drop_exact(). */
			smp_store_release(node, GP_DIRTY);
			return;
		}
		nv = v;
		if (((v >> GP_MX_SHIFT) & GP_CAP) < c) {
			nv = (nv & ~(GP_CAP << GP_MX_SHIFT)) | c << GP_MX_SHIFT;
			if (!aligned)
				nv = (nv & ~(BIT(GP_MASK_BITS) - 1)) |
				     gp_al_all(c);
		}
		if (left && ((v >> GP_LF_SHIFT) & GP_CAP) < c)
			nv = (nv & ~(GP_CAP << GP_LF_SHIFT)) | c << GP_LF_SHIFT;
		if (right && ((v >> GP_RF_SHIFT) & GP_CAP) < c)
			nv = (nv & ~(GP_CAP << GP_RF_SHIFT)) | c << GP_RF_SHIFT;
		if (left && right)
			nv |= BIT(GP_FREE_BIT);
		if (aligned) {
			al = nv & (BIT(GP_MASK_BITS) - 1);
			nv ^= al ^ gp_al_union(al, runal);
		}
		if (nv == v)
			return;
	} while (!try_cmpxchg(node, &v, nv));
}

/*
 * Bits [@start, @start + @nbits) have just been cleared.  The free run
 * holding them is measured in the bitmap, as far as the leaves holding
 * the range reach, and every node over it is raised to cover it.  If the
 * run may go on past those leaves, its length inside their ancestors is
 * not known and they are marked DIRTY instead.
 *
 * Each successful compare-and-exchange is a full barrier, and so is the
 * one that changed the bitmap: a searcher that claims a node as PENDING
 * before reading the bitmap or the node's children either reads this
 * change or has its node spoilt here (see gp_claim()).
 */
static void gp_note_free(struct gen_pool_chunk *chunk, unsigned long start,
			 unsigned long nbits)
{
	struct genpool_index *idx = chunk->index;
	unsigned long lo, hi, rs, re, j;
	unsigned int lvl;
	bool known, aligned;

	lo = gp_node_start(0, gp_node_of(0, start));
	hi = gp_node_end(0, gp_node_of(0, start + nbits - 1), chunk->nbits);
	rs = gp_run_start(chunk->bits, start, lo);
	re = gp_run_end(chunk->bits, start + nbits, hi);
	known = !(rs == lo && lo) && !(re == hi && hi < chunk->nbits);

	aligned = READ_ONCE(idx->aligned);
	if (rs > lo && re < hi && gp_node_of(0, rs) == gp_node_of(0, re - 1)) {
		/* The common case: one run inside one leaf, at every level. */
		unsigned long runal = aligned ? gp_al_run(idx, rs, re) : 0;

		j = gp_node_of(0, rs);
		for (lvl = 0; lvl < idx->levels; lvl++, j >>= GP_FANOUT_SHIFT)
			gp_raise(gp_node(idx, lvl, j), re - rs, aligned, runal,
				 false, false);
		return;
	}
	for (lvl = 0; lvl < idx->levels; lvl++) {
		unsigned long last = gp_node_of(lvl, re - 1);

		for (j = gp_node_of(lvl, rs); j <= last; j++) {
			unsigned long *node = gp_node(idx, lvl, j);
			unsigned long a = gp_node_start(lvl, j);
			unsigned long b = gp_node_end(lvl, j, chunk->nbits);
			unsigned long p0 = max(rs, a), p1 = min(re, b);

			if (lvl && !known) {
				/* Ordered after the level below it. */
				smp_store_release(node, GP_DIRTY);
			} else {
				gp_raise(node, p1 - p0, aligned, aligned ?
					 gp_al_run(idx, p0, p1) : 0,
					 p0 == a, p1 == b);
			}
		}
	}
}

/* The PENDING value a recomputation with @token stores while it works. */
static inline unsigned long gp_pending(unsigned long token)
{
	return GP_TOP | (token & GP_TOKEN_MASK);
}

/*
 * Try to take the right to recompute a node last seen as @old, which
 * must be DIRTY or an inexact bound.  Returns the PENDING value now
 * stored, or 0 if the node changed meanwhile or may not be claimed.
 * Writers spoil a PENDING node (gp_raise(), gp_drop_exact(), DIRTY
 * marks), so its owner can publish only if nothing changed below it
 * while it read the bitmap or the children.  The compare-and-exchange is
 * a full barrier, which pairs with the writers' own.
 */
static unsigned long gp_claim(unsigned long *node, unsigned long old,
			      unsigned long token)
{
	unsigned long pending = gp_pending(token);

	if (old != GP_DIRTY && (!gp_known(old) || gp_is_exact(old)))
		return 0;
	return try_cmpxchg(node, &old, pending) ? pending : 0;
}

/* Publish a recomputed node unless a writer spoilt it meanwhile. */
static void gp_publish(unsigned long *node, unsigned long pending,
		       const struct gp_sum *s)
{
	if (pending)
		cmpxchg(node, pending, gp_encode(s));
}

/*
 * Give up a PENDING node, putting back the value it was claimed from,
 * which is still true if no writer spoilt the claim.
 */
static void gp_release(unsigned long *node, unsigned long pending,
		       unsigned long old)
{
	if (pending)
		cmpxchg(node, pending, old);
}

/*
 * The edge runs and the longest run of bits [@a, @b) of @map, @a being
 * word-aligned, without the length mask: an inexact but tight summary
 * that costs a few operations per word.
 */
static void gp_leaf_bound(const unsigned long *map, unsigned long a,
			  unsigned long b, struct gp_sum *s)
{
	unsigned long base, cur = 0, lf = 0, mx = 0;
	bool first = true;

	for (base = a; base < b; base += BITS_PER_LONG) {
		unsigned long used = READ_ONCE(map[BIT_WORD(base)]);
		unsigned long nb = min(b - base, BITS_PER_LONG), inner, len;

		if (nb < BITS_PER_LONG)
			used &= BITMAP_LAST_WORD_MASK(nb);
		if (!used) {
			cur += nb;
			continue;
		}
		cur += __ffs(used);
		if (first)
			lf = cur;
		first = false;
		mx = max(mx, cur);
		/* Clear bits between the first and the last set bit. */
		inner = ~used & (~0UL >> (BITS_PER_LONG - 1 - __fls(used)));
		if (inner) {
			for (len = 0; inner; len++)
				inner &= inner >> 1;
			mx = max(mx, len);
		}
		cur = nb - 1 - __fls(used);
	}
	s->free = first;
	s->exact = false;
	s->lf = gp_cap(first ? cur : lf);
	s->rf = gp_cap(cur);
	s->mx = gp_cap(max(mx, cur));
	s->mask = gp_al_all(s->mx);
}

/*
 * Limit the alignment bounds of @s to those of @old, the value the node
 * held before, which remain true if nothing was freed below it since.
 */
static void gp_al_keep(const struct genpool_index *idx, struct gp_sum *s,
		       unsigned long old)
{
	unsigned long al = old & (BIT(GP_MASK_BITS) - 1);
	unsigned int k;

	if (!gp_known(old) || gp_is_exact(old))
		return;
	if (!READ_ONCE(idx->aligned))
		return;
	for (k = 1; k <= GP_ALIGN_CLASSES; k++)
		if (gp_al(al, k) < gp_al(s->mask, k))
			s->mask = gp_al_set(s->mask, k, gp_al(al, k));
}

/* The state of a walk over the free runs of a leaf: see gp_leaf_walk(). */
struct gp_walk {
	const struct genpool_index *idx;
	unsigned long lf;	/* the run at the left edge, once closed */
	unsigned long mx;	/* the longest run closed so far */
	unsigned long mask;	/* lengths of the inner runs, if exact */
	bool first;		/* no allocated bit met yet */
	long m[4];		/* if not exact: see gp_al_max_from() */
};

/* A free run of @len granules from bit @rs ended before the leaf's end. */
static __always_inline void gp_walk_close(struct gp_walk *w, unsigned long rs,
					  unsigned long len, bool exact)
{
	if (w->first)
		w->lf = len;
	else if (exact)
		w->mask |= BIT(min(len, GP_LONG_RUN) - 1);
	w->first = false;
	w->mx = max(w->mx, len);
	/* The largest class has the lowest maximum: see gp_leaf_walk(). */
	if (!exact &&
	    (long)len > w->m[GP_ALIGN_CLASSES ? GP_ALIGN_CLASSES - 1 : 0])
		gp_al_note(w->idx, w->m, rs, len);
}

/*
 * Summarise bits [@a, @b) of @map, @a being word-aligned: exactly if
 * @exact, else as a tight bound with exact alignment bounds cut at @b
 * (which needs @idx for the chunk's phase).  The free runs of a word are
 * found from its run starts (a clear bit above a set one) and run ends
 * (a clear bit below a set one), paired off lowest first; the run at the
 * word's bottom continues the one from the word below and the one at its
 * top goes on into the next.  For the alignment bounds each class keeps
 * its own maximum.  The first position of a class in a run never comes
 * earlier for a larger class, so the largest class has the lowest
 * maximum, and a run no longer than that cannot raise any.
 */
static __always_inline void gp_leaf_walk(const struct genpool_index *idx,
					 const unsigned long *map,
					 unsigned long a, unsigned long b,
					 struct gp_sum *s, bool exact)
{
	struct gp_walk w = { .idx = idx, .first = true };
	unsigned long base, rs = a, cur = 0;

	for (base = a; base < b; base += BITS_PER_LONG) {
		unsigned long f = ~READ_ONCE(map[BIT_WORD(base)]);
		unsigned long nb = min(b - base, BITS_PER_LONG), top = nb - 1;
		unsigned long starts, ends, st, e;

		if (nb < BITS_PER_LONG)
			f &= BIT(nb) - 1;
		starts = f & ~(f << 1);
		ends = f & ~(f >> 1);
		if (f & 1) {
			/* The run at the bottom goes on from the word below. */
			e = __ffs(ends);
			if (!cur)
				rs = base;
			cur += e + 1;
			if (e == top)
				continue;
			gp_walk_close(&w, rs, cur, exact);
			cur = 0;
			starts &= starts - 1;
			ends &= ends - 1;
		} else if (cur) {
			gp_walk_close(&w, rs, cur, exact);
			cur = 0;
		} else {
			w.first = false;
		}
		while (starts) {
			st = __ffs(starts);
			e = __ffs(ends);
			starts &= starts - 1;
			ends &= ends - 1;
			if (e == top) {
				rs = base + st;
				cur = e + 1 - st;
				break;
			}
			gp_walk_close(&w, base + st, e + 1 - st, exact);
		}
	}
	if (cur && !exact)
		gp_al_note(idx, w.m, rs, cur);
	s->free = w.first;
	s->exact = exact;
	s->lf = gp_cap(w.first ? cur : w.lf);
	s->rf = gp_cap(cur);
	s->mx = gp_cap(max(w.mx, cur));
	s->mask = exact ? w.mask : gp_al_pack(w.m);
}

/*
 * The exact summary of bits [@a, @b) of @map, @a being word-aligned: edge
 * runs, longest run and the mask of the lengths of the other runs.
 */
static void gp_leaf_summary(const unsigned long *map, unsigned long a,
			    unsigned long b, struct gp_sum *s)
{
	gp_leaf_walk(NULL, map, a, b, s, true);
}

/*
 * A tight bound for bits [@a, @b) of @map, @a being word-aligned, as
 * gp_leaf_bound() computes it, with exact alignment bounds cut at @b.
 */
static void gp_leaf_tight(const struct genpool_index *idx,
			  const unsigned long *map, unsigned long a,
			  unsigned long b, struct gp_sum *s)
{
	gp_leaf_walk(idx, map, a, b, s, false);
}

/* Exact alignment bounds of bits [@a, @b) of @map, cut at @b. */
static unsigned long gp_range_al(const struct genpool_index *idx,
				 const unsigned long *map, unsigned long a,
				 unsigned long b)
{
	struct gp_sum s;

	gp_leaf_tight(idx, map, a, b, &s);
	return s.mask;
}

/*
 * Fold the summary @c of the next child, covering @bits granules, into
 * the summary @s of its parent.  @cur carries the free run that reaches
 * the current boundary from the left; @seen records whether a child that
 * is not entirely free has been met.  Folding bounds gives a bound.
 */
static inline void gp_fold(struct gp_sum *s, const struct gp_sum *c,
			   unsigned long bits, unsigned long *cur, bool *seen)
{
	s->exact &= c->exact;
	if (c->free) {
		*cur = gp_add(*cur, bits);
		return;
	}
	if (!*seen)
		s->lf = gp_add(*cur, c->lf);
	else
		gp_add_run(s, gp_add(*cur, c->lf));
	*seen = true;
	s->mask |= c->mask;
	s->mx = max(s->mx, c->mx);
	*cur = c->rf;
}

static void gp_fold_start(struct gp_sum *s)
{
	memset(s, 0, sizeof(*s));
	s->exact = true;
}

static void gp_fold_end(struct gp_sum *s, unsigned long cur, bool seen)
{
	s->free = !seen;
	if (!seen)
		s->lf = cur;
	s->rf = cur;
	s->mx = max3(s->mx, s->lf, s->rf);
}

/*
 * @mk raised for a run of @cur granules before an edge and @ext after it
 * whose first position of the class lies @d granules into the run, if
 * that is before the edge.
 */
static __always_inline long gp_al_cross1(long mk, unsigned long d,
					 unsigned long cur, unsigned long ext)
{
	return d < cur ? max_t(long, mk, cur + ext - d) : mk;
}

/*
 * Raise the maxima with a free run of (a bound of) @cur granules that
 * ends at bit @edge and goes on for (a bound of) @ext granules past it:
 * from its first position of each class before @edge, as gp_al_cross()
 * does.
 */
static __always_inline void gp_al_note_cross(const struct genpool_index *idx,
					     long *m, unsigned long edge,
					     unsigned long cur,
					     unsigned long ext)
{
	unsigned long skip = -(edge - cur + idx->phase);

	if (!GP_ALIGN_CLASSES || !cur)
		return;
	if (cur >= GP_CAP) {
		m[0] = GP_ALIGN_CAP;
		m[1] = GP_ALIGN_CAP;
		m[2] = GP_ALIGN_CAP;
		m[3] = GP_ALIGN_CAP;
		return;
	}
	m[0] = gp_al_cross1(m[0], skip & 1, cur, ext);
	m[1] = gp_al_cross1(m[1], skip & 3, cur, ext);
	m[2] = gp_al_cross1(m[2], skip & 7, cur, ext);
	m[3] = gp_al_cross1(m[3], skip & 15, cur, ext);
}

/*
 * Fold the stored values @cv[0 .. @n) of the children of node @j on
 * level @lvl into @s without decoding them, when none may be entirely
 * free (false, and @s untouched, otherwise): the run between two
 * children is then the right run of one plus the left run of the next.
 * If @exact, the children are exact and so is @s, with the mask of the
 * lengths of its inner runs: what gp_fold() computes in that case.
 * Otherwise they must all be known bounds, and @s is one, with the
 * alignment bounds (if @precise) kept one class per register, as in
 * gp_leaf_walk(), instead of being unpacked and merged for each child:
 * what gp_fold_values() computes in that case.
 */
static __always_inline bool gp_fold_words(const struct gen_pool_chunk *chunk,
					  unsigned int lvl, unsigned long j,
					  const unsigned long *cv,
					  unsigned int n, bool exact,
					  bool precise, struct gp_sum *s)
{
	unsigned long any = 0, mask = 0, mx = 0, cur, ext, edge;
	unsigned long bad = BIT(GP_FREE_BIT);
	unsigned int i;
	long m[4] = { 0 };

	if (!exact)
		bad |= GP_TOP | BIT(GP_EXACT_BIT);
	for (i = 0; i < n; i++) {
		any |= cv[i];
		mx = max(mx, gp_field(cv[i], GP_MX_SHIFT));
		if (!exact && precise)
			gp_al_max_of(m, cv[i]);
	}
	if (any & bad)
		return false;
	if (exact)
		mask = any & (BIT(GP_MASK_BITS) - 1);
	for (i = 1; i < n; i++) {
		cur = gp_field(cv[i - 1], GP_RF_SHIFT);
		ext = gp_field(cv[i], GP_LF_SHIFT);
		if (!cur && !ext)
			continue;
		mx = max(mx, cur + ext);
		if (exact) {
			mask |= BIT(min(cur + ext, GP_LONG_RUN) - 1);
		} else if (precise) {
			edge = gp_node_start(lvl - 1, j * GENPOOL_FANOUT + i);
			gp_al_note_cross(chunk->index, m, edge, cur, ext);
		}
	}
	s->free = false;
	s->exact = exact;
	s->lf = gp_field(cv[0], GP_LF_SHIFT);
	s->rf = gp_field(cv[n - 1], GP_RF_SHIFT);
	s->mx = gp_cap(max3(mx, s->lf, s->rf));
	if (exact) {
		s->mask = mask;
	} else if (!precise) {
		s->mask = gp_al_all(s->mx);
	} else {
		gp_al_note_cross(chunk->index, m,
				 gp_node_end(lvl, j, chunk->nbits), s->rf, 0);
		s->mask = gp_al_pack(m);
	}
	return true;
}

/* gp_fold_words() for the bounds gp_fold_children() folds. */
static bool gp_fold_bounds_packed(const struct gen_pool_chunk *chunk,
				  unsigned int lvl, unsigned long j,
				  const unsigned long *cv, unsigned int n,
				  bool precise, struct gp_sum *s)
{
	return gp_fold_words(chunk, lvl, j, cv, n, false, precise, s);
}

/* gp_fold_words() for the exact children gp_summary() folds. */
static bool gp_fold_packed(const unsigned long *cv, unsigned int n,
			   struct gp_sum *s)
{
	return gp_fold_words(NULL, 0, 0, cv, n, true, false, s);
}

/*
 * Fold the values @cv[0 .. @n) of the children of node @j on level @lvl
 * (> 0) one by one.  False if one of them is not known.
 */
static bool gp_fold_values(const struct gen_pool_chunk *chunk,
			   unsigned int lvl, unsigned long j,
			   const unsigned long *cv, unsigned int n,
			   bool precise, struct gp_sum *s)
{
	const struct genpool_index *idx = chunk->index;
	unsigned long c = j * GENPOOL_FANOUT, cur = 0, al = 0;
	unsigned int i;
	bool seen = false;

	gp_fold_start(s);
	for (i = 0; i < n; i++, c++) {
		unsigned long ca = gp_node_start(lvl - 1, c);
		struct gp_sum cs;

		if (!gp_known(cv[i]))
			return false;
		gp_decode(cv[i], &cs);
		if (!cs.free && precise) {
			al = gp_al_union(al, cs.exact ? gp_al_all(cs.mx) :
					 cs.mask);
			al = gp_al_cross(idx, al, ca, cur, cs.lf);
		}
		gp_fold(s, &cs, gp_node_end(lvl - 1, c, chunk->nbits) - ca,
			&cur, &seen);
	}
	gp_fold_end(s, cur, seen);
	if (s->exact)
		return true;
	if (precise)
		s->mask = gp_al_cross(idx, al, gp_node_end(lvl, j, chunk->nbits),
				      cur, 0);
	else
		s->mask = gp_al_all(s->mx);
	return true;
}

/*
 * Fold the children of node @j on level @lvl (> 0) as they are now.
 * False if one of them is not known.
 */
static bool gp_fold_children(struct gen_pool_chunk *chunk, unsigned int lvl,
			     unsigned long j, struct gp_sum *s)
{
	struct genpool_index *idx = chunk->index;
	unsigned long c = j * GENPOOL_FANOUT, cv[GENPOOL_FANOUT];
	const unsigned long *cn = gp_node(idx, lvl - 1, c);
	unsigned int i, n = min(GENPOOL_FANOUT, gp_count(idx, lvl - 1) - c);
	bool precise = READ_ONCE(idx->aligned);

	for (i = 0; i < n; i++)
		cv[i] = READ_ONCE(cn[i]);
	return gp_fold_bounds_packed(chunk, lvl, j, cv, n, precise, s) ||
	       gp_fold_values(chunk, lvl, j, cv, n, precise, s);
}

/*
 * Recompute leaf @j, last seen as @v, from the bitmap: a tight bound, with
 * alignment bounds walked run by run if @precise, else kept from @v.
 */
static void gp_tighten_leaf(struct gen_pool_chunk *chunk, unsigned long j,
			    unsigned long v, unsigned long token, bool precise)
{
	struct genpool_index *idx = chunk->index;
	unsigned long *node = gp_node(idx, 0, j);
	unsigned long a = gp_node_start(0, j);
	unsigned long b = gp_node_end(0, j, chunk->nbits);
	unsigned long pending = gp_claim(node, v, token);
	struct gp_sum s;

	if (!pending)
		return;
	if (precise) {
		gp_leaf_tight(idx, chunk->bits, a, b, &s);
	} else {
		gp_leaf_bound(chunk->bits, a, b, &s);
		gp_al_keep(idx, &s, v);
	}
	gp_publish(node, pending, &s);
}

/*
 * Bits [@start, @start + @nbits) have just been claimed inside one leaf.
 * If they came out of a run as long as the leaf's bound promises, or out
 * of a run at one of its edges, the bound may now promise too much, and
 * the next search would scan the leaf for nothing: recompute it now, with
 * its alignment bounds once aligned requests use the chunk (they would
 * otherwise keep promising the run just taken to those requests).
 */
static void gp_refresh_leaf(struct gen_pool_chunk *chunk, unsigned long start,
			    unsigned long nbits)
{
	struct genpool_index *idx = chunk->index;
	unsigned long j = gp_node_of(0, start), token = (unsigned long)&j >> 2;
	unsigned long a = gp_node_start(0, j), b = gp_node_end(0, j, chunk->nbits);
	unsigned long *node = gp_node(idx, 0, j);
	unsigned long v = READ_ONCE(*node), rs, re;
	struct gp_sum s;

	if (!gp_known(v) || gp_is_exact(v) || start + nbits > b)
		return;
	rs = gp_run_start(chunk->bits, start, a);
	re = gp_run_end(chunk->bits, start + nbits, b);
	gp_decode(v, &s);
	if (!s.free && rs > a && re < b && re - rs < s.mx)
		return;
	gp_tighten_leaf(chunk, j, v, token, READ_ONCE(idx->aligned));
}

static void gp_summary(struct gen_pool_chunk *chunk, unsigned int lvl,
		       unsigned long j, unsigned long token, struct gp_sum *s);

/*
 * Store in @cv the values of the children of node @j on level @lvl (> 0),
 * each exact: those that are not are recomputed (see gp_summary()).
 * Returns the number of children.
 */
static unsigned int gp_exact_children(struct gen_pool_chunk *chunk,
				      unsigned int lvl, unsigned long j,
				      unsigned long token, unsigned long *cv)
{
	struct genpool_index *idx = chunk->index;
	unsigned long c = j << GP_FANOUT_SHIFT;
	const unsigned long *cn = gp_node(idx, lvl - 1, c);
	unsigned int i, n = min(GENPOOL_FANOUT, gp_count(idx, lvl - 1) - c);
	struct gp_sum cs;

	for (i = 0; i < n; i++) {
		cv[i] = READ_ONCE(cn[i]);
		if (!gp_is_exact(cv[i])) {
			gp_summary(chunk, lvl - 1, c + i, token, &cs);
			cv[i] = gp_encode(&cs);
		}
	}
	return n;
}

/*
 * Exact summary of node @j on level @lvl, recomputing inexact nodes below
 * it from the bitmap, and publishing what it recomputes when it can.
 * Returns the summary in @s.
 */
static void gp_summary(struct gen_pool_chunk *chunk, unsigned int lvl,
		       unsigned long j, unsigned long token, struct gp_sum *s)
{
	struct genpool_index *idx = chunk->index;
	unsigned long *node = gp_node(idx, lvl, j);
	unsigned long v = READ_ONCE(*node);
	unsigned long pending, cv[GENPOOL_FANOUT];
	unsigned int n;

	if (gp_is_exact(v)) {
		gp_decode(v, s);
		return;
	}
	pending = gp_claim(node, v, token);
	if (!lvl) {
		gp_leaf_summary(chunk->bits, gp_node_start(0, j),
				gp_node_end(0, j, chunk->nbits), s);
		gp_publish(node, pending, s);
		return;
	}
	n = gp_exact_children(chunk, lvl, j, token, cv);
	/* Children that are all exact fold into an exact summary. */
	if (!gp_fold_packed(cv, n, s))
		gp_fold_values(chunk, lvl, j, cv, n, false, s);
	gp_publish(node, pending, s);
}

/* ------------------------------------------------------------------ */
/* Plain bitmap search                                                */
/* ------------------------------------------------------------------ */

/*
 * The candidate rule shared by every first-fit strategy: the lowest @idx
 * >= @start with (@idx + @off) a multiple of @mask + 1 such that bits
 * [@idx, @idx + @nr) are clear and below @size.  Only candidates below
 * @limit are tried.  On failure returns the end of the last candidate
 * considered, which is above @size when no candidate can exist at all,
 * or @size when a later call with a higher @start might still succeed.
 */
static unsigned long gp_find_area(const unsigned long *map,
				  unsigned long size, unsigned long start,
				  unsigned long limit, unsigned long nr,
				  unsigned long mask, unsigned long off)
{
	for (;;) {
		unsigned long i, idx, end, j;

		i = find_next_zero_bit(map, min(size, limit), start);
		if (i >= min(size, limit))
			return limit < size ? size : size + 1;
		idx = ((i + off + mask) & ~mask) - off;
		end = idx + nr;
		if (end > size || end < idx)
			return end < idx ? ULONG_MAX : end;
		if (idx >= limit)
			return size;
		j = find_next_bit(map, end, idx);
		if (j >= end)
			return idx;
		start = j + 1;
	}
}

/*
 * The folds that find @n set bits in a row: by 1, 2, 4 .. up to the
 * largest power of two p not above @n, then by @n - p.  The steps taken
 * are the bits of p - 1, returned here; gp_ones_folded() takes the same
 * steps for every @n, a shift of 0 where a step is not needed, so a
 * search through words of varying requests meets no branch (a chain of
 * comparisons mispredicts when request sizes vary).
 */
static __always_inline unsigned long gp_fold_steps(unsigned long n)
{
	return BIT(__fls(n)) - 1;
}

/*
 * Bit i of the result: bits i .. i + n - 1 of @f are all set, for the n
 * (at most BITS_PER_LONG) whose gp_fold_steps() are @steps and with
 * @rest = n - 1 - @steps.
 */
static __always_inline unsigned long gp_ones_folded(unsigned long f,
						    unsigned long steps,
						    unsigned long rest)
{
	f &= f >> (steps & 1);
	f &= f >> (steps & 2);
	f &= f >> (steps & 4);
	f &= f >> (steps & 8);
	f &= f >> (steps & 16);
	if (BITS_PER_LONG > 32)
		f &= f >> (steps & 32);
	return f & (f >> rest);
}

/* Bit i of the result: bits i .. i + @n - 1 of @f are all set. */
static __always_inline unsigned long gp_ones_from(unsigned long f,
						  unsigned long n)
{
	unsigned long steps = gp_fold_steps(n);

	return gp_ones_folded(f, steps, n - 1 - steps);
}

/*
 * gp_find_area() for requests of at most one word with an alignment of
 * at most one word, testing a word of candidates at a time: a run of @nr
 * clear bits inside a word is found by folding the word onto itself, and
 * a run reaching into the word from below is checked from the length of
 * the clear run that ends at the word's first bit.  Same results as
 * gp_find_area(), except that the end of the last candidate is not
 * computed on failure: that is @size, or @size + 1 if the end of the map
 * was reached.
 */
static unsigned long gp_word_fit(const unsigned long *map, unsigned long size,
				 unsigned long start, unsigned long limit,
				 unsigned long nr, unsigned long mask,
				 unsigned long off)
{
	unsigned long q = mask + 1, pat, base, run = 0, run_start = 0;
	unsigned long w = BIT_WORD(start);
	/* The word's folds, the same for every word: see gp_fold_steps(). */
	unsigned long steps = gp_fold_steps(nr), rest = nr - 1 - steps;

	/* Bits of a word at which an aligned candidate may start. */
	if (!mask)
		pat = ~0UL;
	else if (q == BITS_PER_LONG)
		pat = 1UL << ((q - (off & mask)) & mask);
	else
		pat = ~0UL / ((1UL << q) - 1) << ((q - (off & mask)) & mask);

	for (base = w * BITS_PER_LONG; base < size; base += BITS_PER_LONG, w++) {
		unsigned long f = ~READ_ONCE(map[w]), r, low;

		if (base < start)
			f &= BITMAP_FIRST_WORD_MASK(start);
		if (size - base < BITS_PER_LONG)
			f &= BITMAP_LAST_WORD_MASK(size);

		if (run) {
			unsigned long idx = ((run_start + off + mask) & ~mask) - off;

			low = ~f ? __ffs(~f) : BITS_PER_LONG;
			if (idx < limit && idx + nr <= base + low)
				return idx;
		}
		if (base >= limit)
			return size;

		/* Bit i of r: bits i .. i + @nr - 1 of the map are all clear. */
		r = gp_ones_folded(f, steps, rest) & pat;
		if (limit - base < BITS_PER_LONG)
			r &= BITMAP_LAST_WORD_MASK(limit);
		if (r)
			return base + __ffs(r);

		if (!~f) {
			if (!run)
				run_start = base;
			run += BITS_PER_LONG;
		} else {
			run = f ? BITS_PER_LONG - 1 - __fls(~f) : 0;
			run_start = base + BITS_PER_LONG - run;
		}
	}
	return size + 1;
}

/* Can gp_word_fit() serve this request? */
static inline bool gp_word_sized(unsigned long nr, unsigned long mask)
{
	return nr && nr <= BITS_PER_LONG && mask < BITS_PER_LONG;
}

/*
 * The same rule over a whole map, with the failure value of the kernel's
 * bitmap_find_next_zero_area_off(), which computes it when the word-wise
 * search finds nothing.
 */
static unsigned long gp_find_zero_area(unsigned long *map, unsigned long size,
				       unsigned long start, unsigned int nr,
				       unsigned long mask, unsigned long off)
{
	if (start < size && gp_word_sized(nr, mask)) {
		unsigned long bit = gp_word_fit(map, size, start, size, nr,
						mask, off);

		if (bit < size)
			return bit;
	}
	return bitmap_find_next_zero_area_off(map, size, start, nr, mask, off);
}

/* ------------------------------------------------------------------ */
/* Indexed search                                                     */
/* ------------------------------------------------------------------ */

struct gp_query {
	struct gen_pool_chunk *chunk;
	unsigned long start;
	unsigned long nr;
	unsigned long mx_min;	/* @nr, at most GP_CAP, at GP_MX_SHIFT */
	unsigned long mask;
	unsigned long off;
	unsigned long token;
	unsigned int alk;	/* alignment class of the index to use, or 0 */
	bool over;		/* no candidate can exist any more */
};

/*
 * Upper bound of the free run starting at the left edge of a node whose
 * value is @v; ULONG_MAX when nothing is known.
 */
static inline unsigned long gp_left_run(unsigned long v)
{
	unsigned long lf = (v >> GP_LF_SHIFT) & GP_CAP;

	if (!gp_known(v) || (v & BIT(GP_FREE_BIT)) || lf == GP_CAP)
		return ULONG_MAX;
	return lf;
}

/*
 * The alignment class of the index that bounds candidates of a request
 * aligned with @mask and @off: the largest class not above the request's
 * alignment, if the chunk's phase matches @off in it; else 0.
 */
static unsigned int gp_align_class(const struct genpool_index *idx,
				   unsigned long mask, unsigned long off)
{
	unsigned int k;

	if (!GP_ALIGN_CLASSES || !mask || (mask & (mask + 1)))
		return 0;
	k = min_t(unsigned int, ilog2(mask + 1), GP_ALIGN_CLASSES);
	if ((off ^ idx->phase) & (BIT(k) - 1))
		return 0;
	return k;
}

/*
 * Does the value @v of node @c on level @lvl (whose nodes are @nodes)
 * prove that no candidate of @q starts in it?  The run after it is
 * bounded by its right sibling if @c + 1 < @end, and else by @follow.
 * Past the longest run, a candidate can only start in the free run at
 * the node's right edge; for an aligned request, at the first aligned
 * position in it.  Where the index keeps bounds for the request's
 * alignment class, a run shorter than the request may start at an
 * aligned position only where the node's class bound allows.
 */
static inline bool gp_child_out(const struct gp_query *q, unsigned long v,
				unsigned int lvl, const unsigned long *nodes,
				unsigned long c, unsigned long end,
				unsigned long follow)
{
	const unsigned long upper = ~(BIT(GP_EXACT_BIT) | (BIT(GP_MX_SHIFT) - 1));
	unsigned long rf, b, p;

	/*
	 * The longest run, with the free flag and the top bit above it, is
	 * at least the request (capped) unless the node is known, not
	 * entirely free, and its longest run is short of the request and
	 * below the cap.
	 */
	if ((v & upper) >= q->mx_min) {
		if (likely(!q->alk) || !gp_known(v) ||
		    (v & (BIT(GP_FREE_BIT) | BIT(GP_EXACT_BIT))) ||
		    ((v >> GP_MX_SHIFT) & GP_CAP) == GP_CAP ||
		    gp_al(v, q->alk) >= min(q->nr, GP_ALIGN_CAP))
			return false;
	}
	rf = (v >> GP_RF_SHIFT) & GP_CAP;
	if (!rf)
		return true;
	if (rf == GP_CAP)
		return false;
	if (q->mask) {
		b = gp_node_end(lvl, c, q->chunk->nbits);
		p = ((b - rf + q->off + q->mask) & ~q->mask) - q->off;
		if (p >= b)
			return true;
		rf = b - p;
	}
	if (c + 1 < end)
		follow = gp_left_run(READ_ONCE(nodes[c + 1]));
	return follow != ULONG_MAX && rf + follow < q->nr;
}

/*
 * Is a node starting at bit @a, whose value @v let @q in but held no
 * candidate, worth recomputing?  Only if the search covered all of it, and
 * the value is unknown, or keeps bounds for the request's alignment class,
 * or promised a run that would have held the request wherever it started:
 * a run of at least @nr + @mask always holds an aligned candidate, a
 * shorter one may hold none, and then the failure says nothing about the
 * bound.
 */
static bool gp_worth_tightening(const struct gp_query *q, unsigned long a,
				unsigned long v)
{
	if (q->start > a)
		return false;
	return !q->mask || q->alk || !gp_known(v) || (v & BIT(GP_FREE_BIT)) ||
	       ((v >> GP_MX_SHIFT) & GP_CAP) >= q->nr + q->mask;
}

/*
 * First candidate of @q starting in node @j on level @lvl, at or after
 * @q->start; @v is the node's value as the caller read it, and @follow
 * bounds the free run just after the node.  Returns the bit, or ULONG_MAX
 * if there is none in this node.
 */
static unsigned long gp_first(struct gp_query *q, unsigned int lvl,
			      unsigned long j, unsigned long v,
			      unsigned long follow)
{
	struct gen_pool_chunk *chunk = q->chunk;
	struct genpool_index *idx = chunk->index;
	unsigned long *node = gp_node(idx, lvl, j);
	unsigned long a = gp_node_start(lvl, j);
	unsigned long b = gp_node_end(lvl, j, chunk->nbits);
	unsigned long pending, c, cend, ret, cv, cfollow, *cn;
	struct gp_sum s;

	if (b <= q->start)
		return ULONG_MAX;
	if (!lvl) {
		if (gp_word_sized(q->nr, q->mask))
			ret = gp_word_fit(chunk->bits, chunk->nbits,
					  max(q->start, a), b, q->nr, q->mask,
					  q->off);
		else
			ret = gp_find_area(chunk->bits, chunk->nbits,
					   max(q->start, a), b, q->nr, q->mask,
					   q->off);
		if (ret < b)
			return ret;
		if (ret > chunk->nbits)
			q->over = true;
		/* The bound let us in for nothing: tighten it. */
		if (!gp_worth_tightening(q, a, v))
			return ULONG_MAX;
		gp_tighten_leaf(chunk, j, v, q->token, q->alk);
		return ULONG_MAX;
	}

	c = j << GP_FANOUT_SHIFT;
	cend = min(c + GENPOOL_FANOUT, gp_count(idx, lvl - 1));
	if (q->start > a)
		c += (q->start - a) >> gp_span_shift(lvl - 1);
	cn = gp_node(idx, lvl - 1, 0);
	for (; c < cend; c++) {
		cv = READ_ONCE(cn[c]);
		if (gp_child_out(q, cv, lvl - 1, cn, c, cend, follow))
			continue;
		cfollow = c + 1 < cend ? gp_left_run(READ_ONCE(cn[c + 1])) :
					 follow;
		ret = gp_first(q, lvl - 1, c, cv, cfollow);
		if (ret != ULONG_MAX)
			return ret;
		if (q->over)
			break;
	}
	/* Tighten the node from its children, which are tighter now. */
	if (!gp_worth_tightening(q, a, v))
		return ULONG_MAX;
	pending = gp_claim(node, v, q->token);
	if (pending) {
		if (gp_fold_children(chunk, lvl, j, &s))
			gp_publish(node, pending, &s);
		else
			gp_release(node, pending, v);
	}
	return ULONG_MAX;
}

/*
 * Indexed first fit with alignment: the same bit gp_find_zero_area() would
 * return, or a value >= the chunk's size.  @start is below the chunk's
 * size and @nr is not 0 (gp_search() sends other requests to the plain
 * strategy).
 */
static unsigned long gp_index_find(struct gen_pool_chunk *chunk,
				   unsigned long start, unsigned long nr,
				   unsigned long mask, unsigned long off)
{
	struct genpool_index *idx = chunk->index;
	unsigned long token;
	struct gp_query q = {
		.chunk = chunk,
		.start = start,
		.nr = nr,
		.mx_min = min(nr, GP_CAP) << GP_MX_SHIFT,
		.mask = mask,
		.off = off,
		/* Unique while this frame is live; see gp_claim(). */
		.token = (unsigned long)&token >> 2,
	};
	unsigned long ret, root;

	q.alk = gp_align_class(idx, mask, off);
	if (q.alk && !READ_ONCE(idx->aligned))
		WRITE_ONCE(idx->aligned, true);
	root = READ_ONCE(*gp_node(idx, idx->levels - 1, 0));
	if (gp_child_out(&q, root, idx->levels - 1, NULL, 0, 0, 0))
		return chunk->nbits;
	ret = gp_first(&q, idx->levels - 1, 0, root, 0);
	return ret == ULONG_MAX ? chunk->nbits : ret;
}

/*
 * First maximal free run of exactly @len (< GP_LONG_RUN) granules that
 * lies inside node @j on level @lvl without touching its edges.
 */
static unsigned long gp_find_run(struct gen_pool_chunk *chunk,
				 unsigned int lvl, unsigned long j,
				 unsigned long len, unsigned long token)
{
	unsigned long a = gp_node_start(lvl, j);
	unsigned long b = gp_node_end(lvl, j, chunk->nbits);
	unsigned long c, cur = 0, cur_start = 0, ret, cv[GENPOOL_FANOUT];
	unsigned int i, n;
	bool seen = false;

	if (!lvl) {
		unsigned long pos = a;

		while (pos < b) {
			unsigned long z = find_next_zero_bit(chunk->bits, b, pos);
			unsigned long o;

			if (z >= b)
				break;
			o = find_next_bit(chunk->bits, b, z);
			if (z != a && o != b && o - z == len)
				return z;
			pos = o;
		}
		return ULONG_MAX;
	}

	n = gp_exact_children(chunk, lvl, j, token, cv);
	c = j << GP_FANOUT_SHIFT;
	for (i = 0; i < n; i++, c++) {
		unsigned long v = cv[i], lf = gp_field(v, GP_LF_SHIFT);

		if (v & BIT(GP_FREE_BIT)) {
			unsigned long ca = gp_node_start(lvl - 1, c);

			if (!cur)
				cur_start = ca;
			cur = gp_add(cur, gp_node_end(lvl - 1, c, chunk->nbits) -
				     ca);
			continue;
		}
		if (seen && gp_add(cur, lf) == len)
			return cur ? cur_start : gp_node_start(lvl - 1, c);
		seen = true;
		if (v & BIT(len - 1)) {
			ret = gp_find_run(chunk, lvl - 1, c, len, token);
			if (ret != ULONG_MAX)
				return ret;
		}
		cur = gp_field(v, GP_RF_SHIFT);
		cur_start = gp_node_end(lvl - 1, c, chunk->nbits) - cur;
	}
	return ULONG_MAX;
}

/*
 * Indexed best fit: the first of the shortest free runs of at least @nr
 * granules, as gen_pool_best_fit() picks it.  Returns the chunk's size on
 * failure, and falls back to the plain search where the index cannot
 * answer exactly (a restarted search, or runs too long for the masks).
 */
static unsigned long gp_index_best(struct gen_pool_chunk *chunk,
				   unsigned long start, unsigned long nr)
{
	struct genpool_index *idx = chunk->index;
	unsigned int root = idx->levels - 1;
	unsigned long token = (unsigned long)&token >> 2;
	unsigned long len, ret;
	struct gp_sum s;

	if (start || !nr || nr >= GP_LONG_RUN)
		goto plain;
	gp_summary(chunk, root, 0, token, &s);
	if (s.free)
		goto plain;
	for (len = nr; len < GP_LONG_RUN; len++) {
		if (s.lf == len)
			return 0;
		if (s.mask & BIT(len - 1)) {
			ret = gp_find_run(chunk, root, 0, len, token);
			if (ret != ULONG_MAX)
				return ret;
			goto plain;	/* changed under us */
		}
		if (s.rf == len)
			return chunk->nbits - len;
	}
	if (s.mx < GP_LONG_RUN)
		return chunk->nbits;
plain:
	return gen_pool_best_fit(chunk->bits, chunk->nbits, start, nr, NULL,
				 NULL, chunk->start_addr);
}

/* ------------------------------------------------------------------ */
/* Reach hints for first fit (64-bit)                                 */
/* ------------------------------------------------------------------ */

/*
 * A reach hint is one byte.  On level 0 there is one per GP_RBITS bits
 * of the bitmap: a bound on the longest free run that starts at one of
 * those bits, measured to its true end (further on if need be) and
 * saturated at GP_REACH_CAP.  On each level above, a hint is the largest
 * of eight hints below it.  A word of the index holds eight hints, lowest
 * byte first; in a known word the top bit of every byte is clear, so a
 * word with its top bit set is PENDING or DIRTY, as in the tree.
 */
#define GP_REACH_CAP	127UL
#define GP_H8		0x8080808080808080ULL
#define GP_L8		0x0101010101010101ULL

/* Has the chunk left the reach hints for the tree or the masks? */
static inline bool gp_tree_kept(const struct genpool_index *idx)
{
	return READ_ONCE(idx->form) != GP_FORM_REACH;
}

/*
 * A leaf that best fit holds PENDING from its search to the allocation's
 * update of the length masks (see gp_mask_find()).  @token is the address
 * of this structure in the frame of gen_pool_alloc_algo_owner(), which
 * stays live for the whole allocation.
 */
struct gp_held {
	unsigned long *node;	/* the leaf held, or NULL */
	unsigned long pending;	/* the PENDING value it holds */
	unsigned long v;	/* the leaf's value before the claim */
	unsigned long len;	/* the length found in it */
	bool more;		/* the leaf holds another run of @len */
	unsigned long token;
};

/*
 * Give back a leaf still held, as it was: the allocation did not take
 * the run found in it.  If a writer spoilt the claim, the leaf stays
 * DIRTY.
 */
static void gp_held_release(struct gp_held *held)
{
	if (held && held->node) {
		cmpxchg(held->node, held->pending, held->v);
		held->node = NULL;
	}
}

#if GP_REACH
static inline unsigned long *gp_rword(struct genpool_index *idx,
				      unsigned int lvl, unsigned long i)
{
	return &idx->nodes[idx->first[idx->levels + lvl] + i];
}

/* Number of words on level @lvl of the hints. */
static inline unsigned long gp_rwords_at(const struct genpool_index *idx,
					 unsigned int lvl)
{
	return gp_count(idx, idx->levels + lvl);
}

/* Number of hints on level @lvl of a chunk of @nbits granules. */
static inline unsigned long gp_rhints(const struct genpool_index *idx,
				      unsigned int lvl, unsigned long nbits)
{
	return lvl ? gp_rwords_at(idx, lvl - 1) : DIV_ROUND_UP(nbits, GP_RBITS);
}

static inline unsigned long gp_rbyte(unsigned long v, unsigned int k)
{
	return (v >> (8 * k)) & 0xff;
}

static inline unsigned long gp_rset(unsigned long v, unsigned int k,
				    unsigned long h)
{
	return (v & ~(0xffUL << (8 * k))) | h << (8 * k);
}

/* The top bit of each byte of @v that is at least @n (1 .. GP_REACH_CAP). */
static inline unsigned long gp_rge(unsigned long v, unsigned long n)
{
	return ((v | GP_H8) - n * GP_L8) & GP_H8;
}

/* In each byte, the larger of the bytes of @a and @b (all below 0x80). */
static inline unsigned long gp_rmax2(unsigned long a, unsigned long b)
{
	unsigned long keep = (((a | GP_H8) - b) & GP_H8) >> 7;

	keep *= 0x7f;
	return (a & keep) | (b & ~keep);
}

/* The largest of the eight hints in @v, folding the word in halves. */
static inline unsigned long gp_rmax(unsigned long v)
{
	v = gp_rmax2(v, v >> 32);
	v = gp_rmax2(v, v >> 16);
	return gp_rmax2(v, v >> 8) & 0x7f;
}

/* The top bits of the bytes of word @i of level @lvl that hold hints. */
static inline unsigned long gp_rvalid(const struct genpool_index *idx,
				      unsigned int lvl, unsigned long i,
				      unsigned long nbits)
{
	unsigned long nb = gp_rhints(idx, lvl, nbits) - i * 8;

	return nb >= 8 ? GP_H8 : GP_H8 & (BIT(8 * nb) - 1);
}

/* True if granule @bit is allocated. */
static inline bool gp_used(const struct gen_pool_chunk *chunk,
			   unsigned long bit)
{
	return test_bit(bit, chunk->bits);
}

/* Bitmap word @w, with the bits past the chunk's end reading as set. */
static inline unsigned long gp_map_word(const struct gen_pool_chunk *chunk,
					unsigned long w)
{
	unsigned long x = READ_ONCE(chunk->bits[w]);

	if (w == BIT_WORD(chunk->nbits - 1))
		x |= ~BITMAP_LAST_WORD_MASK(chunk->nbits);
	return x;
}

/* Clear bits from @pos on, counted up to @lim and up to the chunk's end. */
static unsigned long gp_clear_after(const struct gen_pool_chunk *chunk,
				    unsigned long pos, unsigned long lim)
{
	unsigned long end = min(chunk->nbits, pos + lim), p = pos;

	if (pos >= end)
		return 0;
	while (p < end) {
		unsigned long used = READ_ONCE(chunk->bits[BIT_WORD(p)]) >>
				     (p % BITS_PER_LONG);

		if (used)
			return min(end, p + __ffs(used)) - pos;
		p = round_down(p, BITS_PER_LONG) + BITS_PER_LONG;
	}
	return end - pos;
}

/*
 * One step of gp_longest_ones(): *@at holds the positions where *@len
 * set bits start; @rs those where @s do.  Where some of the former run
 * on for @s more, keep those and count them.
 */
static __always_inline void gp_ones_step(unsigned long *at, unsigned long *len,
					 unsigned long rs, unsigned int s)
{
	unsigned long c = *at & (rs >> *len);

	*at = c ? c : *at;
	*len += c ? s : 0;
}

/*
 * Length of the longest run of set bits in @f, whose top bit is clear.
 * Without a loop over the runs, whose number the branch predictor cannot
 * guess: the positions where 2, 4, .. 32 set bits start, then the length
 * built up from the longest of those steps down.
 */
static unsigned long gp_longest_ones(unsigned long f)
{
	unsigned long r2 = f & (f >> 1), r4 = r2 & (r2 >> 2);
	unsigned long r8 = r4 & (r4 >> 4), r16 = r8 & (r8 >> 8);
	unsigned long r32 = r16 & (r16 >> 16);
	unsigned long at = f, len = 1;

	if (!f)
		return 0;
	gp_ones_step(&at, &len, r32, 32);
	gp_ones_step(&at, &len, r16, 16);
	gp_ones_step(&at, &len, r8, 8);
	gp_ones_step(&at, &len, r4, 4);
	gp_ones_step(&at, &len, r2, 2);
	gp_ones_step(&at, &len, f, 1);
	return len;
}

/*
 * The longest free run that starts at a clear bit of bitmap word @w,
 * measured to its end but no further than GP_REACH_CAP.
 */
static unsigned long gp_word_reach(const struct gen_pool_chunk *chunk,
				   unsigned long w)
{
	unsigned long x = gp_map_word(chunk, w), t, cross = 0;

	if (!~x)
		return 0;
	/* The clear bits at the top of the word go on into the next ones. */
	t = x ? BITS_PER_LONG - 1 - __fls(x) : BITS_PER_LONG;
	if (t) {
		cross = t + gp_clear_after(chunk, (w + 1) * BITS_PER_LONG,
					   GP_REACH_CAP);
		if (cross >= GP_REACH_CAP)
			return GP_REACH_CAP;
		if (t == BITS_PER_LONG)
			return cross;
	}
	return max(cross, gp_longest_ones(~x & (~0UL >> t)));
}

/* The exact level-0 hint @q. */
static unsigned long gp_reach_of(const struct gen_pool_chunk *chunk,
				 unsigned long q)
{
	unsigned long w = q * (GP_RBITS / BITS_PER_LONG);
	unsigned long end = min(w + GP_RBITS / BITS_PER_LONG,
				BITS_TO_LONGS(chunk->nbits));
	unsigned long h = 0;

	for (; w < end && h < GP_REACH_CAP; w++)
		h = max(h, gp_word_reach(chunk, w));
	return h;
}

/* As gp_claim(), for a word of hints. */
static unsigned long gp_rclaim(unsigned long *word, unsigned long old,
			       unsigned long token)
{
	unsigned long pending = gp_pending(token);

	if (old != GP_DIRTY && !gp_known(old))
		return 0;
	return try_cmpxchg(word, &old, pending) ? pending : 0;
}

static bool gp_rpublish(unsigned long *word, unsigned long pending,
			unsigned long v)
{
	return try_cmpxchg(word, &pending, v);
}

/*
 * Raise hint @k of *@word to at least @h.  A PENDING word is spoilt, as
 * in gp_raise(): its owner may have read the bitmap before the change.
 */
static __always_inline void gp_rraise(unsigned long *word, unsigned int k,
				      unsigned long h)
{
	unsigned long v = READ_ONCE(*word);

	do {
		if (!gp_known(v)) {
			if (v == GP_DIRTY)
				return;
			/* Ordered after the bitmap and the level below. */
			smp_store_release(word, GP_DIRTY);
			return;
		}
		if (gp_rbyte(v, k) >= h)
			return;
	} while (!try_cmpxchg(word, &v, gp_rset(v, k, h)));
}

/*
 * Recompute hints @kmin .. @kmax of word @i of level 0 from the bitmap
 * (all eight if it is DIRTY).  True if a changed word was published.
 */
static bool gp_rlower_leaf(struct gen_pool_chunk *chunk, unsigned long i,
			   unsigned int kmin, unsigned int kmax)
{
	unsigned long *word = gp_rword(chunk->index, 0, i);
	unsigned long nh = gp_rhints(chunk->index, 0, chunk->nbits);
	unsigned long old = READ_ONCE(*word), pending, v;
	unsigned int k;

	/* &v is unique while this frame is live; see gp_claim(). */
	pending = gp_rclaim(word, old, (unsigned long)&v >> 2);
	if (!pending)
		return false;
	v = old;
	if (old == GP_DIRTY) {
		kmin = 0;
		kmax = 7;
		v = 0;
	}
	for (k = kmin; k <= kmax && i * 8 + k < nh; k++)
		v = gp_rset(v, k, gp_reach_of(chunk, i * 8 + k));
	return gp_rpublish(word, pending, v) && v != old;
}

/*
 * As gp_rlower_leaf() for the single hint @q, the usual case: one claim,
 * one measurement, one publication.
 */
static bool gp_rlower_one(struct gen_pool_chunk *chunk, unsigned long q)
{
	unsigned long *word = gp_rword(chunk->index, 0, q / 8);
	unsigned long old = READ_ONCE(*word), pending, v;

	if (unlikely(old == GP_DIRTY))
		return gp_rlower_leaf(chunk, q / 8, 0, 7);
	/* &v is unique while this frame is live; see gp_claim(). */
	pending = gp_rclaim(word, old, (unsigned long)&v >> 2);
	if (!pending)
		return false;
	v = gp_rset(old, q % 8, gp_reach_of(chunk, q));
	return gp_rpublish(word, pending, v) && v != old;
}

/*
 * Lower the hint over word @child of level @lvl - 1 to the largest hint
 * in it.  True if it went down, so that the level above may too.
 */
static bool gp_rlower_up(struct genpool_index *idx, unsigned int lvl,
			 unsigned long child)
{
	unsigned long *word = gp_rword(idx, lvl, child / 8);
	unsigned long *below = gp_rword(idx, lvl - 1, child);
	unsigned long old = READ_ONCE(*word), x, h, p, pending;
	unsigned int k = child % 8;

	if (!gp_known(old))
		return false;
	p = gp_rbyte(old, k);
	x = READ_ONCE(*below);
	if (!p || !gp_known(x) || gp_rge(x, p))
		return false;	/* a hint below still reaches it */
	pending = gp_rclaim(word, old, (unsigned long)&x >> 2);
	if (!pending)
		return false;
	x = READ_ONCE(*below);
	h = gp_known(x) ? gp_rmax(x) : GP_REACH_CAP;
	if (h >= p) {
		gp_rpublish(word, pending, old);
		return false;
	}
	return gp_rpublish(word, pending, gp_rset(old, k, h));
}

/*
 * Word @i of level @lvl (> 0) as the level below gives it: each hint the
 * largest in its word below, GP_REACH_CAP where that word is not known.
 */
static unsigned long gp_rfold(struct genpool_index *idx, unsigned int lvl,
			      unsigned long i, unsigned long nbits)
{
	unsigned long end = min(i * 8 + 8, gp_rhints(idx, lvl, nbits));
	unsigned long c, x, v = 0;

	for (c = i * 8; c < end; c++) {
		x = READ_ONCE(*gp_rword(idx, lvl - 1, c));
		v = gp_rset(v, c % 8, gp_known(x) ? gp_rmax(x) : GP_REACH_CAP);
	}
	return v;
}

/* Recompute DIRTY word @i of level @lvl (> 0) from the level below. */
static unsigned long gp_rtighten(struct gen_pool_chunk *chunk,
				 unsigned int lvl, unsigned long i)
{
	unsigned long *word = gp_rword(chunk->index, lvl, i);
	unsigned long v, pending;

	pending = gp_rclaim(word, GP_DIRTY, (unsigned long)&v >> 2);
	if (!pending)
		return GP_DIRTY;
	v = gp_rfold(chunk->index, lvl, i, chunk->nbits);
	return gp_rpublish(word, pending, v) ? v : GP_DIRTY;
}

/*
 * Where the free run that reaches bit @start from below begins, looking
 * no further back than GP_REACH_CAP bits: the hints cannot tell longer
 * runs apart.
 */
static unsigned long gp_reach_back(const struct gen_pool_chunk *chunk,
				   unsigned long start)
{
	return gp_run_start(chunk->bits, start, start > GP_REACH_CAP ?
			    start - GP_REACH_CAP : 0);
}

/* Word @i of level 0 went down: lower the levels above while they do. */
static void gp_rlower_climb(struct genpool_index *idx, unsigned long i)
{
	unsigned int lvl;

	for (lvl = 1; lvl < idx->rlevels; lvl++)
		if (!gp_rlower_up(idx, lvl, i >> (3 * (lvl - 1))))
			break;
}

/*
 * Recompute level-0 hints @wlo .. @whi, and lower the levels above them
 * where they went down.
 */
static void gp_reach_relower(struct gen_pool_chunk *chunk, unsigned long wlo,
			     unsigned long whi)
{
	struct genpool_index *idx = chunk->index;
	unsigned long i, last = whi / 8;

	if (likely(wlo == whi)) {
		if (gp_rlower_one(chunk, wlo))
			gp_rlower_climb(idx, last);
		return;
	}
	for (i = wlo / 8; i <= last; i++)
		if (gp_rlower_leaf(chunk, i, i == wlo / 8 ? wlo % 8 : 0,
				   i == last ? whi % 8 : 7))
			gp_rlower_climb(idx, i);
}

/*
 * Bits [@start, @start + @nbits) have just been claimed: the free runs
 * that went through them, which start at most GP_REACH_CAP bits before
 * them as far as the hints can tell, are shorter now.
 */
static void gp_reach_alloc(struct gen_pool_chunk *chunk, unsigned long start,
			   unsigned long nbits)
{
	gp_reach_relower(chunk, gp_reach_back(chunk, start) >> GP_RBITS_SHIFT,
			 (start + nbits - 1) >> GP_RBITS_SHIFT);
}

/*
 * Bits [@start, @start + @nbits) have just been cleared: measure the free
 * run around them, as far as the hints can tell, and raise every hint
 * over bits at which a longer run now starts, up to the top level.
 * Stopping at a hint that is high enough already would not do: a
 * searcher may be recomputing the level above from an older value.
 */
static void gp_reach_free(struct gen_pool_chunk *chunk, unsigned long start,
			  unsigned long nbits)
{
	struct genpool_index *idx = chunk->index;
	unsigned long end = start + nbits, rs, re, j, last, h;
	unsigned int lvl, shift = GP_RBITS_SHIFT;
	unsigned long *words;

	rs = gp_reach_back(chunk, start);
	re = gp_run_end(chunk->bits, end,
			min(chunk->nbits, end + GP_REACH_CAP));
	h = min(re - rs, GP_REACH_CAP);
	for (lvl = 0; lvl < idx->rlevels; lvl++, shift += 3) {
		words = gp_rword(idx, lvl, 0);
		j = rs >> shift;
		last = (end - 1) >> shift;
		/* The run reaches furthest from its own start. */
		gp_rraise(words + j / 8, j % 8, h);
		while (++j <= last)
			gp_rraise(words + j / 8, j % 8,
				  min(re - (j << shift), GP_REACH_CAP));
	}
}

/*
 * The first level-0 hint >= @from that is at least @n, or ULONG_MAX.
 * The search goes down from the top level, whose words it reads in turn;
 * where a word of hints below holds none that is high enough past the
 * search's position, it goes on after that word one level up, and if the
 * search covered all of it, the hint above it promised too much and is
 * lowered.
 */
static unsigned long gp_reach_find(struct gen_pool_chunk *chunk,
				   unsigned long n, unsigned long from)
{
	struct genpool_index *idx = chunk->index;
	unsigned int top = idx->rlevels - 1, lvl = top;
	unsigned long nh = gp_rhints(idx, 0, chunk->nbits);
	unsigned long i = (from >> (3 * top)) / 8, base, lo, m, v;

	for (;;) {
		base = i * 8;
		lo = from >> (3 * lvl);
		v = READ_ONCE(*gp_rword(idx, lvl, i));
		if (unlikely(v == GP_DIRTY) && lvl)
			v = gp_rtighten(chunk, lvl, i);
		if (likely(gp_known(v)))
			m = gp_rge(v, n);
		else
			m = gp_rvalid(idx, lvl, i, chunk->nbits);
		if (lo > base)
			m = lo >= base + 8 ? 0 : m & (~0UL << (8 * (lo - base)));
		if (m) {
			base += __ffs(m) / 8;
			if (!lvl)
				return base;
			i = base;
			lvl--;
			continue;
		}
		if (lvl == top) {
			unsigned long nw = gp_rwords_at(idx, top);

			/* The rest of the top level, a word a turn. */
			for (i++; i < nw; i++) {
				v = READ_ONCE(*gp_rword(idx, top, i));
				if (!gp_known(v) || gp_rge(v, n))
					break;
			}
			if (i >= nw)
				return ULONG_MAX;
			continue;
		}
		if (lo <= base && gp_known(v))
			gp_rlower_up(idx, lvl + 1, i);
		from = (i + 1) << (3 * (lvl + 1));
		if (from >= nh)
			return ULONG_MAX;
		lvl++;
		i /= 8;
	}
}

/*
 * The first bit >= @from of bitmap word @w at which @n clear bits start,
 * or ULONG_MAX, and then the next word worth trying in *@next: a run that
 * crosses into later words and is too short leaves no room in any word
 * it covers.  @steps is gp_fold_steps() of @n, if @n fits in a word.
 */
static unsigned long gp_reach_in_word(const struct gen_pool_chunk *chunk,
				      unsigned long w, unsigned long n,
				      unsigned long steps, unsigned long from,
				      unsigned long *next)
{
	unsigned long x = gp_map_word(chunk, w) | (BIT(from) - 1);
	unsigned long base = w * BITS_PER_LONG, r, t, got;

	*next = w + 1;
	if (n <= BITS_PER_LONG) {
		/* Bit p of r: bits p .. p + @n - 1 of the word are clear. */
		r = gp_ones_folded(~x, steps, n - 1 - steps);
		if (r)
			return base + __ffs(r);
	}
	t = x ? BITS_PER_LONG - 1 - __fls(x) : BITS_PER_LONG;
	if (!t || t >= n)
		return ULONG_MAX;
	got = gp_clear_after(chunk, base + BITS_PER_LONG, n - t);
	if (t + got >= n)
		return base + BITS_PER_LONG - t;
	*next = BIT_WORD(base + BITS_PER_LONG + got);
	return ULONG_MAX;
}

/*
 * First fit through the reach hints: the lowest bit >= @start at which
 * @nr clear bits start, or the chunk's size.  Requests of GP_REACH_CAP
 * granules or more visit every range whose hint is saturated.  A range
 * that disappoints its hint has it recomputed.
 */
static unsigned long gp_reach_first(struct gen_pool_chunk *chunk,
				    unsigned long start, unsigned long nr)
{
	const unsigned long per = GP_RBITS / BITS_PER_LONG;
	unsigned long nw = BITS_TO_LONGS(chunk->nbits);
	unsigned long n = min(nr, GP_REACH_CAP), w = BIT_WORD(start);
	unsigned long steps = gp_fold_steps(min(nr, BITS_PER_LONG));
	unsigned long q, end, pos, next;
	bool whole;

	while (w < nw) {
		q = gp_reach_find(chunk, n, w / per);
		if (q == ULONG_MAX)
			break;
		whole = q * GP_RBITS >= start;
		w = max(w, q * per);
		end = min(q * per + per, nw);
		for (; w < end; w = next) {
			pos = gp_reach_in_word(chunk, w, nr, steps,
					       w == BIT_WORD(start) ?
					       start % BITS_PER_LONG : 0, &next);
			if (pos != ULONG_MAX)
				return pos;
		}
		if (whole && nr < GP_REACH_CAP)
			gp_reach_relower(chunk, q, q);
	}
	return chunk->nbits;
}

/* Reach hints of a chunk whose bitmap is all clear. */
static void gp_reach_init(struct genpool_index *idx, unsigned long nbits)
{
	unsigned long q, i, h;
	unsigned int lvl;

	for (q = 0; q < gp_rhints(idx, 0, nbits); q++) {
		h = min(nbits - q * GP_RBITS, GP_REACH_CAP);
		*gp_rword(idx, 0, q / 8) |= h << (8 * (q % 8));
	}
	for (lvl = 1; lvl < idx->rlevels; lvl++)
		for (i = 0; i < gp_rwords_at(idx, lvl); i++)
			*gp_rword(idx, lvl, i) = gp_rfold(idx, lvl, i, nbits);
}

/* ------------------------------------------------------------------ */
/* Length masks for best fit (64-bit)                                 */
/* ------------------------------------------------------------------ */

/*
 * A chunk whose first search past plain first fit is best fit keeps
 * length masks in the tree's nodes instead of summaries.  Every maximal
 * free run belongs to the lowest node whose range holds all of it: a leaf
 * for a run inside 512 bits, else the node where it crosses from one
 * child into the next.  Bit L - 1 of a node's mask (L < GP_LONG_RUN) means
 * that a run of exactly L granules may belong to the node or to a node
 * below it; the top bit stands for runs of GP_LONG_RUN or more.  A mask is
 * a superset: writers only add bits, and a search that finds a bit leads
 * nowhere clears it by recomputing the node under a claim, as for the
 * tree.  A known node has its top bit clear; DIRTY and PENDING nodes
 * promise every length.
 */
#define GP_MASK_ALL	(BIT(GP_MASK_BITS) - 1)
#define GP_OWN_SHIFT	GP_MASK_BITS
static_assert(GP_OWN_SHIFT + GP_MASK_BITS < BITS_PER_LONG - 1);

static inline unsigned long gp_mbit(unsigned long len)
{
	return BIT(min(len, GP_LONG_RUN) - 1);
}

/* The lengths that may belong to a node or below it. */
static inline unsigned long gp_mval(unsigned long v)
{
	return gp_known(v) ? v & GP_MASK_ALL : GP_MASK_ALL;
}

/*
 * As gp_mval() before its mask is applied, without a branch, for the
 * loops that gather it over a node's children: a node that is not known
 * (GP_TOP set) reads as all ones.
 */
static inline unsigned long gp_mval_raw(unsigned long v)
{
	return v | (0UL - (v >> (BITS_PER_LONG - 1)));
}

/* The lengths that may belong to an inner node itself. */
static inline unsigned long gp_mown(unsigned long v)
{
	return gp_known(v) ? (v >> GP_OWN_SHIFT) & GP_MASK_ALL : GP_MASK_ALL;
}

/* A known mask node: @m for the node and below, @own for itself. */
static inline unsigned long gp_mnode(unsigned long m, unsigned long own)
{
	return m | own | own << GP_OWN_SHIFT;
}

/*
 * Add @bit to node @j of level @lvl and to every node above it, and to
 * the node's own lengths too if @own.  A PENDING node is spoilt, as in
 * gp_raise(): its owner may have read the bitmap or the children before
 * this run appeared.
 */
static void gp_mask_or(struct gen_pool_chunk *chunk, unsigned int lvl,
		       unsigned long j, unsigned long bit, bool own)
{
	struct genpool_index *idx = chunk->index;
	unsigned long want = own ? bit | bit << GP_OWN_SHIFT : bit;

	for (; lvl < idx->levels; lvl++, j >>= GP_FANOUT_SHIFT, want = bit) {
		unsigned long *node = gp_node(idx, lvl, j);
		unsigned long v = READ_ONCE(*node);

		do {
			if (!gp_known(v)) {
				if (v != GP_DIRTY)
					/* Ordered after the bitmap and below. */
					smp_store_release(node, GP_DIRTY);
				break;
			}
			if ((v & want) == want)
				break;
		} while (!try_cmpxchg(node, &v, v | want));
	}
}

/* The level of the lowest node that holds all of bits [@rs, @re). */
static inline unsigned int gp_owner_level(unsigned long rs, unsigned long re)
{
	unsigned int lvl = 0;

	while (gp_node_of(lvl, rs) != gp_node_of(lvl, re - 1))
		lvl++;
	return lvl;
}

/*
 * Record the free run [@rs, @re), or a part of a longer one if @longer,
 * in the node it belongs to and every node above: a part belongs to that
 * node or to one below the longer run's, which is all the same above it.
 * A whole run that crosses between two children is the node's own.
 */
static void gp_mask_note(struct gen_pool_chunk *chunk, unsigned long rs,
			 unsigned long re, bool longer)
{
	unsigned int lvl;

	if (re <= rs)
		return;
	lvl = gp_owner_level(rs, re);
	gp_mask_or(chunk, lvl, gp_node_of(lvl, rs),
		   longer ? BIT(GP_LONG_RUN - 1) : gp_mbit(re - rs),
		   lvl && !longer);
}

/*
 * Where the free run that reaches bit @pos from below starts, looking back
 * GP_LONG_RUN bits at most; *@longer is set if it may start further back.
 */
static unsigned long gp_mask_back(const struct gen_pool_chunk *chunk,
				  unsigned long pos, bool *longer)
{
	unsigned long lo = pos > GP_LONG_RUN ? pos - GP_LONG_RUN : 0;
	unsigned long rs = gp_run_start(chunk->bits, pos, lo);

	*longer = rs == lo && lo && !gp_used(chunk, lo - 1);
	return rs;
}

static void gp_mask_tighten(struct gen_pool_chunk *chunk, unsigned int lvl,
			    unsigned long j, unsigned long v,
			    unsigned long token, bool refold);

/*
 * Claim mask node *@node, last seen as @v, for a recomputation.  Unlike
 * gp_claim() any value may be claimed: a claim taken over from another
 * searcher only makes that searcher's publication fail.  Returns the
 * PENDING value stored, or 0 if the node changed.
 */
static unsigned long gp_mask_claim(unsigned long *node, unsigned long v,
				   unsigned long token)
{
	unsigned long pending = gp_pending(token);

	return try_cmpxchg(node, &v, pending) ? pending : 0;
}

/*
 * gp_leaf_find_len() met a run at @pos: keep it in *@first if it is the
 * first, else note in *@more that there is another.  True once the scan
 * can stop: at the first run when @more is NULL, at the second otherwise.
 */
static inline bool gp_len_hit(unsigned long pos, unsigned long *first,
			      bool *more)
{
	if (*first != ULONG_MAX) {
		*more = true;
		return true;
	}
	*first = pos;
	return !more;
}

/*
 * The first free run of exactly @len (< GP_LONG_RUN) granules that belongs
 * to leaf @j, or ULONG_MAX: a word at a time.  A run inside the word
 * starts at a bit where some run starts and another ends @len - 1 further
 * on; only words with such a pair are folded onto themselves
 * (gp_ones_from()) to see that the @len granules from there are free,
 * that is, that it is one run.  A run reaching a word's top is carried into
 * the next word and measured there; runs through the leaf's edges count
 * only if the granule beyond the edge is allocated.  With @more, the scan
 * goes on after the first run and sets *@more if the leaf holds another.
 */
static unsigned long gp_leaf_find_len(const struct gen_pool_chunk *chunk,
				      unsigned long j, unsigned long len,
				      bool *more)
{
	unsigned long first = ULONG_MAX;
	unsigned long a = gp_node_start(0, j);
	unsigned long b = gp_node_end(0, j, chunk->nbits);
	unsigned long base, cur = 0, rs = 0;
	bool own = true;

	/* A run through the left edge is carried in, and not the leaf's. */
	if (a && !gp_used(chunk, a - 1)) {
		cur = 1;
		own = false;
	}
	for (base = a; base < b; base += BITS_PER_LONG) {
		unsigned long used = READ_ONCE(chunk->bits[BIT_WORD(base)]);
		unsigned long f, st, en, x, t;

		/*
		 * Only the chunk's last word can be ragged: the bits past
		 * its end count as used, so the runs end where it does.
		 */
		if (unlikely(b - base < BITS_PER_LONG))
			used |= ~BITMAP_LAST_WORD_MASK(b - base);
		f = ~used;
		st = f & ~(f << 1);
		/* The run at the top is carried into the next word. */
		en = f & ~(f >> 1) & ~BIT(BITS_PER_LONG - 1);
		if (cur) {
			t = used ? __ffs(used) : BITS_PER_LONG;
			if (t == BITS_PER_LONG) {
				cur += BITS_PER_LONG;
				continue;
			}
			if (own && cur + t == len &&
			    gp_len_hit(rs, &first, more))
				return first;
			st &= ~1UL;
			cur = 0;
		}
		x = st & (en >> (len - 1));
		if (x)
			x &= gp_ones_from(f, len);
		if (x) {
			if (gp_len_hit(base + __ffs(x), &first, more))
				return first;
			if (x & (x - 1)) {
				*more = true;
				return first;
			}
		}
		if (f & BIT(BITS_PER_LONG - 1)) {
			cur = used ? BITS_PER_LONG - 1 - __fls(used) :
				     BITS_PER_LONG;
			rs = base + BITS_PER_LONG - cur;
			own = true;
		}
	}
	if (cur && own && cur == len &&
	    (b == chunk->nbits || gp_used(chunk, b)))
		gp_len_hit(rs, &first, more);
	return first;
}

/*
 * A claim has just cut the free run [@rs, @re), shorter than GP_LONG_RUN:
 * the node it belonged to may have lost its last run of that length.
 * Recompute that node, and each one above for as long as the length goes
 * away, now rather than leave the next search for that length to walk
 * into them and find nothing: with best fit that search comes soon.  A
 * leaf is only searched for another run of the length, under the claim,
 * and loses that bit if there is none (a search a word at a time, without
 * the branches of a walk over every run).  It cannot be told instead how
 * many runs of a length it holds: writers note a run after their bitmap
 * change, so the run a claim cut may be one that was never noted, while
 * the bit stands for another.  The run was inside one child
 * of each node above its own, whose own lengths it therefore did not
 * change: those nodes are refolded from their children and their own
 * lengths as stored.  A leaf that best fit still holds for this run
 * (@held, see gp_mask_hold()) was claimed and scanned whole by its search,
 * so it is only published.
 */
static void gp_mask_cut(struct gen_pool_chunk *chunk, unsigned long rs,
			unsigned long re, struct gp_held *held)
{
	struct genpool_index *idx = chunk->index;
	unsigned long bit = gp_mbit(re - rs), j, v, pending, *node;
	unsigned int owner = gp_owner_level(rs, re), lvl = owner;
	bool has;

	for (j = gp_node_of(lvl, rs); lvl < idx->levels;
	     lvl++, j >>= GP_FANOUT_SHIFT) {
		node = gp_node(idx, lvl, j);
		if (!lvl && held && held->node == node &&
		    held->len == re - rs) {
			v = held->v;
			pending = held->pending;
			has = held->more;
			held->node = NULL;
		} else {
			v = READ_ONCE(*node);
			if (!gp_known(v) || !(v & bit))
				return;
			if (lvl) {
				/* &v is unique while this frame is live. */
				gp_mask_tighten(chunk, lvl, j, v,
						(unsigned long)&v >> 2,
						lvl > owner);
				if (gp_mval(READ_ONCE(*node)) & bit)
					return;
				continue;
			}
			/* &v is unique while this frame is live; see gp_claim(). */
			pending = gp_mask_claim(node, v, (unsigned long)&v >> 2);
			if (!pending)
				return;
			has = gp_leaf_find_len(chunk, j, re - rs, NULL) !=
			      ULONG_MAX;
		}
		cmpxchg(node, pending, has ? v : v & ~bit);
		if (has)
			return;
	}
}

static void gp_long_changed(struct gen_pool_chunk *chunk, unsigned long lo,
			    unsigned long hi);

/*
 * Bits [@start, @start + @nbits) have just been claimed: record the free
 * runs left on either side, and drop the length of the run they came out
 * of where it was the last of its length.  The cut comes before the
 * notes, which would spoil the claim on a leaf that best fit still holds
 * (@held): no writer changed that leaf since its search scanned it but
 * this one (another would have spoilt the claim), and this one only cut
 * the run found there.  A leaf held and not used is given back.
 */
static void gp_mask_alloc(struct gen_pool_chunk *chunk, unsigned long start,
			  unsigned long nbits, struct gp_held *held)
{
	unsigned long end = start + nbits, rs, fw;
	bool longer, cut;

	rs = gp_mask_back(chunk, start, &longer);
	fw = gp_clear_after(chunk, end, GP_LONG_RUN);
	cut = !longer && end + fw - rs < GP_LONG_RUN;
	if (cut)
		gp_mask_cut(chunk, rs, end + fw, held);
	gp_held_release(held);
	gp_mask_note(chunk, rs, start, longer);
	gp_mask_note(chunk, end, end + fw, fw == GP_LONG_RUN);
	if (!cut && (longer || start - rs >= GP_LONG_RUN || fw == GP_LONG_RUN))
		gp_long_changed(chunk, start, end);
}

/*
 * Bits [@start, @start + @nbits) have just been cleared: record the free
 * runs they are part of now.  These are measured in the bitmap rather
 * than assumed: once a word of the range is cleared, another CPU may
 * claim some of it again before the last word is, and the run then ends
 * inside the range.
 */
static void gp_mask_free(struct gen_pool_chunk *chunk, unsigned long start,
			 unsigned long nbits)
{
	unsigned long end = start + nbits, pos = start, rs, z, fw, lim;
	bool longer;

	while (pos < end) {
		z = find_next_zero_bit(chunk->bits, end, pos);
		if (z >= end)
			return;
		if (z == start) {
			rs = gp_mask_back(chunk, start, &longer);
		} else {
			/* Bit z - 1 was seen set. */
			rs = z;
			longer = false;
		}
		lim = end - z + GP_LONG_RUN;
		fw = gp_clear_after(chunk, z, lim);
		gp_mask_note(chunk, rs, z + fw, longer || fw == lim);
		if (longer || z + fw - rs >= GP_LONG_RUN)
			gp_long_changed(chunk, z, z);
		pos = z + max(fw, 1UL);
	}
}

/*
 * Length of the free run through bits @p - 1 and @p, 0 if either is set,
 * or @lim + 1 if it is longer than @lim.
 */
static unsigned long gp_mask_measure(const struct gen_pool_chunk *chunk,
				     unsigned long p, unsigned long lim)
{
	unsigned long lo = p > lim + 1 ? p - lim - 1 : 0, back;

	back = p - gp_run_start(chunk->bits, p, lo);
	if (back > lim)
		return lim + 1;
	return min(back + gp_clear_after(chunk, p, lim + 1 - back), lim + 1);
}

static inline unsigned long gp_mask_cross(const struct gen_pool_chunk *chunk,
					  unsigned long p, unsigned long lim)
{
	if (gp_used(chunk, p - 1) || gp_used(chunk, p))
		return 0;
	return gp_mask_measure(chunk, p, lim);
}

/* The exact mask of leaf @j: the runs inside it, and those at its edges that end there. */
static unsigned long gp_mask_leaf(const struct gen_pool_chunk *chunk,
				  unsigned long j)
{
	unsigned long a = gp_node_start(0, j);
	unsigned long b = gp_node_end(0, j, chunk->nbits);
	bool lc = !a || gp_used(chunk, a - 1);
	bool rc = b == chunk->nbits || gp_used(chunk, b);
	struct gp_sum s;
	unsigned long m;

	gp_leaf_summary(chunk->bits, a, b, &s);
	if (s.free)
		return lc && rc ? gp_mbit(b - a) : 0;
	m = s.mask;
	if (s.lf && lc)
		m |= gp_mbit(s.lf);
	if (s.rf && rc)
		m |= gp_mbit(s.rf);
	return m;
}

/*
 * The lengths that may belong to the children of inner node @j of level
 * @lvl or below them, gathered without a branch per child.
 */
static unsigned long gp_mask_children(struct genpool_index *idx,
				      unsigned int lvl, unsigned long j)
{
	unsigned long c = j << GP_FANOUT_SHIFT, m = 0, i;
	unsigned long n = min_t(unsigned long, GENPOOL_FANOUT,
				gp_count(idx, lvl - 1) - c);
	unsigned long *cn = gp_node(idx, lvl - 1, c);

	if (likely(n == GENPOOL_FANOUT))
		m = READ_ONCE(cn[0]) | READ_ONCE(cn[1]) | READ_ONCE(cn[2]) |
		    READ_ONCE(cn[3]) | READ_ONCE(cn[4]) | READ_ONCE(cn[5]) |
		    READ_ONCE(cn[6]) | READ_ONCE(cn[7]);
	else
		for (i = 0; i < n; i++)
			m |= READ_ONCE(cn[i]);
	/* A child that is not known makes it all ones. */
	return gp_mval_raw(m) & GP_MASK_ALL;
}

/*
 * Child @c's bit @bit, moved up by @c, for gp_mask_have(); its whole word
 * goes into *@top.
 */
static __always_inline unsigned long gp_mask_have1(const unsigned long *cn,
						   unsigned int c,
						   unsigned long bit,
						   unsigned long *top)
{
	unsigned long v = READ_ONCE(cn[c]);

	*top |= v;
	return (v & bit) << c;
}

/*
 * Bit c of the result: child c of the @n children at @cn may hold a run
 * of @len (< GP_LONG_RUN) granules; a child that is not known may hold
 * any.  A full set of children is read without a loop, each child's bit
 * for @len moved up by its number, and the lot moved down once.
 */
static __always_inline unsigned long gp_mask_have(const unsigned long *cn,
						  unsigned long n,
						  unsigned long len)
{
	unsigned long have = 0, top = 0, bit = BIT(len - 1), c;

	if (likely(n == GENPOOL_FANOUT)) {
		have = gp_mask_have1(cn, 0, bit, &top) |
		       gp_mask_have1(cn, 1, bit, &top) |
		       gp_mask_have1(cn, 2, bit, &top) |
		       gp_mask_have1(cn, 3, bit, &top) |
		       gp_mask_have1(cn, 4, bit, &top) |
		       gp_mask_have1(cn, 5, bit, &top) |
		       gp_mask_have1(cn, 6, bit, &top) |
		       gp_mask_have1(cn, 7, bit, &top);
		if (likely(gp_known(top)))
			return have >> (len - 1);
		have = 0;
	}
	for (c = 0; c < n; c++)
		have |= ((gp_mval_raw(READ_ONCE(cn[c])) >> (len - 1)) & 1) << c;
	return have;
}

/*
 * The mask of node @j of level @lvl from its children as they are now
 * (or from the bitmap for a leaf), with the runs that cross from one
 * child into the next, which are the node's own.  If @own is not
 * ULONG_MAX, those are taken from it instead of the bitmap.
 */
static unsigned long gp_mask_of(const struct gen_pool_chunk *chunk,
				unsigned int lvl, unsigned long j,
				unsigned long own)
{
	unsigned long c, cend, len, m;

	if (!lvl)
		return gp_mask_leaf(chunk, j);
	m = gp_mask_children(chunk->index, lvl, j);
	if (own != ULONG_MAX)
		return gp_mnode(m, own);
	own = 0;
	c = j << GP_FANOUT_SHIFT;
	cend = min(c + GENPOOL_FANOUT, gp_count(chunk->index, lvl - 1));
	for (; c + 1 < cend; c++) {
		len = gp_mask_cross(chunk, gp_node_start(lvl - 1, c + 1),
				    GP_LONG_RUN);
		if (len)
			own |= gp_mbit(len);
	}
	return gp_mnode(m, own);
}

/*
 * Recompute node @j of level @lvl, last seen as @v, under a claim; if
 * @refold, with the own lengths of @v, which must then be known.  Own
 * long runs are not kept apart (a part of one is noted where it is), so
 * a refold keeps the long bit as it was.
 */
static void gp_mask_tighten(struct gen_pool_chunk *chunk, unsigned int lvl,
			    unsigned long j, unsigned long v,
			    unsigned long token, bool refold)
{
	unsigned long *node = gp_node(chunk->index, lvl, j);
	unsigned long pending = gp_mask_claim(node, v, token);
	unsigned long own = ULONG_MAX;

	if (!pending)
		return;
	if (refold)
		own = gp_mown(v) | (v & BIT(GP_LONG_RUN - 1));
	cmpxchg(node, pending, gp_mask_of(chunk, lvl, j, own));
}

/*
 * gp_mask_find() in leaf @j, known as @v, for an allocation that can hold
 * a leaf (@held, holding none yet): claim the leaf, scan all of it for
 * runs of @len under the claim, and keep the claim if one is there, for
 * gp_mask_cut() to publish the leaf once the run is taken, rather than
 * claim and scan the leaf again then.  A leaf without such a run is
 * recomputed at once.  False if the leaf could not be claimed; otherwise
 * *@r is the first run, or ULONG_MAX.
 */
static bool gp_mask_hold(struct gen_pool_chunk *chunk, unsigned long j,
			 unsigned long v, unsigned long len,
			 struct gp_held *held, unsigned long *r)
{
	unsigned long *node = gp_node(chunk->index, 0, j);
	unsigned long pending = gp_mask_claim(node, v, held->token);
	bool more = false;

	if (!pending)
		return false;
	*r = gp_leaf_find_len(chunk, j, len, &more);
	if (*r == ULONG_MAX) {
		cmpxchg(node, pending, gp_mask_of(chunk, 0, j, ULONG_MAX));
		return true;
	}
	*held = (struct gp_held) {
		.node = node, .pending = pending, .v = v, .len = len,
		.more = more, .token = held->token,
	};
	return true;
}

/*
 * The first free run of exactly @len (< GP_LONG_RUN) granules that belongs
 * to node @j of level @lvl or below it, or ULONG_MAX.  Runs are tried in
 * address order: those of each child, then the one crossing into the next
 * child, which starts after them.  Without own runs of @len, only the
 * children count, and those that may hold one are picked from a bit per
 * child gathered without a branch each (the one that holds the run is a
 * different child from one search to the next).  A node whose bit led
 * nowhere is recomputed.  With @held, leaves are searched under a claim,
 * which the allocation keeps for the leaf that holds the run (see
 * gp_mask_hold()).
 */
static unsigned long gp_mask_find(struct gen_pool_chunk *chunk,
				  unsigned int lvl, unsigned long j,
				  unsigned long len, unsigned long token,
				  struct gp_held *held)
{
	struct genpool_index *idx = chunk->index;
	unsigned long v = READ_ONCE(*gp_node(idx, lvl, j)), bit = gp_mbit(len);
	unsigned long c, cend, r, p;
	bool own = gp_mown(v) & bit;

	if (!(gp_mval(v) & bit))
		return ULONG_MAX;
	if (!lvl) {
		if (held && !held->node && gp_known(v) &&
		    gp_mask_hold(chunk, j, v, len, held, &r))
			return r;
		r = gp_leaf_find_len(chunk, j, len, NULL);
		if (r != ULONG_MAX)
			return r;
	} else if (!own) {
		unsigned long *cn = gp_node(idx, lvl - 1, j << GP_FANOUT_SHIFT);
		unsigned long n = min_t(unsigned long, GENPOOL_FANOUT,
				       gp_count(idx, lvl - 1) -
				       (j << GP_FANOUT_SHIFT));
		unsigned long have = gp_mask_have(cn, n, len);

		for (; have; have &= have - 1) {
			c = (j << GP_FANOUT_SHIFT) + __ffs(have);
			r = gp_mask_find(chunk, lvl - 1, c, len, token, held);
			if (r != ULONG_MAX)
				return r;
		}
	} else {
		c = j << GP_FANOUT_SHIFT;
		cend = min(c + GENPOOL_FANOUT, gp_count(idx, lvl - 1));
		for (; c < cend; c++) {
			if (gp_mval(READ_ONCE(*gp_node(idx, lvl - 1, c))) & bit) {
				r = gp_mask_find(chunk, lvl - 1, c, len, token,
						 held);
				if (r != ULONG_MAX)
					return r;
			}
			if (c + 1 == cend)
				break;
			p = gp_node_start(lvl - 1, c + 1);
			if (gp_mask_cross(chunk, p, len) == len)
				return gp_run_start(chunk->bits, p, p - len);
		}
	}
	gp_mask_tighten(chunk, lvl, j, v, token, false);
	return ULONG_MAX;
}

/* The state of a walk over the long free runs: see gp_mask_long(). */
struct gp_long {
	unsigned long from;	/* every run starting below has been seen */
	unsigned long to;	/* runs starting here or above are not wanted */
	unsigned long min;	/* the shortest run that may be taken */
	unsigned long best;	/* the first of the shortest taken */
	unsigned long len;	/* its length, or ULONG_MAX */
	unsigned long seen;	/* long runs seen */
	bool dense;		/* walk leaves a word at a time */
	unsigned long token;
};

/*
 * Weigh the long free run [@rs, @re), which may come before the best so
 * far in address order when a walk goes back; true if no run can be
 * shorter.
 */
static bool gp_long_take(struct gp_long *l, unsigned long rs,
			 unsigned long re)
{
	l->from = re;
	l->seen++;
	if (re - rs >= l->min &&
	    (re - rs < l->len || (re - rs == l->len && rs < l->best))) {
		l->best = rs;
		l->len = re - rs;
	}
	return l->len == l->min;
}

/*
 * gp_mask_long() in leaf [@a, @b): the long runs that start in it at or
 * after @l->from and below @l->to, in address order, without those that
 * reach past either edge of the leaf (they belong to a node above).
 * @l->from is where a run starts, or an allocated bit.  Run by run: two
 * searches per free run, which suits a leaf of few runs.
 */
static bool gp_long_leaf_runs(const struct gen_pool_chunk *chunk,
			      unsigned long a, unsigned long b,
			      struct gp_long *l)
{
	unsigned long p, z, o;

	for (p = max(a, l->from); p < b; p = o) {
		z = find_next_zero_bit(chunk->bits, b, p);
		if (z >= min(b, l->to))
			break;
		o = find_next_bit(chunk->bits, b, z);
		if (o - z < GP_LONG_RUN ||
		    (z == a && a && !gp_used(chunk, a - 1)) ||
		    (o == b && b < chunk->nbits && !gp_used(chunk, b)))
			continue;
		if (gp_long_take(l, z, o))
			return true;
	}
	return false;
}

/*
 * As gp_long_leaf_runs(), a word at a time, which suits a leaf of many
 * short runs: a word holding no long run costs a few operations rather
 * than two searches per run; the run open at a word's top is carried
 * into the next.
 */
static bool gp_long_leaf_words(const struct gen_pool_chunk *chunk,
			       unsigned long a, unsigned long b,
			       struct gp_long *l)
{
	unsigned long p = max(a, l->from), lim = min(b, l->to);
	unsigned long base, rs = 0, f, g, t, z, o;
	bool open = false;

	/* A run coming in through the left edge is not the leaf's. */
	if (p == a && a && !gp_used(chunk, a - 1))
		p = gp_run_end(chunk->bits, a, b);
	for (base = round_down(p, BITS_PER_LONG); base < b;
	     base += BITS_PER_LONG) {
		if (!open && base >= lim)
			return false;
		f = ~READ_ONCE(chunk->bits[BIT_WORD(base)]);
		if (base < p)
			f &= BITMAP_FIRST_WORD_MASK(p);
		/* Only the chunk's last word can be ragged. */
		if (b - base < BITS_PER_LONG)
			f &= BITMAP_LAST_WORD_MASK(b - base);
		if (open) {
			if (!~f)
				continue;
			t = __ffs(~f);
			open = false;
			if (rs >= lim)
				return false;
			if (base + t - rs >= GP_LONG_RUN &&
			    gp_long_take(l, rs, base + t))
				return true;
			f &= ~0UL << t;
		}
		/* The run at the top goes on into the next word. */
		if (f & BIT(BITS_PER_LONG - 1)) {
			t = ~f ? __fls(~f) + 1 : 0;
			open = true;
			rs = base + t;
			f = t ? f & BITMAP_LAST_WORD_MASK(t) : 0;
		}
		/* Long runs inside the word (folds by constants): rare. */
		for (g = gp_ones_from(f, GP_LONG_RUN); g;
		     g &= ~0UL << (o - base)) {
			z = base + __ffs(g);
			if (z >= lim)
				return false;
			o = base + __ffs(~f & (~0UL << (z - base)));
			if (gp_long_take(l, z, o))
				return true;
		}
	}
	if (open && rs < lim && b - rs >= GP_LONG_RUN &&
	    (b == chunk->nbits || gp_used(chunk, b)))
		return gp_long_take(l, rs, b);
	return false;
}

/*
 * Weigh every free run of GP_LONG_RUN granules or more that starts at or
 * after @l->from and below @l->to, and belongs to node @j of level @lvl
 * or below it, in address order, as gp_mask_find() would find them one
 * after the other; each is measured whole in the bitmap.  Returns true as
 * soon as one of @l->min granules, which none can beat, is taken.  A node
 * that holds no long run although its mask says it may is recomputed, if
 * the walk covered all of it.
 */
static bool gp_mask_long(struct gen_pool_chunk *chunk, unsigned int lvl,
			 unsigned long j, struct gp_long *l)
{
	struct genpool_index *idx = chunk->index;
	unsigned long v = READ_ONCE(*gp_node(idx, lvl, j));
	unsigned long a = gp_node_start(lvl, j);
	unsigned long b = gp_node_end(lvl, j, chunk->nbits);
	unsigned long seen = l->seen, c, cend, p, z, o;
	bool whole = a >= l->from && b <= l->to;

	if (!(gp_mval(v) & BIT(GP_LONG_RUN - 1)) || b <= l->from ||
	    a >= l->to)
		return false;
	if (!lvl) {
		if (l->dense ? gp_long_leaf_words(chunk, a, b, l) :
		    gp_long_leaf_runs(chunk, a, b, l))
			return true;
	} else {
		c = j << GP_FANOUT_SHIFT;
		cend = min(c + GENPOOL_FANOUT, gp_count(idx, lvl - 1));
		for (; c < cend; c++) {
			if (gp_mask_long(chunk, lvl - 1, c, l))
				return true;
			if (c + 1 == cend)
				break;
			p = gp_node_start(lvl - 1, c + 1);
			if (p <= l->from || gp_used(chunk, p - 1) ||
			    gp_used(chunk, p))
				continue;
			/* The run through the boundary, measured whole. */
			z = gp_run_start(chunk->bits, p, 0);
			if (z >= l->to)
				return false;
			o = find_next_bit(chunk->bits, chunk->nbits, p);
			if (o - z >= GP_LONG_RUN && gp_long_take(l, z, o))
				return true;
		}
	}
	if (whole && l->seen == seen)
		gp_mask_tighten(chunk, lvl, j, v, l->token, false);
	return false;
}

/*
 * The first of the shortest long runs is remembered in @idx->long_run
 * (see struct genpool_index) as a whole walk found it, up to this length:
 * a change that may affect it measures the runs it leaves up to the
 * remembered length.
 */
#define GP_LONG_KEEP	1024UL

static inline unsigned long gp_long_pack(unsigned long rs, unsigned long len)
{
	if (len < GP_LONG_RUN || len > GP_LONG_KEEP || rs > U32_MAX >> 1)
		return 0;
	return rs << 32 | len;
}

static inline unsigned long gp_long_start(unsigned long v)
{
	return v >> 32;
}

static inline unsigned long gp_long_len(unsigned long v)
{
	return v & U32_MAX;
}

/*
 * The remembered run @v if it is still there, free from end to end and
 * allocated (or the chunk's edge) on either side, and holds @nr granules;
 * else ULONG_MAX.
 */
static unsigned long gp_long_hit(const struct gen_pool_chunk *chunk,
				 unsigned long v, unsigned long nr)
{
	unsigned long rs = gp_long_start(v), re = rs + gp_long_len(v);

	if (!v || !gp_known(v) || re - rs < nr || re > chunk->nbits)
		return ULONG_MAX;
	if ((rs && !gp_used(chunk, rs - 1)) ||
	    (re < chunk->nbits && !gp_used(chunk, re)) ||
	    find_next_bit(chunk->bits, re, rs) < re)
		return ULONG_MAX;
	return rs;
}

/*
 * True if the long free run of @len granules at @rs comes before the
 * remembered run @v in best fit's order: shorter, or as long and lower.
 */
static inline bool gp_long_before(unsigned long rs, unsigned long len,
				  unsigned long v)
{
	return len < gp_long_len(v) ||
	       (len == gp_long_len(v) && rs < gp_long_start(v));
}

/*
 * Bits [@lo, @hi) have just been claimed, or if @lo == @hi a free run
 * through bit @lo has just grown, and a free run of GP_LONG_RUN granules
 * or more may have been left there.  The remembered run stays the first
 * of the shortest unless a run left here comes before it; then that run
 * is remembered instead, the first of the shortest now, as every other
 * long run came after the remembered one (a claim out of the remembered
 * run itself leaves only runs shorter than every other).  If the claim
 * came out of the remembered run and left no long run, the next shortest
 * is not known and the answer is forgotten.  A walk in progress is made
 * to fail its publication.  The bitmap was changed by a
 * compare-and-exchange, a full barrier, and so was any mask node that did
 * not say long runs already: a walk that claimed the word before it is
 * read here sees PENDING, and one that claims it after sees the change.
 * A run measured here may be gone by the time it is remembered, as the
 * remembered run may be at any time: best fit checks it in the bitmap.
 */
static void gp_long_changed(struct gen_pool_chunk *chunk, unsigned long lo,
			    unsigned long hi)
{
	unsigned long *word = &chunk->index->long_run;
	unsigned long v = READ_ONCE(*word), len, a, b, rs, nv;

	do {
		if (!v)
			return;
		nv = 0;
		if (!gp_known(v))
			continue;
		len = gp_long_len(v);
		if (lo == hi) {
			/* The run through @lo, measured past @len at most. */
			rs = gp_run_start(chunk->bits, lo,
					  lo > len + 1 ? lo - len - 1 : 0);
			a = lo - rs + gp_clear_after(chunk, lo, len + 1);
			if (a < GP_LONG_RUN || a > len ||
			    !gp_long_before(rs, a, v))
				return;
			nv = gp_long_pack(rs, a);
			continue;
		}
		a = gp_mask_measure(chunk, lo, len);
		b = gp_mask_measure(chunk, hi, len);
		if (lo - a == gp_long_start(v) && a + (hi - lo) + b == len) {
			/* Cut out of the remembered run: a and b are shorter. */
			if (a >= GP_LONG_RUN && (b < GP_LONG_RUN || a <= b))
				nv = gp_long_pack(lo - a, a);
			else if (b >= GP_LONG_RUN)
				nv = gp_long_pack(hi, b);
			continue;
		}
		/* The run left before the claim comes first if as long. */
		if (a < GP_LONG_RUN || a > len || (b >= GP_LONG_RUN && b < a))
			a = 0;
		if (a && gp_long_before(lo - a, a, v))
			nv = gp_long_pack(lo - a, a);
		else if (b >= GP_LONG_RUN && b <= len &&
			 gp_long_before(hi, b, v))
			nv = gp_long_pack(hi, b);
		else
			return;
	} while (!try_cmpxchg(word, &v, nv));
}

/*
 * Best fit through the length masks: the first of the shortest free runs
 * of at least @nr granules, as gen_pool_best_fit() picks it, or the
 * chunk's size.  Lengths are tried from @nr up.  Runs of GP_LONG_RUN or
 * more share one bit: if none shorter fits, every long run is measured,
 * in address order.
 */
static unsigned long gp_mask_best(struct gen_pool_chunk *chunk,
				  unsigned long start, unsigned long nr,
				  struct gp_held *held)
{
	struct genpool_index *idx = chunk->index;
	unsigned int root = idx->levels - 1;
	unsigned long token = (unsigned long)&token >> 2, len, ret, v;
	unsigned long pending = 0, bound = GP_LONG_RUN;
	bool kept, found = false;
	struct gp_long l = {
		.min = max(nr, GP_LONG_RUN), .len = ULONG_MAX, .token = token,
		.to = ULONG_MAX,
	};

	if (start)
		goto plain;
	for (len = nr; len < GP_LONG_RUN; len++) {
		if (!(gp_mval(READ_ONCE(*gp_node(idx, root, 0))) & gp_mbit(len)))
			continue;
		ret = gp_mask_find(chunk, root, 0, len, token, held);
		if (ret != ULONG_MAX)
			return ret;
	}
	v = READ_ONCE(idx->long_run);
	ret = gp_long_hit(chunk, v, nr);
	if (ret != ULONG_MAX)
		return ret;
	/*
	 * More than three quarters allocated: a leaf's free runs are many
	 * and short and a long one is rare, so a walk steps through leaves
	 * a word at a time; otherwise they are fewer and longer, and two
	 * searches per run cost less (gp_long_leaf_runs()).
	 */
	l.dense = (unsigned long)atomic_long_read(&chunk->avail) <
		  chunk_size(chunk) / 4;
	/*
	 * Even gone, the remembered run still bounds the others: none is
	 * shorter, and none as long comes before it.  So the walk may stop
	 * at the first run of its length, which it looks for after the
	 * remembered run first, and before it only if none is there.
	 */
	kept = v && gp_known(v);
	if (kept)
		bound = gp_long_len(v);
	l.min = max(l.min, bound);
	/* Only a walk down to that bound finds the first of the shortest. */
	if (nr <= bound)
		pending = gp_mask_claim(&idx->long_run, v, token);
	if (kept && nr <= bound) {
		l.from = gp_long_start(v);
		/* A run through it that starts below is for the second part. */
		if (l.from && !gp_used(chunk, l.from - 1))
			l.from = find_next_bit(chunk->bits, chunk->nbits,
					       l.from);
		found = gp_mask_long(chunk, root, 0, &l);
		l.from = 0;
		l.to = gp_long_start(v);
	}
	if (!found)
		gp_mask_long(chunk, root, 0, &l);
	if (pending)
		cmpxchg(&idx->long_run, pending, l.len == ULONG_MAX ? 0 :
			gp_long_pack(l.best, l.len));
	return l.len != ULONG_MAX ? l.best : chunk->nbits;
plain:
	return gen_pool_best_fit(chunk->bits, chunk->nbits, start, nr, NULL,
				 NULL, chunk->start_addr);
}
#else
static unsigned long gp_reach_first(struct gen_pool_chunk *chunk,
				    unsigned long start, unsigned long nr)
{
	return chunk->nbits;
}

static void gp_reach_alloc(struct gen_pool_chunk *chunk, unsigned long start,
			   unsigned long nbits)
{
}

static void gp_reach_free(struct gen_pool_chunk *chunk, unsigned long start,
			  unsigned long nbits)
{
}

static void gp_reach_init(struct genpool_index *idx, unsigned long nbits)
{
}

static void gp_mask_alloc(struct gen_pool_chunk *chunk, unsigned long start,
			  unsigned long nbits, struct gp_held *held)
{
}

static void gp_mask_free(struct gen_pool_chunk *chunk, unsigned long start,
			 unsigned long nbits)
{
}

static unsigned long gp_mask_best(struct gen_pool_chunk *chunk,
				  unsigned long start, unsigned long nr,
				  struct gp_held *held)
{
	return chunk->nbits;
}
#endif /* GP_REACH */

/*
 * Leave the reach hints for @form, unless the chunk has left them
 * already; returns the form the chunk now has.  The new form's nodes are
 * all DIRTY until searches recompute them.  Writers read @idx->form after
 * their compare-and-exchange on the bitmap, and searchers claim a node
 * before they read the bitmap under it, both full barriers: so a writer
 * that still saw GP_FORM_REACH made its change before any node is
 * recomputed.
 */
static unsigned int gp_switch(struct genpool_index *idx, unsigned int form)
{
	unsigned int old = READ_ONCE(idx->form);

	if (old != GP_FORM_REACH)
		return old;
	old = cmpxchg(&idx->form, GP_FORM_REACH, form);
	/* Pairs with the bitmap's compare-and-exchange in every writer. */
	smp_mb();
	return old == GP_FORM_REACH ? form : old;
}

/* Bits [@start, @start + @nbits) have just been claimed by @algo. */
static void gp_after_alloc(struct gen_pool_chunk *chunk, genpool_algo_t algo,
			   unsigned long start, unsigned long nbits,
			   struct gp_held *held)
{
	if (!chunk->index || !nbits)
		return;
	switch (READ_ONCE(chunk->index->form)) {
	case GP_FORM_REACH:
		gp_reach_alloc(chunk, start, nbits);
		return;
	case GP_FORM_MASKS:
		gp_mask_alloc(chunk, start, nbits, held);
		return;
	}
	gp_note_alloc(chunk, start, nbits);
	if (algo != gen_pool_best_fit)
		gp_refresh_leaf(chunk, start, nbits);
}

/* Bits [@start, @start + @nbits) have just been cleared. */
static void gp_after_free(struct gen_pool_chunk *chunk, unsigned long start,
			  unsigned long nbits)
{
	if (!chunk->index || !nbits)
		return;
	switch (READ_ONCE(chunk->index->form)) {
	case GP_FORM_REACH:
		gp_reach_free(chunk, start, nbits);
		break;
	case GP_FORM_MASKS:
		gp_mask_free(chunk, start, nbits);
		break;
	default:
		gp_note_free(chunk, start, nbits);
	}
}

/* ------------------------------------------------------------------ */
/* Claiming and releasing bits                                        */
/* ------------------------------------------------------------------ */

/* Mask of bits [@from, @to) within the word holding bit @from. */
static inline unsigned long gp_word_mask(unsigned long from, unsigned long to)
{
	unsigned long mask = BITMAP_FIRST_WORD_MASK(from);

	if (BIT_WORD(from) == BIT_WORD(to - 1))
		mask &= BITMAP_LAST_WORD_MASK(to);
	return mask;
}

/* Set @mask in *@p if none of it is set yet. */
static bool gp_set_word(unsigned long *p, unsigned long mask)
{
	unsigned long old = READ_ONCE(*p);

	for (;;) {
		if (old & mask)
			return false;
		if (try_cmpxchg(p, &old, old | mask))
			return true;
		cpu_relax();
	}
}

/* Clear @mask in *@p if all of it is set. */
static bool gp_clear_word(unsigned long *p, unsigned long mask)
{
	unsigned long old = READ_ONCE(*p);

	for (;;) {
		if ((old & mask) != mask)
			return false;
		if (try_cmpxchg(p, &old, old & ~mask))
			return true;
		cpu_relax();
	}
}

/*
 * Clear bits [@start, @start + @nbits) that are all set.  Returns how
 * many bits were cleared, which is less than @nbits only if some bit
 * turned out to be clear (a concurrent double free).
 */
static unsigned long gp_clear_range(unsigned long *map, unsigned long start,
				    unsigned long nbits)
{
	unsigned long pos = start, end = start + nbits;

	while (pos < end) {
		unsigned long next = min(end, (BIT_WORD(pos) + 1) * BITS_PER_LONG);

		if (!gp_clear_word(map + BIT_WORD(pos), gp_word_mask(pos, next)))
			break;
		pos = next;
	}
	return pos - start;
}

/* Set bits [@start, @start + @nbits), all or none. */
static bool gp_set_range(struct gen_pool_chunk *chunk, unsigned long start,
			 unsigned long nbits)
{
	unsigned long pos = start, end = start + nbits;

	while (pos < end) {
		unsigned long next = min(end, (BIT_WORD(pos) + 1) * BITS_PER_LONG);

		if (!gp_set_word(chunk->bits + BIT_WORD(pos),
				 gp_word_mask(pos, next))) {
			/* Lost a race: give back what was claimed. */
			if (pos > start) {
				unsigned long done;

				done = gp_clear_range(chunk->bits, start,
						      pos - start);
				genpool_warn(done != pos - start,
					     "bitmap of chunk %#lx changed under a claim",
					     chunk->start_addr);
				gp_after_free(chunk, start, pos - start);
			}
			return false;
		}
		pos = next;
	}
	return true;
}

/* True if bits [@start, @start + @nbits) of @map are all set. */
static bool gp_range_set(const unsigned long *map, unsigned long start,
			 unsigned long nbits)
{
	return find_next_zero_bit(map, start + nbits, start) >= start + nbits;
}

/*
 * Free bits [@start, @start + @nbits) of @map: clear nothing unless they
 * are all set.  Within one word the compare-and-exchange that clears them
 * checks that, so most frees read the bitmap once; a longer range is
 * checked first.  Returns how many bits were cleared, 0 if not all were
 * set (a double free), fewer than @nbits after a concurrent double free.
 */
static unsigned long gp_free_range(unsigned long *map, unsigned long start,
				   unsigned long nbits)
{
	if (BIT_WORD(start) != BIT_WORD(start + nbits - 1) &&
	    !gp_range_set(map, start, nbits))
		return 0;
	return gp_clear_range(map, start, nbits);
}

/* ------------------------------------------------------------------ */
/* Pools and chunks                                                   */
/* ------------------------------------------------------------------ */

/* Words in a bitmap of @nbits bits, without overflowing. */
static inline unsigned long gp_longs(unsigned long nbits)
{
	return nbits / BITS_PER_LONG + !!(nbits % BITS_PER_LONG);
}

/*
 * Set bits in the first @nbits bits of @map.  bitmap_weight() takes an
 * unsigned int count, and a chunk may hold more granules than that.
 */
static unsigned long gp_weight(const unsigned long *map, unsigned long nbits)
{
	unsigned long i, w = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		w += hweight_long(map[i]);
	if (nbits % BITS_PER_LONG)
		w += hweight_long(map[i] & BITMAP_LAST_WORD_MASK(nbits));
	return w;
}

/* Granules needed for @size bytes, rounded up without overflowing. */
static inline unsigned long gp_granules(size_t size, int order)
{
	return (size >> order) + !!(size & ((1UL << order) - 1));
}

/*
 * A seam for KUnit, kept next to its only callers.  Without CONFIG_KUNIT
 * the redirection vanishes and the helper is a static function returning
 * false, which the compiler folds away.
 */
/**
 * gen_pool_fail_meta_alloc - fail an allocation of a pool's bookkeeping?
 * @what: which allocation is about to be made: "pool", "chunk", "name" or
 *	  "devres"
 *
 * gen_pool_create(), gen_pool_add_owner() and devm_gen_pool_create() ask
 * before each allocation of their own.  A KUnit test redirects this
 * function with kunit_activate_static_stub() to make any one of those
 * allocations fail and check that the caller cleans up; otherwise it
 * never fails anything.
 *
 * Context: Any context; called where the caller is about to allocate.
 * Return: true if the caller must act as if the allocation had failed,
 * false to go ahead with it.
 */
VISIBLE_IF_KUNIT bool gen_pool_fail_meta_alloc(const char *what)
{
	KUNIT_STATIC_STUB_REDIRECT(gen_pool_fail_meta_alloc, what);
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(gen_pool_fail_meta_alloc);

/**
 * gen_pool_create - create a new pool
 * @min_alloc_order: log2 of the granule size in bytes, 0 to BITS_PER_LONG - 1
 * @nid: NUMA node for the pool structure, or NUMA_NO_NODE
 *
 * The pool starts empty, with gen_pool_first_fit() as its strategy.
 *
 * Context: Process context; may sleep.
 * Return: the new pool, or NULL if @min_alloc_order is out of range or
 * memory is short.
 */
struct gen_pool *gen_pool_create(int min_alloc_order, int nid)
{
	struct gen_pool *pool;

	if (genpool_warn(min_alloc_order < 0 ||
			 min_alloc_order >= BITS_PER_LONG,
			 "invalid min_alloc_order %d", min_alloc_order))
		return NULL;

	if (gen_pool_fail_meta_alloc("pool"))
		return NULL;
	pool = kmalloc_node(sizeof(*pool), GFP_KERNEL, nid);
	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->chunks);
	pool->min_alloc_order = min_alloc_order;
	pool->algo = gen_pool_first_fit;
	pool->data = NULL;
	pool->name = NULL;
	return pool;
}
EXPORT_SYMBOL(gen_pool_create);

/* Does [@start, @end] meet a chunk of @pool?  Caller holds @pool->lock. */
static bool gp_overlaps(struct gen_pool *pool, unsigned long start,
			unsigned long end)
	__must_hold(&pool->lock)
{
	struct gen_pool_chunk *chunk;

	lockdep_assert_held(&pool->lock);
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk,
				lockdep_is_held(&pool->lock))
		if (start <= chunk->end_addr && chunk->start_addr <= end)
			return true;
	return false;
}

/**
 * gen_pool_add_owner - add a range of memory to a pool
 * @pool: the pool
 * @virt: address of the first byte, as allocations will return it
 * @phys: physical address of the first byte, for gen_pool_virt_to_phys()
 * @size: size of the range in bytes; a tail smaller than a granule is
 *	  counted in gen_pool_avail() but never allocated
 * @nid: NUMA node for the chunk's bookkeeping, or NUMA_NO_NODE
 * @owner: cookie handed back by gen_pool_alloc_owner() and
 *	   gen_pool_free_owner() for blocks of this range
 *
 * The new chunk is searched before the pool's older chunks.  The range
 * may end at the very top of the address space but must not wrap around
 * it, must not be empty, and must not overlap a chunk already in the pool.
 *
 * Context: Process context; may sleep.  Takes and releases @pool->lock.
 * Return:
 * * 0 - the range was added
 * * -EINVAL - @pool is NULL, or the range is empty, wraps or overlaps
 * * -ENOMEM - memory for the chunk's bookkeeping could not be allocated
 */
int gen_pool_add_owner(struct gen_pool *pool, unsigned long virt,
		       phys_addr_t phys, size_t size, int nid, void *owner)
{
	struct gen_pool_chunk *chunk;
	unsigned long nbits, end;
	size_t bytes, ibytes;
	bool overlap;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return -EINVAL;
	if (genpool_warn(!size, "adding an empty range at %#lx", virt))
		return -EINVAL;
	if (genpool_warn(check_add_overflow(virt, size - 1, &end),
			 "range %#lx + %#zx wraps around", virt, size))
		return -EINVAL;

	/* Refuse an overlap before allocating bookkeeping for it. */
	spin_lock(&pool->lock);
	overlap = gp_overlaps(pool, virt, end);
	spin_unlock(&pool->lock);
	if (genpool_warn(overlap, "range %#lx-%#lx overlaps a chunk of the pool",
			 virt, end))
		return -EINVAL;

	nbits = size >> pool->min_alloc_order;
	ibytes = gp_index_bytes(nbits);
	bytes = size_add(struct_size(chunk, bits, gp_longs(nbits)), ibytes);
	if (gen_pool_fail_meta_alloc("chunk"))
		return -ENOMEM;
	chunk = vzalloc_node(bytes, nid);
	if (!chunk)
		return -ENOMEM;

	chunk->phys_addr = phys;
	chunk->start_addr = virt;
	chunk->end_addr = end;
	chunk->owner = owner;
	chunk->nbits = nbits;
	atomic_long_set(&chunk->avail, size);
	if (ibytes) {
		chunk->index = (void *)&chunk->bits[gp_longs(nbits)];
		gp_index_init(chunk->index, nbits, virt,
			      pool->min_alloc_order);
	}

	spin_lock(&pool->lock);
	overlap = gp_overlaps(pool, virt, end);
	if (!overlap)
		list_add_rcu(&chunk->next_chunk, &pool->chunks);
	spin_unlock(&pool->lock);

	if (genpool_warn(overlap, "range %#lx-%#lx overlaps a chunk added concurrently",
			 virt, end)) {
		vfree(chunk);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL(gen_pool_add_owner);

/**
 * gen_pool_virt_to_phys - translate an address of a pool to physical
 * @pool: the pool
 * @addr: an address inside one of the pool's chunks
 *
 * Whether @addr is allocated is not checked.  For chunks added with
 * gen_pool_add(), whose physical address is all ones, the result is
 * meaningless.
 *
 * Context: Any context, including NMI.  Takes and releases the RCU read
 * lock.
 * Return: the physical address, or all ones (-1) if @addr is in no chunk.
 */
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr)
{
	struct gen_pool_chunk *chunk;
	phys_addr_t paddr = -1;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return -1;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (addr >= chunk->start_addr && addr <= chunk->end_addr) {
			paddr = chunk->phys_addr + (addr - chunk->start_addr);
			break;
		}
	}
	rcu_read_unlock();
	return paddr;
}
EXPORT_SYMBOL(gen_pool_virt_to_phys);

/**
 * gen_pool_destroy - destroy a pool
 * @pool: the pool, with every allocation freed
 *
 * Frees the pool's bookkeeping, never the memory it manages.  Nothing may
 * use the pool concurrently or afterwards.  If a chunk still has
 * allocations, each such chunk is reported and nothing at all is freed:
 * the pool stays valid, so that late frees of its blocks still work, and
 * its bookkeeping is leaked.
 *
 * Context: Process context; may sleep.
 */
void gen_pool_destroy(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *tmp;
	bool busy = false;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return;

	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		unsigned long used = gp_weight(chunk->bits, chunk->nbits);

		if (!used)
			continue;
		pr_err("genalloc: pool %s: chunk %#lx-%#lx still has %lu bytes allocated\n",
		       pool->name ?: "(unnamed)", chunk->start_addr,
		       chunk->end_addr, used << pool->min_alloc_order);
		busy = true;
	}
	if (genpool_warn(busy, "destroying a pool with outstanding allocations; leaking it"))
		return;

	list_for_each_entry_safe(chunk, tmp, &pool->chunks, next_chunk) {
		list_del(&chunk->next_chunk);
		vfree(chunk);
	}
	kfree_const(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL(gen_pool_destroy);

/*
 * The granule mask and offset that make first fit return only bits whose
 * absolute address is a multiple of @data's alignment.  False, after a
 * warning, if the alignment or the arguments are unusable.
 */
static bool gp_align_params(struct gen_pool *pool, void *data,
			    unsigned long start_addr, unsigned long *mask,
			    unsigned long *off)
{
	struct genpool_data_align *alignment = data;
	unsigned long align;
	int order;

	if (genpool_warn(!pool || !alignment,
			 "first_fit_align needs a pool and struct genpool_data_align"))
		return false;
	if (genpool_warn(alignment->align <= 0 ||
			 !is_power_of_2(alignment->align),
			 "alignment %d is not a positive power of two",
			 alignment->align))
		return false;

	order = pool->min_alloc_order;
	align = alignment->align;
	*mask = ((align + (1UL << order) - 1) >> order) - 1;
	*off = (start_addr & (align - 1)) >> order;
	return true;
}

/* Search @chunk with @algo, using the index for the built-in strategies. */
static unsigned long gp_search(struct gen_pool *pool,
			       struct gen_pool_chunk *chunk,
			       genpool_algo_t algo, void *data,
			       unsigned long start, unsigned int nr,
			       struct gp_held *held)
{
	struct genpool_index *idx = chunk->index;
	unsigned long mask, off;

	if (!idx || start >= chunk->nbits || !nr)
		goto plain;
	if (algo == gen_pool_first_fit) {
		switch (READ_ONCE(idx->form)) {
		case GP_FORM_REACH:
			return gp_reach_first(chunk, start, nr);
		case GP_FORM_TREE:
			return gp_index_find(chunk, start, nr, 0, 0);
		}
		goto plain;
	}
	if (algo == gen_pool_best_fit) {
		if (gp_switch(idx, GP_FORM_MASKS) == GP_FORM_MASKS)
			return gp_mask_best(chunk, start, nr, held);
		return gp_index_best(chunk, start, nr);
	}
	if (algo == gen_pool_first_fit_order_align) {
		if (gp_switch(idx, GP_FORM_TREE) != GP_FORM_TREE)
			goto plain;
		return gp_index_find(chunk, start, nr,
				     roundup_pow_of_two(nr) - 1, 0);
	}
	if (algo == gen_pool_first_fit_align) {
		if (!gp_align_params(pool, data, chunk->start_addr, &mask,
				     &off))
			return chunk->nbits;
		if (gp_switch(idx, GP_FORM_TREE) != GP_FORM_TREE)
			goto plain;
		return gp_index_find(chunk, start, nr, mask, off);
	}
plain:
	return algo(chunk->bits, chunk->nbits, start, nr, data, pool,
		    chunk->start_addr);
}

/* Reject calls from NMI where cmpxchg is not NMI-safe. */
static inline bool gp_nmi_unsafe(void)
{
	return !IS_ENABLED(CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG) && in_nmi();
}

/**
 * gen_pool_alloc_algo_owner - allocate a block with a given strategy
 * @pool: the pool
 * @size: number of bytes, rounded up to whole granules
 * @algo: the strategy
 * @data: argument for @algo
 * @owner: if not NULL, cleared on entry and set to the owner cookie of the
 *	   chunk the block came from
 *
 * Chunks are tried newest first; the first one in which @algo finds room
 * provides the block.  A block never spans two chunks.
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.  Never sleeps; takes and releases the RCU read lock.
 * Return: the address of the block, or 0 if no chunk has room.  A block
 * at address 0 cannot be told from failure, so pools should not contain
 * address 0.
 */
unsigned long gen_pool_alloc_algo_owner(struct gen_pool *pool, size_t size,
					genpool_algo_t algo, void *data,
					void **owner)
{
	struct gen_pool_chunk *chunk;
	unsigned long addr, nbits, start_bit;
	struct gp_held held;
	int order;

	if (owner)
		*owner = NULL;
	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return 0;
	if (genpool_warn(gp_nmi_unsafe(), "allocation from NMI without NMI-safe cmpxchg"))
		return 0;
	if (genpool_warn(!size, "zero-size allocation"))
		return 0;
	if (genpool_warn(!algo, "NULL allocation strategy"))
		return 0;

	order = pool->min_alloc_order;
	nbits = gp_granules(size, order);
	/* The other fields are set with @node; see gp_mask_hold(). */
	held.node = NULL;
	/* Its address is unique while this frame is live; see gp_claim(). */
	held.token = (unsigned long)&held >> 2;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (size > (unsigned long)atomic_long_read(&chunk->avail))
			continue;
		if ((unsigned int)nbits != nbits)
			continue;	/* more than a strategy can express */
		start_bit = 0;
		for (;;) {
			start_bit = gp_search(pool, chunk, algo, data,
					      start_bit, nbits, &held);
			if (start_bit >= chunk->nbits)
				break;
			if (genpool_warn(nbits > chunk->nbits - start_bit,
					 "strategy %ps chose bit %lu for %lu bits of a %lu-bit chunk",
					 algo, start_bit, nbits, chunk->nbits))
				break;
			if (gp_set_range(chunk, start_bit, nbits))
				goto found;
			gp_held_release(&held);
		}
		gp_held_release(&held);
	}
	rcu_read_unlock();
	return 0;

found:
	/*
	 * The counter right after the bitmap, before the index: on the
	 * userspace benchmark (x86) this locked subtraction cost W1 about
	 * 5 ns a step more when it came after the index's
	 * compare-and-exchanges.
	 */
	atomic_long_sub(nbits << order, &chunk->avail);
	/* A leaf held (masks only) is published or given back there. */
	gp_after_alloc(chunk, algo, start_bit, nbits, &held);
	addr = chunk->start_addr + (start_bit << order);
	if (owner)
		*owner = chunk->owner;
	rcu_read_unlock();
	return addr;
}
EXPORT_SYMBOL(gen_pool_alloc_algo_owner);

/**
 * gen_pool_dma_alloc - allocate a block and return its physical address
 * @pool: the pool
 * @size: number of bytes
 * @dma: if not NULL, receives the physical address of the block
 *
 * Uses the pool's strategy.  @dma is left untouched on failure.
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.
 * Return: the address of the block, or NULL on failure.
 */
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return NULL;
	return gen_pool_dma_alloc_algo(pool, size, dma, pool->algo,
				       pool->data);
}
EXPORT_SYMBOL(gen_pool_dma_alloc);

/**
 * gen_pool_dma_alloc_algo - allocate a block with a given strategy and
 * return its physical address
 * @pool: the pool, or NULL (then nothing happens)
 * @size: number of bytes
 * @dma: if not NULL, receives the physical address of the block
 * @algo: the strategy
 * @data: argument for @algo
 *
 * @dma is left untouched on failure.
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.
 * Return: the address of the block, or NULL on failure.
 */
void *gen_pool_dma_alloc_algo(struct gen_pool *pool, size_t size,
			      dma_addr_t *dma, genpool_algo_t algo, void *data)
{
	unsigned long vaddr;

	if (!pool)
		return NULL;
	vaddr = gen_pool_alloc_algo(pool, size, algo, data);
	if (!vaddr)
		return NULL;
	if (dma)
		*dma = gen_pool_virt_to_phys(pool, vaddr);
	return (void *)vaddr;
}
EXPORT_SYMBOL(gen_pool_dma_alloc_algo);

/**
 * gen_pool_dma_alloc_align - allocate an aligned block and return its
 * physical address
 * @pool: the pool, or NULL (then nothing happens)
 * @size: number of bytes
 * @dma: if not NULL, receives the physical address of the block
 * @align: alignment of the block's address in bytes, a power of two
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.
 * Return: the address of the block, or NULL on failure.
 */
void *gen_pool_dma_alloc_align(struct gen_pool *pool, size_t size,
			       dma_addr_t *dma, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_dma_alloc_algo(pool, size, dma,
				       gen_pool_first_fit_align, &data);
}
EXPORT_SYMBOL(gen_pool_dma_alloc_align);

/**
 * gen_pool_dma_zalloc - allocate a zeroed block and return its physical
 * address
 * @pool: the pool
 * @size: number of bytes; exactly this many are zeroed
 * @dma: if not NULL, receives the physical address of the block
 *
 * Uses the pool's strategy.  The pool's addresses must be mapped virtual
 * addresses.  @dma is left untouched on failure.
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.
 * Return: the address of the block, or NULL on failure.
 */
void *gen_pool_dma_zalloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return NULL;
	return gen_pool_dma_zalloc_algo(pool, size, dma, pool->algo,
					pool->data);
}
EXPORT_SYMBOL(gen_pool_dma_zalloc);

/**
 * gen_pool_dma_zalloc_algo - allocate a zeroed block with a given strategy
 * and return its physical address
 * @pool: the pool, or NULL (then nothing happens)
 * @size: number of bytes; exactly this many are zeroed
 * @dma: if not NULL, receives the physical address of the block
 * @algo: the strategy
 * @data: argument for @algo
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.
 * Return: the address of the block, or NULL on failure.
 */
void *gen_pool_dma_zalloc_algo(struct gen_pool *pool, size_t size,
			       dma_addr_t *dma, genpool_algo_t algo,
			       void *data)
{
	void *vaddr = gen_pool_dma_alloc_algo(pool, size, dma, algo, data);

	if (vaddr)
		memset(vaddr, 0, size);
	return vaddr;
}
EXPORT_SYMBOL(gen_pool_dma_zalloc_algo);

/**
 * gen_pool_dma_zalloc_align - allocate a zeroed, aligned block and return
 * its physical address
 * @pool: the pool, or NULL (then nothing happens)
 * @size: number of bytes; exactly this many are zeroed
 * @dma: if not NULL, receives the physical address of the block
 * @align: alignment of the block's address in bytes, a power of two
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.
 * Return: the address of the block, or NULL on failure.
 */
void *gen_pool_dma_zalloc_align(struct gen_pool *pool, size_t size,
				dma_addr_t *dma, int align)
{
	struct genpool_data_align data = { .align = align };

	return gen_pool_dma_zalloc_algo(pool, size, dma,
					gen_pool_first_fit_align, &data);
}
EXPORT_SYMBOL(gen_pool_dma_zalloc_align);

/**
 * gen_pool_free_owner - free a block
 * @pool: the pool
 * @addr: address of the block; an address inside its first granule will do
 * @size: size of the block in bytes, as allocated
 * @owner: if not NULL, cleared on entry and set to the owner cookie of the
 *	   block's chunk
 *
 * Any range of allocated granules may be freed: part of a block, or
 * several adjacent blocks at once.  A range that is not entirely
 * allocated, or does not lie within one chunk, is reported and nothing is
 * freed.
 *
 * Context: Any context, including NMI on architectures with NMI-safe
 * cmpxchg.  Never sleeps; takes and releases the RCU read lock.
 */
void gen_pool_free_owner(struct gen_pool *pool, unsigned long addr,
			 size_t size, void **owner)
{
	struct gen_pool_chunk *chunk;
	unsigned long start_bit, nbits, done;
	int order;

	if (owner)
		*owner = NULL;
	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return;
	if (genpool_warn(gp_nmi_unsafe(), "free from NMI without NMI-safe cmpxchg"))
		return;
	order = pool->min_alloc_order;
	nbits = gp_granules(size, order);

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (addr >= chunk->start_addr && addr <= chunk->end_addr)
			goto found;
	}
	rcu_read_unlock();
	genpool_warn(1, "free of %#lx, which is in no chunk of the pool", addr);
	return;

found:
	if (genpool_warn(!size, "zero-size free at %#lx", addr)) {
		/* Upstream still reports the owner. */
		if (owner)
			*owner = chunk->owner;
		goto out;
	}
	start_bit = (addr - chunk->start_addr) >> order;
	if (genpool_warn(size - 1 > chunk->end_addr - addr ||
			 start_bit > chunk->nbits ||
			 nbits > chunk->nbits - start_bit,
			 "free of %#lx + %#zx runs past the end of chunk %#lx-%#lx",
			 addr, size, chunk->start_addr, chunk->end_addr))
		goto out;
	done = gp_free_range(chunk->bits, start_bit, nbits);
	if (genpool_warn(!done,
			 "free of %#lx + %#zx, which is not allocated (double free?)",
			 addr, size))
		goto out;
	genpool_warn(done != nbits, "concurrent double free at %#lx", addr);
	/* The counter before the index, as in gen_pool_alloc_algo_owner(). */
	atomic_long_add(done << order, &chunk->avail);
	gp_after_free(chunk, start_bit, done);
	if (owner)
		*owner = chunk->owner;
out:
	rcu_read_unlock();
}
EXPORT_SYMBOL(gen_pool_free_owner);

/*
 * Documented with its prototype in <linux/genalloc.h>.  The parentheses
 * around the name keep checkpatch from taking this definition for a
 * for_each loop.
 */
void (gen_pool_for_each_chunk)(struct gen_pool *pool, gp_chunk_func_t func,
			       void *data)
{
	struct gen_pool_chunk *chunk;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		func(pool, chunk, data);
	rcu_read_unlock();
}
EXPORT_SYMBOL(gen_pool_for_each_chunk);

/**
 * gen_pool_has_addr - is a range of addresses inside one chunk of a pool?
 * @pool: the pool
 * @start: first address of the range
 * @size: size of the range in bytes
 *
 * Allocation state is not looked at.  A range spanning two adjacent
 * chunks is not inside the pool.
 *
 * Context: Any context, including NMI.  Takes and releases the RCU read
 * lock.
 * Return: true if one chunk contains @start and the range's last byte.
 */
bool gen_pool_has_addr(struct gen_pool *pool, unsigned long start,
		       size_t size)
{
	unsigned long end = start + size - 1;
	struct gen_pool_chunk *chunk;
	bool found = false;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return false;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (start >= chunk->start_addr && start <= chunk->end_addr &&
		    end <= chunk->end_addr) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL(gen_pool_has_addr);

/**
 * gen_pool_avail - free space of a pool
 * @pool: the pool
 *
 * Counts every byte not allocated, including each chunk's tail smaller
 * than a granule, which can never be allocated.  Concurrent allocations
 * and frees may or may not be reflected.
 *
 * Context: Any context, including NMI.  Takes and releases the RCU read
 * lock.
 * Return: the number of free bytes.
 */
size_t gen_pool_avail(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t avail = 0;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		avail += atomic_long_read(&chunk->avail);
	rcu_read_unlock();
	return avail;
}
EXPORT_SYMBOL_GPL(gen_pool_avail);

/**
 * gen_pool_size - total size of a pool
 * @pool: the pool
 *
 * Context: Any context, including NMI.  Takes and releases the RCU read
 * lock.
 * Return: the sum of the sizes of all chunks, in bytes.
 */
size_t gen_pool_size(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t size = 0;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		size += chunk_size(chunk);
	rcu_read_unlock();
	return size;
}
EXPORT_SYMBOL_GPL(gen_pool_size);

/**
 * gen_pool_set_algo - set the default allocation strategy of a pool
 * @pool: the pool
 * @algo: the strategy, or NULL for gen_pool_first_fit()
 * @data: argument for @algo; kept by reference, so it must outlive its use
 *
 * The strategy and its argument are two separate words: an allocation
 * running concurrently may see the new one with the old other.
 *
 * Context: Any context.
 */
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data)
{
	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return;

	WRITE_ONCE(pool->algo, algo ?: gen_pool_first_fit);
	WRITE_ONCE(pool->data, data);
}
EXPORT_SYMBOL(gen_pool_set_algo);

/* ------------------------------------------------------------------ */
/* Strategies                                                         */
/* ------------------------------------------------------------------ */

/**
 * gen_pool_first_fit - the lowest free run that fits
 * @map: the bitmap
 * @size: bits in @map
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: unused
 * @pool: unused, may be NULL
 * @start_addr: unused
 *
 * Context: Any context.
 * Return: the first bit of the run, or a value greater than @size if none
 * fits.
 */
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size,
				 unsigned long start, unsigned int nr,
				 void *data, struct gen_pool *pool,
				 unsigned long start_addr)
{
	return gp_find_zero_area(map, size, start, nr, 0, 0);
}
EXPORT_SYMBOL(gen_pool_first_fit);

/**
 * gen_pool_first_fit_align - the lowest free run that fits at an aligned
 * address
 * @map: the bitmap
 * @size: bits in @map
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: a struct genpool_data_align giving the alignment in bytes, a
 *	  power of two
 * @pool: the pool, for its granule size
 * @start_addr: address of bit 0, so that the alignment applies to the
 *		absolute address (for a chunk starting on a granule boundary)
 *
 * Context: Any context.
 * Return: the first bit of the run, or a value not less than @size if
 * none fits or the alignment is invalid (reported once).
 */
unsigned long gen_pool_first_fit_align(unsigned long *map, unsigned long size,
				       unsigned long start, unsigned int nr,
				       void *data, struct gen_pool *pool,
				       unsigned long start_addr)
{
	unsigned long mask, off;

	if (!gp_align_params(pool, data, start_addr, &mask, &off))
		return size;
	return gp_find_zero_area(map, size, start, nr, mask, off);
}
EXPORT_SYMBOL(gen_pool_first_fit_align);

/**
 * gen_pool_fixed_alloc - the run at a fixed offset in each chunk
 * @map: the bitmap
 * @size: bits in @map
 * @start: first bit to consider; the offset is only tried when it is 0
 * @nr: bits wanted
 * @data: a struct genpool_data_fixed giving the byte offset from the start
 *	  of the chunk, a multiple of the granule size
 * @pool: the pool, for its granule size
 * @start_addr: unused
 *
 * Context: Any context.
 * Return: the bit at the offset if the @nr bits from there are free and
 * inside the map, otherwise @size.
 */
unsigned long gen_pool_fixed_alloc(unsigned long *map, unsigned long size,
				   unsigned long start, unsigned int nr,
				   void *data, struct gen_pool *pool,
				   unsigned long start_addr)
{
	struct genpool_data_fixed *fixed = data;
	unsigned long bit;
	int order;

	if (genpool_warn(!pool || !fixed,
			 "fixed_alloc needs a pool and struct genpool_data_fixed"))
		return size;

	order = pool->min_alloc_order;
	if (genpool_warn(fixed->offset & ((1UL << order) - 1),
			 "fixed offset %#lx is not a multiple of the granule",
			 fixed->offset))
		return size;

	bit = fixed->offset >> order;
	if (start || bit >= size || nr > size - bit)
		return size;
	if (find_next_bit(map, bit + nr, bit) < bit + nr)
		return size;
	return bit;
}
EXPORT_SYMBOL(gen_pool_fixed_alloc);

/**
 * gen_pool_first_fit_order_align - the lowest free run that fits, aligned
 * to the request's size
 * @map: the bitmap
 * @size: bits in @map
 * @start: first bit to consider
 * @nr: bits wanted; the run starts at a multiple of @nr rounded up to a
 *	power of two, counted from bit 0 of the chunk
 * @data: unused
 * @pool: unused
 * @start_addr: unused
 *
 * Context: Any context.
 * Return: the first bit of the run, or a value greater than @size if none
 * fits.
 */
unsigned long gen_pool_first_fit_order_align(unsigned long *map,
					     unsigned long size,
					     unsigned long start,
					     unsigned int nr, void *data,
					     struct gen_pool *pool,
					     unsigned long start_addr)
{
	unsigned long mask = nr ? roundup_pow_of_two(nr) - 1 : 0;

	return gp_find_zero_area(map, size, start, nr, mask, 0);
}
EXPORT_SYMBOL(gen_pool_first_fit_order_align);

/**
 * gen_pool_best_fit - the shortest free run that fits
 * @map: the bitmap
 * @size: bits in @map
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: unused
 * @pool: unused
 * @start_addr: unused
 *
 * Of the free runs long enough, the shortest wins, and of several equally
 * short ones the lowest; the block is placed at the start of the run.
 *
 * Context: Any context.
 * Return: the first bit of the run, or @size if none fits.
 */
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size,
				unsigned long start, unsigned int nr,
				void *data, struct gen_pool *pool,
				unsigned long start_addr)
{
	unsigned long best = size, best_len = size + 1;
	unsigned long bit = gp_find_zero_area(map, size, start, nr, 0, 0);

	while (bit < size) {
		unsigned long next = find_next_bit(map, size, bit + nr);
		unsigned long len = next - bit;

		if (len < best_len) {
			best_len = len;
			best = bit;
			if (len == nr)
				break;
		}
		bit = gp_find_zero_area(map, size, next + 1, nr, 0, 0);
	}
	return best;
}
EXPORT_SYMBOL(gen_pool_best_fit);

/* ------------------------------------------------------------------ */
/* Device-managed pools                                               */
/* ------------------------------------------------------------------ */

static void devm_gen_pool_release(struct device *dev, void *res)
{
	gen_pool_destroy(*(struct gen_pool **)res);
}

static int devm_gen_pool_match(struct device *dev, void *res, void *data)
{
	struct gen_pool *pool = *(struct gen_pool **)res;
	const char *name = data;

	if (!name || !pool->name)
		return !name && !pool->name;
	return !strcmp(pool->name, name);
}

/**
 * gen_pool_get - find a device's pool by name
 * @dev: the device that created the pool with devm_gen_pool_create()
 * @name: the pool's name, or NULL for the device's unnamed pool
 *
 * Context: Process or atomic context (takes the device's devres lock);
 * not NMI.
 * Return: the pool, or NULL if the device has no such pool.
 */
struct gen_pool *gen_pool_get(struct device *dev, const char *name)
{
	struct gen_pool **p;

	p = devres_find(dev, devm_gen_pool_release, devm_gen_pool_match,
			(void *)name);
	return p ? *p : NULL;
}
EXPORT_SYMBOL_GPL(gen_pool_get);

/**
 * devm_gen_pool_create - create a pool that lives as long as a device
 * @dev: the device
 * @min_alloc_order: log2 of the granule size in bytes
 * @nid: NUMA node for the pool structure, or NUMA_NO_NODE
 * @name: name for gen_pool_get(), or NULL for the device's unnamed pool
 *
 * A device may have one unnamed pool and any number of named ones.  The
 * pool is destroyed with gen_pool_destroy() when the device is released.
 *
 * Context: Process context; may sleep.
 * Return: the pool, or an ERR_PTR(): -EINVAL if the device already has a
 * pool of that name or @min_alloc_order is out of range, -ENOMEM if memory
 * is short.  Never NULL.
 */
struct gen_pool *devm_gen_pool_create(struct device *dev, int min_alloc_order,
				      int nid, const char *name)
{
	struct gen_pool **ptr, *pool;
	const char *pool_name = NULL;

	if (gen_pool_get(dev, name))
		return ERR_PTR(-EINVAL);
	if (genpool_warn(min_alloc_order < 0 ||
			 min_alloc_order >= BITS_PER_LONG,
			 "invalid min_alloc_order %d", min_alloc_order))
		return ERR_PTR(-EINVAL);

	if (name) {
		if (gen_pool_fail_meta_alloc("name"))
			return ERR_PTR(-ENOMEM);
		pool_name = kstrdup_const(name, GFP_KERNEL);
		if (!pool_name)
			return ERR_PTR(-ENOMEM);
	}

	if (gen_pool_fail_meta_alloc("devres"))
		goto free_name;
	ptr = devres_alloc(devm_gen_pool_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		goto free_name;

	pool = gen_pool_create(min_alloc_order, nid);
	if (!pool)
		goto free_devres;

	pool->name = pool_name;
	*ptr = pool;
	devres_add(dev, ptr);
	return pool;

free_devres:
	devres_free(ptr);
free_name:
	kfree_const(pool_name);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL(devm_gen_pool_create);

#ifdef CONFIG_OF
/**
 * of_gen_pool_get - find the pool a device-tree property points to
 * @np: the consumer's device node
 * @propname: name of a phandle-list property of @np
 * @index: which phandle of the property
 *
 * If the referenced node has a platform device, that device's unnamed pool
 * is returned.  Otherwise the node is taken as a partition of its parent
 * (as with "mmio-sram" children) and the parent device's pool named by the
 * node's "label" property, or else by its name@unit, is returned.  No
 * reference to the pool is taken: it lives as long as its device is bound.
 *
 * Context: Process context; takes device-tree and devres locks.
 * Return: the pool, or NULL if the property, the device or the pool does
 * not exist (yet).
 */
struct gen_pool *of_gen_pool_get(struct device_node *np, const char *propname,
				 int index)
{
	struct platform_device *pdev;
	struct device_node *np_pool, *parent;
	const char *name = NULL;
	struct gen_pool *pool = NULL;

	np_pool = of_parse_phandle(np, propname, index);
	if (!np_pool)
		return NULL;

	pdev = of_find_device_by_node(np_pool);
	if (!pdev) {
		parent = of_get_parent(np_pool);
		pdev = of_find_device_by_node(parent);
		of_node_put(parent);

		if (of_property_read_string(np_pool, "label", &name))
			name = of_node_full_name(np_pool);
	}
	if (pdev) {
		pool = gen_pool_get(&pdev->dev, name);
		put_device(&pdev->dev);
	}
	of_node_put(np_pool);
	return pool;
}
EXPORT_SYMBOL_GPL(of_gen_pool_get);
#endif /* CONFIG_OF */

#ifdef CONFIG_DEBUG_GENALLOC
/*
 * Does the inexact bound @b hold for the true summary @t and the true
 * alignment bounds @al?
 */
static bool gp_covers(const struct gp_sum *b, const struct gp_sum *t,
		      unsigned long al)
{
	unsigned int k;

	if (b->free)
		return true;
	for (k = 1; k <= GP_ALIGN_CLASSES; k++)
		if (gp_al(b->mask, k) < gp_al(al, k))
			return false;
	return !t->free && b->lf >= t->lf && b->rf >= t->rf && b->mx >= t->mx;
}

/*
 * Compute the true summary of node @j on level @lvl from the bitmap into
 * @t and check the node against it: an exact node must equal it, a bound
 * must cover it.  DIRTY nodes say nothing and pass.
 */
static int gp_check_node(struct gen_pool_chunk *chunk, unsigned int lvl,
			 unsigned long j, struct gp_sum *t)
{
	struct genpool_index *idx = chunk->index;
	unsigned long v = READ_ONCE(*gp_node(idx, lvl, j));
	struct gp_sum s;

	if (!lvl) {
		gp_leaf_summary(chunk->bits, gp_node_start(0, j),
				gp_node_end(0, j, chunk->nbits), t);
	} else {
		unsigned long c = j * GENPOOL_FANOUT, cur = 0, cend;
		bool seen = false;

		cend = min(c + GENPOOL_FANOUT, gp_count(idx, lvl - 1));
		gp_fold_start(t);
		for (; c < cend; c++) {
			struct gp_sum cs;

			if (gp_check_node(chunk, lvl - 1, c, &cs))
				return -EINVAL;
			gp_fold(t, &cs, gp_node_end(lvl - 1, c, chunk->nbits) -
				gp_node_start(lvl - 1, c), &cur, &seen);
		}
		gp_fold_end(t, cur, seen);
	}
	if (v == GP_DIRTY)
		return 0;
	if (!gp_known(v)) {
		pr_err("genalloc: chunk %#lx: index node %u/%lu left PENDING\n",
		       chunk->start_addr, lvl, j);
		return -EINVAL;
	}
	gp_decode(v, &s);
	if (s.exact ? v != gp_encode(t) :
	    !gp_covers(&s, t, gp_range_al(idx, chunk->bits,
					  gp_node_start(lvl, j),
					  gp_node_end(lvl, j, chunk->nbits)))) {
		pr_err("genalloc: chunk %#lx: index node %u/%lu is %#lx, bitmap says %#lx\n",
		       chunk->start_addr, lvl, j, v, gp_encode(t));
		return -EINVAL;
	}
	return 0;
}

#if GP_REACH
/*
 * Check the reach hints: each known hint at least the true one on level
 * 0, and at least the largest known hint below it higher up.  Hints that
 * are no longer kept (the chunk keeps its tree) are not checked.
 */
static int gp_validate_reach(struct gen_pool_chunk *chunk)
{
	struct genpool_index *idx = chunk->index;
	unsigned long c, v, x, h;
	unsigned int lvl;

	if (gp_tree_kept(idx))
		return 0;
	for (lvl = 0; lvl < idx->rlevels; lvl++) {
		for (c = 0; c < gp_rhints(idx, lvl, chunk->nbits); c++) {
			v = READ_ONCE(*gp_rword(idx, lvl, c / 8));
			if (v == GP_DIRTY)
				continue;
			if (!gp_known(v)) {
				pr_err("genalloc: chunk %#lx: reach word %u/%lu left PENDING\n",
				       chunk->start_addr, lvl, c / 8);
				return -EINVAL;
			}
			if (lvl) {
				x = READ_ONCE(*gp_rword(idx, lvl - 1, c));
				h = gp_known(x) ? gp_rmax(x) : 0;
			} else {
				h = gp_reach_of(chunk, c);
			}
			if (gp_rbyte(v, c % 8) < h) {
				pr_err("genalloc: chunk %#lx: reach hint %u/%lu is %lu, below %lu\n",
				       chunk->start_addr, lvl, c,
				       gp_rbyte(v, c % 8), h);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/*
 * Length of the free run through bits @p - 1 and @p if it belongs to node
 * @j of level @lvl, that is if it does not reach past the node; else 0.
 */
static unsigned long gp_mask_owned(const struct gen_pool_chunk *chunk,
				   unsigned int lvl, unsigned long j,
				   unsigned long p)
{
	unsigned long a = gp_node_start(lvl, j);
	unsigned long b = gp_node_end(lvl, j, chunk->nbits), rs, re;

	if (gp_used(chunk, p - 1) || gp_used(chunk, p))
		return 0;
	rs = gp_run_start(chunk->bits, p, a);
	re = find_next_bit(chunk->bits, b, p);
	if ((rs == a && a && !gp_used(chunk, a - 1)) ||
	    (re == b && b < chunk->nbits && !gp_used(chunk, b)))
		return 0;
	return re - rs;
}

/*
 * Check that node @j of level @lvl and every node below it has the bits
 * of the runs that belong to it, an inner node also among its own lengths
 * (those below GP_LONG_RUN); the exact mask goes to *@m.
 */
static int gp_check_mask(struct gen_pool_chunk *chunk, unsigned int lvl,
			 unsigned long j, unsigned long *m)
{
	struct genpool_index *idx = chunk->index;
	unsigned long v = READ_ONCE(*gp_node(idx, lvl, j)), c, cend, cm, len;
	unsigned long own = 0;

	if (!lvl) {
		*m = gp_mask_leaf(chunk, j);
	} else {
		*m = 0;
		c = j << GP_FANOUT_SHIFT;
		cend = min(c + GENPOOL_FANOUT, gp_count(idx, lvl - 1));
		for (; c < cend; c++) {
			if (gp_check_mask(chunk, lvl - 1, c, &cm))
				return -EINVAL;
			*m |= cm;
			if (c + 1 == cend)
				break;
			len = gp_mask_owned(chunk, lvl, j,
					    gp_node_start(lvl - 1, c + 1));
			if (len)
				*m |= gp_mbit(len);
			if (len && len < GP_LONG_RUN)
				own |= gp_mbit(len);
		}
	}
	if (v != GP_DIRTY && !gp_known(v)) {
		pr_err("genalloc: chunk %#lx: mask node %u/%lu left PENDING\n",
		       chunk->start_addr, lvl, j);
		return -EINVAL;
	}
	if ((gp_mval(v) & *m) != *m || (gp_mown(v) & own) != own) {
		pr_err("genalloc: chunk %#lx: mask node %u/%lu is %#lx, runs need %#lx, own %#lx\n",
		       chunk->start_addr, lvl, j, v, *m, own);
		return -EINVAL;
	}
	return 0;
}

/*
 * The long run best fit kept, if it is still there as kept, must be the
 * first of the shortest long runs of the chunk.
 */
static int gp_check_long_run(struct gen_pool_chunk *chunk)
{
	unsigned long v = READ_ONCE(chunk->index->long_run);
	unsigned long z, o = 0, best = 0, len = ULONG_MAX;

	if (!gp_known(v)) {
		pr_err("genalloc: chunk %#lx: long run left PENDING\n",
		       chunk->start_addr);
		return -EINVAL;
	}
	if (gp_long_hit(chunk, v, 1) == ULONG_MAX)
		return 0;
	for (;;) {
		z = find_next_zero_bit(chunk->bits, chunk->nbits, o);
		if (z >= chunk->nbits)
			break;
		o = find_next_bit(chunk->bits, chunk->nbits, z);
		if (o - z >= GP_LONG_RUN && o - z < len) {
			best = z;
			len = o - z;
		}
	}
	if (v != gp_long_pack(best, len)) {
		pr_err("genalloc: chunk %#lx: long run kept at %lu + %lu, the first of the shortest is at %lu + %lu\n",
		       chunk->start_addr, gp_long_start(v), gp_long_len(v),
		       best, len);
		return -EINVAL;
	}
	return 0;
}

static int gp_validate_masks(struct gen_pool_chunk *chunk)
{
	unsigned long m;

	if (gp_check_long_run(chunk))
		return -EINVAL;
	return gp_check_mask(chunk, chunk->index->levels - 1, 0, &m);
}
#else
static int gp_validate_reach(struct gen_pool_chunk *chunk)
{
	return 0;
}

static int gp_validate_masks(struct gen_pool_chunk *chunk)
{
	return 0;
}
#endif

static int gp_validate_index(struct gen_pool_chunk *chunk)
{
	struct gp_sum t;

	if (gp_validate_reach(chunk))
		return -EINVAL;
	if (READ_ONCE(chunk->index->form) == GP_FORM_MASKS)
		return gp_validate_masks(chunk);
	return gp_check_node(chunk, chunk->index->levels - 1, 0, &t);
}

/**
 * gen_pool_validate - check a pool's internal consistency
 * @pool: the pool, with no allocation or free running concurrently
 *
 * Checks each chunk's free-byte counter against its bitmap, that no bit
 * past the chunk's last granule is set, and that every node of the search
 * index is true to the bitmap: exact nodes equal to it, bounds covering
 * it.  Problems are printed.
 *
 * Context: Any context; not concurrently with changes to the pool.
 * Return: 0 if the pool is consistent, -EINVAL otherwise.
 */
int gen_pool_validate(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	int ret = 0;

	if (genpool_warn(!pool, "%s: NULL pool", __func__))
		return -EINVAL;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		unsigned long used = gp_weight(chunk->bits, chunk->nbits);
		unsigned long avail = chunk_size(chunk) -
				      (used << pool->min_alloc_order);
		unsigned long tail = chunk->nbits % BITS_PER_LONG;

		if (atomic_long_read(&chunk->avail) != avail) {
			pr_err("genalloc: chunk %#lx: avail %ld, bitmap says %lu\n",
			       chunk->start_addr,
			       atomic_long_read(&chunk->avail), avail);
			ret = -EINVAL;
		}
		if (tail && chunk->bits[BIT_WORD(chunk->nbits)] &
			    ~BITMAP_LAST_WORD_MASK(chunk->nbits)) {
			pr_err("genalloc: chunk %#lx: bits set past the end\n",
			       chunk->start_addr);
			ret = -EINVAL;
		}
		if (chunk->index && gp_validate_index(chunk))
			ret = -EINVAL;
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(gen_pool_validate);
#endif /* CONFIG_DEBUG_GENALLOC */
