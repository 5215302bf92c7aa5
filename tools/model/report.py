#!/usr/bin/env python3
"""Writes the self-contained HTML report of the health_share demo.

Usage: report.py <report.json> <huzhou_counties.tsv> <output.html>
The JSON comes from tools/model/report.sql; the page carries everything
inline (CSS, SVG): no network resource.  Standard library only.

The page skeleton, its prose and its CSS are in report/page.html, a
string.Template: page() fills each $name there with HTML.  One function draws
each chart or table; they share the small helpers below (el, svg, line, text,
polyline, legend, y_axis, x_labels, axis_titles, bar, table).  Text from the
data is escaped where it enters the HTML: el() escapes attribute values and
any content that is not Html, so a function builds markup only with el() or
with esc() on every data value it pastes.
"""
import html
import json
import math
import os
import string
import sys

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report", "page.html")
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac"]
ARROW = "\u2192"
LEVELS = ["village", "primary", "secondary", "tertiary"]
TREND_TARGET = 0.9          # the dashed line of the trend chart; the page's note says 90 %
KM_PER_DEGREE = 111.2       # of latitude: turns the 15-minute radius into map units
esc = html.escape


# Reading the input -------------------------------------------------------------

def load_report(path):
    """The report document: the last line of psql's output that is a JSON object."""
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.startswith("{")]
    return json.loads(lines[-1])


def load_shapes(path):
    """County shapes of the TSV: (code, name, centre lon, centre lat, GeoJSON geometry)."""
    shapes = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, name, lon, lat, geom = line.rstrip("\n").split("\t")
            shapes.append((code, name, float(lon), float(lat), json.loads(geom)))
    return shapes


# Numbers as text -----------------------------------------------------------------

def pct(v, digits=1):
    return "–" if v is None else f"{v * 100:.{digits}f} %"


def num(v, spec):
    return "–" if v is None else format(v, spec)


def fixed(spec):
    """A formatter for num with this format spec."""
    return lambda v: num(v, spec)


def ratio(a, b):
    return a / b if b else None


# HTML and SVG helpers ----------------------------------------------------------------

class Html(str):
    """Markup already escaped: el() pastes it as it is."""


def markup(v):
    """v as HTML: Html as it is, anything else as escaped text."""
    return v if isinstance(v, Html) else esc(str(v))


def fmt(v):
    """An attribute value: a float to one decimal (SVG coordinates), anything else as str."""
    return f"{v:.1f}" if isinstance(v, float) else str(v)


def el(name, content=None, **attrs):
    """<name attrs>content</name>, or <name attrs/> without content.  Attribute names
    use _ for - (a trailing _ is dropped: class_); None values are left out."""
    a = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(fmt(v))}"' for k, v in attrs.items() if v is not None)
    if content is None:
        return Html(f"<{name}{a}/>")
    return Html(f"<{name}{a}>{markup(content)}</{name}>")


def join(parts):
    return Html("".join(markup(p) for p in parts))


def tip(text):
    """A tooltip: the <title> child of an SVG shape."""
    return el("title", text)


def points(pts):
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)


def svg(width, height, label, parts):
    return el("svg", join(parts), viewBox=f"0 0 {width} {height}", width=width, height=height,
              role="img", aria_label=label)


def line(x1, y1, x2, y2, stroke, dash=None):
    return el("line", x1=x1, x2=x2, y1=y1, y2=y2, stroke=stroke, stroke_dasharray=dash)


def text(x, y, s, size, **attrs):
    return el("text", s, x=x, y=y, font_size=size, **attrs)


def polyline(pts, colour, fill="none"):
    return el("polyline", fill=fill, stroke=colour, stroke_width=2, points=points(pts))


def legend(entries, x, y, step, size):
    """(label, colour) entries as coloured labels, one under the other from (x, y)."""
    return [text(x, y + step * k, label, size, fill=colour) for k, (label, colour) in enumerate(entries)]


def y_axis(ticks, left, right, y_of, label):
    """A horizontal grid line across the plot at each tick, labelled to the left."""
    parts = []
    for t in ticks:
        parts.append(line(left, y_of(t), right, y_of(t), "#ddd"))
        parts.append(text(left - 4, y_of(t) + 4, label(t), 10, text_anchor="end"))
    return parts


