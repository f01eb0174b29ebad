/**
 * Stands in for Node's `assert` inside yargs (an esbuild alias, see package.json): yargs checks
 * its own invariants with these two, and node:assert, loaded at every start, costs more than
 * the checks (it makes the stderr stream to learn whether it has colours).
 */
export function strictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!Object.is(actual, expected)) throw new Error(message ?? `yargs expected ${String(expected)}, not ${String(actual)}`);
}

export function notStrictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (Object.is(actual, expected)) throw new Error(message ?? `yargs expected anything but ${String(expected)}`);
}
