// The charts and tables of the demo report, drawn in the browser from the
// report's data (the JSON of tools/model/report.sql, inlined by report.py).
//
// ENTRIES is the list of what the page shows, in order.  Each entry names
// the slot it goes into (an element id="slot-<slot>" of page.html; a slot
// missing there gets a new section at the end, headed by the entry's
// title), the data key it reads (one query of report.sql), and either
//   chart(d, data) -> an ECharts option (rendered with the SVG renderer), or
//   table(d, data) -> {head: [cells], rows: [[cells]]}, a cell being text or
//                     {text, small, cls, th}.
// d is data[entry.data]; an entry whose data is missing or empty, or whose
// chart() returns null, shows a note instead (so does one that fails).
// Adding a chart is adding one query to report.sql and one entry here
// (docs/development.md, "The demo report").
'use strict';

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1',
  '#ff9da7', '#9c755f', '#bab0ac'];
const LEVELS = ['village', 'primary', 'secondary', 'tertiary'];
const LEVEL_NAMES = {village: '村卫生室 village', primary: '基层 primary', secondary: '二级 secondary',
  tertiary: '三级 tertiary'};
const TREND_TARGET = 0.9;   // the dashed line of the trend chart; the page's note says 90 %
const FONT = '"Noto Sans CJK SC", "Noto Sans", sans-serif';

const pct = (v, digits = 1) => (v === null || v === undefined ? '–' : (v * 100).toFixed(digits) + ' %');
const num = (v, digits = 0) => (v === null || v === undefined ? '–'
  : Number(v).toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits}));
const pp = (v) => (v === null || v === undefined ? '–' : (v >= 0 ? '+' : '') + (v * 100).toFixed(1) + ' pp');
const axisPct = {formatter: (v) => Math.round(v * 100) + '%'};
// A tooltip line: a series marker, a label and a value.
const tipLine = (p, text) => `${p.marker}${text}`;
// A county's head cell, from the keys of report.sql (code, name) or of a view's row (county, county_name).
const countyCell = (c) => ({text: c.name || c.county_name || c.code || c.county, small: c.code || c.county, th: true});
// A year made of fewer than 12 months (county_year.months_covered): '⚠ 11 of 12 months'.
const partialYear = (c) => (c.months_covered === null || c.months_covered === undefined || c.months_covered >= 12 ? undefined
  : `⚠ ${c.months_covered} of 12 months`);
const yuan = (v) => (v === null || v === undefined ? '–' : '¥' + num(v, 1));
// The distinct [key, name] pairs of rows, in their order; the years of rows, sorted.
const distinct = (rows, key, name) => [...new Map(rows.map((r) => [r[key], r[name]])).entries()];
const yearsOf = (rows) => [...new Set(rows.map((r) => r.year))].sort();
// The data-quality checks of data_quality (docs/model.md, "Data quality").
const QUALITY_CHECKS = {unknown_code: '未知区划代码 unknown residence code',
  abolished_code: '已撤销区划代码 abolished residence code', date_outside_period: '日期超出期间 date outside the period',
  duplicate_source_key: '重复来源键 duplicate source key', unit_without_population: '单元缺人口 unit without population',
  facility_without_coordinates: '机构缺坐标 facility without coordinates',
  month_without_visit: '月份无就诊 month without visits', month_without_referral: '月份无转诊 month without referrals'};
const SERVICE_TYPES = ['imaging', 'ecg', 'pathology', 'laboratory', 'consultation'];
const SERVICE_NAMES = {imaging: '影像 imaging', ecg: '心电 ECG', pathology: '病理 pathology',
  laboratory: '检验 laboratory', consultation: '会诊 consultation'};

// Whether v meets the indicator's national target: ✓, ✗ or nothing.
function meets(ind, v) {
  if (!ind || ind.target === null || ind.target === undefined || v === null || v === undefined) return null;
  const ok = ind.op === '>=' ? v >= ind.target : v <= ind.target;
  return ok ? {text: '✓', cls: 'ok'} : {text: '✗', cls: 'bad'};
}

// The change compares two years: a warning when either has fewer than 12 months.
function changeWarning(c) {
  const year = c.year, now = c.months_covered, before = c.months_covered_before;
  if ((now === null || now === undefined || now >= 12) && (before === null || before === undefined || before >= 12)) return undefined;
  return `⚠ months covered: ${year} ${now ?? '–'}, ${year - 1} ${before ?? '–'} of 12`;
}

// The national target of an indicator as text ('>= 90 %', '<= 120 min'), or ''.
function targetText(i) {
  if (!i || i.target === null || i.target === undefined) return '';
  if (i.unit === 'minutes') return `${i.op} ${num(i.target)} min`;
  if (i.unit === 'share' || i.unit === 'growth') return `${i.op} ${+(i.target * 100).toFixed(3)} %`;
  return `${i.op} ${num(i.target, 2)}`;
}

// A table's head cell for the indicator code: its names and target.
function indicatorHead(ind, code) {
  const i = ind[code] || {};
  return {text: i.name_zh || code, small: i.name_en || '', target: targetText(i)};
}

// An indicator's names, Chinese first ('县域内就诊率 in-county visit rate').
const indicatorName = (ind, code) => (ind[code] ? `${ind[code].name_zh} ${ind[code].name_en}` : code);

