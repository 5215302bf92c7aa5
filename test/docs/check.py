#!/usr/bin/python3
"""Documentation checks.  Usage:
  check.py indicators CATALOG OUT.md       write the indicator catalog page
  check.py reference  CATALOG TOP          functions documented vs the catalog
  check.py links      SITE                 internal links and anchors of the built site
CATALOG is the output of test/docs/catalog.sql.  Each check prints "ok"/"FAIL"
lines; the exit status is the number of failures (capped)."""
import html.parser, json, os, re, sys, urllib.parse

# The reference page of each install-script fragment (extension/sql/NN_x.sql).
FAMILY_PAGE = {"adcode": "adcode.md", "division": "adcode.md", "rate": "rates.md",
               "flow": "flows.md", "spatial": "spatial.md", "equity": "equity.md",
               "model": "model.md", "model_load": "model.md", "model_install": "model.md"}
failures = 0


def report(ok, name, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + (("\n     " + detail) if detail and not ok else ""))
    failures += 0 if ok else 1


def load_catalog(path):
    cat = {"user": set(), "member": set(), "builtin": set(), "model": set(), "indicator": []}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if "|" not in line:
            continue
        kind, value = line.split("|", 1)
        if kind == "indicator":
            cat["indicator"].append(json.loads(value))
        elif kind in cat:
            cat[kind].add(value)
    return cat


def md_escape(s):
    return "" if s is None else str(s).replace("|", "\\|").replace("\n", " ")


def indicators(catalog, out):
    cat = load_catalog(catalog)
    rows = cat["indicator"]
    lines = [
        "# Indicator catalog",
        "",
        "<!-- Generated from the table health_share.indicator by test/docs/run",
        "     (tools/docs-indicators); do not edit by hand. -->",
        "",
        "The table `health_share.indicator` lists the indicators the model computes,",
        "with their Chinese names as used in policy documents, units, the direction",
        "that counts as better, national targets and the model view column that",
        "carries each one (in the schema given to `install_model`, see",
        "[the model](model.md)).  Query it directly:",
        "",
        "```sql",
        "SELECT code, name_zh, name_en, target_op, target, view_name, view_column",
        "  FROM health_share.indicator ORDER BY family, code;",
        "```",
        "",
        f"{len(rows)} indicators.",
        "",
    ]
    family = None
    for r in rows:
        if r["family"] != family:
            family = r["family"]
            lines += [f"## {family}", "",
                      "| code | 指标 | indicator | unit | better | target | numerator / denominator | view column |",
                      "|---|---|---|---|---|---|---|---|"]
        target = f"{r['target_op']} {r['target']:g}" if r.get("target") is not None else ""
        frac = md_escape(r["numerator"]) + (" / " + md_escape(r["denominator"]) if r.get("denominator") else "")
        view = f"`{r['view_name']}.{r['view_column']}`" if r.get("view_name") else ""
        lines.append(f"| `{r['code']}` | {md_escape(r['name_zh'])} | {md_escape(r['name_en'])} | {r['unit']} | "
                     f"{r['direction']} | {target} | {frac} | {view} |")
        nxt = rows.index(r) + 1
        if nxt == len(rows) or rows[nxt]["family"] != family:
            lines.append("")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    report(len(rows) > 0, f"indicator catalog page: {len(rows)} indicators")


