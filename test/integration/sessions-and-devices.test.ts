// Where am I signed in? (issue #4, ASVS 7.5.2): sessions and remembered devices listed with
// browser, address and times, this one marked; end one, or all others.
import { expect, it } from 'vitest';
import { auditTrail, enrollWithRecoveryCodes } from '../support/account.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, signInWithCode } from '../support/sign-in.js';

const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

describeOnEachDatabase('sessions and remembered devices', (database) => {
  const t = freshAppPerTest(database);

  async function twoBrowsers() {
    const account = await addAccount(t());
    const desk = new TestBrowser(t().app, CHROME_WINDOWS, '203.0.113.10');
    await enrollWithRecoveryCodes(t(), desk, account, true);
    const laptop = new TestBrowser(t().app, FIREFOX_MAC, '198.51.100.7');
    await signInWithCode(t(), laptop, account, true);
    return { account, desk, laptop, userId: await userIdOf(t().ctx, account.email) };
  }

  it('lists each session with browser, system and address, this one marked; another can be signed out', async () => {
    const { desk, laptop, userId } = await twoBrowsers();
    const page = await desk.get('/account/security/sessions');
    expect(page.body).toContain('Chrome 126 on Windows 10');
    expect(page.body).toContain('Firefox 128 on Mac OS 10.15');
    expect(page.body).toContain('from 198.51.100.7');
    expect(page.body.match(/This session/g)).toHaveLength(1);
    expect(page.body).not.toMatch(/[0-9a-f]{64}/); // no token hash on the page
    const reference = /name="session" value="([^"]+)"/.exec(page.body)![1]!;
    const ended = await desk.post('/account/security/sessions/end', { session: reference });
    expect(ended.location).toBe('/account/security/sessions?done=session-ended');
    expect((await laptop.get('/')).status).toBe(401);
    expect((await desk.get('/')).status).toBe(200);
    expect(await auditTrail(t(), userId)).toContainEqual(['session.ended_by_user', { count: 1 }]);
  });

  it('"sign out all other sessions" keeps only this one', async () => {
    const { account, desk, laptop } = await twoBrowsers();
    const third = new TestBrowser(t().app);
    await signInWithCode(t(), third, account);
    await desk.get('/account/security/sessions');
    expect((await desk.post('/account/security/sessions/end-others', {})).location).toBe('/account/security/sessions?done=sessions-ended');
    expect((await laptop.get('/')).status).toBe(401);
    expect((await third.get('/')).status).toBe(401);
    expect((await desk.get('/')).status).toBe(200);
  });

  it('a session or device of another account, or a made-up one, is not found and nothing changes', async () => {
    const { desk } = await twoBrowsers();
    const other = await twoBrowsers();
    const theirs = /name="session" value="([^"]+)"/.exec((await other.desk.get('/account/security/sessions')).body)![1]!;
    const theirDevice = /name="device" value="([^"]+)"/.exec((await other.desk.get('/account/security/devices')).body)![1]!;
    await desk.get('/account/security/sessions');
    expect((await desk.post('/account/security/sessions/end', { session: theirs })).status).toBe(404);
    expect((await desk.post('/account/security/devices/forget', { device: theirDevice })).status).toBe(404);
    expect((await desk.post('/account/security/sessions/end', { session: 'x'.repeat(65) })).status).toBe(400);
    expect((await other.laptop.get('/')).status).toBe(200);
  });

  it('lists remembered devices with when they were remembered, last used and expire; forgetting one asks that browser for a code again', async () => {
    const { account, desk, laptop, userId } = await twoBrowsers();
    const page = await desk.get('/account/security/devices');
    expect(page.body).toContain('Firefox 128 on Mac OS 10.15');
    expect(page.body.match(/This device/g)).toHaveLength(1);
    expect(page.body).toContain('Fri, 25 Dec 2026'); // 30 days after the test's 25 Nov start
    const laptopDevice = await t().ctx.db.selectFrom('remembered_devices').select('id').where('user_id', '=', userId).where('user_agent', '=', FIREFOX_MAC).executeTakeFirstOrThrow();
    expect((await desk.post('/account/security/devices/forget', { device: laptopDevice.id })).location).toBe('/account/security/devices?done=device-forgotten');
    await laptop.post('/logout', {});
    await laptop.get('/login');
    expect((await laptop.post('/login', { email: account.email, password: account.password })).location).toBe('/mfa/verify');
    await desk.post('/logout', {});
    await desk.get('/login');
    expect((await desk.post('/login', { email: account.email, password: account.password })).location).toBe('/');
    expect(await auditTrail(t(), userId)).toContainEqual(['device.revoked', { device_id: laptopDevice.id, by: 'user' }]);
  });

  it('"forget all" forgets every remembered device, this one included', async () => {
    const { desk, userId } = await twoBrowsers();
    await desk.get('/account/security/devices');
    expect((await desk.post('/account/security/devices/forget-all', {})).location).toBe('/account/security/devices?done=devices-forgotten');
    const live = await t().ctx.db.selectFrom('remembered_devices').select('id').where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    expect(live).toEqual([]);
    expect((await desk.get('/account/security/devices?done=devices-forgotten')).body).toContain('No browser is remembered.');
    expect(await auditTrail(t(), userId)).toContainEqual(['device.revoked', { all: true, count: 2, by: 'user' }]);
  });

  it('the pages need a signed-in session; their forms a CSRF token', async () => {
    const stranger = new TestBrowser(t().app);
    for (const path of ['/account/security', '/account/security/sessions', '/account/security/devices', '/account/security/keys', '/account/security/recovery-codes']) {
      expect((await stranger.get(path)).location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const { desk } = await twoBrowsers();
    expect((await desk.post('/account/security/sessions/end-others', { _csrf: 'forged' })).status).toBe(403);
    expect((await desk.post('/account/security/devices/forget-all', { _csrf: 'forged' })).status).toBe(403);
  });
});
