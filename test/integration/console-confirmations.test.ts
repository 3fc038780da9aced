// Support console fixes (issue #15): actions that take access away ask on a page of their own,
// with the destructive button not styled as the primary one; recent events name people.
import { expect, it } from 'vitest';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';

describeOnEachDatabase('support console confirmations', (database) => {
  const t = freshAppPerTest(database);

  it('disable, end sessions, reset second factor and role change each ask first, saying what will happen', async () => {
    const admin = await addAccount(t(), 'admin', 'Walter Skinner');
    const browser = new TestBrowser(t().app);
    await enroll(t(), browser, admin);
    await confirmItsYou(t(), browser, admin);
    const dana = await addAccount(t(), 'clinician', 'Dana Scully');
    await enroll(t(), new TestBrowser(t().app), dana);
    const id = await userIdOf(t().ctx, dana.email);
    const account = (await browser.get(`/admin/users/${id}`)).body;
    for (const action of ['disable', 'end-sessions', 'reset-mfa']) {
      expect(account).toContain(`href="/admin/users/${id}/confirm/${action}"`);
      expect(account).not.toContain(`action="/admin/users/${id}/${action}"`);
    }
    expect(account).toContain(`<form method="get" action="/admin/users/${id}/confirm/role"`);
    const expectations = {
      disable: 'can no longer sign in, and every session of theirs ends at once',
      'end-sessions': 'Every session of',
      'reset-mfa': 'Removes the authenticator, security keys and recovery codes',
      'role?role=admin': 'will see every patient and this console',
    };
    for (const [action, text] of Object.entries(expectations)) {
      const page = await browser.get(`/admin/users/${id}/confirm/${action}`);
      expect(page.status, action).toBe(200);
      expect(page.body, action).toContain(text);
      expect(page.body, action).toContain(`action="/admin/users/${id}/${action.replace(/\?.*/, '')}"`);
      expect(page.body, action).toContain('class="button-danger"');
      expect(page.body, action).not.toContain('class="button-primary"');
      expect(page.body, action).toContain(`<a href="/admin/users/${id}">Cancel, keep the account as it is</a>`);
    }
    expect((await browser.get(`/admin/users/${id}/confirm/role?role=admin`)).body).toContain('name="role" value="admin"');
    expect((await browser.get(`/admin/users/${id}/confirm/delete-everything`)).status).toBe(400);
    // The confirmed action itself: the recent events then name the person who did it.
    await browser.get(`/admin/users/${id}/confirm/disable`);
    expect((await browser.post(`/admin/users/${id}/disable`, {})).location).toBe(`/admin/users/${id}?done=disabled`);
    const after = (await browser.get(`/admin/users/${id}`)).body;
    expect(after).toMatch(/admin\.account_disabled<\/td><td><a href="\/admin\/users\/[\w-]+" title="[^"]+">Walter Skinner<\/a><\/td><td><a href="\/admin\/users\/[\w-]+" title="[^"]+">Dana Scully<\/a>/);
  });
});
