/**
 * seq report: the HTML page opened in a real headless browser (Debian's chromium): the charts
 * drawn, their bars holding the JSON report's figures, light and dark mode, nothing fetched.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

const BROWSER = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => spawnSync(name, ['--version']).status === 0);
if (BROWSER === undefined) console.warn('no chromium: skipping the HTML report in a browser (apt-get install chromium runs it)');

interface Drawn {
  charts: Record<string, Array<{ key: string; value: number; w: number; h: number }>>;
  facts: Record<string, string>;
  bg: string;
}

// The test's page, not the report's: it opens the report in a frame and reads back what the browser laid out.
const READER = `<!doctype html><html><body><iframe id="f" src="report.html" width="900" height="3000"></iframe><script>
window.onload = () => {
  const d = document.getElementById('f').contentDocument;
  const out = { charts: {}, facts: {}, bg: getComputedStyle(d.body).backgroundColor };
  for (const fig of d.querySelectorAll('figure[data-chart]'))
    out.charts[fig.dataset.chart] = [...fig.querySelectorAll('rect[data-key]')].map((r) => { const b = r.getBoundingClientRect(); return { key: r.dataset.key, value: Number(r.dataset.value), w: b.width, h: b.height }; });
  for (const f of d.querySelectorAll('[data-fact]')) out.facts[f.dataset.fact] = f.querySelector('b').textContent;
  const pre = document.createElement('pre'); pre.id = 'out'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
};
</script></body></html>`;

function browser(args: string[]): string {
  const r = spawnSync(BROWSER as string, ['--headless', '--no-sandbox', '--disable-gpu', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${BROWSER} failed: ${r.stderr}`);
  return r.stdout;
}

const fromHtml = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe.skipIf(BROWSER === undefined)('seq report --html, in a browser', () => {
  let dir: string;
  let json: {
    totals: { total_tokens: number; cost_usd: number; requests: number };
    days: Array<{ day: string; source: string; total_tokens: number; cost_usd: number }>;
    days_by_model: Array<{ day: string; model: string; total_tokens: number; cost_usd: number }>;
    models: Array<{ model: string; total_tokens: number }>;
    blocks: Array<{ block_start: string; total: number }>;
    tools: Array<{ tool: string; count: number }>;
    skills: Array<{ skill: string; count: number }>;
    section_audit: { by_section: Array<{ section: string; compliance: number }> };
  };
  const page = (): string => join(dir, 'report.html');
  const drawn = (dark: boolean): Drawn => {
    const dom = browser([
      '--allow-file-access-from-files',
      '--virtual-time-budget=5000',
      ...(dark ? ['--blink-settings=preferredColorScheme=0'] : []),
      '--dump-dom',
      `file://${join(dir, 'reader.html')}`,
    ]);
    const found = /<pre id="out">(.*?)<\/pre>/s.exec(dom);
    if (found === null) throw new Error(`the reader page wrote nothing: ${dom.slice(0, 300)}`);
    return JSON.parse(fromHtml(found[1] as string)) as Drawn;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seq-report-html-'));
    const args = ['report', '--sections', 'Contract,Proof', '--skills-dir', join(generatedSessions(), 'skills'), generatedSessions()];
    const html = run('seq', [...args, '--html', '--output', page()]);
    expect(html.status).toBe(0);
    const data = run('seq', [...args, '--json']);
    expect(data.status).toBe(0);
    json = JSON.parse(data.stdout);
    writeFileSync(join(dir, 'reader.html'), READER);
  });

  it("draws every chart, each bar with the JSON report's figure", () => {
    const { charts, facts } = drawn(false);
    expect(Object.keys(charts)).toEqual([
      'days-tokens',
      'days-cost',
      'days-models',
      'days-models-cost',
      'models',
      'blocks',
      'tools',
      'skills',
      'section-audit',
    ]);
    for (const [name, bars] of Object.entries(charts)) {
      expect(bars.length, name).toBeGreaterThan(0);
      for (const bar of bars) if (bar.value > 0) expect(bar.w > 0 && bar.h > 0, `${name} ${bar.key}`).toBe(true);
    }
    const values = (name: string) => Object.fromEntries(charts[name]?.map((bar) => [bar.key, bar.value]) ?? []);
    expect(values('days-tokens')).toEqual(Object.fromEntries(json.days.map((d) => [`${d.day} ${d.source}`, d.total_tokens])));
    expect(values('days-cost')).toEqual(Object.fromEntries(json.days.map((d) => [`${d.day} ${d.source}`, d.cost_usd])));
    expect(values('days-models')).toEqual(Object.fromEntries(json.days_by_model.map((d) => [`${d.day} ${d.model}`, d.total_tokens])));
    expect(values('days-models-cost')).toEqual(Object.fromEntries(json.days_by_model.map((d) => [`${d.day} ${d.model}`, d.cost_usd])));
    expect(values('models')).toEqual(Object.fromEntries(json.models.map((m) => [m.model, m.total_tokens])));
    expect(Object.values(values('blocks'))).toEqual(json.blocks.map((b) => b.total));
    expect(values('tools')).toEqual(Object.fromEntries(json.tools.map((t) => [t.tool, t.count])));
    expect(values('skills')).toEqual(Object.fromEntries(json.skills.map((s) => [s.skill, s.count])));
    expect(values('section-audit')).toEqual(Object.fromEntries(json.section_audit.by_section.map((s) => [s.section, s.compliance])));
    // Taller bars for larger figures: the drawing follows the numbers.
    const models = charts.models ?? [];
    expect(models.map((bar) => bar.w)).toEqual([...models.map((bar) => bar.w)].sort((a, b) => b - a));
    expect(facts).toEqual({
      tokens: json.totals.total_tokens.toLocaleString('en-US'),
      cost: `$${json.totals.cost_usd.toFixed(2)}`,
      requests: String(json.totals.requests),
      days: String(new Set(json.days.map((d) => d.day)).size),
    });
  });

  it('reads in light and in dark mode', () => {
    expect(drawn(false).bg).toBe('rgb(255, 255, 255)');
    expect(drawn(true).bg).toBe('rgb(22, 22, 23)');
  });

  it('is one file that fetches nothing, and a screenshot of it has the charts', () => {
    const html = readFileSync(page(), 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    const shot = join(dir, 'report.png');
    copyFileSync(page(), join(dir, 'shown.html'));
    browser(['--hide-scrollbars', '--window-size=900,2400', `--screenshot=${shot}`, `file://${join(dir, 'shown.html')}`]);
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // A blank page of this size compresses to a few kB; the charts' colours make it far larger.
    expect(statSync(shot).size).toBeGreaterThan(50_000);
  });
});

describe('seq report', () => {
  it('--json and --html say how to write; they and --format are one choice', () => {
    const both = run('seq', ['report', '--html', '--json', generatedSessions()]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('--html and --json both say how to write');
    const bad = run('seq', ['report', '--format', 'csv', generatedSessions()]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format: "csv" is not one of html, json');
    const out = join(mkdtempSync(join(tmpdir(), 'seq-report-')), 'r.html');
    expect(run('seq', ['report', '--output', out, generatedSessions()]).status).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith('<!doctype html>')).toBe(true);
  });

  it.skipIf(!hasFixtures)(
    'a chart of more series than colours keeps a colour each for those of the most tokens, the rest as one series, its days whole',
    () => {
      const html = run('seq', ['report', '--html', FIXTURES]).stdout;
      const json = JSON.parse(run('seq', ['report', '--json', FIXTURES]).stdout) as {
        days_by_model: Array<{ day: string; model: string; total_tokens: number }>;
      };
      const models = new Set(json.days_by_model.map((row) => row.model));
      expect(models.size).toBeGreaterThan(10);
      for (const chart of ['days-models', 'days-models-cost']) {
        const figure = html.slice(html.indexOf(`data-chart="${chart}"`), html.indexOf('</figure>', html.indexOf(`data-chart="${chart}"`)));
        const colours = [...figure.matchAll(/<i style="background:([^"]+)"><\/i>([^<]*)/g)].map((m) => [m[1], m[2]]);
        expect(colours).toHaveLength(10);
        expect(new Set(colours.map(([colour]) => colour)).size).toBe(10);
        expect(colours.at(-1)?.[1]).toBe(`${models.size - 9} other models`);
      }
      const figure = html.slice(html.indexOf('data-chart="days-models"'), html.indexOf('</figure>', html.indexOf('data-chart="days-models"')));
      const perDay = new Map<string, number>();
      for (const m of figure.matchAll(/data-key="(\d{4}-\d{2}-\d{2}) [^"]*" data-value="([\d.e+-]+)"/g))
        perDay.set(m[1] as string, (perDay.get(m[1] as string) ?? 0) + Number(m[2]));
      const expected = new Map<string, number>();
      for (const row of json.days_by_model) expected.set(row.day, (expected.get(row.day) ?? 0) + row.total_tokens);
      expect(perDay).toEqual(expected);
    },
  );

  it("a model without a price leaves out its own cost, not the folded series' others", () => {
    const models = [
      'claude-opus-4-6',
      'claude-sonnet-4-5-20250929',
      'claude-haiku-4-5-20251001',
      'claude-3-5-sonnet-20241022',
      'claude-3-opus-20240229',
      'claude-3-haiku-20240307',
      'claude-opus-4-1-20250805',
      'claude-sonnet-4-20250514',
      'claude-opus-4-20250514',
      'claude-3-7-sonnet-20250219',
      'claude-3-5-haiku-20241022',
      'mystery-model-x',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'seq-report-fold-'));
    const lines = models.map((model, i) => {
      const usage = { input_tokens: model === 'mystery-model-x' ? 10 : 100_000 - i * 1000, output_tokens: 10 };
      const time = `2026-11-01T10:${String(i).padStart(2, '0')}:00Z`;
      return JSON.stringify({
        type: 'assistant',
        sessionId: 's',
        uuid: `u${i}`,
        timestamp: time,
        requestId: `r${i}`,
        message: { id: `m${i}`, role: 'assistant', model, content: [], usage },
      });
    });
    writeFileSync(join(dir, 's.jsonl'), `${lines.join('\n')}\n`);
    const html = run('seq', ['report', '--html', '-q', dir]).stdout;
    const json = JSON.parse(run('seq', ['report', '--json', '-q', dir]).stdout) as { days_by_model: Array<{ model: string; cost_usd: number | null }> };
    const figure = html.slice(html.indexOf('data-chart="days-models-cost"'), html.indexOf('</figure>', html.indexOf('data-chart="days-models-cost"')));
    const kept = new Set([...figure.matchAll(/<i style="background:[^"]+"><\/i>([^<]*)/g)].map((m) => m[1]));
    const folded = json.days_by_model.filter((row) => !kept.has(row.model) && row.cost_usd !== null);
    expect(folded.length).toBeGreaterThan(0);
    const bar = /data-key="2026-11-01 3 other models" data-value="([\d.e+-]+)"/.exec(figure);
    expect(Number(bar?.[1])).toBeCloseTo(
      folded.reduce((sum, row) => sum + (row.cost_usd as number), 0),
      10,
    );
  });
});
