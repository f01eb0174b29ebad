/**
 * Logs that grow as a session goes on, and scans that tell how many files they read through the
 * cache of events: emptied before the scan, it then holds the files read through it alone (a
 * scan that reads the logs fills it with every file; a file read on from where a kept table's
 * patch read it to is not read through it).
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from './cli.js';
import { cached, indexLines } from './cached.js';
import { CACHE_FORMAT } from '../../lib/cache/layout.js';

/** The files the cache of events holds (every reading's), after emptying it before a scan. */
export function filesRead(home: string): number {
  const folder = join(home, 'seq', `events-${CACHE_FORMAT}`);
  let files = 0;
  if (!existsSync(folder)) return 0;
  for (const needs of readdirSync(folder)) {
    files += indexLines(join(folder, needs)).length;
  }
  return files;
}

/** A scan after emptying the cache of events: its output, and how many files it read. */
export function scanned(home: string, args: string[], env: Record<string, string> = {}): { result: Result; read: number } {
  rmSync(join(home, 'seq', `events-${CACHE_FORMAT}`), { recursive: true, force: true });
  const result = cached('seq', home, args, env);
  return { result, read: filesRead(home) };
}

/** The log files under a folder, in walk order. */
export function logFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.jsonl')) out.push(path);
    }
  };
  walk(root);
  return out;
}

let fresh = 0;

/** Appends a transcript's own assistant lines again as new requests (new message and request ids): what a session adds as it goes on. */
export function growClaude(path: string, lines = 3): void {
  const assistant = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"assistant"') && line.includes('"usage"'));
  let text = '';
  for (let i = 0; i < lines; i++) {
    fresh++;
    text += `${(assistant[i % assistant.length] as string)
      .replace(/"id":"msg_/, `"id":"msg_grown${fresh}_`)
      .replace(/"requestId":"req_/, `"requestId":"req_grown${fresh}_`)
      .replace(/"uuid":"/, `"uuid":"grown${fresh}-`)}\n`;
  }
  appendFileSync(path, text);
}

/** Appends a rollout's last token count again with larger totals, a little later: a request Codex made. */
export function growCodex(path: string): void {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const last = [...lines].reverse().find((line) => line.includes('"token_count"') && line.includes('"info":{')) as string;
  const record = JSON.parse(last) as { timestamp: string; payload: { info: { total_token_usage: Record<string, number> } } };
  fresh++;
  record.timestamp = new Date(Date.parse(record.timestamp) + 1000 * fresh).toISOString();
  const total = record.payload.info.total_token_usage;
  for (const key of Object.keys(total)) total[key] = (total[key] as number) + 100;
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}
