// What ships for deploying (issue #11): the systemd unit passes systemd's own checks and keeps the
// promises the README makes of it; the nginx example lets an upload through and times out.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { MAX_UPLOAD_BYTES } from '../../src/web/patients/import.js';
import { command } from '../support/requirements.js';

const UNIT = fs.readFileSync('deploy/hms.service', 'utf8');
/** HMS's own deadline for in-flight requests after SIGTERM, by default (HMS_SHUTDOWN_SECONDS). */
const SHUTDOWN_SECONDS = loadConfig({}).shutdownSeconds;

function settings(unit: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const match = /^(\w+)=(.*)$/.exec(line.trim());
    if (match) found.set(match[1]!, [...(found.get(match[1]!) ?? []), match[2]!]);
  }
  return found;
}

const systemdAnalyze = command('systemd-analyze', 'systemd');

describe('deploy/hms.service', () => {
  const unit = settings(UNIT);
  const one = (key: string) => unit.get(key)?.at(-1);

  it('runs HMS as its own user, restarts it, waits longer than its shutdown deadline, and lets it write only its data folder', () => {
    expect(one('User')).toBe('hms');
    expect(one('Restart')).toBe('always');
    expect(Number(one('TimeoutStopSec'))).toBeGreaterThan(SHUTDOWN_SECONDS);
    expect(one('KillSignal')).toBe('SIGTERM');
    const dataDir = /HMS_DATA_DIR=(\S+)/.exec(one('Environment') ?? '')?.[1];
    expect(dataDir).toBe('/var/lib/hms');
    expect(one('ReadWritePaths')).toBe(dataDir);
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('ExecStart')).toBe('/usr/bin/node /opt/hms/dist/src/cli.js serve');
  });

  it.skipIf(!systemdAnalyze.available)('passes `systemd-analyze verify` without a warning, and its exposure rates "OK"', () => {
    // The unit as installed on this machine: its own Node.js (verify checks that ExecStart exists).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-unit-'));
    const file = path.join(dir, 'hms.service');
    fs.writeFileSync(file, UNIT.replace('/usr/bin/node', process.execPath));
    try {
      const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', cwd: dir });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
      const security = execFileSync('systemd-analyze', ['security', '--offline=yes', file], { encoding: 'utf8', cwd: dir });
      const exposure = Number(/Overall exposure level for hms\.service: ([\d.]+)/.exec(security)?.[1]);
      expect(exposure).toBeLessThanOrEqual(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the README\'s nginx example', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  const nginx = /```nginx\n([\s\S]*?)```/.exec(readme)![1]!;

  it('accepts an upload at HMS\'s limit and bounds every wait on HMS', () => {
    const size = /client_max_body_size (\d+)m;/.exec(nginx)?.[1];
    expect(Number(size) * 1024 * 1024).toBeGreaterThan(MAX_UPLOAD_BYTES);
    for (const timeout of ['proxy_connect_timeout', 'proxy_send_timeout', 'proxy_read_timeout', 'client_body_timeout']) {
      expect(nginx, timeout).toMatch(new RegExp(`${timeout} \\d+s;`));
    }
    expect(nginx).toContain('proxy_set_header X-Request-Id $request_id;');
  });
});
