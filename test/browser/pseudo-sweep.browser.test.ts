// Every page of the 390 px sweep (test/support/page-sweep.ts) in the pseudo-language (issue 16):
// served with HMS_PSEUDO_LOCALE=on, the browser holding the switch's cookie hms_lang=en-XA (the demo
// accounts have no saved language, so the cookie decides after sign-in too). On each page, visited
// once: nothing is left outside the catalogs (test/support/untranslated.ts), and the longer text
// still fits 390 px.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { UAParser } from 'ua-parser-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../src/demo.js';
import { PSEUDO } from '../../src/i18n/languages.js';
import { launchChromium, screenshot } from '../support/chromium.js';
import { sqlite } from '../support/databases.js';
import { sweepSignedIn, sweepSignedOut, type Sweep } from '../support/page-sweep.js';
import { chromium } from '../support/requirements.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';

const needs = chromium();
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true };
const ZONE = 'America/Montreal';
/**
 * SI symbols, written the same in English and French (h, s: single letters pass anyway). Not bpm,
 * rpm or spm: docs/GLOSSARY.md writes breaths per minute "resp./min" in French, so units of
 * measure that are words belong to the catalogs.
 */
const SI_SYMBOLS = ['cm', 'kg', 'min', 'L/min'];

/**
 * The words `Intl` writes in the pseudo-language's locale (en-GB): month and weekday names, the
 * zone's abbreviations. They are formatted for the page's language, not left in the code. Taken out
 * as whole words only ("Mar" must not hide the "Mar" of "Mark").
 */
function intlWords(zone: string): string[] {
  const year = Array.from({ length: 12 }, (_, month) => Date.UTC(2026, month, 15));
  const week = Array.from({ length: 7 }, (_, day) => Date.UTC(2026, 10, 23 + day));
  const words = (instants: number[], options: Intl.DateTimeFormatOptions, locale = 'en-GB') =>
    instants.map((ms) => new Intl.DateTimeFormat(locale, { timeZone: zone, ...options }).formatToParts(ms)
      .filter((part) => part.type !== 'literal').map((part) => part.value).join(' '));
  return [
    ...words(year, { month: 'short' }), ...words(year, { month: 'long' }),
    ...words(week, { weekday: 'short' }), ...words(week, { weekday: 'long' }),
    ...['en-US', 'en-GB'].flatMap((locale) => words(year, { timeZoneName: 'short' }, locale).map((text) => text.split(' ').pop()!)),
  ];
}

/** A word without the punctuation around it: "(Nov," → "Nov", "GMT-5" → "GMT". */
function bare(word: string): string {
  const characters = [...word];
  const isLetter = (character: string) => /\p{L}/u.test(character);
  const first = characters.findIndex(isLetter);
  return first < 0 ? '' : characters.slice(first, characters.findLastIndex(isLetter) + 1).join('');
}

