"""bench/planning: health_share's planning heuristics against CBC's optimum.

Called by bench/planning with: socket directory, port, instances per problem,
units and candidates of the province-size instance.  With HS_CBC_CACHE set to
a JSON file, CBC's optimum of an instance found there (keyed by a digest of
the instance) is reused instead of solved again, and new ones are added: for
comparing versions of the heuristics quickly.  Unset (the default), CBC
solves every instance in the same run.
"""
import hashlib
import json
import math
import os
import random
import statistics
import sys
import time

import psycopg2
import pulp

R = 6371008.8
LIMIT = 120   # seconds of CBC per instance


def hav(lon1, lat1, lon2, lat2):
    la1, la2 = math.radians(lat1), math.radians(lat2)
    s1 = math.sin((la2 - la1) / 2)
    s2 = math.sin(math.radians(lon2 - lon1) / 2)
    h = min(1.0, s1 * s1 + math.cos(la1) * math.cos(la2) * s2 * s2)
    return 2 * R * math.asin(math.sqrt(h))


def points(rng, n, lon0=120.0, lat0=30.0, size=0.4):
    return [(i + 1, lon0 + size * rng.random(), lat0 + size * rng.random()) for i in range(n)]


class Db:
    def __init__(self, host, port):
        self.c = psycopg2.connect(host=host, port=port, dbname="postgres")
        self.c.autocommit = True
        self.cur = self.c.cursor()
        self.cur.execute("SET search_path = health_share, public; SET max_parallel_workers_per_gather = 0")

    def load(self, name, cols, rows):
        self.cur.execute("DROP TABLE IF EXISTS %s; CREATE TABLE %s (%s)" % (name, name, cols))
        if rows:
            import io
            buf = io.StringIO("".join("\t".join(repr(v) for v in r) + "\n" for r in rows))
            self.cur.copy_from(buf, name)
        self.cur.execute("ANALYZE %s" % name)

    def timed(self, sql):
        """the result of sql and its server-side time (best of the run)"""
        self.cur.execute("SELECT clock_timestamp()")
        t0 = self.cur.fetchone()[0]
        self.cur.execute(sql)
        res = self.cur.fetchall()
        self.cur.execute("SELECT clock_timestamp()")
        return res, (self.cur.fetchone()[0] - t0).total_seconds()


def cbc(prob):
    t0 = time.perf_counter()
    prob.solve(pulp.COIN_CMD(path="/usr/bin/cbc", msg=False, timeLimit=LIMIT))
    t = time.perf_counter() - t0
    # CBC stopped by the time limit: its best solution, not a proven optimum
    return t, "time limit: best found" if t >= LIMIT else pulp.LpStatus[prob.status]


CACHE = os.environ.get("HS_CBC_CACHE") or None


def exact(problem, instance, solve):
    """(optimum, CBC seconds, status) of solve(), or of its earlier run on the same instance in HS_CBC_CACHE"""
    if CACHE is None:
        return solve()
    key = problem + ":" + hashlib.sha1(repr(instance).encode()).hexdigest()
    cache = json.load(open(CACHE)) if os.path.exists(CACHE) else {}
    if key in cache:
        opt, t, status = cache[key]
        return opt, t, status + " (cached)"
    cache[key] = solve()
    with open(CACHE, "w") as f:
        json.dump(cache, f)
    return cache[key]


def mclp(db, rng, radius=5000.0, k=5):
    units = [(i, lo, la, float(rng.randint(100, 5000))) for i, lo, la in points(rng, 300)]
    cands = points(rng, 30)
    db.load("u", "id bigint, lon float8, lat float8, pop float8", units)
    db.load("c", "id bigint, lon float8, lat float8", cands)
    res, t_hs = db.timed("SELECT site_select((SELECT facility_set(id, lon, lat) FROM c), lon, lat, pop, %r, %d) FROM u" % (radius, k))
    ours = set(res[0][0])
    cover = {u[0]: [c[0] for c in cands if hav(u[1], u[2], c[1], c[2]) <= radius] for u in units}
    pop = {u[0]: u[3] for u in units}

    def covered(s):
        return sum(pop[i] for i in cover if any(j in s for j in cover[i]))

    def solve():
        prob = pulp.LpProblem("mclp", pulp.LpMaximize)
        x = {c[0]: pulp.LpVariable("x%d" % c[0], cat="Binary") for c in cands}
        y = {u[0]: pulp.LpVariable("y%d" % u[0], 0, 1) for u in units}
        prob += pulp.lpSum(pop[i] * y[i] for i in y)
        for i in y:
            prob += y[i] <= pulp.lpSum(x[j] for j in cover[i])
        prob += pulp.lpSum(x.values()) == k
        t_cbc, status = cbc(prob)
        return covered({j for j in x if x[j].value() > 0.5}), t_cbc, status
    opt, t_cbc, status = exact("mclp", (units, cands, radius, k), solve)
    return (opt - covered(ours)) / opt, t_hs, t_cbc, status