def x_labels(labels, y):
    """(x, label) pairs centred on x under the plot."""
    return [text(x, y, label, 10, text_anchor="middle") for x, label in labels]


def axis_titles(left, top, width, height, x_title, y_title):
    """Titles under the plot box and, turned, left of it."""
    ym = top + height / 2
    return [text(left + width / 2, top + height + 30, x_title, 11, text_anchor="middle"),
            text(12, ym, y_title, 11, transform=f"rotate(-90 12 {ym})", text_anchor="middle")]


def bar(x, y, width, height, fill, title=None, **attrs):
    return el("rect", title and tip(title), x=x, y=y, width=width, height=height, fill=fill, **attrs)


def table(head, rows):
    """head: the header cells' contents; rows: lists of cells made with cell()."""
    return el("table", join([el("tr", join(el("th", h) for h in head))] + [el("tr", join(r)) for r in rows]))


def cell(content, tag="td", cls=None):
    return el(tag, content, class_=cls)


def county_cell(name, code):
    """The row header of a county: name, and the code under it."""
    return cell(Html(f"{esc(name)}<br>{el('small', code)}"), "th")


# 1. County indicators ---------------------------------------------------------------

# (key in the county's JSON, indicator code, formatter)
INDICATOR_COLUMNS = [
    ("in_county_rate", "in_county_visit_rate", pct),
    ("in_county_inpatient_rate", "in_county_inpatient_rate", pct),
    ("grassroots_share", "grassroots_visit_share", pct),
    ("fund_in_county_share", "in_county_fund_share", pct),
    ("referrals_down_growth", "referrals_down_growth", pct),
    ("down_up_ratio", "down_up_ratio", fixed(".2f")),
    ("remote_consultations", "remote_consultations", fixed("")),
    ("signing_rate", "signing_rate", pct),
    ("hypertension_standard_rate", "hypertension_standard_rate", pct),
    ("diabetes_standard_rate", "diabetes_standard_rate", pct),
    ("grid_completeness", "grid_assignment_completeness", pct)]


def meets(indicator, v):
    """✓ or ✗ against the indicator's target, nothing without a target or a value."""
    t = indicator.get("target")
    if t is None or v is None:
        return ""
    ok = v >= t if indicator.get("op") == ">=" else v <= t
    return el("span", "✓", class_="ok") if ok else el("span", "✗", class_="bad")


def target_text(indicator):
    if indicator.get("target") is None:
        return ""
    return f'{indicator["op"]} {indicator["target"] * 100:g} %'


def indicator_table(d):
    """Counties × indicators of the year, each value checked against its national target."""
    ind = {code: d["indicators"].get(code) or {} for _, code, _ in INDICATOR_COLUMNS}
    head = ["county", "visits"] + [
        Html(f'{esc(ind[code].get("name_zh", code))}<br>{el("small", ind[code].get("name_en", ""))}'
             f'<br>{el("small", target_text(ind[code]), class_="t")}') for _, code, _ in INDICATOR_COLUMNS]
    rows = []
    for c in d["counties"] or []:
        cells = [county_cell(c["name"], c["code"]), cell(c["visits"])]
        for key, code, show in INDICATOR_COLUMNS:
            v = c.get(key)
            extra = ""
            if key == "in_county_rate" and c.get("ci_lower") is not None and c.get("ci_upper") is not None:
                extra = "<br>" + el("small", f'{c["ci_lower"] * 100:.1f}–{c["ci_upper"] * 100:.1f}')
            cells.append(cell(Html(f"{esc(show(v))} {meets(ind[code], v)}{extra}")))
        rows.append(cells)
    return table(head, rows)


# 2. Monthly in-county rate -------------------------------------------------------------

