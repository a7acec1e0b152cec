// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark: our lib/genalloc.c against upstream's, side by side.
 *
 * Both allocators are linked into this program (see ../diff/side.h) and
 * run the workloads W1-W8 of issue 4 in the same run, on fake addresses
 * (the pool never touches the memory it manages):
 *
 *   wl  pool              order  sizes (granules)  fill  algorithm
 *   W1  64 MiB            12     1-16              50%   first_fit
 *   W2  1 GiB             12     1-16              90%   first_fit
 *   W3  1 GiB             12     1-16              90%   best_fit
 *   W4  1 GiB             6      1-64              50%   first_fit
 *   W5  4 KiB             5      1-8               50%   first_fit, alloc
 *                                                        then free it
 *   W6  1 GiB             12     1-16              90%   first_fit_align,
 *                                                        align 4-64 KiB
 *   W7  64 GiB            12     1                 90%   first_fit
 *   W8  16 x 64 MiB       12     1-16              50%   first_fit
 *
 * Two more run only when named (-w B1,B2), for best fit with requests
 * longer than the 30 granules the length masks tell apart:
 *
 *   B1  1 GiB             6      1-64              50%   best_fit
 *   B2  1 GiB             6      32-64             50%   best_fit
 *
 * Method: each pool is filled completely (blocks of random size placed
 * one after the other with gen_pool_fixed_alloc(), which costs the same
 * whatever the pool's size), then random blocks are freed until the fill
 * is at the target.  In the steady state that follows, each step
 * allocates a block of random size with the workload's strategy and then
 * frees random live blocks while the pool is above its target (W5 frees
 * the block it just allocated).  Both implementations get the same seed,
 * hence the same sequence as long as they place blocks identically, which
 * the program checks with a running hash of the returned addresses.
 *
 * Every alloc and every free is timed with the TSC (rdtsc, calibrated
 * against CLOCK_MONOTONIC, less the cost of reading it) for the mean and
 * the p99 and maximum of allocation latency.  Upstream, whose cost grows
 * with the pool, runs fewer steps in the same time budget; ours then runs
 * at least as many, and the speed-up compares the two over the steps both
 * ran, which are the very same operations.  Metadata is what each implementation allocated
 * while adding its chunks (chunk header, bitmap and, for ours, index).
 *
 * Each workload runs in rounds (-r, 3 by default): upstream, then ours,
 * on a pool set up afresh from the same seed, so that every round repeats
 * the same operations.  The table shows the round with the median
 * speed-up, whole (its times, free ratio, latencies and steps), and the
 * range of the speed-ups over all rounds: on a shared host the time of
 * the large workloads swings by 20-40% from one run to the next, and a
 * single round shows whichever it got.
 *
 * Usage: bench [-s SEED] [-t SECONDS] [-r ROUNDS] [-w W1,W3] [-o FILE.md]
 *        bench -c WN -i ours|upstream [-n STEPS]   (for callgrind)
 */
#include <getopt.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/utsname.h>
#if __has_builtin(__builtin_ia32_rdtsc)	/* x86 */
#include <x86intrin.h>
#define HAVE_TSC 1
#endif
#if __has_include("valgrind/callgrind.h")
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_TOGGLE_COLLECT
#endif

#include "side.h"

#define KIB	1024UL
#define MIB	(1024 * KIB)
#define GIB	(1024ULL * MIB)

struct workload {
	const char *name;
	unsigned long long pool;	/* bytes, all chunks */
	int nchunks;
	int order;
	unsigned int min_g, max_g;	/* request sizes in granules */
	unsigned int fill;		/* target, percent */
	enum side_algo algo;
	unsigned long align_min, align_max;	/* bytes, first_fit_align */
	bool same_block;		/* W5: free what was just allocated */
	double target;			/* speed-up, issue 4 point 5; 0: none */
	const char *desc;
	bool extra;			/* not in issue 4: only if named */
};

static const struct workload workloads[] = {
	{ "W1", 64 * MIB, 1, 12, 1, 16, 50, SIDE_FIRST_FIT, 0, 0, false, 10,
	  "64 MiB, order 12, 1-16, 50%, first_fit" },
	{ "W2", GIB, 1, 12, 1, 16, 90, SIDE_FIRST_FIT, 0, 0, false, 100,
	  "1 GiB, order 12, 1-16, 90%, first_fit" },
	{ "W3", GIB, 1, 12, 1, 16, 90, SIDE_BEST_FIT, 0, 0, false, 30,
	  "1 GiB, order 12, 1-16, 90%, best_fit" },
	{ "W4", GIB, 1, 6, 1, 64, 50, SIDE_FIRST_FIT, 0, 0, false, 200,
	  "1 GiB, order 6, 1-64, 50%, first_fit" },
	{ "W5", 4 * KIB, 1, 5, 1, 8, 50, SIDE_FIRST_FIT, 0, 0, true, 1.0,
	  "4 KiB, order 5, 1-8, 50%, first_fit, alloc+free same block" },
	{ "W6", GIB, 1, 12, 1, 16, 90, SIDE_FIRST_FIT_ALIGN, 4 * KIB,
	  64 * KIB, false, 100,
	  "1 GiB, order 12, 1-16, 90%, first_fit_align 4-64 KiB" },
	{ "W7", 64 * GIB, 1, 12, 1, 1, 90, SIDE_FIRST_FIT, 0, 0, false, 0,
	  "64 GiB, order 12, 1, 90%, first_fit" },
	{ "W8", 16 * 64 * MIB, 16, 12, 1, 16, 50, SIDE_FIRST_FIT, 0, 0, false,
	  10, "16 x 64 MiB, order 12, 1-16, 50%, first_fit" },
	{ "B1", GIB, 1, 6, 1, 64, 50, SIDE_BEST_FIT, 0, 0, false, 0,
	  "1 GiB, order 6, 1-64, 50%, best_fit", true },
	{ "B2", GIB, 1, 6, 32, 64, 50, SIDE_BEST_FIT, 0, 0, false, 0,
	  "1 GiB, order 6, 32-64, 50%, best_fit", true },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_WL	ARRAY_SIZE(workloads)
#define CHUNK_BASE	0x100000000ULL	/* fake addresses, never touched */
#define WARMUP_STEPS	1000

/* ---- random numbers (same stream for both implementations) ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd_range(unsigned long lo, unsigned long hi)
{
	return lo + rnd() % (hi - lo + 1);
}

/* ---- clock ---- */

static double ns_per_tick = 1.0;
static uint64_t tick_overhead;

static inline uint64_t ticks(void)
{
#ifdef HAVE_TSC
	_mm_lfence();
	return __rdtsc();
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
#endif
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void calibrate(void)
{
	uint64_t t0, t1, best = UINT64_MAX;
	double s0, s1;
	int i;

#ifdef HAVE_TSC
	s0 = now_s();
	t0 = ticks();
	while (now_s() - s0 < 0.2)
		;
	t1 = ticks();
	s1 = now_s();
	ns_per_tick = (s1 - s0) * 1e9 / (double)(t1 - t0);
#endif
	for (i = 0; i < 10000; i++) {
		t0 = ticks();
		t1 = ticks();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	tick_overhead = best;
}

static inline uint64_t elapsed(uint64_t t0, uint64_t t1)
{
	uint64_t d = t1 - t0;

	return d > tick_overhead ? d - tick_overhead : 0;
}

/* ---- one run of one workload on one implementation ---- */

struct block {
	unsigned long addr;
	unsigned int nbits;
};

struct run {
	const struct side_ops *ops;
	void *pool;
	struct block *live;
	unsigned long nlive, cap;
	unsigned long used, total;	/* granules */
	unsigned long long gsize;
	/* results */
	unsigned long done;		/* steady-state steps executed */
	unsigned long steps, allocs_failed, frees;	/* ... and measured */
	unsigned long batches, dropped;	/* batches, dropped as preempted */
	/* Measured totals over the steps upstream also ran (see measure()). */
	unsigned long pfx_steps, pfx_frees;
	uint64_t pfx_ticks, pfx_free_ticks;
	uint64_t alloc_ticks, free_ticks;
	uint64_t *lat;			/* per-alloc ticks */
	uint64_t hash;			/* of returned addresses */
	uint64_t hash_at;		/* hash after hash_steps steps */
	unsigned long hash_steps;
	size_t meta;
	size_t index;
	double seconds;
};

static void live_push(struct run *r, unsigned long addr, unsigned int nbits)
{
	if (r->nlive == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4096;
		r->live = realloc(r->live, r->cap * sizeof(*r->live));
		if (!r->live) {
			perror("realloc");
			exit(2);
		}
	}
	r->live[r->nlive].addr = addr;
	r->live[r->nlive].nbits = nbits;
	r->nlive++;
	r->used += nbits;
}

/* Free live block @k, timed unless @quiet. */
static void live_free(struct run *r, unsigned long k, bool timed)
{
	struct block b = r->live[k];
	uint64_t t0, t1;

	r->live[k] = r->live[--r->nlive];
	r->used -= b.nbits;
	if (!timed) {
		r->ops->free(r->pool, b.addr, b.nbits * r->gsize, NULL);
		return;
	}
	t0 = ticks();
	r->ops->free(r->pool, b.addr, b.nbits * r->gsize, NULL);
	t1 = ticks();
	r->free_ticks += elapsed(t0, t1);
	r->frees++;
}

/* Create, fill and thin the pool of @w; not timed. */
static void setup(struct run *r, const struct workload *w,
		  const struct side_ops *ops, uint64_t seed)
{
	unsigned long long csize = w->pool / w->nchunks;
	unsigned long cbits = csize >> w->order, cur, addr;
	size_t before;
	unsigned int n;
	int i;

	memset(r, 0, sizeof(*r));
	r->ops = ops;
	r->gsize = 1ULL << w->order;
	r->pool = ops->create(w->order);
	before = ops->bytes_allocated();
	for (i = 0; i < w->nchunks; i++) {
		if (ops->add(r->pool, CHUNK_BASE + i * (csize + 64 * MIB),
			     0x80000000ULL + i * csize, csize, NULL)) {
			fprintf(stderr, "bench: %s: gen_pool_add failed\n",
				ops->name);
			exit(2);
		}
	}
	r->meta = ops->bytes_allocated() - before;
	r->index = r->meta - w->nchunks * (ops->chunk_struct_size +
		   (cbits + 8 * sizeof(long) - 1) / (8 * sizeof(long)) *
		   sizeof(long));
	r->total = cbits * w->nchunks;

	rng = seed;
	/* Fill: chunk after chunk, blocks back to back at fixed offsets. */
	for (i = 0; i < w->nchunks; i++) {
		for (cur = 0;;) {
			n = rnd_range(w->min_g, w->max_g);
			if (cur + n > cbits)
				break;
			addr = ops->alloc(r->pool, n * r->gsize, SIDE_FIXED,
					  cur << w->order, NULL);
			if (addr)
				live_push(r, addr, n);
			cur += n;
		}
	}
	/* Holes at random down to the target fill. */
	while (r->used * 100 > (unsigned long long)r->total * w->fill)
		live_free(r, rnd() % r->nlive, false);
}

static void step(struct run *r, const struct workload *w, bool timed)
{
	unsigned int n = rnd_range(w->min_g, w->max_g);
	unsigned long arg = 0, addr;
	uint64_t t0, t1;

	if (w->algo == SIDE_FIRST_FIT_ALIGN)
		arg = w->align_min <<
		      (rnd() % (__builtin_ctzl(w->align_max / w->align_min) + 1));
	t0 = ticks();
	addr = r->ops->alloc(r->pool, n * r->gsize, w->algo, arg, NULL);
	t1 = ticks();
	if (timed) {
		r->lat[r->steps] = elapsed(t0, t1);
		r->alloc_ticks += r->lat[r->steps];
	}
	r->hash = (r->hash ^ addr) * 0x100000001b3ULL;
	if (addr) {
		live_push(r, addr, n);
	} else {
		r->allocs_failed++;
		if (r->nlive)
			live_free(r, rnd() % r->nlive, timed);
	}
	if (w->same_block) {
		if (addr)
			live_free(r, r->nlive - 1, timed);
	} else {
		while (r->used * 100 > (unsigned long long)r->total * w->fill)
			live_free(r, rnd() % r->nlive, timed);
	}
	if (timed)
		r->steps++;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Steady state: @max_steps steps or @budget seconds, whichever first.
 * Steps are measured in batches (64 steps, or fewer when they are slow);
 * a batch whose wall time exceeds its thread CPU time by more than 2 µs
 * + 10% was preempted or interrupted, and its measurements are dropped
 * (the steps still happen, so both implementations see the same
 * sequence).  This keeps the figures usable on a busy machine.
 */
static void measure(struct run *r, const struct workload *w,
		    unsigned long min_steps, unsigned long max_steps,
		    double budget, unsigned long hash_steps)
{
	unsigned long b_steps, b_frees, i;
	uint64_t b_alloc, b_free, c0, w0, wall, cpu;
	double t0;

	for (i = 0; i < WARMUP_STEPS; i++)
		step(r, w, false);
	r->hash = 0;
	r->hash_steps = hash_steps;
	r->lat = malloc(max_steps * sizeof(*r->lat));
	if (!r->lat) {
		perror("malloc");
		exit(2);
	}
	t0 = now_s();
	while (r->done < max_steps) {
		b_steps = r->steps;
		b_frees = r->frees;
		b_alloc = r->alloc_ticks;
		b_free = r->free_ticks;
		c0 = cpu_ns();
		w0 = ticks();
		do {
			step(r, w, true);
			r->done++;
			if (r->done == hash_steps)
				r->hash_at = r->hash;
		} while (r->steps - b_steps < 64 && r->done < max_steps &&
			 (ticks() - w0) * ns_per_tick < 20000);
		wall = (ticks() - w0) * ns_per_tick;
		cpu = cpu_ns() - c0;
		r->batches++;
		if (wall > cpu + 2000 + cpu / 10) {
			r->dropped++;
			r->steps = b_steps;
			r->frees = b_frees;
			r->alloc_ticks = b_alloc;
			r->free_ticks = b_free;
		}
		if (hash_steps && !r->pfx_steps && r->done >= hash_steps) {
			r->pfx_steps = r->steps;
			r->pfx_frees = r->frees;
			r->pfx_ticks = r->alloc_ticks + r->free_ticks;
			r->pfx_free_ticks = r->free_ticks;
		}
		if (r->done >= min_steps && now_s() - t0 > budget)
			break;
	}
	r->seconds = now_s() - t0;
}

/*
 * The pool is left as it is: emptying W4's or W7's takes millions of
 * frees, and the process ends soon anyway.
 */
static void teardown(struct run *r)
{
	free(r->live);
	free(r->lat);
}

static const char *cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown CPU");
	while (f && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && p) {
			snprintf(buf, len, "%s", p + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	return buf;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct figures {
	double pair, alloc, free, p99, max;
	double pfx_pair, pfx_free;	/* over upstream's steps */
};

static void figures(struct run *r, struct figures *f)
{
	qsort(r->lat, r->steps, sizeof(*r->lat), cmp_u64);
	f->alloc = r->alloc_ticks * ns_per_tick / r->steps;
	f->free = r->frees ? r->free_ticks * ns_per_tick / r->frees : 0;
	f->pair = (r->alloc_ticks + r->free_ticks) * ns_per_tick / r->steps;
	f->p99 = r->lat[(r->steps * 99) / 100] * ns_per_tick;
	f->max = r->lat[r->steps - 1] * ns_per_tick;
	f->pfx_pair = f->pair;
	f->pfx_free = f->free;
	if (r->pfx_steps)
		f->pfx_pair = r->pfx_ticks * ns_per_tick / r->pfx_steps;
	if (r->pfx_frees)
		f->pfx_free = r->pfx_free_ticks * ns_per_tick / r->pfx_frees;
}

/* One round of a workload: upstream's figures and ours, side by side. */
struct outcome {
	struct figures fu, fo;
	unsigned long su, so;		/* steps measured */
	double drop;			/* batches dropped, percent */
	double sp;			/* speed-up */
};

#define MAX_ROUNDS	9

static int cmp_outcome(const void *a, const void *b)
{
	double x = ((const struct outcome *)a)->sp;
	double y = ((const struct outcome *)b)->sp;

	return x < y ? -1 : x > y;
}

/* ---- output ---- */

static FILE *md;

/* The results table: its header, one row per workload, the notes below. */
#define TABLE_HEAD "| wl | workload | ns/pair upstream | ns/pair ours | speed-up (range) | ns/pair ours, whole run | free upstream | free ours | p99 alloc upstream | p99 alloc ours | max alloc upstream | max alloc ours | metadata upstream | metadata ours (index) | steps upstream / ours (batches dropped) |\n"
#define TABLE_ROW "| %s | %s | %s | %s | **%.1fx** (%.1f-%.1f) | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s) | %lu / %lu (%.0f%%)%s |\n"
#define TABLE_NOTES "\nEach row is the round with the median speed-up of the run's rounds (the lower of the two middle ones for an even count), all of its figures from that round; the range is that of the speed-ups over every round. ns/pair: (time of all allocs + all frees) / allocs in the steady state, for ours over the same steps as upstream (identical operations; the speed-up and the free ratio use these) and over its whole, longer run; free: mean per free; p99/max: allocation latency over each implementation's whole run; all TSC-timed per operation. Steps: measured steady-state steps (upstream runs fewer in the same time budget); batches of steps whose wall time exceeded their CPU time (preempted) are dropped. Placement hash of the common prefix identical for every workload unless flagged.\n"

static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (md) {
		va_start(ap, fmt);
		vfprintf(md, fmt, ap);
		va_end(ap);
	}
}

static const char *human(double ns, char *buf)
{
	if (ns >= 1e6)
		sprintf(buf, "%.2f ms", ns / 1e6);
	else if (ns >= 1e4)
		sprintf(buf, "%.1f µs", ns / 1e3);
	else
		sprintf(buf, "%.0f ns", ns);
	return buf;
}

static const char *bytes(size_t b, char *buf)
{
	if (b >= 10 * MIB)
		sprintf(buf, "%.1f MiB", b / (double)MIB);
	else if (b >= 10 * KIB)
		sprintf(buf, "%.1f KiB", b / (double)KIB);
	else
		sprintf(buf, "%zu B", b);
	return buf;
}

int main(int argc, char **argv)
{
	uint64_t seed = 12345;
	double budget = 2.0;
	const char *only = NULL, *mdfile = NULL, *cg = NULL, *cg_impl = NULL;
	unsigned long cg_steps = 20000;
	struct figures fo[NR_WL], fu[NR_WL];
	struct outcome res[MAX_ROUNDS], *med;
	double spmin[NR_WL], spmax[NR_WL];
	unsigned int rounds = 3, r;
	struct run ro, ru;
	bool hash_ok[NR_WL], ran[NR_WL] = { false };
	double drop[NR_WL];
	unsigned long so[NR_WL], su[NR_WL];
	size_t mo[NR_WL], mu[NR_WL], io[NR_WL];
	char b[12][32];
	struct utsname un;
	struct timespec t0, t1;
	char cpu[128];
	unsigned int i;
	int c;

	while ((c = getopt(argc, argv, "s:t:r:w:o:c:i:n:")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			budget = strtod(optarg, NULL);
			break;
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			if (rounds < 1 || rounds > MAX_ROUNDS) {
				fprintf(stderr, "bench: -r takes 1 to %d\n",
					MAX_ROUNDS);
				return 2;
			}
			break;
		case 'w':
			only = optarg;
			break;
		case 'o':
			mdfile = optarg;
			break;
		case 'c':
			cg = optarg;
			break;
		case 'i':
			cg_impl = optarg;
			break;
		case 'n':
			cg_steps = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-s SEED] [-t SECONDS] [-r ROUNDS] [-w W1,W2] [-o FILE.md] | -c WN -i ours|upstream [-n STEPS]\n",
				argv[0]);
			return 2;
		}
	}

	if (cg) {
		/*
		 * One workload, one implementation, a fixed number of steps,
		 * with callgrind collecting only the steady state.
		 */
		const struct side_ops *ops = cg_impl && !strcmp(cg_impl, "upstream") ?
					     &up_side_ops : &ours_side_ops;

		for (i = 0; i < NR_WL; i++)
			if (!strcmp(workloads[i].name, cg))
				break;
		if (i == NR_WL)
			return 2;
		setup(&ro, &workloads[i], ops, seed);
		for (c = 0; c < WARMUP_STEPS; c++)
			step(&ro, &workloads[i], false);
		ro.lat = malloc(cg_steps * sizeof(*ro.lat));
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		CALLGRIND_TOGGLE_COLLECT;
		while (ro.steps < cg_steps)
			step(&ro, &workloads[i], true);
		ro.done = ro.steps;
		CALLGRIND_TOGGLE_COLLECT;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		/* CPU time per step, harness included: for comparing builds. */
		printf("%s %s steps %lu frees %lu cpu %.1f ns/step\n", cg,
		       ops->name, ro.steps, ro.frees,
		       ((t1.tv_sec - t0.tv_sec) * 1e9 +
			(t1.tv_nsec - t0.tv_nsec)) / ro.steps);
		teardown(&ro);
		return 0;
	}

	calibrate();
	if (mdfile) {
		md = fopen(mdfile, "w");
		if (!md) {
			perror(mdfile);
			return 2;
		}
	}
	uname(&un);
	fprintf(stdout,
		"bench: seed %llu, %.1f s per workload and implementation, TSC %.3f ns/tick, timer overhead %llu ticks subtracted\n",
		(unsigned long long)seed, budget, ns_per_tick,
		(unsigned long long)tick_overhead);

	for (i = 0; i < NR_WL; i++) {
		const struct workload *w = &workloads[i];
		unsigned long max_steps = w->same_block ? 20000000 : 5000000;

		if (only ? !strstr(only, w->name) : w->extra)
			continue;
		fprintf(stderr, "%s: %s ...\n", w->name, w->desc);
		hash_ok[i] = true;
		for (r = 0; r < rounds; r++) {
			struct outcome *o = &res[r];

			/* Upstream first: its step count sets the checked prefix. */
			setup(&ru, w, &up_side_ops, seed);
			measure(&ru, w, 2000, max_steps, budget, 0);
			setup(&ro, w, &ours_side_ops, seed);
			measure(&ro, w, ru.done, max_steps, budget, ru.done);
			o->su = ru.steps;
			o->so = ro.steps;
			if (ro.hash_at != ru.hash)
				hash_ok[i] = false;
			figures(&ru, &o->fu);
			figures(&ro, &o->fo);
			o->sp = o->fu.pair / o->fo.pfx_pair;
			o->drop = 100.0 * (ru.dropped + ro.dropped) /
				  (ru.batches + ro.batches);
			mo[i] = ro.meta;
			mu[i] = ru.meta;
			io[i] = ro.index;
			fprintf(stderr,
				"%s round %u: upstream %lu/%lu steps measured (%lu/%lu batches dropped) %.1f ns/pair; ours %lu/%lu (%lu/%lu) %.1f ns/pair; %.1fx; %s\n",
				w->name, r + 1, ru.steps, ru.done, ru.dropped,
				ru.batches, o->fu.pair, ro.steps, ro.done,
				ro.dropped, ro.batches, o->fo.pfx_pair, o->sp,
				ro.hash_at == ru.hash ? "same placements" :
				"PLACEMENTS DIFFER");
			teardown(&ru);
			teardown(&ro);
		}
		/* The round with the median speed-up (the lower of two). */
		qsort(res, rounds, sizeof(res[0]), cmp_outcome);
		med = &res[(rounds - 1) / 2];
		fu[i] = med->fu;
		fo[i] = med->fo;
		su[i] = med->su;
		so[i] = med->so;
		drop[i] = med->drop;
		spmin[i] = res[0].sp;
		spmax[i] = res[rounds - 1].sp;
		ran[i] = true;
		fprintf(stderr,
			"%s: upstream %.1f ns/pair, ours %.1f ns/pair, %.1fx (median of %u round%s, %.1f-%.1fx); %s\n",
			w->name, fu[i].pair, fo[i].pfx_pair, med->sp, rounds,
			rounds == 1 ? "" : "s", spmin[i], spmax[i],
			hash_ok[i] ? "same placements" : "PLACEMENTS DIFFER");
	}

	out("\n### genalloc benchmark: ours vs upstream 6.12 (same run)\n\n");
	out("Machine: %s, %ld CPUs, %s %s; gcc -O2, userspace shim; seed %llu; "
	    "%u round%s of %.1f s per workload and implementation.\n\n",
	    cpu_model(cpu, sizeof(cpu)), sysconf(_SC_NPROCESSORS_ONLN),
	    un.sysname, un.release, (unsigned long long)seed, rounds,
	    rounds == 1 ? "" : "s", budget);
	out(TABLE_HEAD);
	out("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < NR_WL; i++) {
		if (!ran[i])
			continue;
		out(TABLE_ROW, workloads[i].name, workloads[i].desc,
		    human(fu[i].pair, b[0]), human(fo[i].pfx_pair, b[1]),
		    fu[i].pair / fo[i].pfx_pair, spmin[i], spmax[i],
		    human(fo[i].pair, b[11]),
		    human(fu[i].free, b[2]), human(fo[i].pfx_free, b[3]),
		    human(fu[i].p99, b[4]), human(fo[i].p99, b[5]),
		    human(fu[i].max, b[6]), human(fo[i].max, b[7]),
		    bytes(mu[i], b[8]), bytes(mo[i], b[9]),
		    bytes(io[i], b[10]), su[i], so[i], drop[i],
		    hash_ok[i] ? "" : " (placements differ!)");
	}
	out("\nTargets (issue 4, point 5):\n\n");
	for (i = 0; i < NR_WL; i++) {
		double sp, fr;

		if (!ran[i])
			continue;
		sp = fu[i].pair / fo[i].pfx_pair;
		fr = fo[i].pfx_free / fu[i].free;
		if (workloads[i].target > 0)
			out("- %s speed-up %.1fx (rounds %.1f-%.1fx), target >= %gx: %s\n",
			    workloads[i].name, sp, spmin[i], spmax[i],
			    workloads[i].target,
			    sp >= workloads[i].target ? "met" : "NOT met");
		if (workloads[i].extra)
			out("- %s free %.2fx upstream's free time (no target)\n",
			    workloads[i].name, fr);
		else
			out("- %s free %.2fx upstream's free time, target <= 1.5x: %s\n",
			    workloads[i].name, fr, fr <= 1.5 ? "met" : "NOT met");
	}
	if (ran[0] && ran[6])
		out("- W7 p99 alloc %.0f ns vs W1 p99 %.0f ns = %.2fx, target <= 3x: %s\n",
		    fo[6].p99, fo[0].p99, fo[6].p99 / fo[0].p99,
		    fo[6].p99 <= 3 * fo[0].p99 ? "met" : "NOT met");
	for (i = 0; i < NR_WL; i++) {
		unsigned long long bm;

		if (!ran[i])
			continue;
		bm = mu[i] - workloads[i].nchunks * up_side_ops.chunk_struct_size;
		out("- %s index %zu B = %.1f%% of the %llu B bitmap, target <= 25%%: %s\n",
		    workloads[i].name, io[i], 100.0 * io[i] / bm, bm,
		    io[i] * 4 <= bm ? "met" : "NOT met");
	}
	out(TABLE_NOTES);
	if (md)
		fclose(md);
	for (i = 0; i < NR_WL; i++)
		if (ran[i] && !hash_ok[i])
			return 1;
	return 0;
}
