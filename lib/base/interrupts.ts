/**
 * What to undo when the user interrupts (Ctrl-C): temporary files are removed before the process
 * exits with 130. The handler is installed once, by the program's runner.
 */
const hooks: Array<() => void> = [];

/** Runs `hook` if the user interrupts. */
export function onInterrupt(hook: () => void): void {
  hooks.push(hook);
}

/** Runs every hook, then ends the process as an interrupted one does. */
export function interrupted(): never {
  for (const hook of hooks) hook();
  process.exit(130);
}
