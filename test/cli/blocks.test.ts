/**
 * seq blocks: the 5-hour windows, against ccusage 20's `blocks` on the same Claude Code logs: the
 * boundaries (an hour's floor, more than five hours from the start or from the last request), the
 * block running now with its burn rate and projection, and SEQ_NOW for a fixed moment.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CCUSAGE_BIN, requireCcusage } from '../helpers/ccusage.js';
import { run } from '../helpers/cli.js';
import { generatedSessions } from '../helpers/sessions.js';
import { claudeHome, TIMES } from '../helpers/claude-times.js';

interface Block {
  block_start: string;
  block_end: string;
  first_request: string;
  last_request: string;
  requests: number;
  input: number;
  output: number;
  cache_write: number;
  cache_read: number;
  total: number;
  cost_usd: number;
  models: string;
  active: boolean;
  minutes_left: number | null;
  tokens_per_minute: number | null;
  cost_per_hour: number | null;
  projected_total: number | null;
  projected_cost_usd: number | null;
}

interface PeerBlock {
  id: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  tokenCounts: { inputTokens: number; outputTokens: number; cacheCreationInputTokens: number; cacheReadInputTokens: number };
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: { tokensPerMinute: number; costPerHour: number } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}

function blocks(home: string, env: Record<string, string> = {}, args: string[] = []): Block[] {
  const r = run('seq', ['blocks', '--format', 'json', ...args, join(home, 'projects')], { env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Block[];
}

function peerBlocks(home: string): PeerBlock[] {
  const r = spawnSync(CCUSAGE_BIN, ['blocks', '--json', '--offline'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'seq-ccusage-home-')), TZ: 'UTC', CLAUDE_CONFIG_DIR: home },
  });
  if (r.status !== 0) throw new Error(`ccusage blocks failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { blocks: PeerBlock[] }).blocks.filter((block) => !block.isGap);
}

/** One of seq's blocks as ccusage writes one, where the two describe the same thing. */
function asPeer(block: Block) {
  return {
    id: block.block_start,
    endTime: block.block_end,
    actualEndTime: block.last_request,
    isActive: block.active,
    entries: block.requests,
    tokenCounts: { inputTokens: block.input, outputTokens: block.output, cacheCreationInputTokens: block.cache_write, cacheReadInputTokens: block.cache_read },
    totalTokens: block.total,
    models: block.models.split(','),
  };
}

const peerView = ({ id, endTime, actualEndTime, isActive, entries, tokenCounts, totalTokens, models }: PeerBlock) => ({
  id,
  endTime,
  actualEndTime,
  isActive,
  entries,
  tokenCounts,
  totalTokens,
  models,
});