def trend_chart(d, width=760, height=260, pad=40):
    """One line per county: the in-county visit rate by month, with the target dashed."""
    monthly = d["monthly"] or []
    months = sorted({m["month"] for m in monthly})
    index = {m: i for i, m in enumerate(months)}
    rates = [m["rate"] for m in monthly if m["rate"] is not None]
    lo = math.floor(min(rates + [TREND_TARGET]) * 20) / 20 if rates else 0.8
    hi = 1.0

    def mx(i):
        return pad + i * (width - 2 * pad) / max(1, len(months) - 1)

    def my(v):
        return height - pad + (pad * 2 - height) * (v - lo) / (hi - lo)

    parts = y_axis([x / 100 for x in range(int(lo * 100), 101, 5)], pad, width - pad, my, lambda t: f"{t * 100:.0f}%")
    parts.append(line(pad, my(TREND_TARGET), width - pad, my(TREND_TARGET), "#c00", dash="4 3"))
    parts += x_labels([(mx(i), m[:7]) for i, m in enumerate(months) if i % 3 == 0], height - pad + 14)
    series = []
    for k, c in enumerate(d["counties"] or []):
        colour = PALETTE[k % len(PALETTE)]
        pts = [(mx(index[m["month"]]), my(m["rate"])) for m in monthly if m["code"] == c["code"] and m["rate"] is not None]
        parts.append(polyline(pts, colour))
        series.append((c["name"], colour))
    parts += legend(series, width - pad + 4, 20, 14, 11)
    return svg(width, height, "monthly in-county visit rate", parts)


def funnel_chart(d, width=760, height=320, pad=48):
    """The funnel plot (Spiegelhalter 2005): each county's in-county rate against its visits, with
    the exact binomial 95 % and 99.8 % limits around the target."""
    f = d.get("funnel") or {}
    pts, curve = f.get("points") or [], f.get("curve") or []
    if not pts or not curve:
        return el("p", "No county-year with a published in-county rate.")
    n_lo, n_hi = math.log(curve[0]["n"]), math.log(curve[-1]["n"])
    values = [c[k] for c in curve for k in ("lower_998", "upper_998")] + [p["rate"] for p in pts]
    lo, hi = math.floor(min(values) * 50) / 50, min(1.0, math.ceil(max(values) * 50) / 50)

    def mx(n):
        return pad + (math.log(n) - n_lo) * (width - 2 * pad) / max(1e-9, n_hi - n_lo)

    def my(v):
        return height - pad + (pad - (height - pad)) * (v - lo) / max(1e-9, hi - lo)

    step = 0.02 if hi - lo > 0.06 else 0.01
    parts = y_axis([lo + k * step for k in range(int(round((hi - lo) / step)) + 1)], pad, width - pad, my,
                   lambda t: f"{t * 100:.0f}%")
    parts.append(line(pad, my(f["target"]), width - pad, my(f["target"]), "#c00", dash="4 3"))
    for key, colour, dash in (("95", "#888", "3 3"), ("998", "#444", None)):
        for side in ("lower", "upper"):
            parts.append(el("polyline", fill="none", stroke=colour, stroke_width=1, stroke_dasharray=dash,
                            points=points([(mx(c["n"]), my(c[f"{side}_{key}"])) for c in curve])))
    ticks = [n for n in (100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000)
             if curve[0]["n"] <= n <= curve[-1]["n"]]
    parts += x_labels([(mx(n), f"{n:,}") for n in ticks], height - pad + 14)
    parts += axis_titles(pad, pad, width - 2 * pad, height - 2 * pad, "visits (log scale) 就诊人次", "县域内就诊率")
    for k, p in enumerate(pts):
        colour = PALETTE[k % len(PALETTE)]
        parts.append(el("circle", tip(f'{p["name"]}: {p["rate"] * 100:.1f} % of {p["visits"]:,} visits, {p["position"]}'),
                        cx=f"{mx(p['visits']):.1f}", cy=f"{my(p['rate']):.1f}", r=5, fill=colour))
        parts.append(text(mx(p["visits"]) + 7, my(p["rate"]) + 4, p["name"], 10, fill=colour))
    return svg(width, height, "funnel plot of the in-county visit rate", parts)


