/**
 * A segment the disk refuses: the file begun is removed with what the scan wrote, even where not
 * one byte reached it (a file left would hold the space that is missing).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return fs.writeSync(...args);
  }) as typeof fs.writeSync;
  return { ...fs, writeSync, default: { ...fs, writeSync } };
});

const { Segment } = await import('../../lib/cache/segment.js');

describe('a segment on a full disk', () => {
  it('is removed when its first write fails', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-segment-'));
    const segment = new Segment(folder);
    disk.full = true;
    expect(() => segment.write(Buffer.alloc(2 << 20))).toThrow(/ENOSPC/);
    expect(readdirSync(folder)).toEqual([segment.name]);
    segment.remove();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('is removed when what was gathered fails at close', () => {
    const folder = mkdtempSync(join(tmpdir(), 'seq-segment-'));
    const segment = new Segment(folder);
    disk.full = false;
    segment.write(Buffer.alloc(1000));
    disk.full = true;
    expect(() => segment.close()).toThrow(/ENOSPC/);
    segment.remove();
    expect(readdirSync(folder)).toEqual([]);
  });
});
