/**
 * vitest globalSetup: the tools the tests check seq against, installed once before the test
 * files run at once: chdb (ClickHouse's engine) and ccusage. chdb.ts and ccusage.ts say why they
 * are not in the lock file.
 */
import { installCcusage } from './ccusage.js';
import { installChdb } from './chdb.js';

export default function setup(): void {
  for (const [name, install] of [
    ['chdb', installChdb],
    ['ccusage', installCcusage],
  ] as const) {
    const failure = install();
    if (failure !== undefined) console.warn(`${name} could not be installed: ${failure}`);
  }
}