// A table of counties by the columns [key in the county's JSON, indicator
// code (its names and target head the column, and each value is marked
// against the target) or a head cell, formatter, small(row) (optional)].
function countyTable(rows, ind, columns) {
  return {
    head: [{text: '区县 county'}].concat(columns.map(([, h]) => (typeof h === 'string' ? indicatorHead(ind, h) : h))),
    rows: rows.map((r) => [Object.assign(countyCell(r), {warn: partialYear(r)})].concat(columns.map(([key, h, show, small]) => ({text: show(r[key]),
      mark: typeof h === 'string' ? meets(ind[h], r[key]) : null, small: small ? small(r) : undefined})))),
  };
}

const INDICATOR_COLUMNS = [
  ['visits', {text: '就诊人次 visits'}, (v) => num(v)],
  ['in_county_rate', 'in_county_visit_rate', pct, (c) => (c.ci_lower !== null && c.ci_upper !== null
    ? `${(c.ci_lower * 100).toFixed(1)}–${(c.ci_upper * 100).toFixed(1)}` : undefined)],
  ['in_county_inpatient_rate', 'in_county_inpatient_rate', pct],
  ['grassroots_share', 'grassroots_visit_share', pct],
  ['fund_in_county_share', 'in_county_fund_share', pct],
  ['referrals_down_growth', 'referrals_down_growth', pct],
  ['down_up_ratio', 'down_up_ratio', (v) => num(v, 2)],
  ['remote_consultations', 'remote_consultations', (v) => num(v)],
  ['signing_rate', 'signing_rate', pct],
  ['hypertension_standard_rate', 'hypertension_standard_rate', pct],
  ['diabetes_standard_rate', 'diabetes_standard_rate', pct],
  ['grid_completeness', 'grid_assignment_completeness', pct],
];
// The columns of the resources section's county tables (county_year_resources).
const RESOURCE_COLUMNS = [
  ['dispatch_coverage', 'dispatch_coverage', pct,
    (r) => `${num(r.facilities_with_dispatch)} / ${num(r.grassroots_facilities)} facilities`],
  ['doctor_days_per_facility', 'dispatched_doctor_days', (v) => num(v, 1)],
  ['grassroots_outpatient_visits', {text: '基层门诊人次', small: 'grassroots outpatient visits'}, (v) => num(v)],
  ['grassroots_outpatient_growth', 'grassroots_outpatient_growth', pct],
  ['grassroots_tcm_share', 'grassroots_tcm_share', pct],
  ['hypertension_control_rate', 'hypertension_control_rate', pct],
  ['diabetes_control_rate', 'diabetes_control_rate', pct],
];
const FINANCE_COLUMNS = [
  ['grassroots_fund_share', 'grassroots_fund_share', pct],
  ['cost_per_outpatient_visit', 'cost_per_outpatient_visit', yuan],
  ['cost_per_admission', 'cost_per_admission', yuan],
];

