// The bench's output: the parts merged into bench/results.json, a table on stdout, the same table
// in the README's "Performance" section (between its bench markers), and the scale chart as SVG
// (media/bench-scale.svg), drawn here without any library: one line per measure, log-scale axes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure, Part, ScaleSeries, Summary, Target } from './stats';

export interface Results {
  readonly version: 1;
  readonly date: string;
  readonly machine: Record<string, string>;
  readonly parts: readonly { part: string; startedAt: string; loadAverage: number; seconds: number }[];
  readonly figures: readonly Figure[];
  readonly scale: { readonly sizes: readonly number[]; readonly series: readonly ScaleSeries[] };
  readonly skipped: readonly string[];
}

/** The group order of the table (groups not listed come last, in the order met). */
const GROUPS = [
  'Activation (real host)',
  'Bundles (production build)',
  'Warm open vs cold capture',
  'Against the anchors (same file, same run)',
  'Availability',
  'Picker',
  'CLI',
];

export function merge(parts: readonly Part[]): Results {
  const machine: Record<string, string> = {};
  for (const part of parts) Object.assign(machine, part.machine ?? {});
  const figures = parts.flatMap((p) => p.figures);
  const rank = (f: Figure): number => (GROUPS.includes(f.group) ? GROUPS.indexOf(f.group) : GROUPS.length);
  const series = parts.flatMap((p) => p.scale ?? []);
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.size)))].sort((a, b) => a - b);
  return {
    version: 1,
    date: parts.map((p) => p.startedAt).sort()[0] ?? new Date().toISOString(), // when the run started
    machine,
    parts: parts.map(({ part, startedAt, loadAverage, seconds }) => ({ part, startedAt, loadAverage, seconds })),
    figures: figures
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f),
    scale: { sizes, series },
    skipped: parts.flatMap((p) => p.skipped ?? []),
  };
}

// ---------------------------------------------------------------------------------------------
// Numbers as text

export function fmt(value: number, unit: Figure['unit'] | 'ms'): string {
  if (!Number.isFinite(value)) return '–';
  const digits = (x: number): string => {
    const a = Math.abs(x);
    if (a === 0) return '0';
    if (a >= 100) return x.toFixed(0);
    if (a >= 10) return x.toFixed(1);
    if (a >= 1) return x.toFixed(2);
    return x.toFixed(3);
  };
  switch (unit) {
    case 'ms':
      return `${digits(value)} ms`;
    case 'KB':
      return `${value.toFixed(1)} KB`;
    case 'count':
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case '×':
      return `${digits(value)}×`;
    case '%':
      return `${digits(value)} %`;
  }
}

function targetText(target: Target | undefined, unit: Figure['unit']): string {
  if (target === undefined) return '';
  const what = target.on === 'max' ? 'all ' : '';
  return `${what}${target.op === '<=' ? '≤' : '≥'} ${fmt(target.value, unit)}`;
}

const spread = (f: Summary & { unit: Figure['unit'] }): string => (f.n <= 1 ? '' : `${fmt(f.min, f.unit)} – ${fmt(f.max, f.unit)}`);
const verdict = (f: Figure): string => (f.met === undefined ? '' : f.met ? 'met' : 'MISSED');

export function machineLine(results: Results): string {
  const m = results.machine;
  return [
    m['cpu'] && `${m['cpu']} (${m['cores']} cores)`,
    m['memory'] && `${m['memory']} RAM`,
    m['os'],
    m['node'] && `Node ${m['node']}`,
    m['hostNode'] && `host Node ${m['hostNode']}`,
    m['nix'],
    m['codeServer'] && `code-server ${m['codeServer']}`,
    m['chromium'],
    `load ${results.parts.map((p) => `${p.part} ${p.loadAverage.toFixed(2)}`).join(', ')}${
      results.parts.some((p) => p.loadAverage > Number(m['cores'] ?? Infinity))
        ? ' (busy: more runnable work than cores, figures noisier)'
        : ''
    }`,
    results.date.slice(0, 16).replace('T', ' ') + ' UTC',
  ]
    .filter(Boolean)
    .join(' · ');
}

// ---------------------------------------------------------------------------------------------
// The table on stdout

