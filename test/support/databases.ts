// The databases every integration suite runs on: a real SQLite file, and a real PostgreSQL when
// HMS_TEST_DATABASE_URL is set (its role needs CREATEDB). Each test gets its own file or schema.
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
  /** What an `hms` process needs to use this database: data folder, URL and (PostgreSQL) the shared keys. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const sqlite: DatabaseUnderTest = {
  label: 'SQLite',
  requirement: { available: true, reason: '' },
  async create() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-test-'));
    return {
      dataDir, databaseUrl: '', env: { HMS_DATA_DIR: dataDir, DATABASE_URL: '' },
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

// Each test file runs in its own process with its own PostgreSQL database, and each of its tests
// (which run one after another) in its own schema there. Kysely's migrator looks at every schema
// of a database, so two files sharing one database would trip over each other's schemas.
let databaseOfThisProcess: Promise<string> | undefined;

/** This test process's own PostgreSQL database (created on first use, dropped after the run). */
export function testDatabaseUrl(): Promise<string> {
  databaseOfThisProcess ??= (async () => {
    const url = new URL(process.env.HMS_TEST_DATABASE_URL!);
    const name = `${TEST_DATABASE_PREFIX}${process.env.HMS_TEST_RUN ?? 'manual'}_${process.pid}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return databaseOfThisProcess;
}

export const TEST_DATABASE_PREFIX = 'hms_test_';

export const postgresql: DatabaseUnderTest = {
  label: 'PostgreSQL',
  requirement: postgres(),
  async create() {
    const baseUrl = await testDatabaseUrl();
    const schema = `hms_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-test-'));
    // PostgreSQL instances must be given their keys (HMS refuses a generated key file there).
    const keys = `test-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`;
    return {
      dataDir,
      databaseUrl: url.toString(),
      env: { HMS_DATA_DIR: dataDir, DATABASE_URL: url.toString(), HMS_ENCRYPTION_KEYS: keys },
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
