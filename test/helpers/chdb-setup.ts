/** vitest globalSetup: chdb installed once, before the test files run at once (test/helpers/chdb.ts says why it is not in the lock file). */
import { installChdb } from './chdb.js';

export default function setup(): void {
  const failure = installChdb();
  if (failure !== undefined) console.warn(`chdb could not be installed: ${failure}`);
}
