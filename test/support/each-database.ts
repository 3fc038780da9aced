// Runs a suite once per database under test; a database this machine lacks is reported as
// skipped with the reason (and fails the run when HMS_REQUIRE_ALL=1).
import { afterEach, beforeEach, describe } from 'vitest';
import { databasesUnderTest, type DatabaseUnderTest } from './databases.js';
import { startTestApp, type TestApp } from './test-app.js';

export function describeOnEachDatabase(title: string, body: (database: DatabaseUnderTest) => void): void {
  for (const database of databasesUnderTest) {
    const { available, reason } = database.requirement;
    describe.skipIf(!available)(available ? `${title} [${database.label}]` : `${title} [${database.label} skipped: ${reason}]`,
      () => body(database));
  }
}

/** A fresh HMS (own database, manual clock) for each test of the suite. */
export function freshAppPerTest(database: DatabaseUnderTest, env: Record<string, string> = {}): () => TestApp {
  let current: TestApp | undefined;
  beforeEach(async () => {
    current = await startTestApp(database, env);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('The test app is only available inside a test');
    return current;
  };
}