def change_table(d):
    """The year-on-year change of each county's in-county rate, with its Newcombe 95 % interval."""
    rows = []
    for c in d["counties"] or []:
        ch = c.get("rate_change")
        if ch is None:
            shown = [cell("–"), cell("–"), cell("–")]
        else:
            lo, up = c.get("change_lower"), c.get("change_upper")
            verdict = "rise" if lo is not None and lo > 0 else "fall" if up is not None and up < 0 else None
            shown = [cell(f"{ch * 100:+.1f} pp", cls=verdict),
                     cell(f"{lo * 100:+.1f} … {up * 100:+.1f} pp" if lo is not None and up is not None else "–"),
                     cell(num(c.get("change_p"), ".3f"))]
        rows.append([county_cell(c["name"], c["code"]), cell(pct(c.get("in_county_rate")))] + shown)
    return table(["county", "县域内就诊率", "change 同比", "95 % interval", "p"], rows)


# 3. Patient flows ------------------------------------------------------------------------

def flow_links(flows):
    """The links of flow_to_json (bipartite: targets carry a leading →) with a count."""
    return [{"from": l["source"], "to": l["target"][1:] if l["target"].startswith(ARROW) else l["target"],
             "n": l["value"]} for l in (flows or {}).get("links", []) if l["value"] > 0]


def by_total(links, side):
    """The names on one side of the links, largest total first, and their totals."""
    totals = {}
    for f in links:
        totals[f[side]] = totals.get(f[side], 0) + f["n"]
    return sorted(totals, key=lambda n: (-totals[n], n)), totals


def stack(names, totals, scale, gap, top=20):
    """Sankey nodes one under the other: name -> [y, height, y of the next band]."""
    pos, y = {}, top
    for n in names:
        h = totals[n] * scale
        pos[n] = [y, h, y]
        y += h + gap
    return pos


def band(x0, ya, x1, yb, h, colour, opacity, title):
    """A sankey band of height h from (x0, ya) to (x1, yb)."""
    xm = (x0 + x1) / 2
    d = (f"M{fmt(x0)},{fmt(ya)} C{fmt(xm)},{fmt(ya)} {fmt(xm)},{fmt(yb)} {fmt(x1)},{fmt(yb)} "
         f"L{fmt(x1)},{fmt(yb + h)} C{fmt(xm)},{fmt(yb + h)} {fmt(xm)},{fmt(ya + h)} {fmt(x0)},{fmt(ya + h)} Z")
    return el("path", tip(title), d=d, fill=colour, fill_opacity=opacity)


def node(x, y, h, fill, label, label_x, anchor=None):
    """A sankey node: its bar and its name beside it."""
    return join([bar(x, y, 10, max(h, 1), fill), text(label_x, y + h / 2 + 4, label, 12, text_anchor=anchor)])


def flow_chart(d, width=760, height=420, gap=8, margin=150):
    """Sankey of the year's visits: county of residence (left) to county of the facility (right)."""
    links = flow_links(d["flows"])
    left, left_n = by_total(links, "from")
    right, right_n = by_total(links, "to")
    scale = (height - 40 - gap * max(len(left), len(right))) / max(1, sum(f["n"] for f in links))
    L, R = stack(left, left_n, scale, gap), stack(right, right_n, scale, gap)
    colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(left)}
    x0, x1 = margin, width - margin
    parts = []
    for f in sorted(links, key=lambda f: (left.index(f["from"]), right.index(f["to"]))):
        h = f["n"] * scale
        ya, yb = L[f["from"]][2], R[f["to"]][2]
        L[f["from"]][2] += h
        R[f["to"]][2] += h
        parts.append(band(x0, ya, x1, yb, h, colour[f["from"]], "0.75" if f["from"] == f["to"] else "0.35",
                          f'{f["from"]} → {f["to"]}: {f["n"]}'))
    parts += [node(x0 - 10, y, h, colour[n], n, x0 - 14, "end") for n, (y, h, _) in L.items()]
    parts += [node(x1, y, h, "#666", n, x1 + 14) for n, (y, h, _) in R.items()]
    return svg(width, height, "patient flows", parts)


def region_table(d):
    """flow_regions per county: residents' visits, visits served, retained, LI, LIFO, NPF."""
    return table(["county", "residents' visits", "visits served", "retained", "LI", "LIFO", "NPF"], [
        [county_cell(r["name"] or r["code"], r["code"]), cell(num(r["residents"], "d")), cell(num(r["served"], "d")),
         cell(num(r["retained"], "d")), cell(pct(r["li"])), cell(pct(r["lifo"])), cell(num(r["npf"], ".2f"))]
        for r in d["regions"] or []])