def pmedian(db, rng, k=5):
    units = [(i, lo, la, float(rng.randint(100, 5000))) for i, lo, la in points(rng, 300)]
    cands = points(rng, 30)
    db.load("u", "id bigint, lon float8, lat float8, pop float8", units)
    db.load("c", "id bigint, lon float8, lat float8", cands)
    res, t_hs = db.timed("SELECT site_select_median((SELECT facility_set(id, lon, lat) FROM c), lon, lat, pop, %d) FROM u" % k)
    ours = set(res[0][0])
    d = {(u[0], c[0]): hav(u[1], u[2], c[1], c[2]) for u in units for c in cands}

    def cost(s):
        return sum(u[3] * min(d[u[0], j] for j in s) for u in units)

    def solve():
        prob = pulp.LpProblem("pmedian", pulp.LpMinimize)
        x = {c[0]: pulp.LpVariable("x%d" % c[0], cat="Binary") for c in cands}
        z = {(u[0], c[0]): pulp.LpVariable("z%d_%d" % (u[0], c[0]), 0, 1) for u in units for c in cands}
        prob += pulp.lpSum(u[3] * d[u[0], c[0]] * z[u[0], c[0]] for u in units for c in cands)
        for u in units:
            prob += pulp.lpSum(z[u[0], c[0]] for c in cands) == 1
            for c in cands:
                prob += z[u[0], c[0]] <= x[c[0]]
        prob += pulp.lpSum(x.values()) == k
        t_cbc, status = cbc(prob)
        return cost({j for j in x if x[j].value() > 0.5}), t_cbc, status
    opt, t_cbc, status = exact("pmedian", (units, cands, k), solve)
    return (cost(ours) - opt) / opt, t_hs, t_cbc, status


def design(db, rng, slack=1.3):
    units = [(i, lo, la, float(rng.randint(100, 5000))) for i, lo, la in points(rng, 200)]
    hosp = [(i, lo, la, float(rng.randint(1, 5))) for i, lo, la in points(rng, 12)]
    total = sum(u[3] for u in units)
    cps = slack * total / sum(h[3] for h in hosp)
    db.load("u", "id bigint, lon float8, lat float8, pop float8", units)
    db.load("h", "id bigint, lon float8, lat float8, beds float8", hosp)
    res, t_hs = db.timed("SELECT unit_id, hospital_id FROM grid_design('SELECT id, lon, lat, pop FROM u', "
                         "(SELECT facility_set(id, lon, lat, beds) FROM h), %r)" % cps)
    at = dict(res)
    pop = {u[0]: u[3] for u in units}
    d = {(u[0], h[0]): hav(u[1], u[2], h[1], h[2]) for u in units for h in hosp}
    cap = {h[0]: h[3] * cps for h in hosp}
    assert sorted(at) == sorted(pop), "every unit exactly once"
    for h in cap:
        assert sum(pop[i] for i in at if at[i] == h) <= cap[h] * (1 + 1e-12), "capacity kept"
    ours = sum(pop[i] * d[i, at[i]] for i in at)

    def solve():
        prob = pulp.LpProblem("gap", pulp.LpMinimize)
        z = {(u[0], h[0]): pulp.LpVariable("z%d_%d" % (u[0], h[0]), cat="Binary") for u in units for h in hosp}
        prob += pulp.lpSum(pop[i] * d[i, j] * z[i, j] for (i, j) in z)
        for u in units:
            prob += pulp.lpSum(z[u[0], h[0]] for h in hosp) == 1
        for h in hosp:
            prob += pulp.lpSum(pop[u[0]] * z[u[0], h[0]] for u in units) <= cap[h[0]]
        t_cbc, status = cbc(prob)
        return sum(pop[i] * d[i, j] for (i, j) in z if z[i, j].value() > 0.5), t_cbc, status
    opt, t_cbc, status = exact("design", (units, hosp, cps), solve)
    return (ours - opt) / opt, t_hs, t_cbc, status


