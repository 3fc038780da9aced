// Helpers for the account security pages (issue #4).
import { expect } from 'vitest';
import { decodeEntities, type TestBrowser } from './browser-client.js';
import { enroll, type TestAccount } from './sign-in.js';
import type { TestApp } from './test-app.js';

/** The codes of the "Save your recovery codes" page. */
export function recoveryCodesIn(html: string): string[] {
  const list = /<ol id="recovery-codes"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<code>([^<]+)<\/code>/g)].map((match) => decodeEntities(match[1]!));
}

/** First sign-in, then the recovery codes page it leads to: read the codes, confirm they were saved. */
export async function enrollWithRecoveryCodes(t: TestApp, browser: TestBrowser, account: TestAccount, remember = false): Promise<string[]> {
  const done = await enroll(t, browser, account, remember, 'left-on-screen');
  const page = await browser.follow(done);
  expect(page.status).toBe(200);
  const codes = recoveryCodesIn(page.body);
  expect(codes).toHaveLength(10);
  expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' })).location).toBe('/');
  return codes;
}

/** Audit events of an account, oldest first, as [event, details]. */
export async function auditTrail(t: TestApp, userId: string): Promise<[string, Record<string, unknown>][]> {
  const rows = await t.ctx.db.selectFrom('audit_events').select(['event', 'details']).where('subject_user_id', '=', userId).orderBy('id').execute();
  return rows.map((row) => [row.event, JSON.parse(row.details) as Record<string, unknown>]);
}
