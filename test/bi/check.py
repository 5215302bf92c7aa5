#!/usr/bin/env python3
"""Checks what a BI client read (JdbcRead.java, odbc_read.c) against psql.

Usage: check.py <what> <client> <types.json> <psql.txt> <client.out>
  what    types (every column arrives as the standard type of its PostgreSQL
          type), values (every view's rows equal psql's), chinese (the
          Chinese names arrive intact)
  client  jdbc or odbc
  types.json  {view: [[column, PostgreSQL type], ...]} of every view of the
          published schema, from the catalog
  psql.txt    psql -At: "#view <name>" lines, each followed by the view's rows
          as to_json(row)

Prints one line of detail; exits 0 when the check holds.
"""
import datetime
import decimal
import json
import re
import sys

# The standard type each plain PostgreSQL type must arrive as (docs/bi.md).
# A PostgreSQL type missing here is not a plain type: its columns fail.
JDBC = {
    "text": {"VARCHAR"}, "character varying": {"VARCHAR"},
    "bigint": {"BIGINT"}, "integer": {"INTEGER"}, "smallint": {"SMALLINT"},
    "double precision": {"DOUBLE"}, "real": {"REAL"}, "numeric": {"NUMERIC"},
    "boolean": {"BIT", "BOOLEAN"}, "date": {"DATE"},
    "timestamp with time zone": {"TIMESTAMP", "TIMESTAMP_WITH_TIMEZONE"},
    "timestamp without time zone": {"TIMESTAMP"},
}
# psqlODBC (Unicode driver) with the DSN of test/bi/run: text as
# SQL_LONGVARCHAR (the driver's default TextAsLongVarchar=1; SQL_VARCHAR with
# TextAsLongVarchar=0, the W types where the driver reports them), booleans
# as SQL_BIT (BoolsAsChar=0; the driver's default shows them as text),
# double precision as SQL_FLOAT (ODBC's 8-byte float; SQL_DOUBLE is the
# same).  Numbers, dates and booleans never arrive as text.
TEXT = {"SQL_LONGVARCHAR", "SQL_VARCHAR", "SQL_WLONGVARCHAR", "SQL_WVARCHAR"}
ODBC = {
    "text": TEXT, "character varying": TEXT,
    "bigint": {"SQL_BIGINT"}, "integer": {"SQL_INTEGER"}, "smallint": {"SQL_SMALLINT"},
    "double precision": {"SQL_FLOAT", "SQL_DOUBLE"}, "real": {"SQL_REAL"}, "numeric": {"SQL_NUMERIC"},
    "boolean": {"SQL_BIT"}, "date": {"SQL_TYPE_DATE"},
    "timestamp with time zone": {"SQL_TYPE_TIMESTAMP"}, "timestamp without time zone": {"SQL_TYPE_TIMESTAMP"},
}
INTEGERS = {"bigint", "integer", "smallint"}
FLOATS = {"double precision", "real"}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def unescape(s):
    if s == "\\N":
        return None
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "\\": "\\"}[m.group(1)], s)


def read_client(path):
    """{view: (header [(column, type)], rows [[value or None]])}"""
    views, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("#view\t"):
                parts = line.split("\t")
                cols = [tuple(c.split(":")[:2]) for c in parts[2:]]
                cur = views[parts[1]] = (cols, [])
            elif line and cur is not None:
                cur[1].append([unescape(v) for v in line.split("\t")])
    return views


def read_psql(path):
    """{view: [row dict]} from psql -At output."""
    views, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("#view "):
                cur = views[line[6:]] = []
            elif line and cur is not None:
                cur.append(json.loads(line))
    return views


def micros(dt):
    return (dt - EPOCH) // datetime.timedelta(microseconds=1)


def canon(pgtype, v, side):
    """One value in a form both sides agree on: ints, floats (compared as the
    same double), Decimals, 't'/'f', dates as text, instants in microseconds."""
    if v is None:
        return None
    if pgtype in INTEGERS:
        return int(v)
    if pgtype in FLOATS:
        return float(v)
    if pgtype == "numeric":
        return decimal.Decimal(str(v)).normalize()
    if pgtype == "boolean":
        return ("t" if v else "f") if side == "psql" else v
    if pgtype.startswith("timestamp"):
        if side == "psql":      # to_json: 2026-12-04T17:36:10.123456+00:00
            return micros(datetime.datetime.fromisoformat(v))
        if re.fullmatch(r"-?\d+", v):          # JDBC: microseconds already
            return int(v)
        # ODBC: wall-clock time in UTC (the test's server runs in UTC)
        return micros(datetime.datetime.strptime(v, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc))
    return str(v)


def main(what, client, types_path, psql_path, client_path):
    with open(types_path, encoding="utf-8") as f:
        types = json.load(f)
    got = read_client(client_path)
    expect = JDBC if client == "jdbc" else ODBC
    if not types:
        print("     no views in the catalog")
        return 1
    missing = sorted(set(types) - set(got))
    if missing:
        print(f"     views not read: {', '.join(missing)}")
        return 1
    bad = []
    if what == "types":
        seen = set()
        for view, cols in sorted(types.items()):
            header = got[view][0]
            if [c for c, _ in header] != [c for c, _ in cols]:
                bad.append(f"{view}: columns {header} instead of {cols}")
                continue
            for (col, pgtype), (_, arrived) in zip(cols, header):
                seen.add(f"{pgtype} → {arrived}")
                if arrived not in expect.get(pgtype, ()):
                    bad.append(f"{view}.{col} ({pgtype}) arrives as {arrived}")
        print(f"     {len(types)} views, {sum(len(c) for c in types.values())} columns: {'; '.join(sorted(seen))}")
    elif what == "values":
        ref = read_psql(psql_path)
        rows = 0
        for view, cols in sorted(types.items()):
            pg = [t for _, t in cols]
            names = [c for c, _ in cols]
            mine = sorted((tuple(canon(t, v, client) for t, v in zip(pg, r)) for r in got[view][1]), key=repr)
            theirs = sorted((tuple(canon(t, r[c], "psql") for c, t in zip(names, pg)) for r in ref.get(view, [])),
                            key=repr)
            rows += len(theirs)
            if mine != theirs:
                diff = next(((a, b) for a, b in zip(mine, theirs) if a != b), (len(mine), len(theirs)))
                bad.append(f"{view}: {diff[0]} != {diff[1]} (psql)")
        print(f"     {rows} rows of {len(types)} views equal psql's")
    elif what == "chinese":
        ref = read_psql(psql_path)
        cjk = re.compile("[\u4e00-\u9fff]")
        n = 0
        for view, cols in sorted(types.items()):
            text_cols = [i for i, (_, t) in enumerate(cols) if t == "text"]
            mine = sorted(r[i] for r in got[view][1] for i in text_cols if r[i] and cjk.search(r[i]))
            theirs = sorted(r[cols[i][0]] for r in ref.get(view, []) for i in text_cols
                            if r[cols[i][0]] and cjk.search(r[cols[i][0]]))
            n += len(theirs)
            if mine != theirs:
                bad.append(f"{view}: {mine[:3]} != {theirs[:3]}")
        sample = [r for r in got.get("county_year", ([], []))[1] if "德清县" in r]
        print(f"     {n} Chinese values, 德清县 in {len(sample)} county_year rows")
        if n == 0 or not sample:
            bad.append("no Chinese text to compare")
    else:
        sys.exit(f"unknown check {what}")
    for b in bad[:10]:
        print("     " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
