#!/usr/bin/python3
"""Documentation checks.  Usage:
  check.py indicators CATALOG OUT.md       write the indicator catalog page
  check.py reference  CATALOG TOP          functions documented vs the catalog
  check.py links      SITE                 internal links and anchors of the built site
  check.py examples   TOP DIR PSQL...      run every ```sql block of docs/*.md (see below)
  check.py versions   TOP                  version strings of the docs against health_share.control
CATALOG is the output of test/docs/catalog.sql.  Each check prints TAP result
lines ("ok - name", "not ok - name", details as "# " lines), which test/docs/run
reports (test/tap.sh, tap_import); the exit status is 0 when the command ran to
the end."""
import html.parser, json, os, re, subprocess, sys, urllib.parse

# The reference page of each install-script fragment (extension/sql/NN_x.sql).
FAMILY_PAGE = {"adcode": "adcode.md", "division": "adcode.md", "division_change": "adcode.md", "rate": "rates.md",
               "flow": "flows.md", "spatial": "spatial.md", "equity": "equity.md",
               "model": "model.md", "model_load": "model.md", "model_install": "model.md", "model_catalog": "model.md",
               "publish": "publishing.md", "compare": "rates.md",
               "planning": "planning.md"}


def report(ok, name, detail=""):
    print(("ok - " if ok else "not ok - ") + name.replace("\n", " ").replace("#", "\\#"))
    if detail and not ok:
        print("".join("#     " + line + "\n" for line in detail.splitlines()), end="")


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
        "that counts as better, targets (national ones, or benchmarks of the cases",
        "consortia are judged by; their sources are listed at the end) and the model",
        "view column that carries each one (in the schema given to `install_model`, see",
        "[the model](model.md)).  Query it directly:",
        "",
        "<!-- fixture: none -->",
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
    # Where each target or benchmark comes from (the column target_source).
    sourced = [r for r in rows if r.get("target") is not None]
    if sourced:
        lines += ["## Targets and their sources", "",
                  "| code | target | source |", "|---|---|---|"]
        lines += [f"| `{r['code']}` | {r['target_op']} {r['target']:g} | {md_escape(r.get('target_source'))} |"
                  for r in sorted(sourced, key=lambda r: r["code"])]
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


# ---------------------------------------------------------------------------
# The ```sql examples of the documentation.
#
# Every ```sql block of every page of docs/ either runs or is marked as not
# run, by HTML comments (invisible on the site) on a line of their own:
#
#   <!-- fixture: NAME -->    the blocks after it, up to the next fixture
#                             comment of the page, run with fixture NAME:
#       none      nothing beyond the documented setup;
#       demo      the 湖州 demo model loaded in the schema huzhou;
#       setup     the block *is* the documented setup (getting-started): it
#                 runs first, committed, on an empty database of the name its
#                 ALTER DATABASE gives; every other block runs there;
#       anything else: test/docs/fixtures/NAME.sql, run before the block in
#                 its transaction (e.g. a `visit` table the examples name).
#   <!-- not run: REASON -->  the next block (only blank lines between) does
#                             not run, for REASON (a Citus cluster, a server
#                             file); the test lists these.
#
# A block with neither fails.  Each block runs in its own psql session, in one
# transaction that is rolled back, with ON_ERROR_STOP, on the database of the
# setup block; blocks of the demo fixture run after the demo is loaded there,
# the others before (on the database as the setup leaves it).

DIRECTIVE = re.compile(r"^\s*<!--\s*(fixture|not run)\s*:\s*(.*?)\s*-->\s*$")
FENCE_OPEN = re.compile(r"^(\s*)```+\s*(\S*)\s*$")


def doc_blocks(top):
    """[(page, n, line, fixture, reason, text, problem)] of every ```sql block."""
    docs = os.path.join(top, "docs")
    out = []
    for page in sorted(fn for fn in os.listdir(docs) if fn.endswith(".md")):
        lines = open(os.path.join(docs, page), encoding="utf-8").read().split("\n")
        fixture, pending, n, i = None, None, 0, 0
        while i < len(lines):
            line = lines[i]
            d = DIRECTIVE.match(line)
            if d:
                if d.group(1) == "fixture":
                    fixture = d.group(2)
                elif not d.group(2):
                    out.append((page, None, i + 1, None, None, None, "'not run' comment without a reason"))
                else:
                    pending = (d.group(2), i + 1)
                i += 1
                continue
            m = FENCE_OPEN.match(line)
            if not m:
                if line.strip() and pending:
                    out.append((page, None, pending[1], None, None, None,
                                f"'not run' comment not directly before a ```sql block"))
                    pending = None
                i += 1
                continue
            indent, lang = m.group(1), m.group(2)
            j = i + 1
            body = []
            while j < len(lines) and not re.match(r"^\s*```+\s*$", lines[j]):
                l = lines[j]
                body.append(l[len(indent):] if l.startswith(indent) else l.lstrip())
                j += 1
            if lang.lower() in ("sql", "postgresql", "pgsql", "psql"):
                n += 1
                problem = None
                if pending is None and fixture is None:
                    problem = "neither a fixture nor 'not run' declared (<!-- fixture: ... --> or <!-- not run: ... -->)"
                out.append((page, n, i + 1, None if pending else fixture,
                            pending[0] if pending else None, "\n".join(body) + "\n", problem))
            elif pending:
                out.append((page, None, pending[1], None, None, None,
                            f"'not run' comment before a ```{lang} block, not a ```sql one"))
            pending = None
            i = j + 1
    return out


