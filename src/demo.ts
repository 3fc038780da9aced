// `hms demo`: an administrator, two clinicians and eight patients with a few days of synthetic
// recordings each, the same every time (seeded), for trying HMS out.
import { randomInt } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { createAccount } from './auth/accounts.js';
import { recordEvent } from './auth/audit.js';
import { passwordProblem } from './auth/password-policy.js';
import { DAY } from './clock.js';
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

/** Local midnight of the clinic's time zone, two days before now: the newest records' day has ended. */
function anchorDay(now: number, timeZone: string): number {
  const utcMidnight = Math.floor(now / DAY) * DAY - 2 * DAY;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: 'numeric', hour12: false }).formatToParts(utcMidnight);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  const offset = (hour * 60 + minute) * 60_000; // local time at UTC midnight
  return utcMidnight - (offset > DAY / 2 ? offset - DAY : offset);
}

export async function createDemo(ctx: AppContext) {
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
  const data = await createDemoData(ctx, { clinicianIds, anchorDay: anchorDay(ctx.clock.now(), ctx.config.timeZone) });
  return { accounts, patients: data.patients.length, records: data.recordCount };
}