/** Rows as aligned columns: the first left-aligned, the others right-aligned; one-cell rows as they are. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const wide = rows.filter((r) => r.length > 1);
  const widths = wide[0]!.map((_, c) => Math.max(...wide.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r.length === 1
      ? r[0]!
      : r
          .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
          .join('  ')
          .trimEnd(),
  );
}

export function textTable(results: Results): string {
  const rows: string[][] = [['Figure', 'median', 'spread (min – max)', 'p95', 'n', 'target', '']];
  let group = '';
  for (const f of results.figures) {
    if (f.group !== group) {
      group = f.group;
      rows.push([group]);
    }
    rows.push([
      `  ${f.label}`,
      fmt(f.median, f.unit),
      spread(f),
      f.n > 1 ? fmt(f.p95, f.unit) : '',
      String(f.n),
      targetText(f.target, f.unit),
      verdict(f),
    ]);
    if (f.note) rows.push([`      ${f.note}`]);
    if (f.met === false) rows.push([`      why missed: ${f.shortfall ?? 'not explained by this run (see bench/README.md)'}`]);
  }
  return [
    `PPL Nix bench: ${machineLine(results)}`,
    '',
    ...columns(rows),
    '',
    ...columns(scaleRows(results)),
    ...(results.skipped.length > 0 ? ['', 'Not measured:', ...results.skipped.map((s) => `  - ${s}`)] : []),
  ].join('\n');
}

function scaleRows(results: Results): string[][] {
  const { sizes, series } = results.scale;
  const header = ['Scale: median (min – p95), ms', 'n', ...sizes.map((n) => `N = ${n}`), `growth (N ×${sizes.at(-1)! / sizes[0]!})`];
  return [
    header,
    ...series.map((s) => {
      const at = (n: number) => s.points.find((p) => p.size === n);
      const first = at(sizes[0]!);
      const last = at(sizes.at(-1)!);
      return [
        s.label,
        String(Math.min(...s.points.map((p) => p.n))),
        ...sizes.map((n) => {
          const p = at(n);
          return p ? `${num(p.median)} (${num(p.min)}–${num(p.p95)})` : '–';
        }),
        first && last ? `×${(last.median / first.median).toFixed(1)}` : '',
      ];
    }),
  ];
}

const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

// ---------------------------------------------------------------------------------------------
// Markdown (README)

export function markdown(results: Results, chartPath: string): string {
  const out = [
    `Measured on ${machineLine(results)}.`,
    '',
    '| Figure | Median | Spread (min – max) | n | Target | |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  const missed: Figure[] = [];
  let group = '';
  for (const f of results.figures) {
    if (f.group !== group) {
      group = f.group;
      out.push(`| **${group}** | | | | | |`);
    }
    if (f.met === false) missed.push(f);
    const mark = f.met === undefined ? '' : f.met ? '✓' : `✗ (${missed.length})`;
    out.push(
      `| ${f.label.replace(/\|/g, '\\|')} | ${fmt(f.median, f.unit)} | ${spread(f)} | ${f.n} | ${targetText(f.target, f.unit)} | ${mark} |`,
    );
  }
  const { sizes } = results.scale;
  const rows = scaleRows(results);
  out.push(
    '',
    `| Scale (ms, median and min – p95) | n | ${sizes.map((n) => `N = ${n}`).join(' | ')} | growth |`,
    `| --- | ---: | ${sizes.map(() => '---:').join(' | ')} | ---: |`,
  );
  for (const r of rows.slice(1)) out.push(`| ${r.join(' | ')} |`);
  out.push('', `![How each figure grows with N (log-log)](${chartPath})`);
  if (missed.length > 0) {
    out.push('', 'Targets missed:');
    missed.forEach((f, i) => out.push(`${i + 1}. ${f.label}: ${f.shortfall ?? 'see bench/README.md'}.`));
  }
  if (results.skipped.length > 0) out.push('', `Not measured: ${results.skipped.join('; ')}.`);
  return out.join('\n');
}

/** Replaces the README text between the bench markers; false when the markers are missing. */
export function updateReadme(readmePath: string, body: string): boolean {
  if (!existsSync(readmePath)) return false;
  const text = readFileSync(readmePath, 'utf8');
  const begin = '<!-- bench:begin (written by npm run bench) -->';
  const end = '<!-- bench:end -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a === -1 || b === -1 || b < a) return false;
  writeFileSync(readmePath, `${text.slice(0, a + begin.length)}\n${body}\n${text.slice(b)}`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The chart: a tiny SVG writer

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function tag(name: string, attrs: Record<string, string | number>, body?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => `${k}="${typeof v === 'number' ? +v.toFixed(2) : esc(v)}"`)
    .join(' ');
  return body === undefined ? `<${name} ${a}/>` : `<${name} ${a}>${body}</${name}>`;
}

/** Log-log chart: x = N, y = milliseconds; a line per series through the medians, min – p95 whiskers. */
export function scaleSvg(results: Results, title = 'How each figure grows with N (median; bars: min – p95)'): string {
  const { sizes, series } = results.scale;
  const width = 800;
  const height = 400;
  const plot = { left: 64, top: 40, right: 470, bottom: 350 };
  const values = series.flatMap((s) => s.points.flatMap((p) => [p.min, p.p95, p.median])).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(...values, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 10)));
  const xLo = Math.log10(sizes[0]! / 1.4);
  const xHi = Math.log10(sizes.at(-1)! * 1.4);
  const x = (n: number): number => plot.left + ((Math.log10(n) - xLo) / (xHi - xLo)) * (plot.right - plot.left);
  const y = (ms: number): number => plot.bottom - ((Math.log10(Math.max(ms, 10 ** lo)) - lo) / (hi - lo)) * (plot.bottom - plot.top);
  const parts: string[] = [
    tag('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }),
    tag('text', { x: plot.left, y: 22, 'font-size': 14, 'font-weight': 'bold', fill: '#222' }, esc(title)),
  ];
  for (let e = lo; e <= hi; e++) {
    const v = 10 ** e;
    parts.push(tag('line', { x1: plot.left, x2: plot.right, y1: y(v), y2: y(v), stroke: '#ddd', 'stroke-width': 1 }));
    const label = v >= 1000 ? `${v / 1000} s` : v >= 1 ? `${v} ms` : `${v.toFixed(-e)} ms`;
    parts.push(tag('text', { x: plot.left - 6, y: y(v) + 4, 'font-size': 11, 'text-anchor': 'end', fill: '#444' }, label));
  }
  for (const n of sizes) {
    parts.push(tag('line', { x1: x(n), x2: x(n), y1: plot.top, y2: plot.bottom, stroke: '#eee', 'stroke-width': 1 }));
    parts.push(tag('text', { x: x(n), y: plot.bottom + 16, 'font-size': 11, 'text-anchor': 'middle', fill: '#444' }, `N = ${n}`));
  }
  parts.push(
    tag('rect', { x: plot.left, y: plot.top, width: plot.right - plot.left, height: plot.bottom - plot.top, fill: 'none', stroke: '#888' }),
  );
  parts.push(
    tag(
      'text',
      { x: (plot.left + plot.right) / 2, y: height - 14, 'font-size': 11, 'text-anchor': 'middle', fill: '#444' },
      'N: environment files, or packages in one shell.nix (log scale)',
    ),
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const dashed = s.id.includes('nixShell');
    const points = [...s.points].sort((a, b) => a.size - b.size).filter((p) => p.median > 0);
    parts.push(
      tag('polyline', {
        points: points.map((p) => `${x(p.size).toFixed(1)},${y(p.median).toFixed(1)}`).join(' '),
        fill: 'none',
        stroke: color,
        'stroke-width': 2,
        ...(dashed ? { 'stroke-dasharray': '5 4' } : {}),
      }),
    );
    for (const p of points) {
      parts.push(tag('line', { x1: x(p.size), x2: x(p.size), y1: y(p.min), y2: y(p.p95), stroke: color, 'stroke-width': 1 }));
      parts.push(tag('circle', { cx: x(p.size), cy: y(p.median), r: 3, fill: color }));
    }
    const ly = plot.top + 8 + i * 20;
    parts.push(
      tag('line', {
        x1: plot.right + 16,
        x2: plot.right + 40,
        y1: ly,
        y2: ly,
        stroke: color,
        'stroke-width': 2,
        ...(dashed ? { 'stroke-dasharray': '5 4' } : {}),
      }),
    );
    parts.push(tag('text', { x: plot.right + 46, y: ly + 4, 'font-size': 11, fill: '#222' }, esc(s.label)));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n${parts.join('\n')}\n</svg>\n`;
}

/** Writes bench/results.json, media/bench-scale.svg and the README section; returns the table text. */
export function writeAll(root: string, results: Results): { table: string; readme: boolean } {
  mkdirSync(join(root, 'bench'), { recursive: true });
  writeFileSync(join(root, 'bench/results.json'), `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(join(root, 'media/bench-scale.svg'), scaleSvg(results));
  const readme = updateReadme(join(root, 'README.md'), markdown(results, 'media/bench-scale.svg'));
  return { table: textTable(results), readme };
}
