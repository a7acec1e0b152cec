/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bit searches.  Words are read with relaxed atomic loads: genalloc scans
 * bitmaps that other threads update with cmpxchg, and the kernel's plain
 * reads are fine there but would upset ThreadSanitizer.
 */
#ifndef _SHIM_LINUX_FIND_H
#define _SHIM_LINUX_FIND_H

#include <linux/bitops.h>

#define BITMAP_FIRST_WORD_MASK(start) (~0UL << ((start) & (BITS_PER_LONG - 1)))
#define BITMAP_LAST_WORD_MASK(nbits) (~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

static inline unsigned long __shim_find_word(const unsigned long *addr,
					     unsigned long i, bool invert)
{
	unsigned long w = __atomic_load_n(&addr[i], __ATOMIC_RELAXED);

	return invert ? ~w : w;
}

/* First bit at or after @offset that is set (clear if @invert); @size if none. */
static inline unsigned long __shim_find_next(const unsigned long *addr,
					     unsigned long size,
					     unsigned long offset, bool invert)
{
	unsigned long i, w;

	if (offset >= size)
		return size;
	i = BIT_WORD(offset);
	w = __shim_find_word(addr, i, invert) & BITMAP_FIRST_WORD_MASK(offset);
	for (;;) {
		if (w) {
			offset = i * BITS_PER_LONG + __ffs(w);
			return offset < size ? offset : size;
		}
		if (++i * BITS_PER_LONG >= size)
			return size;
		w = __shim_find_word(addr, i, invert);
	}
}

static inline unsigned long find_next_bit(const unsigned long *addr,
					  unsigned long size,
					  unsigned long offset)
{
	return __shim_find_next(addr, size, offset, false);
}

static inline unsigned long find_next_zero_bit(const unsigned long *addr,
					       unsigned long size,
					       unsigned long offset)
{
	return __shim_find_next(addr, size, offset, true);
}

static inline unsigned long find_first_bit(const unsigned long *addr,
					   unsigned long size)
{
	return __shim_find_next(addr, size, 0, false);
}

static inline unsigned long find_first_zero_bit(const unsigned long *addr,
						unsigned long size)
{
	return __shim_find_next(addr, size, 0, true);
}

/* Highest set bit below @size; @size if none. */
static inline unsigned long find_last_bit(const unsigned long *addr,
					  unsigned long size)
{
	unsigned long i, w;

	if (!size)
		return size;
	i = BIT_WORD(size - 1);
	w = __shim_find_word(addr, i, false) & BITMAP_LAST_WORD_MASK(size);
	for (;;) {
		if (w)
			return i * BITS_PER_LONG + __fls(w);
		if (!i)
			return size;
		w = __shim_find_word(addr, --i, false);
	}
}

#define for_each_set_bit(bit, addr, size) \
	for ((bit) = find_first_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit(bit, addr, size) \
	for ((bit) = find_first_zero_bit((addr), (size)); (bit) < (size); \
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#define for_each_set_bit_from(bit, addr, size) \
	for ((bit) = find_next_bit((addr), (size), (bit)); (bit) < (size); \
	     (bit) = find_next_bit((addr), (size), (bit) + 1))

#define for_each_clear_bit_from(bit, addr, size) \
	for ((bit) = find_next_zero_bit((addr), (size), (bit)); (bit) < (size); \
	     (bit) = find_next_zero_bit((addr), (size), (bit) + 1))

#endif /* _SHIM_LINUX_FIND_H */
