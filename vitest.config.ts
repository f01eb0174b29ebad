import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/cache-home.ts', 'test/helpers/tools-setup.ts', 'test/helpers/node-env.ts', 'test/helpers/examples-setup.ts'],
    setupFiles: ['test/helpers/seed.ts'],
    // CLI suites spawn the real executables; give slow machines room without hiding hangs.
    testTimeout: 30_000,
    // The suites mostly wait for the executables they spawn: two test files at a time keep two
    // cores busy where the default (one fewer worker than cores) leaves one idle on a 2-core machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 60_000,
  },
});
