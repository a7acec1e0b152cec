/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny test framework for the userspace genalloc harness.
 *
 * TEST(name) { ... } defines and registers a test.  EXPECT() records a
 * failure and goes on; REQUIRE() records it and ends the test.  After
 * each test the runner checks that no allocation leaked (shim_nr_allocated
 * is back where it was, less any leak the test accepted with
 * accept_leaks()) and that no WARN fired that the test did not account
 * for with EXPECT_WARNS().
 */
#ifndef _GENALLOC_HARNESS_H
#define _GENALLOC_HARNESS_H

#include <setjmp.h>
#include <stdio.h>
#include <linux/kernel.h>
#include <linux/slab.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

void register_test(const char *name, void (*fn)(void));
__printf(3, 4)
void test_fail(const char *file, int line, const char *fmt, ...);
extern jmp_buf test_abort;
extern unsigned long test_acked_warnings;
extern long test_accepted_leaks;
/* Called after the test, even one ended by REQUIRE(); reset each test. */
extern void (*test_cleanup)(void);
extern int test_verbose;
extern unsigned int test_seed;
extern unsigned int test_rounds;

#define TEST(name)							\
	static void test_##name(void);					\
	static void __attribute__((constructor)) register_##name(void)	\
	{								\
		register_test(#name, test_##name);			\
	}								\
	static void test_##name(void)

#define EXPECT(cond) do {						\
	if (!(cond))							\
		test_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		test_fail(__FILE__, __LINE__, "%s", #cond);		\
		longjmp(test_abort, 1);					\
	}								\
} while (0)

/* Compare two unsigned long values, printing both on failure. */
#define EXPECT_EQ(a, b) do {						\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	if (__a != __b)							\
		test_fail(__FILE__, __LINE__, "%s == %s (%#llx != %#llx)", \
			  #a, #b, __a, __b);				\
} while (0)

/*
 * Run @stmt with the WARN_ONCE sites re-armed and check that it fires
 * exactly @n warnings.
 */
#define EXPECT_WARNS(n, stmt) do {					\
	unsigned long __before;						\
	int __want;							\
	__atomic_add_fetch(&shim_warn_generation, 1, __ATOMIC_RELAXED);	\
	__before = shim_nr_warnings;					\
	stmt;								\
	__want = (n);							\
	if (shim_nr_warnings - __before != (unsigned long)__want)	\
		test_fail(__FILE__, __LINE__,				\
			  "%s: %lu warnings, expected %d (last: %s)",	\
			  #stmt, shim_nr_warnings - __before, __want,	\
			  shim_last_warning);				\
	test_acked_warnings += shim_nr_warnings - __before;		\
} while (0)

/* A leak the test caused on purpose (blocks stay on the shim's list). */
static inline void accept_leaks(long n)
{
	test_accepted_leaks += n;
}

#endif /* _GENALLOC_HARNESS_H */
