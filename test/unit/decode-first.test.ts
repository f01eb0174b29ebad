/**
 * Few lines decoded whole (sources/common/decode-first.ts): a Claude transcript tells the same
 * events, points and line problems, in the same order, whether its lines are walked over or
 * decoded whole; and a scan's budget covers few bytes only.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ClaudeReader } from '../../lib/sources/claude/reader.js';
import { DecodeBudget, fewLines } from '../../lib/sources/common/decode-first.js';
import type { ReaderNeeds } from '../../lib/sources/common/source.js';
import { repeatMember, typeLast } from '../helpers/repeat-member.js';
import { bothWays, WALKED_NEEDS } from '../helpers/both-ways.js';
import { FIXTURES, generatedSessions, hasFixtures } from '../helpers/sessions.js';

function transcripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return transcripts(path);
    return name.endsWith('.jsonl') && path.includes('/claude/') ? [path] : [];
  });
}

describe('a budget of lines decoded whole', () => {
  it('is spent line by line, and then the lines are walked', () => {
    const budget = new DecodeBudget(1000);
    expect([budget.take(600), budget.take(600), budget.take(1)]).toEqual([true, true, false]);
  });

  it('is given to a scan of few bytes only', () => {
    expect(fewLines(1 << 20)?.take(1)).toBe(true);
    expect(fewLines(64 << 20)).toBeUndefined();
  });
});

describe('a Claude transcript read both ways', () => {
  const files = [...(hasFixtures ? transcripts(FIXTURES) : []), ...transcripts(generatedSessions())];

  it('tells the same, walked or decoded whole', () => {
    let events = 0;
    for (const path of files) {
      for (const needs of WALKED_NEEDS) {
        const { walked, decoded } = bothWays(path, needs);
        expect(decoded, path).toEqual(walked);
        events += walked.filter(([kind]) => kind === 'event').length;
      }
    }
    // The transcripts reached the readers.
    expect(files.length).toBeGreaterThan(3);
    expect(events).toBeGreaterThan(500);
  });
});

/** What a new reader tells of one line, walked or decoded whole. */
function lineTold(line: string, needs: ReaderNeeds, decode: boolean): unknown[] {
  const out: unknown[] = [];
  const reader = new ClaudeReader(
    { event: (event) => out.push(event), malformed: (...told) => out.push(told), repaired: (...told) => out.push(told) },
    needs,
    undefined,
    decode ? new DecodeBudget(Number.POSITIVE_INFINITY) : undefined,
  );
  const bytes = Buffer.from(line);
  reader.line(bytes, 0, bytes.length, 1);
  reader.finish();
  return out;
}

describe('a Claude line with a member written twice', () => {
  it('tells the same walked or decoded whole, whichever member and value is written again', () => {
    const files = transcripts(generatedSessions()).slice(0, 6);
    if (hasFixtures) files.push(...transcripts(FIXTURES).slice(0, 6));
    const lines = files.flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .slice(0, 12),
    );
    const values = ['user', 'assistant', 'summary', 5, 0, {}, null, 'x', { input_tokens: 7 }];
    let cases = 0;
    for (const line of lines.flatMap((line) => [line, typeLast(line)])) {
      for (let pick = 0; pick < 30; pick++) {
        for (const value of values) {
          for (const last of [false, true]) {
            const twice = repeatMember(line, pick, last, value);
            for (const needs of WALKED_NEEDS) expect(lineTold(twice, needs, true), twice).toEqual(lineTold(twice, needs, false));
            cases++;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(10_000);
  });
});
