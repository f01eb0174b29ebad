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
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // One that cannot undo its part (a terminal gone) leaves the others theirs.
    }
  }
  if (signal === 'SIGHUP') {
    // The terminal may be gone: Node's exit would set back the terminal's modes, which fails there and
    // aborts the process. Ended by the signal itself (no handler left), it ends as a closed terminal
    // ends any program, which a shell reports as 129.
    process.removeAllListeners('SIGHUP');
    process.kill(process.pid, 'SIGHUP');
  }
  process.exit(128 + STOPPING_SIGNALS[signal]);
}
