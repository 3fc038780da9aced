import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeOptions, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('the README table is the one src/config.ts describes', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const table = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
    expect(table).toBe(describeOptions());
  });

  it('defaults serve SQLite under ./data on 127.0.0.1:3000 with plain-HTTP cookies', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: '', secureCookies: false, publicOrigin: 'http://127.0.0.1:3000' });
    expect(config.sqliteFile).toMatch(/data\/hms\.sqlite$/);
  });

  it('an https public URL turns on secure cookies', () => {
    expect(loadConfig({ HMS_PUBLIC_URL: 'https://hms.example.org/' })).toMatchObject({ secureCookies: true, publicOrigin: 'https://hms.example.org' });
  });

  it('refuses bad values, naming each variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HMS_ARGON2_MEMORY_KIB: '1024' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', HMS_ARGON2_MEMORY_KIB: '1024' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT="eighty"/);
      expect((error as Error).message).toMatch(/DATABASE_URL="mysql:\/\/x": DATABASE_URL must be empty/);
      expect((error as Error).message).toMatch(/HMS_ARGON2_MEMORY_KIB="1024"/);
    }
  });

  it('security keys are bound to the host of HMS_PUBLIC_URL unless a relying-party id above it is set', () => {
    expect(loadConfig({ HMS_PUBLIC_URL: 'https://hms.clinic.example/' }).webauthn).toEqual({ rpId: 'hms.clinic.example', origin: 'https://hms.clinic.example' });
    expect(loadConfig({ HMS_PUBLIC_URL: 'https://hms.clinic.example', HMS_WEBAUTHN_RP_ID: 'clinic.example' }).webauthn.rpId).toBe('clinic.example');
    expect(loadConfig({ HMS_WEBAUTHN_ORIGIN: 'http://localhost:3000' }).webauthn).toEqual({ rpId: 'localhost', origin: 'http://localhost:3000' });
    expect(() => loadConfig({ HMS_PUBLIC_URL: 'https://hms.clinic.example', HMS_WEBAUTHN_RP_ID: 'other.example' })).toThrow(/neither the host/);
    expect(() => loadConfig({ HMS_WEBAUTHN_ORIGIN: 'https://hms.example/path' })).toThrow(/HMS_WEBAUTHN_ORIGIN must look like/);
  });

  it('a malformed DATABASE_URL or HMS_TRUST_PROXY entry is refused, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://[db' })).toThrow(/DATABASE_URL is not a valid URL/);
    expect(() => loadConfig({ HMS_TRUST_PROXY: '10.0.0.5, x' })).toThrow(/HMS_TRUST_PROXY: "x" is not an IP address or CIDR/);
    expect(() => loadConfig({ HMS_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/"10\.0\.0\.0\/33" is not an IP address or CIDR/);
    expect(() => loadConfig({ HMS_TRUST_PROXY: '10.0.0.0/8/8' })).toThrow(/is not an IP address or CIDR/);
    expect(loadConfig({ HMS_TRUST_PROXY: '10.0.0.5, 192.168.0.0/16, ::1, fd00::/8' }).trustProxy).toBe('10.0.0.5, 192.168.0.0/16, ::1, fd00::/8');
  });

  it('time limits default to what the issue asks, and SQLite never waits more than a second for a lock', () => {
    expect(loadConfig({})).toMatchObject({
      dbConnectTimeoutSeconds: 5, dbStatementTimeoutSeconds: 5, sqliteBusyTimeoutMs: 1000, startupTimeoutSeconds: 20, shutdownSeconds: 25,
    });
    expect(() => loadConfig({ HMS_SQLITE_BUSY_TIMEOUT_MS: '5000' })).toThrow(/HMS_SQLITE_BUSY_TIMEOUT_MS="5000"/);
  });
});
