// Debian's Chromium driven by playwright-core (DESIGN.md §5), and the independent tools that
// check what it shows: zbarimg reads the QR code, oathtool computes codes as an app would.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM_PATH } from './requirements.js';

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Decodes the QR code in a PNG with zbarimg; returns its text. */
export function decodeQr(png: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-qr-')), 'qr.png');
  fs.writeFileSync(file, png);
  return execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' }).trim();
}

/** The code an authenticator app shows at this time, computed by oathtool (RFC 6238). */
export function oathtoolCode(base32Secret: string, timeMs: number): string {
  return execFileSync('oathtool', ['--totp', '-b', base32Secret, '--now', `@${Math.floor(timeMs / 1000)}`], { encoding: 'utf8' }).trim();
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A/AA and best practices) on the page; fails listing what it found. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  expect(violations, `axe-core on ${page.url()}`).toEqual([]);
}

/** The password step as a user takes it: email and password typed in, Continue clicked. */
export async function submitLoginForm(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
}
