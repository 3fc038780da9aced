import { describe, expect, it } from 'vitest';
import { codeAt, groupForReading, hotp, keyUri, matchingStep, normalizeCode, stepAt, toBase32 } from '../../src/auth/totp.js';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('RFC 4226 Appendix D: HOTP test values', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code] as const))('counter %i gives %s', (counter, code) => {
    expect(hotp(RFC_SECRET, counter)).toBe(code);
  });
});

describe('RFC 6238 Appendix B: TOTP test values (SHA-1, 8 digits, 30 s)', () => {
  const vectors: [number, string][] = [
    [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
    [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
  ];
  it.each(vectors)('at %i s the code is %s', (seconds, code) => {
    expect(hotp(RFC_SECRET, stepAt(seconds * 1000), 8)).toBe(code);
  });
});

describe('the ±1 step window', () => {
  const now = 1_800_000_000_000;
  it('accepts the code of the previous, current and next step and says which step matched', () => {
    for (const offset of [-1, 0, 1]) {
      const code = hotp(RFC_SECRET, stepAt(now) + offset);
      expect(matchingStep(RFC_SECRET, code, now)).toBe(stepAt(now) + offset);
    }
  });
  it('refuses codes two steps away (a minute of drift is too much)', () => {
    for (const offset of [-2, 2]) {
      expect(matchingStep(RFC_SECRET, hotp(RFC_SECRET, stepAt(now) + offset), now)).toBeNull();
    }
  });
  it('refuses a code of another secret', () => {
    expect(matchingStep(Buffer.alloc(20, 7), codeAt(RFC_SECRET, now), now)).toBeNull();
  });
});

describe('what people type', () => {
  it.each([['123456', '123456'], ['123 456', '123456'], ['123-456', '123456'], [' 123456 ', '123456'], ['12 34 56', '123456']])(
    '"%s" is read as %s', (typed, code) => expect(normalizeCode(typed)).toBe(code));
  it.each(['12345', '1234567', 'abcdef', '12345a', '', '１２３４５６', '123_456'])('"%s" is refused', (typed) => {
    expect(normalizeCode(typed)).toBeNull();
  });
});

describe('the Key URI and the secret shown for manual entry', () => {
  it('is the standard otpauth URI every mainstream app reads (DESIGN.md §1)', () => {
    const uri = new URL(keyUri({ issuer: 'HMS', account: 'dana@clinic.example', secret: RFC_SECRET }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/HMS:dana@clinic.example');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', issuer: 'HMS', algorithm: 'SHA1', digits: '6', period: '30',
    });
  });
  it('groups the base32 secret in blocks of 4', () => {
    expect(groupForReading(toBase32(RFC_SECRET))).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
  });
});
