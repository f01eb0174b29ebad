/**
 * The overview as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched,
 * readable in light and dark mode. Each chart is a figure of bars that carry their key and value
 * (data-key, data-value), followed by the same figures as a table.
 */
import type { JsonValue, Row } from '../jsonl/json.js';
import type { DaySeries } from './day-series.js';
import { billDollars, countText, humanNumber } from '../stages/formats/cells.js';

/** The overview's figures: what the JSON holds, and what the page draws. */
export interface Overview {
  /** Whether costs were read (not --no-cost). */
  costs: boolean;
  totals: Row;
  days: Row[];
  daysByModel: Row[];
  /** The day charts' series, folded past the page's colours (day-series.ts). */
  sourceSeries: DaySeries;
  modelSeries: DaySeries;
  models: Row[];
  blocks: Row[];
  tools: Row[];
  skills: Row[];
  sectionAudit: JsonValue;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One colour per series, told apart in both modes. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const number = (value: JsonValue | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function shown(value: number, dollars = false): string {
  return dollars ? `$${billDollars(value)}` : countText(value);
}

/** A segment of a column: its column's label, its series (name and place in the legend), its value. */
interface Segment {
  label: string;
  name: string;
  series: number;
  value: number;
}

/** Stacked columns: one per label, a segment per series. */
function columns(name: string, title: string, labels: string[], series: string[], bars: Segment[], dollars: boolean): string {
  const width = 760;
  const height = 220;
  const left = 70;
  const bottom = 40;
  const stack = new Map<string, number>();
  for (const bar of bars) stack.set(bar.label, (stack.get(bar.label) ?? 0) + bar.value);
  const max = Math.max(0, ...stack.values()) || 1;
  const step = (width - left) / Math.max(1, labels.length);
  const barWidth = Math.max(2, Math.min(48, step * 0.7));
  const scale = (height - bottom - 10) / max;
  const offsets = new Map<string, number>();
  const rects = bars
    .map((bar) => {
      const { label, name: seriesName } = bar;
      const i = labels.indexOf(label);
      const below = offsets.get(label) ?? 0;
      const h = bar.value * scale;
      offsets.set(label, below + h);
      const x = left + i * step + (step - barWidth) / 2;
      const y = height - bottom - below - h;
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${Math.max(h, 0).toFixed(1)}" fill="${PALETTE[bar.series % PALETTE.length]}" data-key="${escapeHtml(`${label} ${seriesName}`)}" data-value="${bar.value}"><title>${escapeHtml(`${label}, ${seriesName}: ${shown(bar.value, dollars)}`)}</title></rect>`;
    })
    .join('');
  // A date label is about 60 units wide: every how many columns one fits.
  const every = Math.max(1, Math.ceil(64 / step));
  const ticks = labels
    .map((label, i) =>
      i % every === 0
        ? `<text x="${(left + i * step + step / 2).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`
        : '',
    )
    .join('');
  const axis = `<text x="${left - 8}" y="18" text-anchor="end">${escapeHtml(shown(max, dollars))}</text><text x="${left - 8}" y="${height - bottom}" text-anchor="end">0</text><line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" class="axis"/>`;
  const legend = series.map((s, i) => `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${escapeHtml(s)}</span>`).join(' ');
  return `<figure data-chart="${name}"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}">${axis}${rects}${ticks}</svg><p class="legend">${legend}</p></figure>`;
}

/** Horizontal bars, largest first as the rows come. */
function bars(name: string, title: string, rows: Row[], key: string, value: string, unit: 'count' | 'dollars' | 'percent' = 'count', max?: number): string {
  if (rows.length === 0) return `<figure data-chart="${name}"><figcaption>${escapeHtml(title)}</figcaption><p class="none">(none)</p></figure>`;
  const width = 760;
  const left = 260;
  const row = 24;
  const height = rows.length * row + 8;
  const top = max ?? (Math.max(0, ...rows.map((r) => number(r[value]))) || 1);
  const label = (v: number): string => (unit === 'percent' ? `${v}%` : shown(v, unit === 'dollars'));
  const items = rows
    .map((r, i) => {
      const v = number(r[value]);
      const w = ((width - left - 90) * v) / top;
      const y = 4 + i * row;
      const k = String(r[key] ?? '(none)');
      return `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(k.length > 36 ? `${k.slice(0, 35)}…` : k)}</text><rect x="${left}" y="${y + 3}" width="${Math.max(w, 0).toFixed(1)}" height="${row - 8}" fill="${PALETTE[0]}" data-key="${escapeHtml(k)}" data-value="${v}"><title>${escapeHtml(`${k}: ${label(v)}`)}</title></rect><text x="${(left + Math.max(w, 0) + 6).toFixed(1)}" y="${y + 16}">${escapeHtml(label(v))}</text>`;
    })
    .join('');
  return `<figure data-chart="${name}"><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}">${items}</svg></figure>`;
}

function table(rows: Row[], columns: string[]): string {
  if (rows.length === 0) return '';
  const cell = (value: JsonValue | undefined): string => {
    // Numbers as the table format shows them: fractions rounded for reading (a cost's 0.23431839999999998 is 0.234).
    const text =
      value === null || value === undefined
        ? ''
        : typeof value === 'number'
          ? humanNumber(value)
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value);
    return `<td${typeof value === 'number' ? ' class="n"' : ''}>${escapeHtml(text)}</td>`;
  };
  return `<details><summary>the figures</summary><table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${columns.map((c) => cell(r[c])).join('')}</tr>`)
    .join('')}</tbody></table></details>`;
}

/** A figure per day, stacked by series (day-series.ts). */
function perDay(chart: DaySeries, field: 'total_tokens' | 'cost_usd', name: string, title: string): string {
  const labels = [...new Set(chart.tokens.map((r) => String(r.day)))];
  const segments: Segment[] = (field === 'cost_usd' ? chart.costs : chart.tokens).map((r) => ({
    label: String(r.day),
    name: String(r.series),
    series: chart.series.indexOf(String(r.series)),
    value: number(r[field]),
  }));
  if (segments.length === 0 && chart.tokens.length > 0)
    return `<figure data-chart="${name}"><figcaption>${escapeHtml(title)}</figcaption><p class="none">(no price known)</p></figure>`;
  return columns(name, title, labels, chart.series, segments, field === 'cost_usd');
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #6e6e73; --line: #d2d2d7; --panel: #f5f5f7; }
@media (prefers-color-scheme: dark) { :root { --fg: #f5f5f7; --bg: #161617; --muted: #a1a1a6; --line: #424245; --panel: #1d1d1f; } }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 2rem auto; max-width: 820px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
.sub, .none, .legend { color: var(--muted); }
.facts { display: flex; gap: 1rem; flex-wrap: wrap; } .facts div { background: var(--panel); border-radius: 8px; padding: .6rem 1rem; }
.facts b { display: block; font-size: 1.3rem; }
figure { margin: 1rem 0; } figcaption { font-weight: 600; margin-bottom: .4rem; }
svg text { fill: var(--fg); font-size: 11px; } svg .axis { stroke: var(--line); }
.key i { display: inline-block; width: .8em; height: .8em; margin-right: .3em; border-radius: 2px; vertical-align: -1px; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .2rem .6rem; border-bottom: 1px solid var(--line); text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
summary { color: var(--muted); cursor: pointer; }
`;