def province(db, n, m, rng):
    units = [(i, lo, la, float(rng.randint(100, 20000))) for i, lo, la in
             [(i + 1, 118 + 5 * rng.random(), 27 + 4 * rng.random()) for i in range(n)]]
    cands = [(i + 1, 118 + 5 * rng.random(), 27 + 4 * rng.random()) for i in range(m)]
    hosp = [(i + 1, 118 + 5 * rng.random(), 27 + 4 * rng.random(), float(rng.randint(100, 1000))) for i in range(100)]
    db.load("pu", "id bigint, lon float8, lat float8, pop float8", units)
    db.load("pc", "id bigint, lon float8, lat float8", cands)
    db.load("ph", "id bigint, lon float8, lat float8, beds float8", hosp)
    db.cur.execute("DROP TABLE IF EXISTS pfs; CREATE TABLE pfs AS SELECT facility_set(id, lon, lat) AS fs FROM pc")
    total = sum(u[3] for u in units)
    cps = 1.3 * total / sum(h[3] for h in hosp)
    out = []
    for k, radius in ((10, 10000), (50, 10000), (50, 5000)):
        _, t = db.timed("SELECT site_select((SELECT fs FROM pfs), lon, lat, pop, %d, %d) FROM pu" % (radius, k))
        out.append(("site_select, k = %d, radius %d km" % (k, radius // 1000), t))
    _, t = db.timed("SELECT site_select_median((SELECT fs FROM pfs), lon, lat, pop, 10) FROM pu")
    out.append(("site_select_median, k = 10", t))
    _, t = db.timed("SELECT count(*) FROM grid_design('SELECT id, lon, lat, pop FROM pu', (SELECT facility_set(id, lon, lat, beds) FROM ph))")
    out.append(("grid_design, 100 hospitals, no capacity", t))
    _, t = db.timed("SELECT count(*) FROM grid_design('SELECT id, lon, lat, pop FROM pu', (SELECT facility_set(id, lon, lat, beds) FROM ph), %r)" % cps)
    out.append(("grid_design, 100 hospitals, capacities 1.3 × population", t))
    return out


def main():
    host, port, n, pn, pm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    db = Db(host, port)
    rng = random.Random(20261204)
    problems = [("maximal covering (site_select), 300 units × 30 candidates, k = 5, radius 5 km", mclp),
                ("p-median (site_select_median), 300 units × 30 candidates, k = 5", pmedian),
                ("grid design (grid_design), 200 units × 12 hospitals, capacity 1.3 × population", design)]
    summary = []
    for title, fn in problems:
        print("\n### %s\n" % title)
        print("| instance | gap to CBC optimum | health_share s | CBC s | CBC status |")
        print("|---:|---:|---:|---:|---|")
        gaps, ths, tcs = [], [], []
        for i in range(n):
            gap, t_hs, t_cbc, status = fn(db, rng)
            gap = max(gap, 0.0) if gap > -1e-12 else gap
            gaps.append(gap)
            ths.append(t_hs)
            tcs.append(t_cbc)
            print("| %d | %.3f %% | %.4f | %.3f | %s |" % (i + 1, 100 * gap, t_hs, t_cbc, status))
            sys.stdout.flush()
        summary.append((title.split(" (")[0], statistics.median(gaps), max(gaps), sum(g <= 1e-12 for g in gaps),
                        statistics.median(ths), statistics.median(tcs)))
    print("\n### Summary (%d instances each; gap = health_share's objective vs CBC's, relative)\n" % n)
    print("| problem | median gap | worst gap | at least as good as CBC | median health_share s | median CBC s | CBC / health_share |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, med, worst, nopt, th, tc in summary:
        print("| %s | %.3f %% | %.3f %% | %d / %d | %.4f | %.3f | %.0f× |" % (name, 100 * med, 100 * worst, nopt, n, th, tc, tc / th))
    print("\n### Province-size instance: %d units × %d candidates (lon 118–123, lat 27–31), health_share alone\n" % (pn, pm))
    print("| query | seconds |")
    print("|---|---:|")
    for name, t in province(db, pn, pm, rng):
        print("| %s | %.2f |" % (name, t))
        sys.stdout.flush()


main()
