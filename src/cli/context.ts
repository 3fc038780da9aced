import { AccountError, findAccountByEmail, normalizeEmail } from '../auth/accounts.js';
import { openContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import type { User } from '../db/schema.js';

/** Runs a command against the configured database, closing it whatever happens. */
export async function withContext<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const opened = await openContext(loadConfig());
  for (const notice of opened.notices) console.warn(notice);
  try {
    return await run(opened.ctx);
  } finally {
    await opened.close();
  }
}

export async function accountByEmail(ctx: AppContext, email: string): Promise<User> {
  const account = await findAccountByEmail(ctx, email);
  if (!account) throw new AccountError(`No account has the email ${normalizeEmail(email)}.`);
  return account;
}

/** "1 secret", "3 secrets": the commands speak English only (the web pages are translated). */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
