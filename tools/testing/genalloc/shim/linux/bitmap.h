/* SPDX-License-Identifier: GPL-2.0-only */
/* Bitmap operations on arrays of unsigned long (non-atomic). */
#ifndef _SHIM_LINUX_BITMAP_H
#define _SHIM_LINUX_BITMAP_H

#include <string.h>
#include <linux/bitops.h>
#include <linux/find.h>
#include <linux/slab.h>

#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src,
			       unsigned int nbits)
{
	memcpy(dst, src, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* Set bits [start, start + nr). */
static inline void bitmap_set(unsigned long *map, unsigned long start,
			      unsigned long nr)
{
	while (nr--)
		__set_bit(start++, map);
}

/* Clear bits [start, start + nr). */
static inline void bitmap_clear(unsigned long *map, unsigned long start,
				unsigned long nr)
{
	while (nr--)
		__clear_bit(start++, map);
}

static inline unsigned long bitmap_weight(const unsigned long *map,
					  unsigned long nbits)
{
	unsigned long i, w = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		w += hweight_long(map[i]);
	if (nbits % BITS_PER_LONG)
		w += hweight_long(map[i] & BITMAP_LAST_WORD_MASK(nbits));
	return w;
}

static inline bool bitmap_empty(const unsigned long *map, unsigned long nbits)
{
	return find_first_bit(map, nbits) >= nbits;
}

static inline bool bitmap_full(const unsigned long *map, unsigned long nbits)
{
	return find_first_zero_bit(map, nbits) >= nbits;
}

static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b,
				unsigned long nbits)
{
	unsigned long i;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		if (a[i] != b[i])
			return false;
	if (nbits % BITS_PER_LONG)
		return !((a[i] ^ b[i]) & BITMAP_LAST_WORD_MASK(nbits));
	return true;
}

static inline bool bitmap_intersects(const unsigned long *a,
				     const unsigned long *b,
				     unsigned long nbits)
{
	unsigned long i;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		if (a[i] & b[i])
			return true;
	if (nbits % BITS_PER_LONG)
		return a[i] & b[i] & BITMAP_LAST_WORD_MASK(nbits);
	return false;
}

static inline void bitmap_or(unsigned long *dst, const unsigned long *a,
			     const unsigned long *b, unsigned long nbits)
{
	unsigned long i;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		dst[i] = a[i] | b[i];
}

static inline bool bitmap_and(unsigned long *dst, const unsigned long *a,
			      const unsigned long *b, unsigned long nbits)
{
	unsigned long i, any = 0;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		any |= (dst[i] = a[i] & b[i]);
	return any;
}

/*
 * The lowest index idx >= @start such that (idx + @align_offset) is a
 * multiple of (@align_mask + 1) and bits [idx, idx + @nr) are clear and
 * below @size.  On failure, returns idx + @nr of the last candidate looked
 * at, which is > @size (lib/bitmap.c's contract, see CONTRACT.md 2.0).
 */
static inline unsigned long
bitmap_find_next_zero_area_off(unsigned long *map, unsigned long size,
			       unsigned long start, unsigned int nr,
			       unsigned long align_mask,
			       unsigned long align_offset)
{
	unsigned long idx, end, busy;

	for (;;) {
		idx = find_next_zero_bit(map, size, start);
		idx = ((idx + align_offset + align_mask) & ~align_mask) -
		      align_offset;
		end = idx + nr;
		if (end > size)
			return end;
		busy = find_next_bit(map, end, idx);
		if (busy >= end)
			return idx;
		start = busy + 1;
	}
}

static inline unsigned long
bitmap_find_next_zero_area(unsigned long *map, unsigned long size,
			   unsigned long start, unsigned int nr,
			   unsigned long align_mask)
{
	return bitmap_find_next_zero_area_off(map, size, start, nr,
					      align_mask, 0);
}

static inline unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long),
			     flags);
}

static inline unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return kcalloc(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

static inline void bitmap_free(const unsigned long *bitmap)
{
	kfree(bitmap);
}

#endif /* _SHIM_LINUX_BITMAP_H */
