#!/usr/bin/python3
"""Validate META.json against the PGXN Meta Spec v1 JSON Schema (offline) and
check it agrees with health_share.control and the tree.  Prints one TAP result
line per check ("ok - name", "not ok - name: detail"), which test/meta/run
reports (test/tap.sh, tap_import); exits 0 when it ran to the end.
Usage: validate.py TOP"""
import json, os, re, sys, warnings

warnings.simplefilter("ignore", FutureWarning)

top = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))


def check(name, ok, detail=""):
    line = name if ok or not detail else name + ": " + detail
    print(("ok - " if ok else "not ok - ") + line.replace("\n", " ").replace("#", "\\#"))


def semver(v):
    """An extension version (1.0, 1.1, 1.2.3) as a SemVer string (1.0.0)."""
    parts = v.split(".")
    return ".".join(parts + ["0"] * (3 - len(parts))) if len(parts) < 3 else v


try:
    with open(os.path.join(top, "META.json"), encoding="utf-8") as f:
        meta = json.load(f)
    check("META.json is JSON", True)
except Exception as e:  # noqa: BLE001
    check("META.json is JSON", False, str(e))
    sys.exit(0)

# The official schema, all files registered under their $id.
schemas = {}
sdir = os.path.join(here, "schema", "v1")
for fn in sorted(os.listdir(sdir)):
    if fn.endswith(".schema.json"):
        with open(os.path.join(sdir, fn), encoding="utf-8") as f:
            text = f.read()
        # The schema's patterns use ECMA-262 Unicode property classes and POSIX
        # classes, which Python's re lacks: spell them as the equivalent character ranges.
        text = text.replace(r"\\p{Space}", r"\\s").replace(r"\\p{Cntrl}", r"\\x00-\\x1f\\x7f-\\x9f")
        text = text.replace(r"\\p{lower}", "[a-z]").replace("[[:digit:]]", "[0-9]")
        s = json.loads(text)
        schemas[s["$id"]] = s
root = schemas["https://pgxn.org/meta/v1/distribution.schema.json"]
try:
    import jsonschema
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (i, Resource.from_contents(s)) for i, s in schemas.items())
        validator = jsonschema.Draft202012Validator(
            root, registry=registry, format_checker=jsonschema.FormatChecker())
    except ImportError:  # Debian 12: jsonschema 4.10
        resolver = jsonschema.RefResolver.from_schema(root, store=schemas)
        validator = jsonschema.Draft202012Validator(
            root, resolver=resolver, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(meta), key=lambda e: list(e.path))
    check("META.json is valid against the PGXN Meta Spec v1.0.0 JSON Schema",
          not errors, "; ".join(f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}" for e in errors[:10]))
except ImportError:
    check("python3-jsonschema is installed", False, "apt-get install python3-jsonschema")

# Agreement with the tree.
control = open(os.path.join(top, "health_share.control"), encoding="utf-8").read()
m = re.search(r"^default_version\s*=\s*'([^']+)'", control, re.M)
version = m.group(1) if m else None
want = semver(version) if version else None
hint = " (run tools/version-sync)"
check(f"META.json version is default_version {version} as SemVer ({want})",
      meta.get("version") == want, f"found {meta.get('version')}{hint}")
prov = meta.get("provides", {}).get("health_share", {})
check("provides health_share at the same version",
      prov.get("version") == want, f"found {prov.get('version')}{hint}")
for key in ("file", "docfile"):
    p = prov.get(key)
    check(f"provides.health_share.{key} exists ({p})", bool(p) and os.path.exists(os.path.join(top, p)))
m = re.search(r"^comment\s*=\s*'([^']+)'", control, re.M)
check("provides.health_share.abstract is the control file's comment",
      m is not None and prov.get("abstract") == m.group(1))
check("licence is postgresql and LICENSE exists",
      meta.get("license") == "postgresql" and os.path.exists(os.path.join(top, "LICENSE")))
check("runtime prerequisite PostgreSQL 15",
      "15.0.0" in str(meta.get("prereqs", {}).get("runtime", {}).get("requires", {}).get("PostgreSQL", "")))
for d in meta.get("no_index", {}).get("directory", []):
    check(f"no_index directory {d} exists", os.path.isdir(os.path.join(top, d)))
