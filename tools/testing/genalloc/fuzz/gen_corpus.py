#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpus of fuzz_genalloc.c.

    gen_corpus.py DIR

Each seed is an operation sequence in the fuzzer's input format: one
opcode byte (value % 16 picks the operation), then the operation's
parameters, each read by its own statement in fuzz_genalloc.c, bytes of a
multi-byte value most significant first, missing bytes read as zero.  The
encoder below mirrors the decoder for the paths the seeds take; a seed
that drifts from it is still a valid input, only a less useful one.
The seeds are deterministic (fixed random.Random seeds), so rerunning the
script reproduces the committed corpus.
"""
import os
import random
import sys

OP_CREATE, OP_ADD, OP_ALLOC, OP_FREE, OP_QUERY = 0, 1, 3, 8, 11
OP_SET_ALGO, OP_DIRECT, OP_NULL, OP_DESTROY = 12, 13, 14, 15
A_FIRST, A_BEST, A_ORDER, A_ALIGN, A_FIXED, A_LAST, A_OVERRUN, A_NULL = \
    range(8)
MAX_BITS = 20000


def be(v, n):
    return bytes((v >> (8 * (n - 1 - i))) & 0xff for i in range(n))


class Seq:
    """An operation sequence, with the little state the decoder needs."""

    def __init__(self):
        self.b = bytearray()
        self.chunks = [0, 0, 0]
        self.live = [False] * 3
        self.recs = 0

    def create(self, pool, order, real=False, inject=False):
        if order <= 12:
            b = next(x for x in range(256) if x % 16 < 11 and x % 13 == order)
        elif order < 64:
            b = next(x for x in range(256)
                     if 11 <= x % 16 < 14 and 13 + x // 16 % 51 == order)
        else:
            b = 14 + 16 * (order & 7)       # one of the invalid orders
        self.b += bytes([OP_CREATE, pool, b, 0 if inject else 1])
        valid = not inject and order < 64
        if valid and order <= 8:
            self.b.append(0 if real else 1)
        if valid:
            self.live[pool] = True
            self.chunks[pool] = 0

    def add(self, pool, nbits, place=0, how=4, tail=0, phys=0x80000000,
            gap=0, ragged=None):
        """place: 0 after the previous chunk, 3 ending at ULONG_MAX,
        4 overlapping, 5 at a given address (gap), 6 at address 0."""
        if nbits == 0:
            cls, nb = 6, b''
        elif nbits <= 64:
            cls, nb = 0, bytes([nbits - 1])
        elif nbits <= 1100:
            cls, nb = 3, be(nbits - 1, 2)
        elif nbits <= MAX_BITS:
            cls, nb = 5, be(nbits - 1025, 2)
        else:
            cls, nb = 7, be(nbits, 8)
        kind = cls + 8 * place
        self.b += bytes([OP_ADD, pool, kind, how]) + be(tail, 8) + \
            be(phys, 8) + nb
        if place == 0:
            self.b += bytes([gap, 1 if ragged is None else 8])
            if ragged is not None:
                self.b.append(ragged)
        elif place == 4 and self.chunks[pool]:
            self.b += bytes([0]) + be(gap, 8)
        elif place in (4, 5):
            self.b += be(gap, 8)
        if place in (0, 3, 5, 6) and self.live[pool]:
            self.chunks[pool] += 1

    def data(self, algo, align_shift=3, offset_bit=0, bad=False):
        if algo == A_ALIGN:
            if bad:
                return bytes([1 + 16 * 3])  # align 6
            return bytes([2, align_shift])
        if algo == A_FIXED:
            if bad:     # in chunk 0 (if any), then made unaligned
                return bytes([1, 0]) + be(offset_bit, 2) + bytes([1])
            return bytes([4]) + be(offset_bit, 4)
        return bytes([1])

    def alloc(self, pool, granules, algo=A_FIRST, entry=1, **kw):
        """entry: 0 gen_pool_alloc, 1 _algo, 2 _owner, 3 _algo_owner,
        4 dma_alloc, 5 dma_alloc_align, 6 dma_alloc_algo, 7-9 zalloc."""
        self.b += bytes([OP_ALLOC, pool, entry, algo])
        self.b += self.data(algo, **kw)
        if granules == 0:
            self.b += bytes([0])
        elif granules <= 24:
            self.b += bytes([5, granules - 1])
        else:
            self.b += bytes([3]) + be(granules, 2) + bytes([0])
        if entry in (5, 8):
            self.b += self.data(A_ALIGN, **kw)
        self.recs += 1

    def free(self, pool, kind=0, rec=None):
        """kind: 0-2 a recorded block (2 keeps the record), 3 part of one,
        4 anywhere, 5 past the end, 6 anything, 7 size 0."""
        self.b += bytes([OP_FREE, pool, kind])
        if self.recs:
            r = rec if rec is not None else self.recs - 1
            self.b += be(r, 2)
        if kind == 3:
            self.b += bytes([1, 2, 1])
        elif kind == 4:
            self.b += bytes([0]) + be(12345, 8) + be(3, 2) + bytes([0])
        elif kind == 5:
            self.b += bytes([0, 3, 9])
        elif kind == 6:
            self.b += be(0x1234, 8) + be(64, 8)
        if kind < 2 and self.recs:
            self.recs -= 1

    def query(self, pool, kind=1, off=0, size=16):
        self.b += bytes([OP_QUERY, pool, kind])
        if kind % 4:
            self.b += bytes([0])
            if kind // 4 % 4 == 0:
                self.b += be(off, 8)
        else:
            self.b += be(off, 8)
        self.b += be(size, 8) if kind // 16 % 2 else be(size, 2)

    def set_algo(self, pool, algo, **kw):
        self.b += bytes([OP_SET_ALGO, pool, algo]) + self.data(algo, **kw)

    def direct(self, pool, algo, start, nr, **kw):
        self.b += bytes([OP_DIRECT, pool, algo, 0]) + self.data(algo, **kw)
        self.b += be(start, 2) + bytes([nr - 1])

    def null(self, which):
        self.b += bytes([OP_NULL, which])

    def destroy(self, pool, clean=True):
        self.b += bytes([OP_DESTROY, pool, 1 if clean else 0])
        self.live[pool] = False


def churn(s, rnd, pool, n, algos, max_gran=24):
    for _ in range(n):
        if rnd.random() < 0.6 or not s.recs:
            algo = rnd.choice(algos)
            kw = {}
            if algo == A_ALIGN:
                kw['align_shift'] = rnd.randrange(8)
            if algo == A_FIXED:
                kw['offset_bit'] = rnd.randrange(64)
            s.alloc(pool, rnd.randrange(1, max_gran + 1), algo,
                    entry=rnd.choice([0, 1, 1, 3, 6]), **kw)
        else:
            s.free(pool, kind=rnd.choice([0, 0, 1, 2, 3]),
                   rec=rnd.randrange(s.recs))


def seeds():
    out = {}
    algos = [A_FIRST, A_BEST, A_ORDER, A_ALIGN, A_FIXED, A_LAST]

    # The worked examples of CONTRACT.md 2.7 on a 16-byte chunk.
    s = Seq()
    s.create(0, 0)
    s.add(0, 16, gap=0)
    s.alloc(0, 3)
    s.alloc(0, 2)
    s.free(0, rec=0)
    s.alloc(0, 2)
    s.alloc(0, 2)
    out['contract-first-fit'] = s

    for name, algo in (('best', A_BEST), ('order-align', A_ORDER),
                       ('align', A_ALIGN), ('fixed', A_FIXED),
                       ('last-fit', A_LAST)):
        s = Seq()
        s.create(0, 0)
        s.add(0, 16)
        for g in (3, 2, 5, 1, 4):
            s.alloc(0, g, algo, offset_bit=g, align_shift=2)
        s.free(0, rec=1)
        s.free(0, rec=2)
        s.alloc(0, 2, algo, offset_bit=3)
        out['small-' + name] = s

    # One algorithm each on an indexed chunk (> 1024 granules).
    for i, algo in enumerate(algos):
        for order in (0, 5, 12):
            rnd = random.Random(100 * i + order)
            s = Seq()
            s.create(0, order)
            s.add(0, rnd.choice([1500, 5000, 9000, MAX_BITS]))
            churn(s, rnd, 0, 60, [algo], max_gran=24)
            out['index-%d-order%d' % (algo, order)] = s

    # Several chunks, newest first, all algorithms and pool defaults.
    for n in range(6):
        rnd = random.Random(1000 + n)
        s = Seq()
        s.create(0, rnd.choice([0, 3, 6, 12]))
        for _ in range(rnd.randrange(2, 5)):
            s.add(0, rnd.choice([20, 64, 300, 1100, 2000]),
                  gap=rnd.randrange(4))
        s.set_algo(0, rnd.choice(algos), align_shift=4, offset_bit=8)
        churn(s, rnd, 0, 50, algos)
        s.query(0, kind=1, off=5)
        s.direct(0, rnd.choice(algos[:5]), 7, 3)
        out['multi-%d' % n] = s

    # Three pools side by side.
    rnd = random.Random(7)
    s = Seq()
    for p in range(3):
        s.create(p, [0, 4, 9][p])
        s.add(p, [40, 1500, 600][p])
    for _ in range(40):
        p = rnd.randrange(3)
        s.alloc(p, rnd.randrange(1, 12), rnd.choice(algos))
    for p in range(3):
        s.destroy(p, clean=p != 1)
    out['three-pools'] = s

    # Edge chunks: ending at ULONG_MAX, at 0, below a granule, ragged.
    s = Seq()
    s.create(0, 4)
    s.add(0, 100, place=3)
    s.alloc(0, 100)
    s.free(0, rec=0)
    s.alloc(0, 1)
    s.query(0, kind=1 + 16, off=0, size=(1 << 64) - 1)
    out['edge-ulong-max'] = s
    s = Seq()
    s.create(0, 3)
    s.add(0, 30, place=6)
    s.alloc(0, 1)
    s.alloc(0, 2)
    s.free(0, kind=0, rec=0)
    out['edge-address-0'] = s
    s = Seq()
    s.create(0, 6)
    s.add(0, 0, tail=40)
    s.add(0, 10, tail=17, ragged=3)
    s.alloc(0, 10)
    s.alloc(0, 1)
    out['edge-ragged'] = s

    # Caller mistakes.
    s = Seq()
    for order in (64, 65, 70):
        s.create(0, order)
    s.create(1, 5, inject=True)
    s.create(0, 5)
    s.add(0, 64)
    s.add(0, 64, place=4, gap=3)        # overlap
    s.add(0, 1 << 40, place=5, gap=(1 << 64) - 4096)  # wraps
    s.add(0, 64, how=0)                 # injected failure
    s.alloc(0, 0)
    s.alloc(0, 3, A_ALIGN, bad=True)
    s.alloc(0, 3, A_FIXED, bad=True)
    s.alloc(0, 3, A_OVERRUN)
    s.alloc(0, 3, A_NULL)
    s.alloc(0, 4)
    for kind in range(3, 8):
        s.free(0, kind=kind)
    s.free(0, kind=2)
    s.free(0, kind=0)
    s.free(0, kind=0)
    for w in range(18):
        s.null(w)
    s.destroy(0, clean=False)
    out['mistakes'] = s

    # Real memory for the zeroing allocators.
    s = Seq()
    s.create(0, 4, real=True)
    s.add(0, 512)
    for e in (7, 8, 9, 4, 5):
        s.alloc(0, 3, A_FIRST, entry=e, align_shift=3)
    out['real-zalloc'] = s

    # Long random mixes.
    for n in range(8):
        rnd = random.Random(5000 + n)
        s = Seq()
        s.create(0, rnd.randrange(0, 13))
        s.add(0, rnd.randrange(1025, MAX_BITS))
        s.add(0, rnd.randrange(1, 1100))
        churn(s, rnd, 0, 150, algos, max_gran=rnd.choice([4, 24, 200]))
        out['mix-%d' % n] = s
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    for name, s in sorted(seeds().items()):
        with open(os.path.join(d, name), 'wb') as f:
            f.write(bytes(s.b))


if __name__ == '__main__':
    main()
