import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/global-setup.ts'],
    // Argon2id at 19 MiB and a real Chromium are slow on 2 cores; nothing here is a timing assertion.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time: most of a file's time is waiting (Argon2id on libuv's threads, Chromium,
    // PostgreSQL, served HMS processes, deadlines), so two overlap well on 2 cores; one at a time
    // took 17 min a pass here.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
