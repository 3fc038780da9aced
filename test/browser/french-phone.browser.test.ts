// A recording page in French on a 390 px phone (issue 16): the summary tables share the width out
// without cutting a word in pieces ("Fréquen/ce cardiaqu/e" once), and the page stays within the
// screen. The demo clinic, a browser set to fr-CA.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/demo.js';
import { launchChromium, SCREENSHOT_DIR, screenshot } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { accountNamed, signInAndPairAnyLanguage, type Sweep } from '../support/page-sweep.js';
import { chromium } from '../support/requirements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, locale: 'fr-CA' };

/**
 * The words of the compact tables that a line break cuts in two: each word of each cell is measured
 * as a range, and a word whose boxes sit on more than one line was broken inside.
 */
function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const cell of Array.from(document.querySelectorAll('.data-table.compact th, .data-table.compact td'))) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set(Array.from(range.getClientRects()).filter((box) => box.width > 0).map((box) => Math.round(box.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  });
}

describe.skipIf(!needs.available)(`a French recording page on a phone${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let sweep: Sweep;

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_TIME_ZONE: 'America/Montreal' });
    const demo = await createDemo(t.ctx, { historyDays: 2 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    sweep = { base, t, demo, check: async () => {}, newContext: () => browser.newContext(PHONE) };
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('at 390 px the summary tables break lines between words, never inside one, and fit the screen', async () => {
    const context = await sweep.newContext();
    const page = await context.newPage();
    await signInAndPairAnyLanguage(sweep, page, accountNamed(sweep.demo, 'Dana Scully'));
    const patientPath = new URL(await page.locator('table.worklist tbody tr td a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
    await page.goto(`${sweep.base}${patientPath}`);
    const recordPath = new URL(await page.locator('table.data-table tbody tr td a').first().evaluate((link: HTMLAnchorElement) => link.href)).pathname;
    await page.goto(`${sweep.base}${recordPath}`);
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => page.waitForLoadState('load'));
    await screenshot(page, '61-fr-record-390');
    await page.locator('#window-summary').screenshot({ path: path.join(SCREENSHOT_DIR, '62-fr-record-summary-390.png') });
    expect(await page.locator('html').getAttribute('lang')).toBe('fr-CA');
    expect(await page.locator('#window-summary tbody th').first().textContent()).toContain('Fréquence cardiaque');
    expect(await brokenWords(page)).toEqual([]);
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await context.close();
  });
});
