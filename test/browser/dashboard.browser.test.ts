// A demo clinician signs in, finds a patient, opens a recording and sees the charts drawn, and
// zooms in (issue #6, "Done when"). Chromium, a real HTTP server, the demo data.
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/demo.js';
import { expectAccessible, launchChromium, screenshot } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { signInAndPair } from '../support/chromium-session.js';
import { chromium } from '../support/requirements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();

describe.skipIf(!needs.available)(`the health dashboard in Chromium${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let scully: { email: string; password: string };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_TIME_ZONE: 'America/Montreal' });
    const demo = await createDemo(t.ctx, { historyDays: 3 }); // the charts need a few recordings, not a month
    scully = demo.accounts.find((a) => a.name === 'Dana Scully')!;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a demo clinician signs in and sees their patients, the flagged ones first', async () => {
    await signInAndPair(page, base, t, scully);
    expect(await page.locator('h1').textContent()).toBe('Patients');
    const rows = page.locator('table.worklist tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    expect(await rows.first().locator('.chip').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, '10-patients');
    await expectAccessible(page);
  });

  it('a patient page lists the recordings newest first, with the upload form', async () => {
    await page.locator('table.worklist tbody tr a.patient-name').first().click();
    await page.waitForURL(/\/patients\//);
    expect(await page.locator('h2#recordings').textContent()).toBe('Recordings');
    expect(await page.getByLabel('CSV file').count()).toBe(1);
    await screenshot(page, '11-patient');
    await expectAccessible(page);
  });

  it('a recording shows one interactive chart per channel, drawn, with the summary beside', async () => {
    await page.locator('.table-scroll table.data-table tbody tr a').first().click();
    await page.waitForURL(/\/records\//);
    await page.waitForSelector('figure.chart.interactive canvas');
    await screenshot(page, '12-record');
    const figures = await page.locator('figure.chart').count();
    expect(figures).toBe(6);
    expect(await page.locator('figure.chart.interactive canvas').count()).toBe(6);
    // Drawn: each canvas has more than one colour on it.
    const colours = await page.evaluate(() => Array.from(document.querySelectorAll('figure.chart canvas')).map((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4) seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
      return seen.size;
    }));
    expect(colours.every((n) => n > 2), `colours per canvas: ${colours.join(", ")}`).toBe(true);
    expect(await page.locator('aside.metrics').textContent()).toContain('Heart-rate zones');
    expect(pageErrors.join(' | ')).toBe('');
    await expectAccessible(page);
  });

  it('dragging across a chart zooms in and loads finer detail', async () => {
    const chart = page.locator('figure.chart.interactive .u-over').first();
    const box = (await chart.boundingBox())!;
    const finer = page.waitForResponse((response) => /chart\.json\?buckets=\d+&from=\d+&to=\d+/.test(response.url()));
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const response = await finer;
    const data = await response.json() as { bucketSeconds: number; from: number; to: number };
    expect(data.to - data.from).toBeLessThan(6 * 3600 * 1000);
    expect(data.bucketSeconds).toBeLessThan(90);
    await page.waitForTimeout(300);
    await screenshot(page, '13-record-zoomed');
  });

  it('without JavaScript the same recording shows server-drawn charts', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
    try {
      const noScript = await plain.newPage();
      // The zoomed window is in the URL: a browser without scripts shows the same window, as SVG.
      expect(page.url()).toContain('?from=');
      await noScript.goto(page.url());
      expect(await noScript.locator('svg.chart-svg polygon').count()).toBeGreaterThanOrEqual(5);
      expect(await noScript.locator('.window-span').textContent()).toBe(await page.locator('.window-span').textContent());
      await screenshot(noScript, '14-record-without-javascript');
    } finally {
      await plain.close();
    }
  });
});