def declared_functions(top):
    """name -> family of every CREATE FUNCTION / AGGREGATE in the fragments."""
    fam = {}
    d = os.path.join(top, "extension", "sql")
    for fn in sorted(os.listdir(d)):
        m = re.match(r"\d+_(\w+)\.sql$", fn)
        if not m:
            continue
        text = open(os.path.join(d, fn), encoding="utf-8").read()
        for name in re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|AGGREGATE)\s+@extschema@\.(\w+)\s*\(", text):
            fam.setdefault(name, m.group(1))
    # The model's wrapper (extension/model/install_model_objects.sql, built
    # by make from extension/model/) belongs to the model family.
    wrapper = os.path.join(top, "extension", "model", "install_model_objects.sql")
    if os.path.exists(wrapper):
        for name in re.findall(r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+@extschema@\.(\w+)\s*\(",
                               open(wrapper, encoding="utf-8").read()):
            fam.setdefault(name, "model")
    # Upgrade scripts add functions to a family too: the family is taken from
    # the reference page that documents the function's first argument type.
    ext = os.path.join(top, "extension")
    for fn in sorted(os.listdir(ext)):
        if not re.match(r"health_share--[\d.]+--[\d.]+\.sql$", fn):
            continue
        text = open(os.path.join(ext, fn), encoding="utf-8").read()
        for name, argtype in re.findall(
                r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|AGGREGATE)\s+@extschema@\.(\w+)\s*\(\s*(?:\w+\s+)?@extschema@\.(\w+)", text):
            fam.setdefault(name, {"hs_rate": "rate", "adcode": "adcode", "flowmatrix": "flow",
                                  "facility_set": "spatial"}.get(argtype))
    return fam


def reference(catalog, top):
    cat = load_catalog(catalog)
    docs = os.path.join(top, "docs")
    pages = {fn: open(os.path.join(docs, fn), encoding="utf-8").read()
             for fn in os.listdir(docs) if fn.endswith(".md")}
    fam = declared_functions(top)
    # 1. Every user-facing function is documented on its family's page.
    missing = []
    for name in sorted(cat["user"]):
        family = fam.get(name)
        page = FAMILY_PAGE.get(family)
        if page is None:
            missing.append(f"{name} (fragment family {family!r} has no reference page)")
            continue
        text = pages.get(page, "")
        if not re.search(r"(?<![\w.])(?:health_share\.)?" + re.escape(name) + r"\s*\(", text):
            missing.append(f"{name} (expected on docs/{page})")
    report(not missing, f"every user-facing function of the extension is documented ({len(cat['user'])} functions)",
           "; ".join(missing))
    # 2. Every function a reference page presents (inline code `name(...)`, or
    # health_share.name( anywhere) exists.
    # Functions of Citus, which docs/deployment.md explains (not installed in
    # the catalog this check reads).
    citus = {"create_distributed_table", "create_reference_table", "citus_add_node",
             "citus_set_coordinator_host", "worker_partial_agg", "coord_combine_agg",
             "truncate_local_data_after_distributing_table", "citus_remove_node"}
    # C functions the development and reliability pages talk about.
    c_side = {"ereport", "elog", "errcode", "errmsg", "palloc", "pfree", "repalloc"}
    known = cat["member"] | cat["builtin"] | cat["model"] | citus | c_side
    keywords = {"array", "row", "values", "in", "exists", "any", "all", "cast", "over", "filter",
                "within", "coalesce", "nullif", "greatest", "least", "extract", "overlay", "position",
                "substring", "trim", "grouping", "rollup", "cube", "partition", "lateral", "using"}
    ghosts = []
    for fn, text in sorted(pages.items()):
        names = set(re.findall(r"`(?:health_share\.)?([a-z_][a-z0-9_]*)\s*\(", text))
        names |= set(re.findall(r"(?<![\w.])health_share\.([a-z_][a-z0-9_]*)\s*\(", text))
        for n in sorted(names):
            if n not in known and n not in keywords:
                ghosts.append(f"{n} (docs/{fn})")
    report(not ghosts, "every function the documentation presents exists", "; ".join(ghosts))


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for k in ("href", "src"):
            if tag in ("a", "img", "link", "script") and a.get(k):
                self.hrefs.append(a[k])


def links(site):
    parsed = {}
    for root, _, files in os.walk(site):
        for fn in files:
            if fn.endswith(".html"):
                p = os.path.join(root, fn)
                lp = Links()
                lp.feed(open(p, encoding="utf-8").read())
                parsed[os.path.normpath(p)] = lp
    broken = []
    n = 0
    for page, lp in sorted(parsed.items()):
        if os.path.relpath(page, site) == "404.html":
            continue
        for href in lp.hrefs:
            u = urllib.parse.urlsplit(href)
            if u.scheme or u.netloc or href.startswith("mailto:"):
                continue
            n += 1
            path = urllib.parse.unquote(u.path)
            target = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            if not os.path.exists(target):
                broken.append(f"{os.path.relpath(page, site)} -> {href}")
                continue
            if u.fragment and target.endswith(".html"):
                t = parsed.get(os.path.normpath(target))
                if t is not None and urllib.parse.unquote(u.fragment) not in t.ids:
                    broken.append(f"{os.path.relpath(page, site)} -> {href} (no such anchor)")
    report(not broken and n > 0, f"no broken internal links or anchors in the built site ({n} links, {len(parsed)} pages)",
           "; ".join(broken[:30]))


if __name__ == "__main__":
    cmd = sys.argv[1]
    {"indicators": indicators, "reference": reference, "links": links}[cmd](*sys.argv[2:])
    sys.exit(min(failures, 100))
