// A clinician's morning in Chromium (issue #13): the worklist shows flagged patients first; open
// one, see the trends and the flag band on the charts, mark the flags reviewed and the patient
// moves down; add a note and tag a range with Shift+drag. Screenshots at 1366×900 and 390×844,
// axe-core on every page, no page wider than a phone.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/demo.js';
import { expectAccessible, launchChromium, screenshot } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { signInAndPair } from '../support/chromium-session.js';
import { chromium } from '../support/requirements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

describe.skipIf(!needs.available)(`a clinician's morning in Chromium${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let scully: { email: string; password: string };
  let adminPassword: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_TIME_ZONE: 'America/Montreal' });
    // Sixteen days: enough for baselines and every scenario, half the time of the full month.
    const demo = await createDemo(t.ctx, { historyDays: 16 });
    scully = demo.accounts.find((a) => a.name === 'Dana Scully')!;
    adminPassword = demo.accounts.find((a) => a.role === 'admin')!.password;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Screenshots and axe at both widths, and no horizontal scrolling on the phone. */
  async function lookAt(name: string) {
    await screenshot(page, `20-${name}-1366`);
    await expectAccessible(page);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    // What this issue draws (main); the administrator's header is issue #14's to fold on a phone.
    const overflow = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return Math.max(main.getBoundingClientRect().right - window.innerWidth, main.scrollWidth - main.clientWidth);
    });
    expect(overflow, `${name}: wider than the phone`).toBeLessThanOrEqual(0);
    await screenshot(page, `20-${name}-390`);
    await expectAccessible(page);
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(400); // the charts follow the width after 150 ms
  }

  const worklistNames = () => page.locator('table.worklist .patient-name').allTextContents();

  it('signs in and sees the flagged patients first, severity in words', async () => {
    await signInAndPair(page, base, t, scully);
    expect((await worklistNames()).slice(0, 2)).toEqual(['Esther Kowalski', 'David Nguyen']);
    const firstRow = page.locator('table.worklist tbody tr').first();
    expect(await firstRow.locator('.chip-severity').allTextContents()).toEqual(['High', 'High']);
    expect(await page.locator('table.worklist tbody tr').last().textContent()).toContain('None');
    await lookAt('worklist');
  });

  it('opens a flagged patient: the flags in words, six trends with their baseline band, and the flag on the charts', async () => {
    await page.getByRole('link', { name: 'David Nguyen' }).click();
    await page.waitForURL(/\/patients\//);
    expect(await page.locator('#flags .flag-item').first().textContent()).toMatch(/Tachycardia at rest.*HR 1\d\d bpm \(max 1\d\d\) for 7 min \d+ s at rest/);
    expect(await page.locator('#trends figure.trend').count()).toBe(6);
    expect(await page.locator('#trends polygon.baseline-band').count()).toBeGreaterThan(0);
    await lookAt('patient');

    const bands = page.waitForResponse((response) => /chart\.json/.test(response.url()));
    await page.locator('#flags .flag-item').first().getByRole('link', { name: 'Open the recording' }).click();
    await page.waitForURL(/\/records\//);
    const data = await (await bands).json() as { bands: { kind: string; severity?: string }[] };
    expect(data.bands.filter((b) => b.kind === 'flag').map((b) => b.severity)).toEqual(['high']);
    await page.waitForSelector('figure.chart.interactive canvas');
    // The band is drawn on every chart: translucent red (drawn over the tag's teal) behind the series.
    const tinted = await page.evaluate(() => Array.from(document.querySelectorAll('figure.chart canvas')).map((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]! >= 30 && pixels[i + 3]! <= 100 && pixels[i]! > 100 && pixels[i + 1]! < 100) count++;
      return count;
    }));
    expect(tinted.every((n) => n > 50), `tinted pixels per chart: ${tinted.join(', ')}`).toBe(true);
    expect(await page.locator('#flags').textContent()).toContain('Tachycardia at rest');
    expect(pageErrors.join(' | ')).toBe('');
    await lookAt('record');
  });

  it('tags a range by Shift+dragging across a chart', async () => {
    const chart = page.locator('figure.chart.interactive .u-over').first();
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.34, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    expect(await page.locator('#tag-from').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?$/); // a browser drops ":00"
    expect(await page.locator('#tag-kind').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.locator('#tag-kind').selectOption('exercise');
    await page.getByLabel('Description (optional)').fill('Walked to the pharmacy');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.waitForURL(/#tags$/);
    expect(await page.locator('#tags .tag-list').textContent()).toContain('Walked to the pharmacy');
  });

  it('marks the patient\'s flags reviewed with a comment: the patient moves down the worklist; adds a note', async () => {
    await page.locator('.breadcrumb a').nth(1).click();
    await page.waitForURL(/\/patients\//);
    await page.locator('#comment-all').fill('Called him: no symptoms now. Cardiology informed.');
    await page.getByRole('button', { name: /Mark (this flag|all \d+ flags) reviewed/ }).click();
    await page.waitForURL(/done=reviewed/);
    expect(await page.locator('.notice-success').textContent()).toMatch(/flags? marked reviewed/);
    await page.getByLabel('New note').fill('Palpitations again yesterday afternoon while reading; lasted about 8 minutes.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/done=noted/);
    expect(await page.locator('#notes .timeline li').first().textContent()).toContain('Palpitations again yesterday afternoon');
    await page.goto(`${base}/`);
    const names = await worklistNames();
    expect(names.indexOf('David Nguyen')).toBeGreaterThan(names.indexOf('Grace Mensah'));
    expect(pageErrors.join(' | ')).toBe('');
  });

  it("shows the patient's thresholds, and the clinic's to an administrator", async () => {
    await page.getByRole('link', { name: 'David Nguyen' }).click();
    await page.getByRole('link', { name: "the clinic's" }).click();
    await page.waitForURL(/\/rules$/);
    expect(await page.locator('h1').textContent()).toBe('Thresholds for David Nguyen');
    await lookAt('patient-rules');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    const admin = (await t.ctx.db.selectFrom('users').select('email').where('role', '=', 'admin').executeTakeFirstOrThrow()).email;
    const password = adminPassword;
    t.clock.advance(30_000);
    await signInAndPair(page, base, t, { email: admin, password });
    await page.goto(`${base}/admin/rules`);
    expect(await page.locator('h1').textContent()).toBe('Clinical rules');
    await lookAt('clinic-rules');
  });
});
