#!/usr/bin/python3
"""Python baselines of bench/run: coverage and 2SFCA with numpy and scipy.

Usage: run_py.py DIR D0
Reads DIR/pop.csv (id,lon,lat,pop) and DIR/fac.csv (id,lon,lat,supply) and
prints one line per timed operation: "<name> SECONDS RESULT" where RESULT is
the covered population share (coverage) or sum(pop * access) (2SFCA), so the
caller can check the answers against health_share's.  Only computation is
timed, not reading the files.  The 2SFCA code is bench/spatial_py.py's.
"""
import os
import sys
import time

import numpy as np
from scipy.spatial import cKDTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spatial_py import R, DEG, load, unit, dense, kdtree  # noqa: E402


def coverage_dense(plat, plon, pop, flat, flon, d0, chunk=1000):
    """Share of the population with a facility within d0: chunked dense
    haversine matrix, any() per row."""
    hmax = np.sin(d0 / (2 * R)) ** 2
    cp, cf = np.cos(plat), np.cos(flat)
    cov = np.zeros(len(plat), dtype=bool)
    for lo in range(0, len(plat), chunk):
        hi = lo + chunk
        s1 = np.sin((flat[None, :] - plat[lo:hi, None]) * 0.5)
        s2 = np.sin((flon[None, :] - plon[lo:hi, None]) * 0.5)
        h = s1 * s1 + cp[lo:hi, None] * cf[None, :] * s2 * s2
        cov[lo:hi] = (h <= hmax).any(axis=1)
    return pop[cov].sum() / pop.sum()


def coverage_kdtree(plat, plon, pop, flat, flon, d0):
    """Nearest facility by chord distance on unit vectors (monotone in the
    great-circle distance), then the exact haversine of that pair."""
    tf = cKDTree(unit(flat, flon))
    _, j = tf.query(unit(plat, plon), k=1)
    s1 = np.sin((flat[j] - plat) * 0.5)
    s2 = np.sin((flon[j] - plon) * 0.5)
    h = np.minimum(s1 * s1 + np.cos(plat) * np.cos(flat[j]) * s2 * s2, 1.0)
    cov = 2 * R * np.arcsin(np.sqrt(h)) <= d0
    return pop[cov].sum() / pop.sum()


def main():
    d, d0 = sys.argv[1], float(sys.argv[2])
    _, plon, plat, pop = load(d + "/pop.csv")
    _, flon, flat, sup = load(d + "/fac.csv")
    plat, plon, flat, flon = plat * DEG, plon * DEG, flat * DEG, flon * DEG
    runs = [
        ("coverage_numpy", lambda: coverage_dense(plat, plon, pop, flat, flon, d0)),
        ("coverage_ckdtree", lambda: coverage_kdtree(plat, plon, pop, flat, flon, d0)),
        ("fca_numpy", lambda: float((pop * dense(plat, plon, pop, flat, flon, sup, d0)).sum())),
        ("fca_ckdtree", lambda: float((pop * kdtree(plat, plon, pop, flat, flon, sup, d0)).sum())),
    ]
    reps = int(os.environ.get("BENCH_PY_REPS", "2"))
    for name, fn in runs:
        best = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            res = fn()
            best = min(best, time.perf_counter() - t0)
        print(name, "%.6f" % best, "%.12g" % res, flush=True)


if __name__ == "__main__":
    main()
