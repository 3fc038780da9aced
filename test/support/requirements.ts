// Real parts the tests need. On a newcomer's machine a missing part skips its tests with the
// reason; in CI (HMS_REQUIRE_ALL=1) a missing part fails the run instead.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

export const REQUIRE_ALL = process.env.HMS_REQUIRE_ALL === '1';

export interface Requirement {
  available: boolean;
  /** Why the tests that need it are skipped, for the test name. */
  reason: string;
}

function requirement(available: boolean, reason: string): Requirement {
  if (!available && REQUIRE_ALL) throw new Error(`HMS_REQUIRE_ALL=1 but ${reason}`);
  return { available, reason };
}

export const CHROMIUM_PATH = process.env.HMS_CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromium = (): Requirement => requirement(fs.existsSync(CHROMIUM_PATH), `no Chromium at ${CHROMIUM_PATH}`);

export const postgres = (): Requirement =>
  requirement(Boolean(process.env.HMS_TEST_DATABASE_URL), 'HMS_TEST_DATABASE_URL is not set (no PostgreSQL to test on)');

function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const command = (name: string, debianPackage: string): Requirement =>
  requirement(hasCommand(name), `no ${name} on this machine (apt-get install ${debianPackage})`);
