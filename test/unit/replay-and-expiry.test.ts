// The domain rules on their own, with the injected clock and a real SQLite file: a code is used
// at most once, and a remembered device lasts exactly 30 days.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { rememberDevice, useRememberedDevice } from '../../src/auth/devices.js';
import { codeAt } from '../../src/auth/totp.js';
import { confirmEnrollment, enrollmentSecret, verifyCode } from '../../src/auth/totp-credentials.js';
import { DAY, SECOND } from '../../src/clock.js';
import { sqlite } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let userId: string;
let secret: Buffer;
const client = { clientIp: '192.0.2.1', userAgent: 'unit' };

beforeEach(async () => {
  t = await startTestApp(sqlite);
  userId = (await createAccount(t.ctx, { email: 'replay.case@clinic.example', name: 'Unit', role: 'clinician', password: 'a unit test passphrase' })).id;
  secret = await enrollmentSecret(t.ctx, userId, 'session-hash');
  expect(await confirmEnrollment(t.ctx, 'session-hash', codeAt(secret, t.clock.now()))).toBe('accepted');
});
afterEach(() => t.close());

describe('replay', () => {
  it('the code that confirmed enrollment cannot be used again', async () => {
    expect(await verifyCode(t.ctx, userId, codeAt(secret, t.clock.now()))).toBe('replayed');
  });

  it('a code is accepted once; the same code again, or one of an earlier step, is a replay', async () => {
    t.clock.advance(60 * SECOND);
    const now = t.clock.now();
    expect(await verifyCode(t.ctx, userId, codeAt(secret, now))).toBe('accepted');
    expect(await verifyCode(t.ctx, userId, codeAt(secret, now))).toBe('replayed');
    expect(await verifyCode(t.ctx, userId, codeAt(secret, now - 30 * SECOND))).toBe('replayed');
    expect(await verifyCode(t.ctx, userId, codeAt(secret, now + 30 * SECOND))).toBe('accepted');
  });

  it('a wrong code is wrong, not a replay', async () => {
    t.clock.advance(60 * SECOND);
    const right = codeAt(secret, t.clock.now());
    expect(await verifyCode(t.ctx, userId, right === '000000' ? '111111' : '000000')).toBe('wrong');
  });
});

describe('remembered device expiry (30 days from when it was remembered)', () => {
  it('is valid at 30 days − 1 s and refused at 30 days + 1 s', async () => {
    const { token } = await rememberDevice(t.ctx, userId, client);
    const start = t.clock.now();
    t.clock.set(start + 30 * DAY - SECOND);
    expect(await useRememberedDevice(t.ctx, userId, [token])).not.toBeNull();
    t.clock.set(start + 30 * DAY + SECOND);
    expect(await useRememberedDevice(t.ctx, userId, [token])).toBeNull();
  });

  it('is refused at exactly 30 days', async () => {
    const { token } = await rememberDevice(t.ctx, userId, client);
    t.clock.advance(30 * DAY);
    expect(await useRememberedDevice(t.ctx, userId, [token])).toBeNull();
  });

  it('belongs to its account only', async () => {
    const { token } = await rememberDevice(t.ctx, userId, client);
    const other = await createAccount(t.ctx, { email: 'second.case@clinic.example', name: 'Other', role: 'clinician', password: 'another unit passphrase' });
    expect(await useRememberedDevice(t.ctx, other.id, [token])).toBeNull();
  });
});