def run_psql(psql, db, script, cwd):
    p = subprocess.run(psql + ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-f", script],
                       capture_output=True, text=True, cwd=cwd, timeout=900)
    return p.returncode, p.stdout, p.stderr


def first_error(stderr):
    lines = [l for l in stderr.split("\n") if l.strip()]
    for k, l in enumerate(lines):
        if re.search(r"\b(ERROR|FATAL|PANIC):|^psql:.*: error:", l):
            return l, lines[k + 1:k + 4]
    return (lines[0] if lines else "psql failed without a message"), []


def examples(top, work, *psql):
    psql = list(psql)
    os.makedirs(work, exist_ok=True)
    fixtures = os.path.join(top, "test", "docs", "fixtures")
    blocks = doc_blocks(top)
    results = {}      # (page, n) -> None (ok) or error text
    bad = [b for b in blocks if b[6]]
    setup = [b for b in blocks if not b[6] and b[3] == "setup" and b[4] is None]
    runnable = [b for b in blocks if not b[6] and b[4] is None and b[3] != "setup"]
    skipped = [b for b in blocks if not b[6] and b[4] is not None]

    def name(b):
        return f"docs/{b[0]} block {b[1]} (line {b[2]})"

    # The documented setup, on an empty database.
    db = None
    if len(setup) != 1:
        report(False, "one ```sql block of the docs is the documented setup (<!-- fixture: setup -->)",
               f"{len(setup)} found: " + ", ".join(name(b) for b in setup))
    else:
        b = setup[0]
        m = re.search(r"ALTER\s+DATABASE\s+(\w+)\s+SET\s+search_path", b[5], re.I)
        if not m:
            results[(b[0], b[1])] = "the setup block has no ALTER DATABASE ... SET search_path"
        else:
            db = m.group(1)
            with open(os.path.join(work, "database"), "w", encoding="utf-8") as f:
                f.write(db + "\n")
            create = os.path.join(work, "create.sql")
            with open(create, "w", encoding="utf-8") as f:
                f.write(f'DROP DATABASE IF EXISTS "{db}";\nCREATE DATABASE "{db}";\n')
            rc, out, err = run_psql(psql, "postgres", create, work)
            if rc == 0:
                script = os.path.join(work, "setup.sql")
                with open(script, "w", encoding="utf-8") as f:
                    f.write(b[5])
                rc, out, err = run_psql(psql, db, script, work)
                with open(os.path.join(work, "setup.out"), "w", encoding="utf-8") as f:
                    f.write(out + err)
            results[(b[0], b[1])] = None if rc == 0 else first_error(err)[0]
            if rc != 0:
                db = None

    def run_block(b):
        page, n, line, fixture, _, text, _ = b
        # The last statement must end with ";" (psql would otherwise wait for
        # it, and here it would swallow the ROLLBACK that follows).
        bare = re.sub(r"--[^\n]*", "", re.sub(r"'(?:[^']|'')*'", "''", text)).strip()
        if bare and not bare.endswith(";") and not re.search(r"^\\\S+[^\n]*$", bare.split("\n")[-1]):
            return "the last statement has no ';'"
        stem = f"{page[:-3]}-{n}"
        pre = ["BEGIN;", "SET LOCAL statement_timeout = '300s';"]
        if fixture not in ("none", "demo"):
            f = os.path.join(fixtures, fixture + ".sql")
            if not os.path.exists(f):
                return f"fixture {fixture!r}: no file test/docs/fixtures/{fixture}.sql"
            pre.append(f"\\i '{f}'")
        pre.append("\\echo '-- docs/" + page + " block " + str(n) + "'")
        script = os.path.join(work, stem + ".sql")
        with open(script, "w", encoding="utf-8") as f:
            f.write("\n".join(pre) + "\n" + text + "ROLLBACK;\n")
        rc, out, err = run_psql(psql, db, script, work)
        with open(os.path.join(work, stem + ".out"), "w", encoding="utf-8") as f:
            f.write(out + ("\n" + err if err else ""))
        if rc == 0:
            if "there is no transaction in progress" in err:
                return "the block ends its transaction (COMMIT, ROLLBACK or END): examples must not"
            return None
        msg, more = first_error(err)
        m = re.match(r"psql:(.*?):(\d+):\s*(.*)$", msg)
        if m:
            src, l, msg = m.group(1), int(m.group(2)), m.group(3)
            if src == script:
                msg += f" (at docs/{page} line {line + l - len(pre)})"
            else:
                msg = f"fixture {os.path.relpath(src, top)} line {l}: " + msg
        detail = [x.strip() for x in more if x.startswith(("DETAIL", "HINT"))]
        return msg + ("; " + "; ".join(detail) if detail else "")

    if db is not None:
        for b in runnable:
            if b[3] != "demo":
                results[(b[0], b[1])] = run_block(b)
        demo = [b for b in runnable if b[3] == "demo"]
        if demo:
            model = os.path.join(top, "tools", "model")
            p = subprocess.run(
                psql + ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-v", "schema=huzhou",
                        "-v", "scale=0.05", "-v", "geo=" + os.path.join(model, "huzhou_counties.tsv"),
                        "-f", os.path.join(model, "demo_data.sql")],
                capture_output=True, text=True, cwd=work, timeout=1800)
            with open(os.path.join(work, "demo.out"), "w", encoding="utf-8") as f:
                f.write(p.stdout + p.stderr)
            if p.returncode != 0:
                for b in demo:
                    results[(b[0], b[1])] = ("the demo (tools/model/demo_data.sql) did not load: "
                                             + first_error(p.stderr)[0])
            else:
                for b in demo:
                    results[(b[0], b[1])] = run_block(b)
    else:
        for b in runnable:
            results[(b[0], b[1])] = "not run: the documented setup failed"

    # One line per page: ok when every block of it ran, else a FAIL per block.
    pages = sorted({b[0] for b in blocks})
    for page in pages:
        mine = [b for b in blocks if b[0] == page]
        fails = [(b, results[(b[0], b[1])]) for b in mine if (b[0], b[1]) in results and results[(b[0], b[1])]]
        for b in mine:
            if b[6]:
                fails.append((b, b[6]))
        ran = sum(1 for b in mine if (b[0], b[1]) in results and b[1] is not None)
        nskip = sum(1 for b in mine if b in skipped)
        if not fails:
            report(True, f"docs/{page}: {ran} sql example{'s' * (ran != 1)} run"
                         + (f", {nskip} not run" if nskip else ""))
        for b, err in fails:
            label = name(b) if b[1] is not None else f"docs/{page} line {b[2]}"
            report(False, f"{label}: {err}")
    for b in skipped:
        print(f"ok - {name(b)} # skip not run: {b[4]}")
    nrun = len([k for k in results if k[1] is not None])
    print(f"# {len([b for b in blocks if b[1] is not None])} sql examples in docs/: "
          f"{nrun} run ({sum(1 for v in results.values() if v is None)} passed), {len(skipped)} marked not run")