describe.skipIf(!needs.available)(`every page in the pseudo-language${needs.available ? '' : ` [skipped: ${needs.reason}]`}`, () => {
  let t: TestApp;
  let browser: Browser;
  let sweep: Sweep;
  /** Names, e-mail addresses, ids, notes…: what the pages show from the database, which no catalog translates. */
  let data: string[] = [];
  /** Whole words a page may show in any language: what `Intl` writes, SI symbols. */
  let neutralWords = new Set<string>();
  const visited: string[] = [];
  const untranslated: string[] = [];
  const overflowing: string[] = [];
  const notPseudo: string[] = [];

  async function check(page: Page, name: string) {
    // The record page's charts arrive by script: wait for the network to settle, briefly.
    await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => page.waitForLoadState('load'));
    visited.push(name);
    const [scrollWidth, innerWidth, lang] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth, document.documentElement.lang] as const);
    if (scrollWidth > innerWidth) {
      overflowing.push(`${name}: ${scrollWidth} px`);
      await screenshot(page, `50-pseudo-${name.replace(/[^a-z0-9]+/gi, '-')}-390`);
    }
    if (lang !== PSEUDO) notPseudo.push(`${name}: <html lang="${lang}">`);
    // Shown to this person only, and not words: the pairing key and the recovery codes.
    const secrets = await page.locator('#totp-secret, #recovery-codes code').allTextContents();
    const words = untranslatedText(await page.content(), [...data, ...secrets.flatMap((text) => text.split(/\s+/))])
      .filter((word) => !neutralWords.has(bare(word)));
    if (words.length > 0) untranslated.push(`${name}: ${[...new Set(words)].join(' | ')}`);
  }

  beforeAll(async () => {
    t = await startTestApp(sqlite, { HMS_TIME_ZONE: ZONE, HMS_PSEUDO_LOCALE: 'on' });
    // Sixteen days of recordings: every page of the sweep has its content, in half the time of thirty.
    const demo = await createDemo(t.ctx, { historyDays: 16 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const { db, config } = t.ctx;
    const rows = await Promise.all([
      db.selectFrom('users').select(['id', 'name', 'email']).execute(),
      db.selectFrom('patients').select(['id', 'external_id', 'name']).execute(),
      db.selectFrom('records').select(['id', 'device_serial']).execute(),
      db.selectFrom('notes').select(['text']).execute(),
      db.selectFrom('record_tags').select(['text']).execute(),
      db.selectFrom('flag_reviews').select(['comment']).execute(),
    ]);
    const userAgent = new UAParser(await userAgentOf(browser)).getResult();
    const stored = rows.flatMap((table) => table.flatMap((row) => Object.values(row).filter((value): value is string => typeof value === 'string')));
    data = [
      // The audit log names an account, patient or recording by the first 8 characters of its id.
      ...stored, ...stored.filter((value) => /^[\da-f]{8}-[\da-f-]{27}$/.test(value)).map((id) => id.slice(0, 8)),
      config.supportEmail, config.supportPhone, config.timeZone,
      userAgent.browser.name ?? '', userAgent.os.name ?? '',
      // Typed into the sweep's forms and shown back.
      'nobody@demo.hms.example', 'New Person', 'not an email',
    ].filter(Boolean);
    neutralWords = new Set([...intlWords(config.timeZone), ...SI_SYMBOLS].map(bare));
    sweep = {
      base, t, demo, check,
      async newContext() {
        const context = await browser.newContext(PHONE);
        await context.addCookies([{ name: PSEUDO_COOKIE[0], value: PSEUDO_COOKIE[1], url: base }]);
        return context;
      },
    };
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signed out: sign-in, its errors, pairing and the code step are all in the pseudo-language and fit 390 px', async () => {
    await sweepSignedOut(sweep);
    report('signed out');
    expect(notPseudo).toEqual([]);
    expect(untranslated).toEqual([]);
    expect(overflowing).toEqual([]);
  });

  it('signed in, as a clinician and as an administrator: every page in the pseudo-language, none wider than 390 px', async () => {
    // Each test answers for its own pages.
    for (const findings of [untranslated, overflowing, notPseudo]) findings.length = 0;
    await sweepSignedIn(sweep);
    report('signed in');
    expect(visited.length).toBeGreaterThan(30);
    expect(notPseudo).toEqual([]);
    expect(untranslated).toEqual([]);
    expect(overflowing).toEqual([]);
  }, 300_000);

  function report(part: string) {
    console.log([`pseudo-language sweep, ${part}: ${visited.length} pages so far`,
      `not in the pseudo-language: ${notPseudo.join('; ') || 'none'}`,
      `text outside the catalogs:\n  ${untranslated.join('\n  ') || 'none'}`,
      `wider than 390 px: ${overflowing.join('; ') || 'none'}`].join('\n'));
  }
});

/** The User-Agent this Chromium sends (the sessions page names the browser and system from it). */
async function userAgentOf(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  try {
    return await (await context.newPage()).evaluate(() => navigator.userAgent);
  } finally {
    await context.close();
  }
}