def referral_table(d):
    """Referrals by care level, from (rows) to (columns); up red, down green."""
    n = {(r["from"], r["to"]): r["n"] for r in d["referral_levels"] or []}

    def direction(a, b):
        up = LEVELS.index(b) - LEVELS.index(a)
        return "up" if up > 0 else "down" if up < 0 else None

    return table(["from \\ to"] + LEVELS, [
        [cell(a, "th")] + [cell(n.get((a, b), ""), cls=direction(a, b)) for b in LEVELS] for a in LEVELS])


# 4. Grid coverage ---------------------------------------------------------------------------

def outer_rings(geom):
    """The outer ring of each polygon of a Polygon or MultiPolygon."""
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    return [poly[0] for poly in polys]


def projection(shapes, width):
    """Equirectangular projection of the shapes' extent onto width pixels (10 px margin):
    (lon -> x, lat -> y, pixels per degree of latitude, height)."""
    pts = [p for s in shapes for ring in outer_rings(s[4]) for p in ring]
    x_min, x_max = min(p[0] for p in pts), max(p[0] for p in pts)
    y_min, y_max = min(p[1] for p in pts), max(p[1] for p in pts)
    kx = math.cos(math.radians((y_min + y_max) / 2))
    k = (width - 20) / ((x_max - x_min) * kx)
    return (lambda lon: 10 + (lon - x_min) * kx * k), (lambda lat: 10 + (y_max - lat) * k), k, int((y_max - y_min) * k) + 20


def grid_map(d, shapes, width=760):
    """Counties, hospitals, primary care with its 15-minute circle, townships coloured by grid."""
    px, py, k, height = projection(shapes, width)
    parts = []
    for code, name, lon, lat, geom in shapes:
        parts += [el("polygon", points=points((px(x), py(y)) for x, y in ring), fill="#f4f1ea", stroke="#777",
                     stroke_width=1) for ring in outer_rings(geom)]
        parts.append(text(px(lon), py(lat) - 8, name, 14, font_weight="bold", text_anchor="middle", fill="#555"))
    r15 = d["access"]["radius_m"] / 1000 / KM_PER_DEGREE * k
    for f in d["facilities"] or []:
        x, y = px(f["lon"]), py(f["lat"])
        if f["level"] in ("secondary", "tertiary"):
            parts.append(bar(x - 5, y - 5, 10, 10, "#c00", f'{f["name"]} ({f["level"]})'))
        elif f["level"] == "primary":
            parts.append(el("circle", cx=x, cy=y, r=r15, fill="none", stroke="#2a7", stroke_opacity="0.5"))
            parts.append(el("circle", tip(f["name"]), cx=x, cy=y, r=2.5, fill="#2a7"))
    grids = sorted({u["grid"] for u in d["units"] or [] if u["grid"] is not None})
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(grids)}
    for u in d["units"] or []:
        title = (f'{u["name"]}: {u["population"]} residents, grid {u["grid"]}, nearest primary care '
                 f'{num(u["nearest_primary_km"], ".1f")} km, 2SFCA {num(u["fca"], ".2f")} doctors per 1,000')
        unassigned = u["grid"] is None
        parts.append(el("circle", tip(title), cx=px(u["lon"]), cy=py(u["lat"]), r=3 + math.sqrt(u["population"]) / 40,
                        fill=colour.get(u["grid"], "#000"), fill_opacity="0.8",
                        stroke="#e00" if unassigned else None, stroke_width=3 if unassigned else None))
    return svg(width, height, "grid coverage map", parts)


def grid_share(d):
    """Share of the residents that live in a township of some grid."""
    units = d["units"] or []
    return ratio(sum(u["population"] for u in units if u["grid"] is not None), sum(u["population"] for u in units))


def access_table(d):
    """Per county: residents in a grid, within the 15-minute circle, 2SFCA doctors per 1,000."""
    return table(["county", "residents in a grid", "within the 15-minute circle", "2SFCA doctors per 1,000"], [
        [county_cell(c["name"], c["code"]), cell(pct(c["completeness"])), cell(pct(c["coverage"])),
         cell(num(c["fca"], ".2f"))] for c in d["access"]["counties"] or []])


