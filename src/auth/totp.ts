// RFC 6238 time-based codes with the parameters every mainstream authenticator app supports:
// SHA-1, 6 digits, 30-second steps. Pure functions: storage and replay live in totp-credentials.ts.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

export const STEP_SECONDS = 30;
export const DIGITS = 6;
/** ±1 step: phone clocks drift and people type slowly (RFC 6238 §5.2, NIST SP 800-63B). */
export const WINDOW = 1;
const SECRET_BYTES = 20; // RFC 4226 §4 recommends 160 bits

export function generateSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

export function toBase32(secret: Buffer): string {
  return new Secret({ buffer: new Uint8Array(secret).buffer }).base32;
}

/** "JBSWY3DPEHPK3PXP…" as "JBSW Y3DP EHPK 3PXP …", easier to copy by hand. */
export function groupForReading(base32: string): string {
  return base32.match(/.{1,4}/g)?.join(' ') ?? '';
}

export function keyUri(params: { issuer: string; account: string; secret: Buffer }): string {
  return new TOTP({
    issuer: params.issuer,
    label: params.account,
    secret: new Secret({ buffer: new Uint8Array(params.secret).buffer }),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: STEP_SECONDS,
  }).toString();
}

export function stepAt(timeMs: number): number {
  return Math.floor(timeMs / 1000 / STEP_SECONDS);
}

/** The HOTP value for a counter (RFC 4226); TOTP is HOTP of the time step. */
export function hotp(secret: Buffer, counter: number, digits = DIGITS): string {
  return HOTP.generate({ secret: new Secret({ buffer: new Uint8Array(secret).buffer }), counter, digits, algorithm: 'SHA1' });
}

export function codeAt(secret: Buffer, timeMs: number): string {
  return hotp(secret, stepAt(timeMs));
}

/** "123 456" and "123-456" are what people type; anything but six digits after that is refused. */
export function normalizeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The time step whose code matches, searching the window around now, or null. Every candidate
 * is compared in constant time and the loop does not stop early, so timing reveals nothing.
 */
export function matchingStep(secret: Buffer, code: string, timeMs: number): number | null {
  const now = stepAt(timeMs);
  const given = Buffer.from(code);
  let matched: number | null = null;
  for (let step = now - WINDOW; step <= now + WINDOW; step++) {
    const expected = Buffer.from(hotp(secret, step));
    if (expected.length === given.length && timingSafeEqual(expected, given) && matched === null) matched = step;
  }
  return matched;
}