export function overviewPage(overview: Overview, generated: string, tz: string): string {
  const { totals } = overview;
  const audit = overview.sectionAudit as { by_section?: Row[]; compliance?: number | null; assistant_messages?: number } | null;
  const blocks = overview.blocks.map((b) => ({ ...b, block: String(b.block_start).slice(0, 16).replace('T', ' ') }));
  // With --no-cost there is no cost to show: no chart, column or fact of it.
  const cost = <T>(...items: T[]): T[] => (overview.costs ? items : []);
  const sections = [
    `<h2>Tokens${overview.costs ? ' and cost' : ''} per day</h2>`,
    perDay(overview.sourceSeries, 'total_tokens', 'days-tokens', 'Tokens per day, by source'),
    ...cost(perDay(overview.sourceSeries, 'cost_usd', 'days-cost', 'Cost per day (US dollars), by source')),
    table(overview.days, ['day', 'source', 'total_tokens', ...cost('cost_usd'), 'requests']),
    perDay(overview.modelSeries, 'total_tokens', 'days-models', 'Tokens per day, by model'),
    ...cost(perDay(overview.modelSeries, 'cost_usd', 'days-models-cost', 'Cost per day (US dollars), by model')),
    table(overview.daysByModel, ['day', 'model', 'total_tokens', ...cost('cost_usd'), 'requests']),
    `<h2>Models</h2>`,
    bars('models', 'Tokens by model', overview.models, 'model', 'total_tokens'),
    table(overview.models, ['model', 'total_tokens', ...cost('cost_usd'), 'requests']),
    `<h2>5-hour blocks</h2>`,
    bars('blocks', 'Tokens per block (UTC start)', blocks, 'block', 'total'),
    table(overview.blocks, ['block_start', 'last_request', 'requests', 'total', ...cost('cost_usd'), 'models', 'active']),
    `<h2>Tools and skills</h2>`,
    bars('tools', 'Tools called most', overview.tools, 'tool', 'count'),
    bars('skills', 'Skills mentioned most', overview.skills, 'skill', 'count'),
    ...(audit === null
      ? []
      : [
          `<h2>Section audit</h2>`,
          bars(
            'section-audit',
            `Answers with each section (${audit.assistant_messages ?? 0} answers; every section: ${audit.compliance ?? 0}%)`,
            audit.by_section ?? [],
            'section',
            'compliance',
            'percent',
            100,
          ),
          table(audit.by_section ?? [], ['section', 'present', 'missing', 'compliance']),
        ]),
  ];
  const facts = [
    ['tokens', shown(number(totals.total_tokens))],
    // Null where a request had no price: never shown as free.
    ...cost(['cost', totals.cost_usd === null ? 'unknown' : shown(number(totals.cost_usd), true)]),
    ['requests', shown(number(totals.requests))],
    ['days', String(new Set(overview.days.map((r) => r.day)).size)],
  ]
    .map(([k, v]) => `<div data-fact="${k}">${escapeHtml(k as string)}<b>${escapeHtml(v as string)}</b></div>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>seq report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>What the agents did, and what it cost</h1>
<p class="sub">seq report, ${escapeHtml(generated.slice(0, 16).replace('T', ' '))} UTC; days in ${escapeHtml(tz)}</p>
<section class="facts">${facts}</section>
${sections.join('\n')}
</body>
</html>
`;
}
