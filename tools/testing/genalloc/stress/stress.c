// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrency stress test of lib/genalloc.c, compiled unmodified against
 * the userspace shim.
 *
 *	stress [-s SEED] [-t SECONDS] [-n THREADS] [-m MODE] [-v]
 *
 * THREADS worker threads (default 4) allocate and free at random in one
 * pool of three chunks, two large enough to carry a search index and one
 * without, with the strategies MODE allows, while a grower thread adds
 * three more chunks.  MODE is one of
 *
 *	all	every built-in strategy from the start (the default), so an
 *		indexed chunk switches from the reach hints to the summary
 *		tree at its first best fit or aligned first fit;
 *	first	only those that keep the reach hints: gen_pool_alloc() (the
 *		pool's default first fit), gen_pool_first_fit and
 *		gen_pool_fixed_alloc, in the workers and the NMI alike; no
 *		chunk may switch to the tree;
 *	switch	as first for the first half of the run, then as all: the
 *		main thread flips a shared flag while the threads run, so
 *		chunks switch to the tree under load, NMIs included.
 *
 * Another thread keeps sending
 * SIGUSR1 to random workers; the handler stands in for an NMI: it enters
 * NMI context and allocates or frees a few granules, often in the middle
 * of the worker's own allocation or free.  Blocks are handed from worker
 * to worker, so frees also race with allocations elsewhere.
 *
 * Every granule has a shadow owner word.  A new block claims its granules
 * with compare-and-exchange from 0 to the owner's tag, so a granule handed
 * out twice is caught at once; a free checks and clears the tags first.
 * Every 50 ms all threads pause for a checkpoint: the bitmaps must equal
 * the shadow, avail must agree, gen_pool_validate() must pass, and first
 * and best fit must place test blocks where a plain scan of the shadow
 * says (a stale index node would steer them elsewhere).  While only the
 * first-fit strategies are in use the checkpoints try first fit alone
 * (best fit would switch the chunks) and check that no chunk switched.
 * At the end: no WARN fired, avail plus the live blocks equals the pool's
 * size, then with everything freed avail == size, gen_pool_validate()
 * passes, and a full-size allocation of each chunk succeeds at the chunk's
 * start (the index is not stale), by first fit alone in mode first.  In
 * mode switch on 64-bit, some chunk must have switched to the tree while
 * the threads ran.  Mode best uses best fit for three requests in four
 * and every strategy for the rest, so that most chunks keep length masks
 * (on 64-bit at least one must).  Any failure exits non-zero.
 *
 * The seed is printed and -s replays the same random choices, as far as
 * thread scheduling allows.  Build it with -fsanitize=thread to check the
 * lock-free paths for data races (tools/genalloc/fuzz.mk).
 */
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/bug.h>

#include "../../../../lib/genalloc.c"

#define ORDER		4
#define G		BIT(ORDER)
#define NR_INITIAL	3		/* chunks added before the threads start */
#define NR_SLOTS	6		/* and those added while they run */
#define MAX_THREADS	16
#define LOCAL_BLOCKS	48
#define NMI_BLOCKS	8
#define HANDOFF		64

/*
 * Chunks, in the order they are added: granules and address.  Chunks 2
 * and 5 are too small for an index.  Chunks 3 to 5 are added by the
 * grower thread while the workers allocate, as kernel/dma/pool.c grows
 * its pools.
 */
static const unsigned long chunk_bits[NR_SLOTS] = {
	5000, 1800, 700, 1200, 3000, 64
};

static const unsigned long chunk_addr[NR_SLOTS] = {
	0x10000000, 0x20000000, 0x30000000 + 8 * G, 0x40000000, 0x50000000,
	0x60000000 + 3 * G
};

static int nr_chunks;		/* chunks added so far */

enum { MODE_ALL, MODE_FIRST, MODE_SWITCH, MODE_BEST };
static const char * const mode_names[] = { "all", "first", "switch", "best" };
static int mode = MODE_ALL;

/*
 * Set while every built-in strategy may be used: from the start in modes
 * all and best, never in mode first, from half time on in mode switch (the main
 * thread sets it while the threads run).
 */
static int all_strategies;

struct block {
	unsigned long addr;
	size_t size;
	unsigned int tag;
};

static struct gen_pool *pool;
static unsigned int *shadow[NR_SLOTS];
static int nr_threads = 4;
static unsigned int seed;
static int verbose;
static int stop;
static pthread_t workers[MAX_THREADS];

/* Blocks passed from one worker to another, one slot each. */
static struct block handoff[HANDOFF];
static unsigned long handoff_busy[HANDOFF];	/* 0 empty, 1 busy, 2 full */

static unsigned long nr_allocs, nr_frees, nr_fails, nr_nmi_allocs,
	nr_nmi_frees, nr_nmi_in_op, nr_handoffs, nr_checkpoints;

/*
 * Indexed chunks that keep the tree: as a checkpoint left them, and how
 * many switched while the threads ran (seen at the next checkpoint).
 */
static int nr_tree_kept, nr_live_switches;

/*
 * Checkpoints: the main thread sets pause_req, every worker (with SIGUSR1
 * blocked) and the signal source wait, and the main thread compares the
 * pool with the shadow while nothing runs.
 */
static int pause_req, nr_paused;

static __thread unsigned long rnd_state, nmi_rnd_state;
static __thread int in_op;	/* the worker is inside gen_pool_*() */
static __thread int thread_no;
static __thread struct block nmi_blocks[NMI_BLOCKS];
static __thread int nr_nmi_blocks;

static __printf(1, 2) __noreturn void die(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* write(2) is async-signal-safe; the handler may come here. */
	if (n > 0 && write(2, buf, n < (int)sizeof(buf) ? n : sizeof(buf) - 1))
		;
	if (write(2, "\n", 1))
		;
	if (shim_nr_warnings)
		fprintf(stderr, "stress: %lu warnings, last: %s\n",
			shim_nr_warnings, shim_last_warning);
	fprintf(stderr, "stress: FAILED (seed %u)\n", seed);
	_exit(1);
}

static unsigned long rnd_next(unsigned long *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static unsigned long rnd(unsigned long n)
{
	return rnd_next(&rnd_state) % n;
}

static void inc(unsigned long *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

/* The chunk holding @addr, or -1. */
static int chunk_of(unsigned long addr)
{
	int i;

	for (i = 0; i < NR_SLOTS; i++)
		if (addr >= chunk_addr[i] &&
		    addr - chunk_addr[i] < chunk_bits[i] * G)
			return i;
	return -1;
}

/* Check a new block and claim its granules for @tag. */
static void claim(const struct block *b)
{
	int c = chunk_of(b->addr);
	unsigned long first, n, i;

	if (c < 0)
		die("block %#lx + %#zx outside the pool", b->addr, b->size);
	first = (b->addr - chunk_addr[c]) / G;
	n = DIV_ROUND_UP(b->size, G);
	if ((b->addr - chunk_addr[c]) % G || first + n > chunk_bits[c])
		die("block %#lx + %#zx misplaced in chunk %d", b->addr,
		    b->size, c);
	for (i = first; i < first + n; i++) {
		unsigned int old = 0;

		if (!__atomic_compare_exchange_n(&shadow[c][i], &old, b->tag,
						 false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			die("granule %lu of chunk %d (%#lx) handed to %#x while %#x owns it",
			    i, c, chunk_addr[c] + i * G, b->tag, old);
	}
}

/* Check that @b is still its owner's and clear its granules. */
static void release(const struct block *b)
{
	int c = chunk_of(b->addr);
	unsigned long first = (b->addr - chunk_addr[c]) / G, i;

	for (i = first; i < first + DIV_ROUND_UP(b->size, G); i++) {
		unsigned int old = b->tag;

		if (!__atomic_compare_exchange_n(&shadow[c][i], &old, 0, false,
						 __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
			die("granule %lu of chunk %d: tag %#x, expected %#x",
			    i, c, old, b->tag);
	}
}

static struct genpool_data_align align_data[8] = {
	{ 16 }, { 32 }, { 64 }, { 128 }, { 256 }, { 512 }, { 1024 }, { 4096 }
};

/*
 * Allocate a block of @size bytes with a strategy picked by @r: any
 * built-in one, or while all_strategies is clear only those that keep
 * the reach hints; best fit three times in four in mode best.
 */
static unsigned long do_alloc(size_t size, unsigned long r)
{
	static const unsigned char first_only[] = { 0, 4, 5 };
	unsigned long k = r % 6;

	if (!__atomic_load_n(&all_strategies, __ATOMIC_RELAXED))
		k = first_only[r % ARRAY_SIZE(first_only)];
	else if (mode == MODE_BEST && r / 6 % 4)
		k = 1;
	switch (k) {
	case 0:
		return gen_pool_alloc(pool, size);
	case 1:
		return gen_pool_alloc_algo(pool, size, gen_pool_best_fit, NULL);
	case 2:
		return gen_pool_alloc_algo(pool, size,
					   gen_pool_first_fit_order_align,
					   NULL);
	case 3:
		return gen_pool_alloc_algo(pool, size, gen_pool_first_fit_align,
					   &align_data[r / 8 % 8]);
	case 4: {
		struct genpool_data_fixed fixed = {
			.offset = (r / 8 % 1024) * G,
		};

		return gen_pool_alloc_algo(pool, size, gen_pool_fixed_alloc,
					   &fixed);
	}
	default:
		return gen_pool_alloc_algo(pool, size, gen_pool_first_fit, NULL);
	}
}

/* The NMI: allocate or free a few granules in the interrupted thread. */
static void nmi_handler(int sig)
{
	struct block *b;
	unsigned long r;

	nmi_enter();
	if (in_op)
		inc(&nr_nmi_in_op);
	r = rnd_next(&nmi_rnd_state);
	if (nr_nmi_blocks && (r % 2 || nr_nmi_blocks == NMI_BLOCKS)) {
		b = &nmi_blocks[r / 2 % nr_nmi_blocks];
		release(b);
		gen_pool_free(pool, b->addr, b->size);
		*b = nmi_blocks[--nr_nmi_blocks];
		inc(&nr_nmi_frees);
	} else {
		b = &nmi_blocks[nr_nmi_blocks];
		b->size = (1 + r / 2 % 8) * G - r / 16 % G;
		b->tag = 0x80000000 | thread_no << 16 | (r >> 12 & 0xffff) | 1;
		b->addr = do_alloc(b->size, r >> 8);
		if (b->addr) {
			claim(b);
			nr_nmi_blocks++;
			inc(&nr_nmi_allocs);
		}
	}
	nmi_exit();
}

/* Sit out a checkpoint; a worker takes no NMI meanwhile. */
static void wait_checkpoint(bool worker)
{
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (worker)
		pthread_sigmask(SIG_BLOCK, &set, &old);
	__atomic_add_fetch(&nr_paused, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&pause_req, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_sub_fetch(&nr_paused, 1, __ATOMIC_ACQ_REL);
	if (worker)
		pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void *worker(void *arg)
{
	struct block local[LOCAL_BLOCKS];
	int nr_local = 0, i;
	unsigned int gen = 0;

	thread_no = (long)arg;
	rnd_state = seed * 0x9e3779b97f4a7c15ULL + thread_no + 1;
	nmi_rnd_state = ~rnd_state | 1;
	rnd_next(&rnd_state);

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		unsigned long r = rnd(1 << 30);
		struct block b;

		if (__atomic_load_n(&pause_req, __ATOMIC_ACQUIRE))
			wait_checkpoint(true);

		if (nr_local < LOCAL_BLOCKS && (r % 8 < 4 || !nr_local)) {
			/* Sizes up to 64 granules, some not whole. */
			b.size = (1 + r / 8 % (r % 8 == 0 ? 64 : 8)) * G -
				 r / 1024 % 2 * (r / 2048 % G);
			b.tag = (thread_no + 1) << 16 | (++gen & 0xffff);
			in_op = 1;
			b.addr = do_alloc(b.size, rnd(1 << 20));
			in_op = 0;
			if (!b.addr) {
				inc(&nr_fails);
				continue;
			}
			claim(&b);
			local[nr_local++] = b;
			inc(&nr_allocs);
		} else if (r % 8 == 4) {
			/* Pass a block on, or take one. */
			unsigned long slot = r / 8 % HANDOFF, want = 0;

			if (!__atomic_compare_exchange_n(&handoff_busy[slot],
							 &want, 1, false,
							 __ATOMIC_ACQUIRE,
							 __ATOMIC_RELAXED)) {
				if (want != 2 || nr_local == LOCAL_BLOCKS ||
				    !__atomic_compare_exchange_n(&handoff_busy[slot],
								 &want, 1,
								 false,
								 __ATOMIC_ACQUIRE,
								 __ATOMIC_RELAXED))
					continue;
				local[nr_local++] = handoff[slot];
				__atomic_store_n(&handoff_busy[slot], 0,
						 __ATOMIC_RELEASE);
				inc(&nr_handoffs);
				continue;
			}
			if (!nr_local) {
				__atomic_store_n(&handoff_busy[slot], 0,
						 __ATOMIC_RELEASE);
				continue;
			}
			i = r / 1024 % nr_local;
			handoff[slot] = local[i];
			local[i] = local[--nr_local];
			__atomic_store_n(&handoff_busy[slot], 2,
					 __ATOMIC_RELEASE);
		} else if (nr_local) {
			i = r / 8 % nr_local;
			b = local[i];
			local[i] = local[--nr_local];
			release(&b);
			in_op = 1;
			gen_pool_free(pool, b.addr, b.size);
			in_op = 0;
			inc(&nr_frees);
		}
	}

	/* Leave the NMI blocks alone: the main thread frees them all. */
	for (i = 0; i < nr_local; i++) {
		release(&local[i]);
		gen_pool_free(pool, local[i].addr, local[i].size);
	}
	return NULL;
}

/* Add chunks 3 and up while the workers run, pausing for checkpoints. */
static void *grower(void *arg)
{
	unsigned long s = seed ^ 0x6a09e667UL;
	int c, t;

	for (c = NR_INITIAL; c < NR_SLOTS; c++) {
		for (t = 5 + rnd_next(&s) % 20; t; t--) {
			struct timespec ts = { 0, 10000000 };

			if (__atomic_load_n(&stop, __ATOMIC_RELAXED))
				goto out;
			if (__atomic_load_n(&pause_req, __ATOMIC_ACQUIRE))
				wait_checkpoint(false);
			nanosleep(&ts, NULL);
		}
		if (gen_pool_add(pool, chunk_addr[c], chunk_bits[c] * G,
				 NUMA_NO_NODE))
			die("gen_pool_add of chunk %d failed", c);
		__atomic_store_n(&nr_chunks, c + 1, __ATOMIC_RELEASE);
	}
out:
	/* Still take part in checkpoints until the end. */
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct timespec ts = { 0, 1000000 };

		if (__atomic_load_n(&pause_req, __ATOMIC_ACQUIRE))
			wait_checkpoint(false);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Keep interrupting random workers until told to stop. */
static void *nmi_source(void *arg)
{
	unsigned long s = seed ^ 0x5deece66dUL;
	struct timespec ts = { 0, 20000 };

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		if (__atomic_load_n(&pause_req, __ATOMIC_ACQUIRE))
			wait_checkpoint(false);
		pthread_kill(workers[rnd_next(&s) % nr_threads], SIGUSR1);
		if (rnd_next(&s) % 4 == 0)
			nanosleep(&ts, NULL);
	}
	return NULL;
}

static void collect(struct gen_pool *p, struct gen_pool_chunk *chunk,
		    void *data)
{
	struct gen_pool_chunk **c = data;
	int i = chunk_of(chunk->start_addr);

	if (i < 0 || c[i])
		die("unexpected chunk %#lx", chunk->start_addr);
	c[i] = chunk;
}

/* Free whatever the NMI handlers of all threads left, via the shadow. */
static void free_leftovers(void)
{
	int c;

	for (c = 0; c < nr_chunks; c++) {
		unsigned long i = 0, j;

		while (i < chunk_bits[c]) {
			unsigned int tag = shadow[c][i];

			if (!tag) {
				i++;
				continue;
			}
			if (!(tag & 0x80000000))
				die("granule %lu of chunk %d still owned by %#x",
				    i, c, tag);
			for (j = i; j < chunk_bits[c] && shadow[c][j] == tag; j++)
				shadow[c][j] = 0;
			gen_pool_free(pool, chunk_addr[c] + i * G, (j - i) * G);
			i = j;
		}
	}
}

/* Lowest run of @n free granules in chunk @c by the shadow, or -1. */
static long shadow_first(int c, unsigned long n)
{
	unsigned long i, run = 0;

	for (i = 0; i < chunk_bits[c]; i++) {
		run = shadow[c][i] ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return -1;
}

/* First of the shortest free runs of >= @n granules in chunk @c, or -1. */
static long shadow_best(int c, unsigned long n)
{
	unsigned long i = 0, j, best_len = ULONG_MAX;
	long best = -1;

	while (i < chunk_bits[c]) {
		if (shadow[c][i]) {
			i++;
			continue;
		}
		for (j = i; j < chunk_bits[c] && !shadow[c][j]; j++)
			;
		if (j - i >= n && j - i < best_len) {
			best = i;
			best_len = j - i;
		}
		i = j;
	}
	return best;
}

/* Indexed chunks among @chunks[0 .. @nc) that keep the tree. */
static int count_tree_kept(struct gen_pool_chunk **chunks, int nc)
{
	int c, n = 0;

	for (c = 0; c < nc; c++)
		if (chunks[c]->index && gp_tree_kept(chunks[c]->index))
			n++;
	return n;
}

/* Indexed chunks among @chunks[0 .. @nc) that keep length masks. */
static int count_masks(struct gen_pool_chunk **chunks, int nc)
{
	int c, n = 0;

	for (c = 0; c < nc; c++)
		if (chunks[c]->index &&
		    READ_ONCE(chunks[c]->index->form) == GP_FORM_MASKS)
			n++;
	return n;
}

/*
 * With every thread paused: the bitmaps equal the shadow, the pool is
 * consistent, and first and best fit place blocks where a plain scan of
 * the shadow says, so no index node is stale.  While only the first-fit
 * strategies are in use, no chunk has switched to the tree, and the
 * checkpoint tries first fit alone: the pool's default (gen_pool_alloc())
 * where best fit would come.
 */
static void checkpoint(void)
{
	static const unsigned long sizes[] = { 1, 3, 17, 64, 300 };
	struct gen_pool_chunk *chunks[NR_SLOTS] = { NULL };
	unsigned long live = 0, total = 0, i, k;
	int c, nc = __atomic_load_n(&nr_chunks, __ATOMIC_ACQUIRE), kept;
	bool all = __atomic_load_n(&all_strategies, __ATOMIC_RELAXED);

	gen_pool_for_each_chunk(pool, collect, chunks);
	for (c = 0; c < NR_SLOTS; c++) {
		bool added = c < nc;

		if (!chunks[c] == added)
			die("at a pause: chunk %d %s", c,
			    added ? "missing" : "there too early");
	}
	for (c = 0; c < nc; c++) {
		total += chunk_bits[c] * G;
		for (i = 0; i < chunk_bits[c]; i++) {
			if (!!shadow[c][i] != !!test_bit(i, chunks[c]->bits))
				die("at a pause: chunk %d bit %lu is %d, shadow %#x",
				    c, i, !!test_bit(i, chunks[c]->bits),
				    shadow[c][i]);
			live += shadow[c][i] ? G : 0;
		}
	}
	if (gen_pool_avail(pool) + live != total)
		die("at a pause: avail %zu + live %lu != size %lu",
		    gen_pool_avail(pool), live, total);
	if (gen_pool_validate(pool))
		die("at a pause: gen_pool_validate failed");

	/* Chunks added since the last pause come in with the reach hints. */
	kept = count_tree_kept(chunks, nc);
	if (GP_REACH && !all && kept)
		die("at a pause: %d chunks switched to the tree with first fit only",
		    kept);
	if (GP_REACH && kept > nr_tree_kept)
		nr_live_switches += kept - nr_tree_kept;

	for (k = 0; k < 2 * ARRAY_SIZE(sizes); k++) {
		unsigned long n = sizes[k / 2], want = 0, got;
		bool best = all && k % 2;
		struct block b;

		for (c = nc - 1; c >= 0 && !want; c--) {
			long bit;

			if ((unsigned long)atomic_long_read(&chunks[c]->avail) <
			    n * G)
				continue;
			bit = best ? shadow_best(c, n) : shadow_first(c, n);
			if (bit >= 0)
				want = chunk_addr[c] + bit * G;
		}
		if (k % 2 && !best)
			got = gen_pool_alloc(pool, n * G);
		else
			got = gen_pool_alloc_algo(pool, n * G, best ?
						  gen_pool_best_fit :
						  gen_pool_first_fit, NULL);
		if (got != want)
			die("at a pause: %s fit of %lu granules gave %#lx, the shadow says %#lx",
			    best ? "best" : "first", n, got, want);
		if (!got)
			continue;
		b.addr = got;
		b.size = n * G;
		b.tag = 0x7fff0000;
		claim(&b);
		release(&b);
		gen_pool_free(pool, got, n * G);
	}
	nr_tree_kept = count_tree_kept(chunks, nc);
	nr_checkpoints++;
}

int main(int argc, char **argv)
{
	unsigned long live = 0, total = 0;
	struct sigaction sa = { .sa_handler = nmi_handler };
	struct gen_pool_chunk *chunks[NR_SLOTS] = { NULL };
	pthread_t src, grow;
	double seconds = 10;
	int opt, i, c, nr_pauses, nr_indexed = 0, kept, masks;

	seed = time(NULL) ^ getpid();
	while ((opt = getopt(argc, argv, "s:t:n:m:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'n':
			nr_threads = atoi(optarg);
			if (nr_threads < 1 || nr_threads > MAX_THREADS)
				nr_threads = 4;
			break;
		case 'm':
			for (mode = 0; mode < (int)ARRAY_SIZE(mode_names);
			     mode++)
				if (!strcmp(optarg, mode_names[mode]))
					break;
			if (mode < (int)ARRAY_SIZE(mode_names))
				break;
			fprintf(stderr, "%s: -m all, first, switch or best\n",
				argv[0]);
			return 2;
		case 'v':
			verbose = 1;
			shim_verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: %s %s\n", argv[0],
				"[-s SEED] [-t SECONDS] [-n THREADS] [-m MODE] [-v]");
			return 2;
		}
	}
	printf("stress: random seed %u, %d threads, %.1f s, mode %s\n", seed,
	       nr_threads, seconds, mode_names[mode]);
	fflush(stdout);
	all_strategies = mode == MODE_ALL || mode == MODE_BEST;

	pool = gen_pool_create(ORDER, NUMA_NO_NODE);
	if (!pool)
		die("gen_pool_create failed");
	for (c = 0; c < NR_SLOTS; c++) {
		shadow[c] = calloc(chunk_bits[c], sizeof(*shadow[c]));
		if (!shadow[c])
			die("calloc");
	}
	for (c = 0; c < NR_INITIAL; c++)
		if (gen_pool_add(pool, chunk_addr[c], chunk_bits[c] * G,
				 NUMA_NO_NODE))
			die("gen_pool_add failed");
	nr_chunks = NR_INITIAL;

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	for (i = 0; i < nr_threads; i++)
		if (pthread_create(&workers[i], NULL, worker, (void *)(long)i))
			die("pthread_create");
	if (pthread_create(&src, NULL, nmi_source, NULL) ||
	    pthread_create(&grow, NULL, grower, NULL))
		die("pthread_create");
	/*
	 * Run for @seconds, with a checkpoint every 50 ms of running.  In
	 * mode switch, every strategy is let in half way through the 50 ms
	 * after the middle pause, while the threads run.
	 */
	nr_pauses = seconds * 20;
	for (i = 0; i < nr_pauses; i++) {
		struct timespec ts = { 0, 50000000 };

		if (mode == MODE_SWITCH && i == nr_pauses / 2) {
			ts.tv_nsec /= 2;
			nanosleep(&ts, NULL);
			__atomic_store_n(&all_strategies, 1, __ATOMIC_RELAXED);
		}
		nanosleep(&ts, NULL);
		__atomic_store_n(&pause_req, 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&nr_paused, __ATOMIC_ACQUIRE) !=
		       nr_threads + 2)
			sched_yield();
		checkpoint();
		__atomic_store_n(&pause_req, 0, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(src, NULL);
	pthread_join(grow, NULL);
	for (i = 0; i < nr_threads; i++)
		pthread_join(workers[i], NULL);

	/* Blocks still parked in the hand-off slots. */
	for (i = 0; i < HANDOFF; i++) {
		if (handoff_busy[i] != 2)
			continue;
		release(&handoff[i]);
		gen_pool_free(pool, handoff[i].addr, handoff[i].size);
	}

	/* Quiescent now: only NMI blocks are live; avail must agree. */
	for (c = 0; c < nr_chunks; c++) {
		total += chunk_bits[c] * G;
		for (i = 0; i < (int)chunk_bits[c]; i++)
			live += shadow[c][i] ? G : 0;
	}
	if (gen_pool_avail(pool) + live != total)
		die("avail %zu + live %lu != size %lu", gen_pool_avail(pool),
		    live, total);
	if (gen_pool_validate(pool))
		die("gen_pool_validate failed with blocks live");
	free_leftovers();

	if (shim_nr_warnings)
		die("%lu warnings, last: %s", shim_nr_warnings,
		    shim_last_warning);
	if (gen_pool_avail(pool) != gen_pool_size(pool) ||
	    gen_pool_size(pool) != total)
		die("after freeing everything avail %zu, size %zu, expected %lu",
		    gen_pool_avail(pool), gen_pool_size(pool), total);
	if (gen_pool_validate(pool))
		die("gen_pool_validate failed");

	/* Which chunks switched to the tree, and was that allowed? */
	gen_pool_for_each_chunk(pool, collect, chunks);
	for (c = 0; c < nr_chunks; c++)
		nr_indexed += !!chunks[c]->index;
	kept = count_tree_kept(chunks, nr_chunks);
	masks = count_masks(chunks, nr_chunks);
	if (GP_REACH && !all_strategies && kept)
		die("%d chunks switched to the tree with first fit only", kept);
	if (GP_REACH)
		nr_live_switches += kept - nr_tree_kept;
	if (GP_REACH && mode == MODE_SWITCH && all_strategies &&
	    !nr_live_switches)
		die("mode switch: no chunk switched to the tree while the threads ran");
	if (GP_REACH && mode == MODE_BEST && !masks)
		die("mode best: no chunk keeps length masks");

	/*
	 * A whole chunk must be found at its start: nothing stale.  Newest
	 * first, so that the chunk tried first is always the one wanted.
	 * Best fit only where it is allowed, it would switch the chunk.
	 */
	for (c = nr_chunks - 1; c >= 0; c--) {
		unsigned long a;

		a = gen_pool_alloc_algo(pool, chunk_bits[c] * G,
					c && all_strategies ?
					gen_pool_best_fit :
					gen_pool_first_fit, NULL);
		if (a != chunk_addr[c])
			die("full-size allocation of chunk %d returned %#lx, expected %#lx",
			    c, a, chunk_addr[c]);
	}
	if (gen_pool_avail(pool) != 0 || gen_pool_validate(pool))
		die("full pool inconsistent");
	for (c = 0; c < NR_SLOTS; c++) {
		if (c < nr_chunks)
			gen_pool_free(pool, chunk_addr[c], chunk_bits[c] * G);
		free(shadow[c]);
	}
	gen_pool_destroy(pool);
	if (shim_nr_warnings || shim_nr_allocated)
		die("%lu warnings, %ld blocks leaked", shim_nr_warnings,
		    shim_nr_allocated);

	printf("stress: %lu allocs, %lu frees, %lu failed allocs, %lu hand-offs\n",
	       nr_allocs, nr_frees, nr_fails, nr_handoffs);
	printf("stress: %lu checkpoints, %d chunks at the end\n",
	       nr_checkpoints, nr_chunks);
	if (GP_REACH)
		fprintf(stdout,
			"stress: %d of %d indexed chunks left the reach hints (%d for length masks), %d switched under load\n",
			kept, nr_indexed, masks, nr_live_switches);
	else
		printf("stress: no reach hints (32-bit), all %d indexed chunks keep the tree\n",
		       nr_indexed);
	printf("stress: NMI: %lu allocs, %lu frees, %lu inside a worker's alloc or free\n",
	       nr_nmi_allocs, nr_nmi_frees, nr_nmi_in_op);
	printf("stress: passed\n");
	return 0;
}