const ENTRIES = [
  {
    slot: 'indicators', data: 'counties', title: '县域指标 County indicators',
    table: (counties, data) => countyTable(counties, data.indicators || {}, INDICATOR_COLUMNS),
  },
  {
    slot: 'change', data: 'counties', title: '同比 Year-on-year change', height: 320,
    chart: (counties) => {
      const cs = counties.filter((c) => c.rate_change !== null);
      return {
        title: {text: '县域内就诊率同比变化 Change of the in-county visit rate', subtext: '95 % interval (Newcombe)'},
        tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'},
          formatter: (ps) => {
            const c = cs[ps[0].dataIndex];
            const warn = changeWarning(c);
            return `${c.name}<br/>change 同比: ${pp(c.rate_change)}<br/>95 %: ${pp(c.change_lower)} … ${pp(c.change_upper)}`
              + `<br/>p = ${num(c.change_p, 3)}` + (warn ? `<br/>${warn}` : '');
          }},
        legend: {bottom: 0, data: ['同比 change', '95 % interval']},
        grid: {left: 70, right: 20, top: 70, bottom: 50},
        xAxis: {type: 'category', data: cs.map((c) => c.name)},
        yAxis: {type: 'value', name: '百分点 percentage points', nameLocation: 'middle', nameGap: 45,
          axisLabel: {formatter: (v) => (v * 100).toFixed(1)}},
        series: [
          {name: '同比 change', type: 'bar', barWidth: '40%', color: '#59a14f',
            data: cs.map((c) => ({value: c.rate_change, itemStyle: {
              color: c.change_lower > 0 ? '#59a14f' : c.change_upper < 0 ? '#e15759' : '#bab0ac'}}))},
          {name: '95 % interval', type: 'custom', color: '#333', data: cs.map((c, i) => [i, c.change_lower, c.change_upper]),
            renderItem: (params, api) => {
              const lo = api.coord([api.value(0), api.value(1)]);
              const hi = api.coord([api.value(0), api.value(2)]);
              const w = api.size([1, 0])[0] * 0.15;
              const style = {stroke: '#333', lineWidth: 1.5};
              return {type: 'group', children: [
                {type: 'line', shape: {x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1]}, style},
                {type: 'line', shape: {x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1]}, style},
                {type: 'line', shape: {x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1]}, style}]};
            }, encode: {x: 0, y: [1, 2]}, z: 3},
        ],
      };
    },
  },
  {
    slot: 'change', data: 'counties', title: '同比 Year-on-year change',
    table: (counties) => ({
      head: ['区县 county', '县域内就诊率 rate', '同比 change', '95 % interval', 'p'],
      rows: counties.map((c) => {
        const verdict = c.change_lower > 0 ? 'rise' : c.change_upper < 0 ? 'fall' : undefined;
        return [Object.assign(countyCell(c), {warn: changeWarning(c)}), pct(c.in_county_rate), {text: pp(c.rate_change), cls: verdict},
          c.change_lower === null ? '–' : `${pp(c.change_lower)} … ${pp(c.change_upper)}`, num(c.change_p, 3)];
      }),
    }),
  },
  {
    slot: 'funnel', data: 'funnel', title: '漏斗图 Funnel plot', height: 420,
    chart: (f) => {
      if (!f.points || !f.curve) return null;
      const curve = (key) => f.curve.map((c) => [c.n, c[key]]);
      const limit = (name, key, dash) => ({name, type: 'line', data: curve(key), showSymbol: false,
        lineStyle: {color: dash ? '#888' : '#444', type: dash ? 'dashed' : 'solid', width: 1}, silent: true,
        tooltip: {show: false}});
      return {
        title: {text: '县域内就诊率漏斗图 Funnel plot of the in-county visit rate',
          subtext: `target ${pct(f.target)}, over-dispersion φ = ${num(f.phi, 1)}`},
        tooltip: {trigger: 'item', formatter: (p) => {
          const q = f.points[p.dataIndex];
          return `${q.name}: ${pct(q.rate)} of ${num(q.visits)} visits<br/>${q.position}`;
        }},
        legend: {bottom: 0},
        grid: {left: 70, right: 70, top: 70, bottom: 70},
        xAxis: {type: 'log', name: '就诊人次 visits (log)', nameLocation: 'middle', nameGap: 28,
          min: f.curve[0].n, max: f.curve[f.curve.length - 1].n},
        yAxis: {type: 'value', name: '县域内就诊率 in-county rate', nameLocation: 'middle', nameGap: 45, scale: true,
          axisLabel: axisPct},
        series: [
          {name: '区县 counties', type: 'scatter', symbolSize: 11, z: 5,
            data: f.points.map((p) => ({value: [p.visits, p.rate], name: p.name})),
            label: {show: true, position: 'right', formatter: (p) => p.name, fontFamily: FONT},
            markLine: {silent: true, symbol: 'none', lineStyle: {color: '#c00', type: 'dashed'},
              data: [{yAxis: f.target, name: 'target'}], label: {formatter: 'target ' + pct(f.target)}}},
          limit('95 % limits', 'lower_95', true), limit('95 % limits', 'upper_95', true),
          limit('99.8 % limits', 'lower_998', false), limit('99.8 % limits', 'upper_998', false),
        ],
      };
    },
  },
  {
    slot: 'trend', data: 'monthly', title: '月度趋势 Monthly trend', height: 360,
    chart: (monthly) => {
      const months = [...new Set(monthly.map((m) => m.month))].sort();
      const counties = distinct(monthly, 'code', 'name');
      return {
        title: {text: '县域内就诊率 In-county visit rate by month'},
        tooltip: {trigger: 'axis', valueFormatter: (v) => pct(v)},
        legend: {bottom: 0},
        grid: {left: 60, right: 80, top: 50, bottom: 60},
        xAxis: {type: 'category', data: months.map((m) => m.slice(0, 7))},
        yAxis: {type: 'value', scale: true, axisLabel: axisPct},
        series: counties.map(([code, name], k) => ({
          name, type: 'line', showSymbol: false, color: PALETTE[k % PALETTE.length],
          data: months.map((month) => {
            const m = monthly.find((x) => x.code === code && x.month === month);
            return m ? m.rate : null;
          }),
          markLine: k ? undefined : {silent: true, symbol: 'none', lineStyle: {color: '#c00', type: 'dashed'},
            data: [{yAxis: TREND_TARGET}], label: {formatter: 'target 90 %'}},
        })),
      };
    },
  },
  {
    slot: 'flows', data: 'flows', title: '患者流向 Patient flows', height: 560,
    // flow_to_json's nodes and links are the sankey's data as they are
    chart: (flows) => ({
      title: {text: '就诊流向 Visits: county of residence → county of the facility'},
      tooltip: {trigger: 'item', formatter: (p) => (p.dataType === 'edge'
        ? `${p.data.source} ${p.data.target}: ${num(p.data.value)} visits` : `${p.name}: ${num(p.value)} visits`)},
      series: [{type: 'sankey', data: flows.nodes, links: flows.links, top: 50, bottom: 20, left: 20, right: 90,
        nodeGap: 8, emphasis: {focus: 'adjacency'}, lineStyle: {color: 'source', opacity: 0.35},
        label: {fontFamily: FONT}}],
      color: PALETTE,
    }),
  },
  {
    slot: 'flows', data: 'regions', title: '流向指标 Flow indicators',
    table: (regions) => ({
      head: ['区县 county', "residents' visits", 'visits served', 'retained', 'LI', 'LIFO', 'NPF'],
      rows: regions.map((r) => [countyCell(r), num(r.residents), num(r.served), num(r.retained), pct(r.li),
        pct(r.lifo), num(r.npf, 2)]),
    }),
  },
  {
    slot: 'referrals', data: 'referral_levels', title: '分级转诊 Referrals by care level', height: 380,
    chart: (levels) => {
      const n = (a, b) => (levels.find((r) => r.from === a && r.to === b) || {n: 0}).n;
      const dir = (a, b) => Math.sign(LEVELS.indexOf(b) - LEVELS.indexOf(a));
      const series = (name, colour, keep) => ({name, type: 'bar', stack: 'n', color: colour,
        data: LEVELS.map((a) => LEVELS.reduce((s, b) => s + (keep(dir(a, b)) ? n(a, b) : 0), 0))});
      return {
        title: {text: '转诊 Referrals of the year by the referring care level',
          subtext: 'up 上转 / down 下转 / lateral 平转; hover for the levels referred to'},
        tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, formatter: (ps) => {
          const a = LEVELS[ps[0].dataIndex];
          return `${LEVEL_NAMES[a]}<br/>` + ps.map((p) => tipLine(p, `${p.seriesName}: ${num(p.value)}`)).join('<br/>')
            + '<br/>' + LEVELS.filter((b) => n(a, b)).map((b) => `→ ${LEVEL_NAMES[b]}: ${num(n(a, b))}`).join('<br/>');
        }},
        legend: {bottom: 0},
        grid: {left: 70, right: 30, top: 70, bottom: 60},
        xAxis: {type: 'category', data: LEVELS.map((l) => LEVEL_NAMES[l])},
        yAxis: {type: 'value', name: '转诊 referrals', nameLocation: 'middle', nameGap: 45},
        series: [series('上转 up', '#e15759', (s) => s > 0), series('下转 down', '#59a14f', (s) => s < 0),
          series('平转 lateral', '#bab0ac', (s) => s === 0)],
      };
    },
  },
  {
    slot: 'grids', data: 'units', title: '网格地图 Grid map', height: 680,
    chart: (units, data) => {
      const grids = [...new Set(units.filter((u) => u.grid !== null).map((u) => u.grid))].sort((a, b) => a - b);
      const facilities = data.facilities || [];
      const radiusKm = data.meta.radius_m / 1000;
      const primary = facilities.filter((f) => f.level === 'primary');
      // the planning results: each unit's loaded and proposed lead hospital
      // (one colour per lead hospital in both), the next primary sites
      const plan = new Map((data.planning_units || []).map((p) => [p.code, p]));
      const leads = data.grid_proposal || [];
      const sites = data.next_sites || [];
      const leadIds = leads.map((l) => l.lead_facility_id);
      const leadName = (id) => (id === null || id === undefined ? '无 none'
        : (leads.find((l) => l.lead_facility_id === id) || {}).lead_name || String(id));
      const colour = (u, key) => {
        if (!plan.size) return u.grid === null ? '#000' : PALETTE[grids.indexOf(u.grid) % PALETTE.length];
        const id = (plan.get(u.code) || {})[key];
        return id === null || id === undefined ? '#000' : PALETTE[leadIds.indexOf(id) % PALETTE.length];
      };
      const moving = [...plan.values()].filter((p) => p.moves);
      const unitSeries = (name, key) => ({name, type: 'scatter', coordinateSystem: 'geo', z: 4, color: '#888',
        data: units.map((u) => {
          const moves = (plan.get(u.code) || {}).moves;
          return {name: u.name, value: [u.lon, u.lat, u.population], unit: u, symbol: moves ? 'diamond' : 'circle',
            itemStyle: {color: colour(u, key), opacity: 0.85, borderColor: '#111', borderWidth: moves ? 2 : 0}};
        }),
        symbolSize: (v) => 5 + Math.sqrt(v[2]) / 25,
        tooltip: {formatter: (p) => {
          const u = p.data.unit;
          const q = plan.get(u.code);
          return `${u.name} (${u.code})<br/>residents 常住人口: ${num(u.population)}<br/>grid 网格: ${u.grid ?? 'none'}`
            + `<br/>nearest primary care: ${num(u.nearest_primary_km, 1)} km<br/>2SFCA: ${num(u.fca, 2)} doctors per 1,000`
            + (q ? `<br/>现牵头医院 lead now: ${leadName(q.lead_now)}${q.km_now === null ? '' : `, ${num(q.km_now, 1)} km`}`
              + `<br/>建议 proposed: ${leadName(q.lead_proposed)}, ${num(q.km_proposed, 1)} km`
              + (q.moves ? '<br/><b>将调整 would move</b>' : '') : '');
        }}});
      const assignment = plan.size ? ['现网格 loaded', '建议 proposed'] : ['现网格 loaded'];
      return {
        title: {text: '网格与15分钟健康服务圈 Grids and 15-minute circles',
          subtext: `coverage ${pct(data.meta.coverage)} of the residents within ${radiusKm} km`
            + (plan.size ? `; ◆ ${moving.length} units (${num(moving.reduce((a, p) => a + p.population, 0))} residents)`
              + ' would move to the nearest lead hospital' : '')},
        tooltip: {trigger: 'item'},
        legend: [
          // one assignment at a time: the loaded grids or the proposed ones
          {bottom: 26, selectedMode: 'single', data: assignment, selected: {'建议 proposed': false}},
          {bottom: 0, data: ['15分钟圈 15-minute circle', '基层 primary care', '医院 hospitals']
            .concat(sites.length ? ['新增基层点位 next primary sites'] : [])},
        ],
        geo: {map: 'huzhou', roam: true, top: 60, bottom: 60, aspectScale: Math.cos(30.8 * Math.PI / 180),
          itemStyle: {areaColor: '#f4f1ea', borderColor: '#777'}, silent: true,
          label: {show: true, color: '#555', fontWeight: 'bold', fontFamily: FONT}},
        series: [
          {name: '15分钟圈 15-minute circle', type: 'custom', coordinateSystem: 'geo', silent: true, color: '#2a7',
            data: primary.map((f) => [f.lon, f.lat]),
            renderItem: (params, api) => {
              // the radius in pixels at the current zoom: the circle follows the map
              const c = api.coord([api.value(0), api.value(1)]);
              const e = api.coord([api.value(0), api.value(1) + radiusKm / 111.2]);
              return {type: 'circle', shape: {cx: c[0], cy: c[1], r: Math.abs(c[1] - e[1])},
                style: {fill: 'rgba(42,170,119,0.06)', stroke: 'rgba(42,170,119,0.5)'}};
            }},
          unitSeries('现网格 loaded', 'lead_now'),
        ].concat(plan.size ? [unitSeries('建议 proposed', 'lead_proposed')] : [], [
          {name: '基层 primary care', type: 'scatter', coordinateSystem: 'geo', symbolSize: 5, color: '#2a7', z: 5,
            data: primary.map((f) => ({name: f.name, value: [f.lon, f.lat]})),
            tooltip: {formatter: (p) => `${p.name}<br/>基层 primary care`}},
          {name: '医院 hospitals', type: 'scatter', coordinateSystem: 'geo', symbol: 'rect', symbolSize: 10, color: '#c00',
            z: 6, data: facilities.filter((f) => f.level === 'secondary' || f.level === 'tertiary')
              .map((f) => ({name: f.name, value: [f.lon, f.lat], f})),
            tooltip: {formatter: (p) => `${p.name}<br/>${LEVEL_NAMES[p.data.f.level]}: ${num(p.data.f.beds)} beds, `
              + `${num(p.data.f.doctors)} doctors`}},
        ], sites.length ? [
          // the next primary sites, numbered by rank, sized by the residents each adds
          {name: '新增基层点位 next primary sites', type: 'scatter', coordinateSystem: 'geo', symbol: 'pin', z: 7,
            color: '#7b3fa0', data: sites.map((s) => ({name: s.unit_name, value: [s.lon, s.lat, s.added_population], s})),
            symbolSize: (v) => 22 + Math.sqrt(v[2]) / 15,
            label: {show: true, formatter: (p) => String(p.data.s.rank), color: '#fff', fontSize: 10},
            tooltip: {formatter: (p) => {
              const t = p.data.s;
              return `${t.rank}. ${t.unit_name} (${t.unit})<br/>新增覆盖 adds ${num(t.added_population)} residents`
                + ` within ${radiusKm} km<br/>累计覆盖 coverage then ${pct(t.coverage)}`;
            }}},
        ] : []),
      };
    },
  },
  {
    slot: 'grids', data: 'grid_proposal', title: '建议网格 Proposed grids by lead hospital',
    table: (leads) => ({
      head: ['牵头医院 lead hospital', '乡镇 units now → proposed', '常住人口 residents now', 'residents proposed',
        '平均距离 mean distance now', 'mean distance proposed', '每床人口 persons per bed now', 'persons per bed proposed'],
      rows: leads.map((l) => [l.lead_name, `${l.units_now} → ${l.units_proposed}`,
        num(l.population_now), {text: num(l.population_proposed),
          small: l.units_leaving || l.units_joining ? `−${num(l.population_leaving)} +${num(l.population_joining)}` : ''},
        l.mean_m_now === null ? '–' : num(l.mean_m_now / 1000, 1) + ' km',
        l.mean_m_proposed === null ? '–' : num(l.mean_m_proposed / 1000, 1) + ' km',
        num(l.persons_per_bed_now, 0), num(l.persons_per_bed_proposed, 0)]),
    }),
  },
  {
    slot: 'grids', data: 'next_sites', title: '新增基层点位 Next primary sites',
    table: (sites, data) => ({
      head: ['#', '乡镇 unit (site)', `新增覆盖 residents added within ${data.meta.radius_m / 1000} km`, '累计覆盖 coverage'],
      rows: sites.map((s) => [s.rank, s.unit_name, num(s.added_population), pct(s.coverage)]),
    }),
  },
  {
    slot: 'grids', data: 'access', title: '网格与可及性 Grid completeness and access',
    table: (access) => ({
      head: ['区县 county', 'residents in a grid 入网格', 'within the 15-minute circle', '2SFCA doctors per 1,000'],
      rows: access.map((c) => [countyCell(c), pct(c.completeness), pct(c.coverage), num(c.fca, 2)]),
    }),
  },
  {
    slot: 'grids', data: 'grids', title: '网格 Grids',
    table: (grids) => ({
      head: ['网格 grid', 'consortium', 'lead hospital', 'community hospitals', 'residents', 'beds', 'doctors',
        '15-minute circle', '2SFCA per 1,000'],
      rows: grids.map((g) => [g.grid_name, g.consortium_name, g.lead_facility_name || '', num(g.community_hospital_count),
        num(g.population || 0), num(g.beds), num(g.doctors), pct(g.primary_care_15min), num(g.fca_doctors_per_1000, 2)]),
    }),
  },
  {
    slot: 'equity', data: 'lorenz', title: '洛伦兹曲线 Lorenz curves', height: 460,
    chart: (lorenz, data) => {
      const eq = data.equity || {};
      const names = {doctors: '医生 doctors', beds: '床位 beds'};
      return {
        title: {text: '洛伦兹曲线 Lorenz curves of doctors and beds per 1,000',
          subtext: `Gini: doctors ${num(eq.gini_doctors, 3)}, beds ${num(eq.gini_beds, 3)}`},
        tooltip: {trigger: 'axis', formatter: (ps) => ps.filter((p) => p.seriesIndex > 0)
          .map((p) => tipLine(p, `${p.seriesName}: ${pct(p.value[0])} of the residents have ${pct(p.value[1])}`))
          .join('<br/>')},
        legend: {bottom: 0},
        grid: {left: 70, right: 40, top: 70, bottom: 70, width: 330, height: 330},
        xAxis: {type: 'value', min: 0, max: 1, name: '累计人口 cumulative share of residents', nameLocation: 'middle',
          nameGap: 28, axisLabel: axisPct},
        yAxis: {type: 'value', min: 0, max: 1, name: '累计资源 cumulative share of the resource', nameLocation: 'middle',
          nameGap: 45, axisLabel: axisPct},
        series: [{name: '绝对平等 equality', type: 'line', data: [[0, 0], [1, 1]], showSymbol: false, silent: true, color: '#999',
          lineStyle: {color: '#999', type: 'dashed'}, tooltip: {show: false}}].concat(
          ['doctors', 'beds'].filter((k) => lorenz[k]).map((k, i) => ({
            name: names[k], type: 'line', data: lorenz[k], showSymbol: false, color: PALETTE[i * 2],
            areaStyle: {opacity: 0.08}}))),
      };
    },
  },
  {
    slot: 'equity', data: 'equity', title: '公平性指数 Equity indices',
    table: (eq) => ({
      head: ['', 'per 1,000', 'Gini', 'Theil T', 'between counties 县间', 'within counties 县内'],
      rows: ['doctors', 'beds'].map((k) => [{text: k, th: true}, num(eq[k + '_per_1000'], 2), num(eq['gini_' + k], 3),
        num(eq['theil_' + k], 4), num(eq['theil_' + k + '_between'], 4), num(eq['theil_' + k + '_within'], 4)]),
    }),
  },
  {
    slot: 'resources', data: 'resources', title: '下沉资源 Resources sent down by county',
    table: (rows, data) => countyTable(rows, data.indicators || {}, RESOURCE_COLUMNS),
  },
  {
    slot: 'slots', data: 'slots', title: '号源 Appointment slots opened to grassroots', height: 560,
    // two grids side by side on the same facilities: the share opened (with
    // the target) and the share of the opened slots used, a bar per year
    chart: (slots, data) => {
      const ind = data.indicators || {};
      const facilities = distinct(slots, 'id', 'name');
      const years = yearsOf(slots);
      const row = (id, y) => slots.find((s) => s.id === id && s.year === y);
      const target = ind.slots_opened_share || {};
      const bars = (key, axis, colours) => years.map((y, k) => ({
        name: `${y}`, type: 'bar', xAxisIndex: axis, yAxisIndex: axis, barGap: '10%',
        color: colours[k + colours.length - years.length] || colours[0],
        data: facilities.map(([id]) => {
          const r = row(id, y);
          return r ? {value: r[key], r} : null;
        }),
        markLine: axis || k < years.length - 1 || target.target === null || target.target === undefined ? undefined
          : {silent: true, symbol: 'none', lineStyle: {color: '#c00', type: 'dashed'}, data: [{xAxis: target.target}],
            label: {formatter: 'target ' + targetText(target), position: 'start'}},
      }));
      const valueAxis = (grid, name) => ({type: 'value', gridIndex: grid, min: 0, max: 1, name, nameLocation: 'middle',
        nameGap: 28, axisLabel: axisPct});
      const categoryAxis = (grid) => ({type: 'category', gridIndex: grid, inverse: true, data: facilities.map(([, n]) => n),
        axisLabel: {show: grid === 0}});
      return {
        title: {text: '号源下沉 Appointment slots of the hospitals opened to grassroots facilities',
          subtext: `years ${years.join(', ')}; left: share of the slots opened, right: share of the opened slots used`},
        tooltip: {trigger: 'item', formatter: (p) => {
          const r = p.data.r;
          return `${r.name}, ${r.year}<br/>slots offered 号源: ${num(r.offered)}<br/>opened to grassroots 开放: `
            + `${num(r.opened)} (${pct(r.opened_share)})<br/>used 使用: ${num(r.used)} (${pct(r.use_rate)} of opened)`;
        }},
        legend: {bottom: 0, data: years.map(String)},
        grid: [{left: 170, right: '50%', top: 70, bottom: 70}, {left: '55%', right: 30, top: 70, bottom: 70}],
        xAxis: [valueAxis(0, indicatorName(ind, 'slots_opened_share')), valueAxis(1, indicatorName(ind, 'slots_use_rate'))],
        yAxis: [categoryAxis(0), categoryAxis(1)],
        series: bars('opened_share', 0, ['#a0cbe8', '#4e79a7']).concat(bars('use_rate', 1, ['#ffbe7d', '#f28e2b'])),
      };
    },
  },
  {
    slot: 'remote', data: 'remote', title: '远程服务 Remote services per 10,000 residents', height: 400,
    chart: (remote, data) => {
      const counties = distinct(remote, 'county', 'county_name');
      const types = SERVICE_TYPES.filter((t) => remote.some((r) => r.service_type === t));
      return {
        title: {text: indicatorName(data.indicators || {}, 'remote_services_per_10000'),
          subtext: 'by the county of the requesting facility and the type of service'},
        tooltip: {trigger: 'item', formatter: (p) => {
          const r = p.data.r;
          return `${r.county_name} · ${SERVICE_NAMES[r.service_type]}<br/>${num(r.services_per_10000, 2)} per 10,000 residents`
            + ` (${num(r.services)} services)<br/>recognised elsewhere 互认: ${pct(r.recognised_share)}`;
        }},
        legend: {bottom: 0},
        grid: {left: 70, right: 30, top: 70, bottom: 60},
        xAxis: {type: 'category', data: counties.map(([, n]) => n)},
        yAxis: {type: 'value', name: '每万人 per 10,000', nameLocation: 'middle', nameGap: 45},
        series: types.map((t, k) => ({name: SERVICE_NAMES[t], type: 'bar', color: PALETTE[k % PALETTE.length],
          data: counties.map(([c]) => {
            const r = remote.find((x) => x.county === c && x.service_type === t);
            return r ? {value: r.services_per_10000, r} : null;
          })})),
      };
    },
  },
  {
    slot: 'remote', data: 'remote', title: '报告时间 Turnaround of remote services', height: 440,
    // per type and county: a dot at the median, a whisker up to the 90th percentile
    chart: (remote, data) => {
      const ind = data.indicators || {};
      const shown = remote.filter((r) => r.turnaround_median_minutes !== null && r.turnaround_p90_minutes !== null);
      const counties = distinct(remote, 'county', 'county_name');
      const types = SERVICE_TYPES.filter((t) => shown.some((r) => r.service_type === t));
      const target = ind.remote_turnaround_median || {};
      if (!shown.length) return null;
      return {
        title: {text: '远程服务报告时间 Turnaround of remote services: median (dot) to 90th percentile',
          subtext: 'minutes from request to report (log scale); a county\'s type with fewer reported services than min_cell has none'},
        tooltip: {trigger: 'item', formatter: (p) => {
          const r = p.data.r;
          const mark = r.service_type === 'imaging' ? meets(target, r.turnaround_median_minutes) : null;
          return `${r.county_name} · ${SERVICE_NAMES[r.service_type]}<br/>median 中位数: ${num(r.turnaround_median_minutes)} min`
            + (mark ? ` ${mark.text} (target ${targetText(target)})` : '')
            + `<br/>90th percentile: ${num(r.turnaround_p90_minutes)} min<br/>${num(r.reported)} of ${num(r.services)} services reported`;
        }},
        legend: {bottom: 0},
        grid: {left: 70, right: 30, top: 70, bottom: 60},
        xAxis: {type: 'category', data: types.map((t) => SERVICE_NAMES[t])},
        yAxis: {type: 'log', name: '分钟 minutes', nameLocation: 'middle', nameGap: 45},
        series: counties.map(([code, name], k) => ({
          name, type: 'custom', color: PALETTE[k % PALETTE.length], encode: {x: 0, y: [1, 2]},
          data: shown.filter((r) => r.county === code && types.includes(r.service_type)).map((r) => ({
            value: [types.indexOf(r.service_type), r.turnaround_median_minutes, r.turnaround_p90_minutes], r})),
          renderItem: (params, api) => {
            const dx = (k - (counties.length - 1) / 2) * api.size([1, 1])[0] / (counties.length + 1);
            const median = api.coord([api.value(0), api.value(1)]);
            const p90 = api.coord([api.value(0), api.value(2)]);
            const x = median[0] + dx;
            const style = {stroke: api.visual('color'), lineWidth: 2};
            return {type: 'group', children: [
              {type: 'line', shape: {x1: x, y1: median[1], x2: x, y2: p90[1]}, style},
              {type: 'line', shape: {x1: x - 4, y1: p90[1], x2: x + 4, y2: p90[1]}, style},
              {type: 'circle', shape: {cx: x, cy: median[1], r: 4.5}, style: {fill: api.visual('color')}}]};
          },
          markLine: k || target.target === null || target.target === undefined ? undefined
            : {silent: true, symbol: 'none', lineStyle: {color: '#c00', type: 'dashed'}, data: [{yAxis: target.target}],
              label: {formatter: `影像 imaging median ${targetText(target)}`, position: 'insideEndTop'}},
        })),
      };
    },
  },
  {
    slot: 'remote', data: 'remote', title: '互认 Remote results recognised elsewhere',
    table: (remote, data) => {
      const types = SERVICE_TYPES.filter((t) => remote.some((r) => r.service_type === t));
      const ind = data.indicators || {};
      return {
        head: [indicatorHead(ind, 'result_recognition_share')].concat(types.map((t) => SERVICE_NAMES[t])),
        rows: distinct(remote, 'county', 'county_name').map(([code, name]) => [countyCell({code, name})].concat(
          types.map((t) => {
            const r = remote.find((x) => x.county === code && x.service_type === t);
            return r ? {text: pct(r.recognised_share), small: `${num(r.recognised)} of ${num(r.services)}`} : '–';
          }))),
      };
    },
  },
  {
    slot: 'consortium-referrals', data: 'consortium_referrals', title: '医联体内外转诊 Referrals inside and out of the consortia',
    height: 420,
    chart: (refs, data) => {
      const consortia = distinct(refs, 'consortium_id', 'consortium_name');
      const years = yearsOf(refs);
      const row = (id, y) => refs.find((r) => r.consortium_id === id && r.year === y);
      const part = (y, k, key, name, colours, top) => ({
        name: `${y} ${name}`, type: 'bar', stack: String(y), color: colours[k + colours.length - years.length] || colours[0],
        data: consortia.map(([id]) => {
          const r = row(id, y);
          return r ? {value: r[key], r} : null;
        }),
        label: top ? {show: true, position: 'top', fontSize: 10, formatter: (p) => pct(p.data.r.within_consortium_share, 0)}
          : undefined,
      });
      return {
        title: {text: '转出转诊 Referrals sent by the member facilities: inside / out of their consortium',
          subtext: `years ${years.join(', ')}; above the bars: ${indicatorName(data.indicators || {}, 'referrals_within_consortium_share')}`},
        tooltip: {trigger: 'item', formatter: (p) => {
          const r = p.data.r;
          return `${r.consortium_name}, ${r.year}<br/>sent 转出: ${num(r.referrals_sent)}<br/>inside 医联体内: `
            + `${num(r.referrals_within_consortium)} (${pct(r.within_consortium_share)})<br/>out of it 医联体外: `
            + `${num(r.referrals_outside_consortium)}<br/>downward 下转: ${num(r.referrals_down_sent)}`;
        }},
        legend: {bottom: 0},
        grid: {left: 70, right: 30, top: 70, bottom: 80},
        xAxis: {type: 'category', data: consortia.map(([, n]) => n), axisLabel: {interval: 0, width: 170, overflow: 'break'}},
        yAxis: {type: 'value', name: '转诊 referrals', nameLocation: 'middle', nameGap: 45},
        series: years.flatMap((y, k) => [part(y, k, 'referrals_within_consortium', '医联体内 inside', ['#8cd17d', '#59a14f']),
          part(y, k, 'referrals_outside_consortium', '医联体外 out', ['#ff9d9a', '#e15759'], true)]),
      };
    },
  },
  {
    slot: 'hospitals', data: 'hospitals', title: '县级和市级医院 County and city hospitals',
    table: (hospitals, data) => {
      const ind = data.indicators || {};
      const years = yearsOf(hospitals);
      const last = years[years.length - 1];
      const row = (id, y) => hospitals.find((h) => h.id === id && h.year === y) || {};
      const measures = [['bed_occupancy', pct], ['average_length_of_stay', (v) => num(v, 1)],
        ['grade34_surgery_share', pct], ['cost_per_admission', yuan]];
      const head = (code, small) => ({text: (ind[code] || {}).name_zh || code, small});
      return {
        head: [{text: '医院 hospital'}].concat(years.map((y) => head('referrals_down_sent', `downward referrals sent, ${y}`)),
          measures.map(([code]) => head(code, `${(ind[code] || {}).name_en || ''}, ${last}`))),
        rows: distinct(hospitals, 'id', 'name').map(([id, name]) => {
          const h = row(id, last);
          return [{text: name, small: LEVEL_NAMES[h.level] || '', th: true}]
            .concat(years.map((y) => num(row(id, y).referrals_down_sent)), measures.map(([key, show]) => show(h[key])));
        }),
      };
    },
  },
  {
    slot: 'hospitals', data: 'resources', title: '医保基金与费用 Insurance fund and costs by county',
    table: (rows, data) => countyTable(rows, data.indicators || {}, FINANCE_COLUMNS),
  },
  {
    // the checks that found problems; none: one row that says so
    slot: 'quality', data: 'quality', title: '数据质量 Data quality',
    table: (checks) => {
      const found = checks.filter((q) => q.problems > 0);
      return {
        head: ['检查 check', '问题 problems', '涉及 rows'],
        rows: found.length === 0 ? [[{text: '未发现问题', small: 'no problem found', th: true}, '0', '–']]
          : found.map((q) => [{text: QUALITY_CHECKS[q.check] || q.check, small: q.check, th: true}, num(q.problems),
            {text: num(q.rows), small: q.about + (q.rounded ? ', rounded' : '')}]),
      };
    },
  },
];

