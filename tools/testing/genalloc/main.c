// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test runner of the userspace genalloc harness.
 *
 *	genalloc_test [-v] [-s SEED] [-r ROUNDS] [TEST...]
 *
 * Prints the random seed first, runs every registered test (or the named
 * ones), then "N tests run, N passed, N failed", and exits non-zero if any
 * test failed.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"

unsigned int test_seed;
unsigned int test_rounds = 1;
int test_verbose;
jmp_buf test_abort;
unsigned long test_acked_warnings;
long test_accepted_leaks;
void (*test_cleanup)(void);

static struct test_case tests[256];
static int nr_tests;
static const char *cur_test;
static int cur_failures;

void register_test(const char *name, void (*fn)(void))
{
	if (nr_tests == (int)ARRAY_SIZE(tests)) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (++cur_failures > 20)
		return;
	printf("FAIL %s: %s:%d: ", cur_test, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static bool run_one(const struct test_case *t)
{
	long base;

	cur_test = t->name;
	cur_failures = 0;
	test_acked_warnings = 0;
	test_accepted_leaks = 0;
	shim_reset_warnings();
	shim_alloc_fail_nth(0);
	shim_alloc_fail_all(false);
	base = shim_nr_allocated;

	test_cleanup = NULL;
	if (!setjmp(test_abort))
		t->fn();
	if (test_cleanup)
		test_cleanup();

	shim_alloc_fail_nth(0);
	shim_alloc_fail_all(false);
	if (shim_nr_warnings != test_acked_warnings)
		test_fail(__FILE__, __LINE__, "%lu unexpected warning(s), last: %s",
			  shim_nr_warnings - test_acked_warnings,
			  shim_last_warning);
	if (shim_nr_allocated != base + test_accepted_leaks) {
		test_fail(__FILE__, __LINE__, "%ld block(s) leaked",
			  shim_nr_allocated - base - test_accepted_leaks);
		shim_alloc_dump();
	}
	if (test_verbose || cur_failures)
		printf("%s %s\n", cur_failures ? "not ok" : "ok", t->name);
	return !cur_failures;
}

static bool selected(const char *name, int argc, char **argv)
{
	int i;

	if (optind >= argc)
		return true;
	for (i = optind; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int opt, i, run = 0, passed = 0, failed = 0;
	bool have_seed = false;

	while ((opt = getopt(argc, argv, "vs:r:h")) != -1) {
		switch (opt) {
		case 'v':
			test_verbose++;
			shim_verbose = test_verbose > 1;
			break;
		case 's':
			test_seed = strtoul(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'r':
			test_rounds = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-v[v]] [-s SEED] [-r ROUNDS] [TEST...]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!have_seed)
		test_seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	printf("random seed %u\n", test_seed);
	fflush(stdout);

	for (i = 0; i < nr_tests; i++) {
		if (!selected(tests[i].name, argc, argv))
			continue;
		run++;
		if (run_one(&tests[i]))
			passed++;
		else
			failed++;
		fflush(stdout);
	}
	printf("%d tests run, %d passed, %d failed\n", run, passed, failed);
	if (failed)
		printf("replay with: %s -s %u\n", argv[0], test_seed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
