/**
 * Golden outputs: every spec in specs/, every report, the dataset listings and every help text,
 * on the shared fixtures and on the generated examples, byte for byte as the executables print
 * them (stdout, stderr and exit status). A change in what a command prints fails here; when the
 * change is meant, rewrite the files with `SEQ_UPDATE_GOLDEN=1 npx vitest run test/cli/golden.test.ts`
 * and read the diff.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandWord } from '../../lib/base/command.js';
import { COMMANDS as SEQ_COMMANDS } from '../../lib/commands/seq.js';
import { ROOT, run } from '../helpers/cli.js';
import { FIXTURES, generatedSessions, requireFixtures } from '../helpers/sessions.js';

const GOLDEN = join(ROOT, 'test/golden');
const UPDATE = process.env.SEQ_UPDATE_GOLDEN === '1';
const SPECS = readdirSync(join(ROOT, 'specs'))
  .filter((f) => f.endsWith('.json'))
  .sort();
/** No skills, settings or cache of the machine running the tests reach the outputs. */
const HOME = mkdtempSync(join(tmpdir(), 'seq-golden-home-'));

interface Case {
  name: string;
  command: string;
  args: string[];
}

/** The cases for one set of logs, read from the working folder `cwd` through `roots`. */
function cases(roots: string[], skill: string, skills: string[]): Case[] {
  const seq = (name: string, ...args: string[]): Case => ({ name, command: 'seq', args: [...args, ...roots, ...skills] });
  return [
    ...SPECS.map((spec) => seq(`spec-${spec.replace(/\.json$/, '')}`, 'query', '--spec', `@${join(ROOT, 'specs', spec)}`)),
    seq('skills-rank', 'skills-rank'),
    seq('skills-rank.csv', 'skills-rank', '--format', 'csv'),
    seq('skills-rank.chart', 'skills-rank', '--format', 'chart', '--width', '60'),
    seq('role-breakdown', 'role-breakdown'),
    seq('role-breakdown.json', 'role-breakdown', '--format', 'json'),
    seq('skill-trend', 'skill-trend', '--skill', skill),
    seq('skill-trend.month', 'skill-trend', '--skill', skill, '--bucket', 'month', '--format', 'markdown'),
    seq('skill-report', 'skill-report', '--skill', skill, '--sections', 'Contract,Proof'),
    seq('skill-report.json', 'skill-report', '--skill', skill, '--format', 'json'),
    seq('section-audit', 'section-audit', '--sections', 'Contract,Invariants,Proof'),
    seq('section-audit.heading.json', 'section-audit', '--sections', 'Contract,Proof', '--match', 'heading', '--format', 'json'),
    seq('occurrence-export', 'occurrence-export'),
    seq('occurrence-export.csv', 'occurrence-export', '--format', 'csv'),
    seq('token-usage', 'token-usage'),
    seq('token-usage.json', 'token-usage', '--format', 'json'),
    seq('report-bundle', 'report-bundle', '--sections', 'Contract,Proof'),
    seq('report-bundle.markdown', 'report-bundle', '--format', 'markdown', '--top', '3'),
    seq('sessions', 'query', '--dataset', 'sessions', '--format', 'jsonl'),
    seq(
      'usage-by-day-model',
      'query',
      '--dataset',
      'usage',
      '--by',
      'day,model',
      '--metric',
      'sum:total_tokens:tokens',
      '--metric',
      'count',
      '--sort',
      'day,model',
    ),
    seq('messages-by-role', 'query', '--dataset', 'messages', '--by', 'source,role', '--sort', 'source,role', '--format', 'csv'),
    seq('tool-calls', 'query', '--dataset', 'tool_calls', '--by', 'source,tool,kind', '--sort', 'source,-count,tool', '--format', 'csv'),
    seq('token-sessions', 'query', '--dataset', 'token_sessions', '--format', 'jsonl'),
  ];
}

const EXECUTABLES = ['seq-scan', 'seq-filter', 'seq-group', 'seq-format', 'seq-record'];
// Every command of seq has its help here: a new one gets a golden file by the update run.
const COMMANDS = SEQ_COMMANDS.map(commandWord);

/** The cases that read no session logs: listings, schemas, help texts and the run store. */
function plainCases(): Case[] {
  const names = (JSON.parse(run('seq', ['datasets', '--format', 'json']).stdout) as Array<{ name: string }>).map((d) => d.name);
  return [
    { name: 'datasets', command: 'seq', args: ['datasets'] },
    ...names.map((name) => ({ name: `dataset-schema-${name}`, command: 'seq', args: ['dataset-schema', '--dataset', name] })),
    { name: 'help-seq', command: 'seq', args: ['--help'] },
    ...COMMANDS.map((name) => ({ name: `help-seq-${name}`, command: 'seq', args: [name, '--help'] })),
    ...EXECUTABLES.map((name) => ({ name: `help-${name}`, command: name, args: ['--help'] })),
    { name: 'help-seq-record-run', command: 'seq-record', args: ['run', '--help'] },
    { name: 'explain-tools-rank', command: 'seq', args: ['query', '--spec', `@${join(ROOT, 'specs/tools-rank.json')}`, '--explain'] },
    { name: 'stats', command: 'seq', args: ['stats'] },
    { name: 'stats.json', command: 'seq', args: ['stats', '--json'] },
    { name: 'runs-by-outcome', command: 'seq', args: ['query', '--dataset', 'runs', '--by', 'outcome', '--sort', 'outcome'] },
  ];
}

function printed(c: Case, cwd: string): string {
  const r = run(c.command, c.args, { cwd, env: { HOME, TZ: 'UTC', SEQ_STORE: '' } });
  const text = `$ ${c.command} ${c.args.join(' ')}\n${r.stdout}--- stderr\n${r.stderr}--- exit ${r.status}\n`;
  return text.replaceAll(ROOT, '<repo>').replaceAll(cwd, '<cwd>');
}

function check(set: string, c: Case, cwd: string): void {
  const file = join(GOLDEN, set, `${c.name}.txt`);
  const text = printed(c, cwd);
  if (UPDATE) {
    mkdirSync(join(GOLDEN, set), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(text, `${file} (SEQ_UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

describe.skipIf(!requireFixtures())('golden outputs on the shared fixtures', () => {
  for (const c of cases(['.'], 'generate-feature', [])) it(c.name, () => check('fixtures', c, FIXTURES));
});

describe('golden outputs on the generated examples', () => {
  for (const c of cases(['codex', 'claude'], 'tk', ['--skills-dir', 'skills'])) it(c.name, () => check('examples', c, generatedSessions()));
});

/** A project folder whose run store is test/golden/metrics.json. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seq-golden-project-'));
  mkdirSync(join(dir, '.seq'));
  copyFileSync(join(GOLDEN, 'metrics.json'), join(dir, '.seq/metrics.json'));
  return dir;
}

describe('golden outputs that read no session logs', () => {
  const dir = project();
  for (const c of plainCases()) it(c.name, () => check('plain', c, dir));
});
