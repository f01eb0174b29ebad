/**
 * One of several processes racing for the same locks (test/unit/lock-race.test.ts): for each
 * round, it waits for the round's moment, then takes the round's lock, which the test left stale.
 * Inside, it makes the round's marker file exclusively: if another process is inside too, the
 * marker is there, and that is a second writer let in. It prints one line: entries and overlaps.
 *
 *   node --import tsx test/helpers/lock-racer.ts DIR ROUNDS START_MS STEP_MS
 */
import { openSync, closeSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from '../../lib/storage/lock.js';

const [dir = '', rounds = '0', start = '0', step = '0'] = process.argv.slice(2);
let entries = 0;
let overlaps = 0;
for (let round = 0; round < Number(rounds); round++) {
  const at = Number(start) + round * Number(step);
  while (Date.now() < at) {
    // all racers start each round at the same moment
  }
  withLock(
    join(dir, `store-${round}`),
    () => {
      entries++;
      const marker = join(dir, `inside-${round}`);
      let fd: number;
      try {
        fd = openSync(marker, 'wx');
      } catch {
        overlaps++;
        return;
      }
      // Stay inside a little, so that a second writer let in would find the marker.
      const until = Date.now() + 15;
      while (Date.now() < until) {
        // busy
      }
      closeSync(fd);
      unlinkSync(marker);
    },
    10_000,
  );
}
console.log(JSON.stringify({ entries, overlaps }));
