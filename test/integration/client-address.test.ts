// The client address used for limits and the audit log: the socket's, or the one a configured
// reverse proxy reports in X-Forwarded-For — never a header anyone can send.
import { expect, it } from 'vitest';
import { listEvents } from '../../src/auth/audit.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { addAccount } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';

async function addressRecordedFor(t: TestApp, remoteAddress: string, forwardedFor: string): Promise<string | null> {
  const account = await addAccount(t);
  const browser = new TestBrowser(t.app, 'Proxy test', remoteAddress);
  await browser.get('/login');
  await browser.post('/login', { email: account.email, password: 'wrong password for the log' }, { 'x-forwarded-for': forwardedFor });
  return (await listEvents(t.ctx, { limit: 1 }))[0]!.client_ip;
}

describeOnEachDatabase('without HMS_TRUST_PROXY', (database) => {
  const t = freshAppPerTest(database);
  it('X-Forwarded-For is ignored', async () => {
    expect(await addressRecordedFor(t(), '198.51.100.20', '203.0.113.1')).toBe('198.51.100.20');
  });
});

describeOnEachDatabase('with HMS_TRUST_PROXY=10.0.0.5', (database) => {
  const t = freshAppPerTest(database, { HMS_TRUST_PROXY: '10.0.0.5' });
  it('the proxy\'s X-Forwarded-For names the client', async () => {
    expect(await addressRecordedFor(t(), '10.0.0.5', '203.0.113.1')).toBe('203.0.113.1');
  });
  it('the same header from anyone else is ignored', async () => {
    expect(await addressRecordedFor(t(), '198.51.100.20', '203.0.113.1')).toBe('198.51.100.20');
  });
});
