// The databases every integration suite runs on: a real SQLite file, and a real PostgreSQL when
// HMS_TEST_DATABASE_URL is set. Each test gets its own file or schema.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { postgres, type Requirement } from './requirements.js';

export interface DatabaseUnderTest {
  /** For test names: "SQLite" or "PostgreSQL". */
  label: string;
  requirement: Requirement;
  /** A fresh, empty database. */
  create(): Promise<FreshDatabase>;
}

export interface FreshDatabase {
  dataDir: string;
  databaseUrl: string;
  drop(): Promise<void>;
}

export const sqlite: DatabaseUnderTest = {
  label: 'SQLite',
  requirement: { available: true, reason: '' },
  async create() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-test-'));
    return { dataDir, databaseUrl: '', drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  },
};

export const postgresql: DatabaseUnderTest = {
  label: 'PostgreSQL',
  requirement: postgres(),
  async create() {
    const baseUrl = process.env.HMS_TEST_DATABASE_URL!;
    const schema = `hms_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-test-'));
    return {
      dataDir,
      databaseUrl: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: baseUrl });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

export const databasesUnderTest = [sqlite, postgresql];
