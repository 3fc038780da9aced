import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../../src/web/return-path.js';

describe('where sign-in may send the user afterwards: local paths only', () => {
  it.each([['/', '/'], ['/patients/42?tab=records', '/patients/42?tab=records'], ['/a/../b', '/b']])(
    'keeps %j', (given, kept) => expect(safeReturnPath(given)).toBe(kept));

  it.each([
    'https://evil.example', '//evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)',
    '/.//evil.example', '/a/..//evil.example/x', '/%2e//evil.example', '/./\\evil.example', '/\t/evil.example', '/\n/evil.example', 'evil.example', '', '/login', '/mfa/verify', '/logout', '/setup/x', `/${'a'.repeat(600)}`,
  ])('refuses %j', (given) => expect(safeReturnPath(given)).toBeNull());
});