# ---------------------------------------------------------------------------
# Version strings of the documentation (README.md and docs/*.md).
#
# The current version is default_version in health_share.control; the
# Debian version is the top entry of debian/changelog; the versioned scripts
# are the ones the Makefile installs (DATA and DATA_built).  Checked:
# - every script named health_share--V.sql / health_share--A--B.sql is one
#   the Makefile installs (older ones included), and the versions in
#   ALTER EXTENSION ... UPDATE TO / CREATE EXTENSION ... VERSION exist;
# - every Debian package file name postgresql-15-health-share_V_... is the
#   current package (V = the debian/changelog version);
# - in a sentence that calls something current (the word "current", or
#   "default_version"), every version is the current one: X.Y is
#   default_version, X.Y-N the Debian version, X.Y.Z its SemVer (META.json),
#   a script health_share--V.sql has V current, an update script --A--B.sql
#   has B current.

def versions(top):
    control = open(os.path.join(top, "health_share.control"), encoding="utf-8").read()
    current = re.search(r"^\s*default_version\s*=\s*'([^']+)'", control, re.M).group(1)
    changelog = open(os.path.join(top, "debian", "changelog"), encoding="utf-8").readline()
    debver = re.match(r"\S+ \(([^)]+)\)", changelog).group(1)
    mk = open(os.path.join(top, "Makefile"), encoding="utf-8").read().replace("\\\n", " ")
    var = dict(re.findall(r"^(\w+)\s*=\s*(.*)$", mk, re.M))
    files = " ".join(var.get(k, "") for k in ("DATA", "DATA_built"))
    files = re.sub(r"\$\((\w+)\)", lambda m: var.get(m.group(1), ""), files)
    scripts = set(re.findall(r"health_share--[\d.]+(?:--[\d.]+)?\.sql", files))
    known = set()
    for sc in scripts:
        known |= set(re.findall(r"--([\d.]+?)(?=--|\.sql)", sc))
    report(debver.split("-")[0] == current and current in known,
           f"the current version {current} (health_share.control) is the Debian package's "
           f"({debver}) and has an install path ({', '.join(sorted(scripts))})",
           f"debian/changelog {debver}, Makefile scripts {sorted(scripts)}")
    texts = {"README.md": open(os.path.join(top, "README.md"), encoding="utf-8").read()}
    for fn in sorted(os.listdir(os.path.join(top, "docs"))):
        if fn.endswith(".md"):
            texts["docs/" + fn] = open(os.path.join(top, "docs", fn), encoding="utf-8").read()
    wrong = []
    n = 0
    for fn, text in texts.items():
        def where(pos):
            return f"{fn}:{text.count(chr(10), 0, pos) + 1}"
        for m in re.finditer(r"health_share--(\d[\w.]*?)(?:--(\d[\w.]*?))?\.sql", text):
            n += 1
            if m.group(0) not in scripts:
                wrong.append(f"{where(m.start())}: {m.group(0)} is no script the Makefile installs")
        for m in re.finditer(r"(?:UPDATE\s+TO|VERSION)\s+'([^']*)'", text):
            n += 1
            if m.group(1) not in known:
                wrong.append(f"{where(m.start())}: version '{m.group(1)}' does not exist")
        for m in re.finditer(r"postgresql-\d+-health-share_([^_\s`<>*]+)_", text):
            n += 1
            if m.group(1) != debver:
                wrong.append(f"{where(m.start())}: package {m.group(0)}... is not the current {debver}")
        # Sentences: paragraphs, list items and table rows, split at a full
        # stop followed by white space.  A sentence that compares with the
        # current version ("older than the current one") claims nothing.
        for para in re.finditer(r"(?:^(?!\s*(?:[-*|]|\d+\.)\s)[^\n]*\S[^\n]*\n?)+|^\s*(?:[-*|]|\d+\.)\s[^\n]*\n?"
                                r"(?:^(?!\s*(?:[-*|]|\d+\.)\s)[^\n|]*\S[^\n]*\n?)*", text, re.M):
            for sent in re.finditer(r"(?:[^.]|\.(?!\s))+\.?", para.group(0)):
                st = sent.group(0)
                if not re.search(r"\bcurrent\b|default_version", st) or \
                        re.search(r"\b(?:than|before|after|until)\s+the\s+current\b", st):
                    continue
                pos = para.start() + sent.start()
                for m in re.finditer(r"health_share--(\d[\w.]*?)(?:--(\d[\w.]*?))?\.sql", st):
                    v = m.group(2) or m.group(1)
                    if v != current:
                        wrong.append(f"{where(pos + m.start())}: {m.group(0)} is called current; current is {current}")
                rest = re.sub(r"health_share--[\w.-]*?\.sql|`extension/update/[^`]*`", "", st)
                for m in re.finditer(r"(?<![\w.])(\d+)\.(\d+)(?:(-\d+)|\.(\d+))?(?![\w.])", rest):
                    n += 1
                    v = f"{m.group(1)}.{m.group(2)}"
                    ok = v == current and (m.group(3) is None or v + m.group(3) == debver)
                    if not ok:
                        wrong.append(f"{where(pos)}: version {m.group(0)} in a sentence about the current "
                                     f"version; current is {current} (Debian {debver})")
    report(not wrong, f"version strings of README.md and docs/ agree with health_share.control "
                      f"({current}, Debian {debver}; {n} checked)", "; ".join(wrong))


if __name__ == "__main__":
    cmd = sys.argv[1]
    try:
        {"indicators": indicators, "reference": reference, "links": links, "examples": examples,
         "versions": versions}[cmd](*sys.argv[2:])
    except Exception as e:  # a crash must show as a failure, not as fewer checks
        report(False, f"check.py {cmd} crashed: {type(e).__name__}: {e}")
    sys.exit(0)
