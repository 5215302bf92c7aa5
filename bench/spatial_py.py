#!/usr/bin/python3
"""Python baselines of bench/spatial: full 2SFCA (binary decay) two ways.

Usage: spatial_py.py DIR D0 [REPS [METHOD ...]]
Reads DIR/pop.csv (id,lon,lat,pop) and DIR/fac.csv (id,lon,lat,supply),
writes DIR/acc_numpy.npy and DIR/acc_ckdtree.npy (accessibility per
population row, in file order) and prints "numpy SECONDS" and
"ckdtree SECONDS" (computation only; reading the files is not timed).
cKDTree runs REPS times (default 3) and the fastest counts, as on the
health_share side; the dense matrix, which takes seconds, runs once.
"""
import itertools
import sys
import time

import numpy as np
from scipy.spatial import cKDTree

R = 6371008.8
DEG = np.pi / 180.0


def load(path):
    a = np.loadtxt(path, delimiter=",")
    return a[:, 0].astype(np.int64), a[:, 1], a[:, 2], a[:, 3]


def unit(latr, lonr):
    c = np.cos(latr)
    return np.column_stack((c * np.cos(lonr), c * np.sin(lonr), np.sin(latr)))


def dense(plat, plon, pop, flat, flon, sup, d0, chunk=1000):
    """Chunked dense distance matrix (haversine), as PySAL-style code does:
    the N x M matrix is computed twice, one chunk of rows at a time."""
    hmax = np.sin(d0 / (2 * R)) ** 2      # d <= d0  <=>  h <= hmax
    cp, cf = np.cos(plat), np.cos(flat)
    n, m = len(plat), len(flat)

    def within(lo, hi):
        s1 = np.sin((flat[None, :] - plat[lo:hi, None]) * 0.5)
        s2 = np.sin((flon[None, :] - plon[lo:hi, None]) * 0.5)
        h = s1 * s1 + cp[lo:hi, None] * cf[None, :] * s2 * s2
        return (h <= hmax).astype(np.float64)

    demand = np.zeros(m)
    for lo in range(0, n, chunk):
        demand += pop[lo:lo + chunk] @ within(lo, lo + chunk)
    ratio = np.divide(sup, demand, out=np.zeros(m), where=demand > 0)
    acc = np.empty(n)
    for lo in range(0, n, chunk):
        acc[lo:lo + chunk] = within(lo, lo + chunk) @ ratio
    return acc


def kdtree(plat, plon, pop, flat, flon, sup, d0):
    """scipy cKDTree on 3-D unit vectors, query_ball_tree from the facility
    tree (5,000 lists rather than 200,000), exact haversine on the pairs."""
    up, uf = unit(plat, plon), unit(flat, flon)
    tp, tf = cKDTree(up), cKDTree(uf)
    chord = 2 * np.sin(d0 / (2 * R)) * (1 + 1e-9)
    lists = tf.query_ball_tree(tp, chord)
    counts = np.fromiter((len(l) for l in lists), np.int64, len(lists))
    pi = np.fromiter(itertools.chain.from_iterable(lists), np.int64, int(counts.sum()))
    fi = np.repeat(np.arange(len(lists)), counts)
    s1 = np.sin((flat[fi] - plat[pi]) * 0.5)
    s2 = np.sin((flon[fi] - plon[pi]) * 0.5)
    h = np.minimum(s1 * s1 + np.cos(plat[pi]) * np.cos(flat[fi]) * s2 * s2, 1.0)
    keep = 2 * R * np.arcsin(np.sqrt(h)) <= d0
    pi, fi = pi[keep], fi[keep]
    demand = np.bincount(fi, weights=pop[pi], minlength=len(flat))
    ratio = np.divide(sup, demand, out=np.zeros(len(flat)), where=demand > 0)
    return np.bincount(pi, weights=ratio[fi], minlength=len(plat))


def main():
    d, d0 = sys.argv[1], float(sys.argv[2])
    _, plon, plat, pop = load(d + "/pop.csv")
    _, flon, flat, sup = load(d + "/fac.csv")
    plat, plon, flat, flon = plat * DEG, plon * DEG, flat * DEG, flon * DEG
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    which = sys.argv[4:] or ["ckdtree", "numpy"]
    for name in which:
        fn = kdtree if name == "ckdtree" else dense
        t = None
        for _ in range(reps if name == "ckdtree" else 1):
            t0 = time.perf_counter()
            acc = fn(plat, plon, pop, flat, flon, sup, d0)
            t1 = time.perf_counter() - t0
            t = t1 if t is None else min(t, t1)
        np.save("%s/acc_%s.npy" % (d, name), acc)
        print(name, "%.4f" % t, flush=True)


if __name__ == "__main__":
    main()
