/**
 * What to undo when the run is stopped (Ctrl-C, `kill`, a closed terminal): temporary files are
 * removed before the process exits as the signal would have ended it (128 + its number). The
 * handlers are installed once, by the program's runner.
 */
const hooks: Array<() => void> = [];

/** Runs `hook` if the user interrupts. */
export function onInterrupt(hook: () => void): void {
  hooks.push(hook);
}

/** The signals that stop a run, with their numbers (the exit status is 128 + the number). */
export const STOPPING_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

/** Runs every hook, then ends the process as the signal would have. */
export function interrupted(signal: keyof typeof STOPPING_SIGNALS): never {
  for (const hook of hooks) hook();
  process.exit(128 + STOPPING_SIGNALS[signal]);
}