describe('seq blocks', () => {
  let home: string;
  beforeAll(() => {
    const now = Date.now();
    // And a block running now: requests 40 and 10 minutes ago.
    home = claudeHome([...TIMES, new Date(now - 40 * 60_000).toISOString(), new Date(now - 10 * 60_000).toISOString()]);
  });

  it.skipIf(!requireCcusage())("is ccusage 20's blocks: boundaries, tokens, cost, models, the active block's burn rate and projection", () => {
    const ours = blocks(home);
    const theirs = peerBlocks(home);
    expect(ours.map(asPeer)).toEqual(theirs.map(peerView));
    expect(ours.map((block) => block.block_start).slice(0, 4)).toEqual([
      '2026-10-01T09:00:00.000Z',
      '2026-10-01T14:00:00.000Z',
      '2026-10-01T21:00:00.000Z',
      '2026-10-02T02:00:00.000Z',
    ]);
    ours.forEach((block, i) => {
      expect(block.cost_usd).toBeCloseTo(theirs[i].costUSD, 12);
    });
    const active = ours[ours.length - 1];
    const peer = theirs[theirs.length - 1];
    expect(active.active).toBe(true);
    expect(active.tokens_per_minute).toBeCloseTo(peer.burnRate?.tokensPerMinute ?? Number.NaN, 9);
    expect(active.cost_per_hour).toBeCloseTo(peer.burnRate?.costPerHour ?? Number.NaN, 6);
    // The two ran moments apart: the minutes left may differ by one, and the projection by a minute's burn.
    expect(Math.abs((active.minutes_left ?? 0) - (peer.projection?.remainingMinutes ?? 0))).toBeLessThanOrEqual(1);
    expect(Math.abs((active.projected_total ?? 0) - (peer.projection?.totalTokens ?? 0))).toBeLessThanOrEqual(Math.ceil(active.tokens_per_minute ?? 0) + 1);
  });

  it.skipIf(!requireCcusage())('agrees with ccusage on the generated Claude Code sessions', () => {
    const claude = join(generatedSessions(), 'claude');
    expect(blocks(claude).map(asPeer)).toEqual(peerBlocks(claude).map(peerView));
  });

  it('SEQ_NOW shows the blocks as they stood then: only the requests made by then; the one running, its minutes left, pace and projection', () => {
    const then = claudeHome(TIMES);
    const [first, ...rest] = blocks(then, { SEQ_NOW: '2026-10-01T12:00:00Z' });
    expect(rest).toEqual([]); // later requests had not been made
    // 09:10 to 11:30 is 140 minutes; the block ends at 14:00, 120 minutes after noon.
    expect(first).toMatchObject({ active: true, minutes_left: 120, requests: 3, total: 9453 });
    expect(first.tokens_per_minute).toBeCloseTo(9453 / 140, 9);
    expect(first.projected_total).toBe(Math.round(9453 + (9453 / 140) * 120));
    expect(first.projected_cost_usd).toBe(Math.round((first.cost_usd + (first.cost_usd / 140) * 120) * 100) / 100);
    expect(blocks(then, { SEQ_NOW: '2026-10-01T12:00:00Z' }, ['--active'])).toEqual([first]);
    expect(blocks(then, { SEQ_NOW: '2026-10-05T00:00:00Z' }, ['--active'])).toEqual([]);
  });

  it("is Claude Code's requests unless --source names another agent: no block mixes two agents' limits", () => {
    const sessions = generatedSessions();
    const ofBlocks = (args: string[]): Array<{ models: string; requests: number }> =>
      JSON.parse(run('seq', ['blocks', '--format', 'json', ...args, sessions], { env: { SEQ_NOW: '2026-11-04T13:30:00Z' } }).stdout);
    const claude = ofBlocks([]);
    expect(claude.length).toBeGreaterThan(0);
    expect(claude.every((block) => block.models.split(',').every((model) => model.startsWith('claude-')))).toBe(true);
    expect(ofBlocks(['--source', 'claude'])).toEqual(claude);
    const codex = ofBlocks(['--source', 'codex']);
    expect(codex.length).toBeGreaterThan(0);
    expect(codex.every((block) => block.models.split(',').every((model) => model.startsWith('gpt-')))).toBe(true);
    // Another agent's logs alone give no block, and say why.
    const none = run('seq', ['blocks', join(sessions, 'codex')]);
    expect(none).toMatchObject({ status: 0, stdout: '(no results)\n' });
    expect(none.stderr).toBe("seq: blocks are made of Claude Code's requests, and there are none here; --source names another agent (--source codex)\n");
    // The overview's blocks are the same as seq blocks'.
    const page = JSON.parse(run('seq', ['report', '--json', sessions], { env: { SEQ_NOW: '2026-11-04T13:30:00Z' } }).stdout) as { blocks: unknown[] };
    expect(page.blocks).toEqual(claude);
  });

  it('--json is --format json', () => {
    const then = claudeHome(TIMES);
    const json = run('seq', ['blocks', '--json', join(then, 'projects')]);
    expect(json.status).toBe(0);
    expect(json.stdout).toBe(run('seq', ['blocks', '--format', 'json', join(then, 'projects')]).stdout);
    expect(run('seq', ['blocks', '--json', '--format', 'csv', then]).status).toBe(2);
  });

  it('--session-length changes the window; bad values are usage errors', () => {
    const then = claudeHome(TIMES);
    expect(blocks(then, {}, ['--session-length', '24']).map((block) => block.requests)).toEqual([9]);
    const bad = run('seq', ['blocks', '--session-length', 'five', then]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--session-length: expected a number of hours above 0 (5, 2.5), got "five"');
    const clock = run('seq', ['blocks', then], { env: { SEQ_NOW: 'soon' } });
    expect(clock.status).toBe(2);
    expect(clock.stderr).toContain('SEQ_NOW: "soon" is not a time');
  });
  it('orders requests by their instants, whatever offset a log writes, and says which times do not read', () => {
    // 08:00-05:00 is 13:00Z: one block from 10:00Z, 15 minutes left at 14:45Z.
    const home = claudeHome(['2026-03-01T10:00:00.000Z', '2026-03-01T08:00:00.000-05:00', '2026-03-01T14:30:00.000Z', '2016-12-31T23:59:60.000Z']);
    const r = run('seq', ['blocks', '--json', join(home, 'projects')], { env: { SEQ_NOW: '2026-03-01T14:45:00Z' } });
    expect(r.status).toBe(0);
    const [block, ...others] = JSON.parse(r.stdout) as Block[];
    expect(others).toEqual([]);
    expect(block).toMatchObject({
      block_start: '2026-03-01T10:00:00.000Z',
      first_request: '2026-03-01T10:00:00.000Z',
      last_request: '2026-03-01T14:30:00.000Z',
    });
    expect(block).toMatchObject({ requests: 3, active: true, minutes_left: 15 });
    expect(r.stderr).toBe('seq: 1 request left out: a time that does not read (first: "2016-12-31T23:59:60.000Z")\n');
  });
  it('--since and --until choose whole blocks, each as the whole history makes it', () => {
    const home = claudeHome(['2026-10-31T23:30:00.000Z', '2026-11-01T00:30:00.000Z', '2026-11-02T10:00:00.000Z']);
    const starts = (args: string[]): string[] => blocks(home, { SEQ_NOW: '2026-11-02T11:00:00Z' }, args).map((block) => block.block_start);
    expect(starts([])).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-02T10:00:00.000Z']);
    expect(starts(['--since', '2026-11-01'])).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-02T10:00:00.000Z']);
    expect(starts(['--since', '2026-11-01T05:00'])).toEqual(['2026-11-02T10:00:00.000Z']);
    // A block runs to its end inclusive (a request 5 h after its start is its own).
    expect(starts(['--since', '2026-11-01T04:00:00Z'])).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-02T10:00:00.000Z']);
    expect(starts(['--since', '2026-11-01T04:00:00.001Z'])).toEqual(['2026-11-02T10:00:00.000Z']);
    expect(starts(['--until', '2026-11-01'])).toEqual(['2026-10-31T23:00:00.000Z']);
    expect(blocks(home, { SEQ_NOW: '2026-11-01T01:00:00Z' }, ['--since', '2026-11-01'])[0]).toMatchObject({ requests: 2, minutes_left: 180 });
  });
});
