import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/cache-home.ts'],
    // CLI suites spawn the real executables; give slow machines room without hiding hangs.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
