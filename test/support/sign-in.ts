// Sign-in steps as a user takes them, for tests that need a signed-in browser.
import { expect } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { codeAt } from '../../src/auth/totp.js';
import type { Role } from '../../src/db/schema.js';
import { TestBrowser, textById, type Page } from './browser-client.js';
import type { TestApp } from './test-app.js';

export interface TestAccount {
  email: string;
  password: string;
  name: string;
  /** Base32 secret, known once the account has paired its authenticator. */
  secret?: Buffer;
}

let counter = 0;

export async function addAccount(t: TestApp, role: Role = 'clinician', name = 'Dana Scully'): Promise<TestAccount> {
  counter += 1;
  const account = { email: `user${counter}.${Date.now()}@clinic.example`, password: `correct horse battery ${counter}`, name };
  await createAccount(t.ctx, { ...account, role });
  return account;
}

export async function submitPassword(browser: TestBrowser, account: TestAccount): Promise<Page> {
  await browser.get('/login');
  return browser.post('/login', { email: account.email, password: account.password });
}

export function secretFromSetupPage(html: string): Buffer {
  const base32 = textById(html, 'totp-secret');
  if (!base32) throw new Error('No #totp-secret on the page');
  return base32ToBuffer(base32.replace(/\s+/g, ''));
}

export function base32ToBuffer(base32: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32.replace(/=/g, '')) {
    const value = alphabet.indexOf(char.toUpperCase());
    if (value < 0) throw new Error(`Not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes = bits.match(/.{8}/g) ?? [];
  return Buffer.from(bytes.map((byte) => parseInt(byte, 2)));
}

/**
 * First sign-in: password, pair the authenticator from the setup page, first code; then, as a
 * user must before any other page, confirm saving the recovery codes shown — unless `codes` is
 * 'left-on-screen' (the tests of that page). Returns the pairing's answer (its cookies, its redirect).
 */
export async function enroll(t: TestApp, browser: TestBrowser, account: TestAccount, remember = false,
  codes: 'saved' | 'left-on-screen' = 'saved'): Promise<Page> {
  const afterPassword = await submitPassword(browser, account);
  expect(afterPassword.location).toBe('/mfa/setup');
  const setup = await browser.get('/mfa/setup');
  account.secret = secretFromSetupPage(setup.body);
  const done = await browser.post('/mfa/setup', { code: codeAt(account.secret, t.clock.now()), remember: remember ? 'on' : undefined });
  expect(done.status).toBe(303);
  expect(done.location).toMatch(/^\/account\/security\/recovery-codes\/new/);
  if (codes === 'saved') {
    await browser.follow(done);
    expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' })).location).toBe('/');
  }
  return done;
}

/** A later sign-in with a code. Moves the clock one step first, so the code is unused. */
export async function signInWithCode(t: TestApp, browser: TestBrowser, account: TestAccount, remember = false): Promise<Page> {
  const afterPassword = await submitPassword(browser, account);
  expect(afterPassword.location).toBe('/mfa/verify');
  await browser.get('/mfa/verify');
  t.clock.advance(30_000);
  return browser.post('/mfa/verify', { code: codeAt(account.secret!, t.clock.now()), remember: remember ? 'on' : undefined });
}

/**
 * Confirms it is you (step-up) with a fresh code, as a signed-in user does before changing a
 * factor or an account: a first pairing does not count as one. Moves the clock one step first.
 */
export async function confirmItsYou(t: TestApp, browser: TestBrowser, account: TestAccount): Promise<void> {
  t.clock.advance(30_000);
  await browser.get('/verify-again');
  const done = await browser.post('/verify-again', { code: codeAt(account.secret!, t.clock.now()), next: '/' });
  expect(done.location).toBe('/');
}
