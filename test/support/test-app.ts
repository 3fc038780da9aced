// An HMS instance for one test: its own database, a manual clock, the log captured in memory.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { openContext } from '../../src/bootstrap.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { buildApp } from '../../src/server.js';
import type { DatabaseUnderTest, FreshDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  database: FreshDatabase;
  /** Every line the application logged, as written. */
  logLines: string[];
  close(): Promise<void>;
}

// A Wednesday, mid-morning, at the start of a 30 s step: tests move the clock from here.
export const TEST_START = Date.UTC(2026, 10, 25, 9, 0, 0);

export async function startTestApp(databaseUnderTest: DatabaseUnderTest, env: Record<string, string> = {},
  existing?: FreshDatabase): Promise<TestApp> {
  const database = existing ?? (await databaseUnderTest.create());
  const config = loadConfig({
    ...database.env,
    HMS_LOG_LEVEL: 'info',
    HMS_SUPPORT_EMAIL: 'support@hms.example',
    ...env,
  });
  const clock = new ManualClock(TEST_START);
  const opened = await openContext(config, clock);
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(opened.ctx, { logStream });
  await app.ready();
  return {
    app, ctx: opened.ctx, clock, database, logLines,
    async close() {
      await app.close();
      await opened.close();
      if (!existing) await database.drop();
    },
  };
}