// Drawing -------------------------------------------------------------------

function element(tag, props, children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const c of children || []) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// A table cell: text, or {text, small, target, mark, cls, th, warn}; text only, never markup.
function cell(c, tag) {
  if (typeof c !== 'object' || c === null) c = {text: c};
  const e = element(c.th ? 'th' : tag, {className: c.cls || ''}, [String(c.text ?? '')]);
  if (c.mark) e.append(' ', element('span', {className: c.mark.cls}, [c.mark.text]));
  if (c.small) e.append(element('br'), element('small', {}, [c.small]));
  if (c.target) e.append(element('br'), element('small', {className: 't'}, [c.target]));
  if (c.warn) e.append(element('br'), element('small', {className: 'warn'}, [c.warn]));
  return e;
}

function drawTable(spec) {
  return element('table', {}, [element('tr', {}, spec.head.map((h) => cell(h, 'th')))]
    .concat(spec.rows.map((r) => element('tr', {}, r.map((c) => cell(c, 'td'))))));
}

// The slot of an entry: page.html's, or a new section at the end.
function slot(entry) {
  let s = document.getElementById('slot-' + entry.slot);
  if (!s) {
    s = element('div', {className: 'slot', id: 'slot-' + entry.slot});
    const footer = document.querySelector('footer');
    document.body.insertBefore(element('section', {}, [element('h2', {id: entry.slot}, [entry.title]), s]), footer);
  }
  return s;
}

