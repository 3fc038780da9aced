// A clinician reads a recording in Chromium: values off the charts by hovering (equal to the chart
// data), one time at one x on every chart, zoom by drag, keyboard, touch and pinch, the window in
// the URL surviving a reload, bands drawn and named, the print layout, axe at both widths.
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/demo.js';
import { expectAccessible, launchChromium, screenshot } from '../support/chromium.js';
import { signInAndPair } from '../support/chromium-session.js';
import { sqlite } from '../support/databases.js';
import { chromium } from '../support/requirements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const needs = chromium();

interface ChartJson {
  times: number[]; bucketSeconds: number; channels: { datatype: number; min: (number | null)[]; max: (number | null)[] }[];
  summary: { from: number; to: number }; bands: { kind: string; from: number; to: number; label: string; severity?: string }[];
}

describe.skipIf(!needs.available)(`charts in Chromium${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let recordUrl: string;
  const pageErrors: string[] = [];

  const chartResponse = (p: Page) => p.waitForResponse((r: Response) => r.url().includes('/chart.json'));
  const windowOf = (p: Page) => p.evaluate(() => {
    const root = document.getElementById('charts')!;
    const summary = document.querySelector('.window-span')!.textContent!;
    return { from: Number(root.getAttribute('data-from')), to: Number(root.getAttribute('data-to')), summary };
  });

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_TIME_ZONE: 'America/Montreal' });
    const demo = await createDemo(t.ctx);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInAndPair(page, base, t, demo.accounts.find((a) => a.name === 'Dana Scully')!);
    await page.locator('table.data-table tbody tr a').first().click();
    await page.locator('table.data-table tbody tr td a').first().click();
    await page.waitForURL(/\/records\//);
    await page.waitForLoadState('networkidle');
    recordUrl = page.url();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('hovering shows, on every chart, the time in the clinic zone and the values of the chart data at that time', async () => {
    const loaded = chartResponse(page);
    await page.goto(recordUrl);
    const data = await (await loaded).json() as ChartJson;
    await page.waitForSelector('figure.chart.interactive canvas');
    expect(await page.locator('figure.chart figcaption .chart-title').allTextContents())
      .toEqual(['Heart rate (bpm)', 'Breathing rate (rpm)', 'Minute ventilation (L/min)', 'Activity (g)', 'Cadence (spm)', 'Sleep position']);
    const over = (await page.locator('figure.chart .u-over').first().boundingBox())!;
    await page.mouse.move(over.x + over.width * 0.37, over.y + over.height / 2);
    const readouts = page.locator('figure.chart .readout');
    await expect.poll(() => readouts.first().getAttribute('data-time')).not.toBeNull();
    const cells = await readouts.evaluateAll((elements) => elements.map((e) => ({
      text: e.textContent!, time: Number(e.getAttribute('data-time')), min: e.getAttribute('data-min'), max: e.getAttribute('data-max'),
    })));
    expect(new Set(cells.map((c) => c.time)).size).toBe(1); // one time, synchronised across charts
    const time = cells[0]!.time;
    const bucket = Math.floor((time - data.times[0]!) / (data.bucketSeconds * 1000));
    data.channels.forEach((channel, i) => {
      const cell = cells[i]!;
      expect(cell.text).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d\d:\d\d:\d\d E[SD]T · /);
      if (channel.min[bucket] === null) expect(cell.text).toContain('no data');
      else expect([Number(cell.min), Number(cell.max)]).toEqual([channel.min[bucket], channel.max[bucket]]);
    });
    const ventilation = cells[2]!;
    if (ventilation.min !== null) expect(ventilation.text).toContain(`${(Number(ventilation.min) / 1000).toFixed(1)}`);
    expect(pageErrors).toEqual([]);
    await screenshot(page, '30-record-readout-1366');
  });

  it('every chart puts one timestamp at the same x pixel (within 1 px)', async () => {
    const { from, to } = await windowOf(page);
    const at = from + (to - from) * 0.61;
    const xs = await page.locator('figure.chart .u-over').evaluateAll((overs, [at, from, to]) => overs.map((over) => {
      const box = over.getBoundingClientRect();
      return box.left + ((at! - from!) / (to! - from!)) * box.width;
    }), [at, from, to]);
    expect(xs).toHaveLength(6);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(1);
  });

  it('a drag zooms in with one request for all channels; the window goes into the URL and survives a reload', async () => {
    const over = (await page.locator('figure.chart .u-over').nth(1).boundingBox())!;
    const finer = chartResponse(page);
    await page.mouse.move(over.x + over.width * 0.5, over.y + 20);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.6, over.y + 30, { steps: 5 });
    await page.mouse.up();
    const data = await (await finer).json() as ChartJson;
    expect(data.channels).toHaveLength(5);
    await expect.poll(() => page.url()).toMatch(/\?from=2026-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00&to=/);
    const zoomed = await windowOf(page).then(() => page.locator('.window-span').textContent());
    expect(zoomed).toContain(' h');
    await page.reload();
    await page.waitForSelector('figure.chart.interactive canvas');
    expect(await page.locator('.window-span').textContent()).toBe(zoomed);
    await page.goBack();
    await expect.poll(() => page.url()).toBe(recordUrl);
  });

  it('keyboard on a focused chart: + zooms in, arrow keys move in time, − zooms out', async () => {
    await page.goto(recordUrl);
    await page.waitForSelector('figure.chart.interactive canvas');
    const whole = await windowOf(page);
    await page.locator('figure.chart .uplot-host').first().focus();
    let next = chartResponse(page);
    await page.keyboard.press('+');
    await next;
    await expect.poll(async () => new URL(page.url()).searchParams.get('from')).not.toBeNull();
    const zoomed = await page.evaluate(() => new URL(location.href).searchParams);
    expect(zoomed).toBeTruthy();
    const span = (url: string) => { const q = new URL(url).searchParams; return Date.parse(q.get('to')!) - Date.parse(q.get('from')!); };
    expect(span(page.url())).toBe(Math.round((whole.to - whole.from) / 2));
    const before = Date.parse(new URL(page.url()).searchParams.get('from')!);
    next = chartResponse(page);
    await page.keyboard.press('ArrowRight');
    await next;
    await expect.poll(() => Date.parse(new URL(page.url()).searchParams.get('from')!)).toBeGreaterThan(before);
    await page.keyboard.press('-');
    await expect.poll(() => page.url()).toBe(recordUrl);
  });

  it('nights are shaded and a flag band is drawn in its severity colour and named in the readout', async () => {
    // Labelled as the server labels a flag band (record-bands.ts): rule, severity, the value in words.
    const flag = { kind: 'flag', from: 0, to: 0, label: 'Tachycardia at rest (high): HR 131 bpm (max 135) for 60 min at rest', severity: 'high' };
    await page.route('**/chart.json*', async (route) => {
      const response = await route.fetch();
      const data = await response.json() as ChartJson;
      flag.from = data.summary.from + (data.summary.to - data.summary.from) * 0.2;
      flag.to = flag.from + 3_600_000;
      await route.fulfill({ response, json: { ...data, bands: [...data.bands, flag] } });
    });
    await page.goto(recordUrl);
    await page.waitForSelector('figure.chart.interactive canvas');
    const over = (await page.locator('figure.chart .u-over').first().boundingBox())!;
    const { from, to } = await windowOf(page);
    const xOf = (ms: number) => over.x + ((ms - from) / (to - from)) * over.width;
    await page.mouse.move(xOf(flag.from + 1_800_000), over.y + over.height - 3);
    await expect.poll(() => page.locator('figure.chart .readout').first().textContent()).toContain('Tachycardia at rest (high)');
    expect(await page.locator('figure.chart .readout').first().textContent()).not.toContain('HR 131 bpm'); // the words are on the band
    // Pixels (RGBA): red-tinted inside the flag, blue-grey in the night, nothing in the daytime.
    const colours = await page.locator('figure.chart canvas').first().evaluate((canvas: HTMLCanvasElement, points) => points.map(([x, y]) => {
      const box = canvas.getBoundingClientRect();
      const ratio = canvas.width / box.width;
      return Array.from(canvas.getContext('2d')!.getImageData(Math.round((x! - box.left) * ratio), Math.round((y! - box.top) * ratio), 1, 1).data);
    // The flag's label is written along the top of its band and beyond: sample below its line, and
    // the plain daytime before the band.
    }), [[xOf(flag.from + 600_000), over.y + 20], [xOf(to - 3_600_000), over.y + 3], [xOf(flag.from - 3_600_000), over.y + 3]]);
    const [inFlag, inNight, plain] = colours as [number[], number[], number[]];
    expect(inFlag[0]!).toBeGreaterThan(inFlag[2]! + 20);
    expect(inFlag[3]!).toBeGreaterThan(0);
    expect(inNight[2]!).toBeGreaterThan(inNight[0]! + 10);
    expect(inNight[3]!).toBeGreaterThan(0);
    expect(plain[3]).toBe(0); // nothing drawn behind the line outside nights and bands
    await screenshot(page, '31-record-flag-band');
    await page.unroute('**/chart.json*');
  });

  it('printed, the page starts with who the patient is and has no controls', async () => {
    await page.goto(recordUrl);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#identity').isVisible()).toBe(true);
    expect(await page.locator('#identity').textContent()).toMatch(/Study id DEMO-\d+Born/);
    for (const hidden of ['.window-nav', '.record-actions', '.site-header', '.breadcrumb']) expect(await page.locator(hidden).isVisible(), hidden).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await expectAccessible(page);
  });

  it('on a phone: summary above the charts, full-width charts, touch drag and pinch zoom', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, storageState: await context.storageState() });
    try {
      const p = await phone.newPage();
      await p.goto(recordUrl);
      await p.waitForSelector('figure.chart.interactive canvas');
      const summary = (await p.locator('aside.metrics').boundingBox())!;
      const chart = (await p.locator('figure.chart').first().boundingBox())!;
      expect(summary.y).toBeLessThan(chart.y);
      expect(chart.width).toBeGreaterThan(340);
      expect(await p.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await expectAccessible(p);
      await screenshot(p, '32-record-390');
      const cdp = await phone.newCDPSession(p);
      const touch = async (type: 'touchStart' | 'touchMove' | 'touchEnd', points: { x: number; y: number }[]) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((pt, id) => ({ ...pt, id })) });
      await p.locator('figure.chart .u-over').first().scrollIntoViewIfNeeded();
      const box = (await p.locator('figure.chart .u-over').first().boundingBox())!;
      let next = p.waitForResponse((r) => r.url().includes('/chart.json'));
      await touch('touchStart', [{ x: box.x + box.width * 0.3, y: box.y + box.height / 2 }]);
      for (let step = 1; step <= 6; step++) await touch('touchMove', [{ x: box.x + box.width * (0.3 + step * 0.05), y: box.y + box.height / 2 }]);
      await touch('touchEnd', []);
      const dragged = await (await next).json() as ChartJson;
      await expect.poll(() => p.url()).toContain('?from=');
      const afterDrag = dragged.summary.to - dragged.summary.from;
      expect(afterDrag).toBeLessThan(12 * 3_600_000);
      next = p.waitForResponse((r) => r.url().includes('/chart.json'));
      const b = (await p.locator('figure.chart .u-over').first().boundingBox())!;
      const cy = b.y + b.height / 2;
      await touch('touchStart', [{ x: b.x + b.width * 0.45, y: cy }, { x: b.x + b.width * 0.55, y: cy }]);
      for (let step = 1; step <= 5; step++) await touch('touchMove', [{ x: b.x + b.width * (0.45 - step * 0.05), y: cy }, { x: b.x + b.width * (0.55 + step * 0.05), y: cy }]);
      await touch('touchEnd', []);
      const pinched = await (await next).json() as ChartJson;
      expect(pinched.summary.to - pinched.summary.from).toBeLessThan(afterDrag);
    } finally {
      await phone.close();
    }
  });
});
