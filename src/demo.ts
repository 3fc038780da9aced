// `hms demo`: an administrator, two clinicians and ten patients with 30 days of synthetic
// recordings each, flags, reviews and notes: a clinic morning, the same every time (seeded).
import { randomInt } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { createAccount } from './auth/accounts.js';
import { recordEvent } from './auth/audit.js';
import { passwordProblem } from './auth/password-policy.js';
import type { AppContext } from './context.js';
import type { Role } from './db/schema.js';
import { createDemoData, DemoDataError } from './health/demo/demo-data.js';

const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@demo.hms.example', name: 'Ada Admin', role: 'admin' },
  { email: 'scully@demo.hms.example', name: 'Dana Scully', role: 'clinician' },
  { email: 'mulder@demo.hms.example', name: 'Fox Mulder', role: 'clinician' },
];

const words = dictionary['diceware-common'] as string[];

/** Four random words (~51 bits): easy to type from the terminal, hard to guess. */
function passphrase(email: string): string {
  for (;;) {
    const candidate = Array.from({ length: 4 }, () => words[randomInt(words.length)]).join('-');
    if (!passwordProblem(candidate, { email })) return candidate;
  }
}

/** `historyDays`: days of recordings per patient (30; tests that need fewer pass fewer). */
export async function createDemo(ctx: AppContext, options: { historyDays?: number } = {}) {
  const existing = await ctx.db.selectFrom('users').select('email').where('email', 'in', DEMO_ACCOUNTS.map((a) => a.email)).execute();
  if (existing.length > 0) throw new DemoDataError(`The demo accounts already exist (${existing.map((u) => u.email).join(', ')}): the demo is meant for an empty database.`);
  const accounts = [];
  for (const account of DEMO_ACCOUNTS) {
    const password = passphrase(account.email);
    const user = await createAccount(ctx, { ...account, password });
    await recordEvent(ctx, { event: 'account.created', subjectUserId: user.id, details: { via: 'demo', role: user.role } });
    accounts.push({ ...account, id: user.id, password });
  }
  const clinicianIds = accounts.filter((a) => a.role === 'clinician').map((a) => a.id);
  const data = await createDemoData(ctx, { clinicianIds, historyDays: options.historyDays });
  return { accounts, patients: data.patients.length, records: data.recordCount };
}