function draw(data) {
  if (data.geo) echarts.registerMap('huzhou', data.geo);
  for (const entry of ENTRIES) {
    const d = data[entry.data];
    const place = slot(entry);
    const note = (text) => place.append(element('p', {className: 'note'}, [`${entry.title}: ${text}`]));
    const empty = d === null || d === undefined || (Array.isArray(d) && d.length === 0);
    try {
      const option = empty || entry.table ? null : entry.chart(d, data);
      if (!empty && entry.table) {
        const table = drawTable(entry.table(d, data));
        table.dataset.entry = entry.title;
        place.append(table);
      } else if (option === null) {
        note('no published data.');
      } else {
        const div = element('div', {className: 'chart'});
        div.dataset.entry = entry.title;
        div.style.height = (entry.height || 400) + 'px';
        place.append(div);
        const chart = echarts.init(div, null, {renderer: 'svg'});
        option.textStyle = Object.assign({fontFamily: FONT}, option.textStyle);
        option.animation = false;
        chart.setOption(option);
        window.addEventListener('resize', () => chart.resize());
      }
    } catch (e) {
      note(`not drawn (${e}).`);
    }
  }
  document.getElementById('echarts-version').textContent = echarts.version;
}

draw(JSON.parse(document.getElementById('report-data').textContent));
