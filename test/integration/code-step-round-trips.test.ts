// The code step is one transaction (issue #17): its counters, the check, the replay marker, the
// session swap and the audit row commit together; on PostgreSQL, where every statement is a
// network round trip, a successful code step is at most five, the session lookup included.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { expect, it } from 'vitest';
import { codeAt } from '../../src/auth/totp.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { buildApp } from '../../src/server.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount, enroll, submitPassword, type TestAccount } from '../support/sign-in.js';

const isBegin = (statement: string) => /^begin\b/i.test(statement.trim());
const isCommit = (statement: string) => /^commit\b/i.test(statement.trim());

describeOnEachDatabase('round trips of the code step and of the signed-in page', (database) => {
  const t = freshAppPerTest(database);

  /** A second instance on the same database whose statements are all recorded. */
  async function countedInstance(statements: string[]): Promise<{ app: FastifyInstance; handle: DatabaseHandle }> {
    const handle = openDatabase({ ...t().ctx.config, onQuery: (statement) => statements.push(statement) });
    const app = await buildApp({ ...t().ctx, db: handle.db }, { logStream: new Writable({ write: (_chunk, _encoding, done) => done() }) });
    await app.ready();
    return { app, handle };
  }

  /** A paired account past its password step on a counted instance, a code step later. */
  async function atCodeStep(run: (step: { account: TestAccount; browser: TestBrowser; statements: string[] }) => Promise<void>): Promise<void> {
    const account = await addAccount(t());
    await enroll(t(), new TestBrowser(t().app), account);
    const statements: string[] = [];
    const { app, handle } = await countedInstance(statements);
    try {
      const browser = new TestBrowser(app);
      expect((await submitPassword(browser, account)).location).toBe('/mfa/verify');
      t().clock.advance(30_000);
      statements.length = 0;
      await run({ account, browser, statements });
    } finally {
      await app.close();
      await handle.close();
    }
  }

  it('a right code: one transaction, one commit; on PostgreSQL at most 5 statements for the whole request', () => atCodeStep(async ({ account, browser, statements }) => {
    const done = await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/');
    const summary = statements.join('\n---\n');
    expect(statements.filter(isBegin), summary).toHaveLength(1);
    expect(statements.filter(isCommit), summary).toHaveLength(1);
    if (database.label === 'PostgreSQL') expect(statements.length, summary).toBeLessThanOrEqual(5);
    // What the transaction wrote: the new session works, the old one is gone, the audit row is there.
    expect((await browser.get('/')).status).toBe(200);
    const audited = await t().ctx.db.selectFrom('audit_events').select('event').where('event', '=', 'sign_in.succeeded').execute();
    expect(audited).toHaveLength(2); // the pairing's sign-in and this one
    const pending = await t().ctx.db.selectFrom('sessions').select('id_hash').where('stage', '=', 'pending').execute();
    expect(pending).toHaveLength(0);
  }));

  it('a signed-in GET / of an empty worklist: two statements, the session and the worklist page (not full: no count)', () => atCodeStep(async ({ account, browser, statements }) => {
    expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).location).toBe('/');
    expect((await browser.get('/')).status).toBe(200); // the first page after sign-in notes the session as seen
    statements.length = 0;
    const page = await browser.get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('0 patients');
    expect(statements, statements.join('\n---\n')).toHaveLength(2);
    expect(statements[1]).toMatch(/order by/); // the page itself; its count is that it is not full
  }));

  it('a wrong code: counted and audited in one commit; the next right code still signs in', () => atCodeStep(async ({ account, browser, statements }) => {
    expect((await browser.post('/mfa/verify', { code: '000000' })).status).toBe(401);
    const summary = statements.join('\n---\n');
    expect(statements.filter(isCommit), summary).toHaveLength(1);
    const session = await t().ctx.db.selectFrom('sessions').select('code_failures').where('stage', '=', 'pending').executeTakeFirstOrThrow();
    expect(session.code_failures).toBe(1);
    const lock = await t().ctx.db.selectFrom('second_factor_locks').select('failures').executeTakeFirstOrThrow();
    expect(lock.failures).toBe(1);
    expect((await browser.post('/mfa/verify', { code: codeAt(account.secret!, t().clock.now()) })).status).toBe(303);
    // A right code: the account's count starts over.
    expect(await t().ctx.db.selectFrom('second_factor_locks').select('failures').execute()).toHaveLength(0);
  }));
});