def grid_table(d):
    """grid_summary: one row a grid."""
    return table(["grid", "consortium", "lead hospital", "community hospitals", "residents", "beds", "doctors",
                  "15-minute circle", "2SFCA per 1,000"], [
        [cell(g["grid_name"]), cell(g["consortium_name"]), cell(g["lead_facility_name"] or ""),
         cell(len(g["community_hospitals"] or [])), cell(g["population"] or 0), cell(g["beds"]), cell(g["doctors"]),
         cell(pct(g["primary_care_15min"])), cell(num(g["fca_doctors_per_1000"], ".2f"))] for g in d["grids"] or []])


# 5. Equity --------------------------------------------------------------------------------------

EQUITY_SERIES = [("doctors", "#4e79a7"), ("beds", "#e15759")]


def lorenz_chart(d, size=320, left=40, top=10):
    """Lorenz curves of doctors and beds per 1,000 residents over the townships."""
    eq = d["equity"] or {}
    parts = [bar(left, top, size, size, "#fafafa", stroke="#999"),
             line(left, top + size, left + size, top, "#999", dash="4 3")]
    for key, colour in EQUITY_SERIES:
        pts = [(left + x * size, top + size - y * size) for x, y in eq.get("lorenz_" + key) or [[0, 0], [1, 1]]]
        parts.append(polyline(pts + [(left + size, top + size)], colour, fill=colour + "22"))
    parts += legend([(key, colour) for key, colour in EQUITY_SERIES], left + 10, top + 20, 16, 12)
    parts += axis_titles(left, top, size, size, "cumulative share of residents", "cumulative share of doctors / beds")
    return svg(size + 60, size + 50, "Lorenz curves", parts)


def equity_table(d):
    """equity_year: per 1,000, Gini and Theil T (total, between and within counties) of doctors and beds."""
    eq = d["equity"] or {}
    return table(["", "per 1,000", "Gini", "Theil T", "between counties", "within counties"], [
        [cell(key, "th"), cell(num(eq.get(key + "_per_1000"), ".2f")), cell(num(eq.get("gini_" + key), ".3f")),
         cell(num(eq.get("theil_" + key), ".4f")), cell(num(eq.get("theil_" + key + "_between"), ".4f")),
         cell(num(eq.get("theil_" + key + "_within"), ".4f"))] for key, _ in EQUITY_SERIES])


# The page ---------------------------------------------------------------------------------------

def page(d, shapes, template=TEMPLATE):
    """The whole page: the template filled with the charts, tables and numbers of d."""
    t, acc = d["totals"], d["access"]
    fields = {
        "year": d["year"], "visits": t["visits"], "referrals": t["referrals"], "facilities": t["facilities"],
        "units": t["units"], "rounding_base": acc["rounding_base"],
        "indicator_table": indicator_table(d),
        "trend_chart": trend_chart(d),
        "funnel_chart": funnel_chart(d), "change_table": change_table(d),
        "funnel_target": pct((d.get("funnel") or {}).get("target")),
        "funnel_phi": num((d.get("funnel") or {}).get("phi"), ".1f"),
        "flow_chart": flow_chart(d), "region_table": region_table(d), "referral_table": referral_table(d),
        "grid_map": grid_map(d, shapes), "radius_km": format(acc["radius_m"] / 1000, "g"), "grid_share": pct(grid_share(d)),
        "coverage": pct(acc["coverage"]), "catchment_km": format(acc["catchment_m"] / 1000, "g"), "decay": acc["decay"],
        "access_table": access_table(d), "grid_table": grid_table(d),
        "lorenz_chart": lorenz_chart(d), "equity_table": equity_table(d)}
    with open(template, encoding="utf-8") as f:
        skeleton = string.Template(f.read())
    return skeleton.substitute({k: markup(v) for k, v in fields.items()})


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: report.py <report.json> <huzhou_counties.tsv> <output.html>")
    data_file, geo_file, out_file = argv
    report = page(load_report(data_file), load_shapes(geo_file))
    with open(out_file, "w", encoding="utf-8") as f:
        f.write(report)


if __name__ == "__main__":
    main(sys.argv[1:])
