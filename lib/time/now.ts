/** The time it is for the views that show the present: $SEQ_NOW where set (to see things as they stood then), else the clock. */
import { UsageError } from '../base/errors.js';
import { instantMs } from './iso.js';

export function now(): number {
  const given = process.env.SEQ_NOW;
  if (given === undefined || given === '') return Date.now();
  const ms = instantMs(given);
  if (Number.isNaN(ms)) throw new UsageError(`SEQ_NOW: "${given}" is not a time`, 'write it as 2026-11-30T15:00:00Z, or unset it');
  return ms;
}
