import { describe, expect, it } from 'vitest';
import { passwordProblem as problemOf } from '../../src/auth/password-policy.js';
import { translator } from '../../src/i18n/translate.js';

/** The problem as an English reader is told it (the policy returns a message to translate). */
function passwordProblem(...args: Parameters<typeof problemOf>): string | null {
  const problem = problemOf(...args);
  return problem && translator('en')(problem.key, problem.values);
}

describe('new passwords (DESIGN.md §2, NIST SP 800-63B)', () => {
  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3-extended',
    'ünïcødé pässwörd ✓ 🔐',
    'x'.repeat(8) + 'y'.repeat(3) + 'z2',
  ])('accepts %j', (password) => expect(passwordProblem(password)).toBeNull());

  it('refuses fewer than 12 characters, counting characters rather than bytes', () => {
    expect(passwordProblem('short pass1')).toMatch(/at least 12/);
    expect(passwordProblem('🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐🔐')).toMatch(/at least 12/); // 11 characters, 44 bytes
  });

  it('accepts 256 characters and refuses more', () => {
    expect(passwordProblem('ab cd '.repeat(42) + 'efgh')).toBeNull();
    expect(passwordProblem('ab cd '.repeat(43))).toMatch(/at most 256/);
  });

  it.each(['password1234', 'qwertyuiop123', '123456789012', 'Password1234', 'PASSWORD2024!!', '1qaz2wsx3edc'])(
    'refuses the common password %j and its decorated variants', (password) => {
      expect(passwordProblem(password)).toMatch(/attackers try first/);
    });

  it('refuses a password of a few repeated characters', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/repeats/);
  });

  it('refuses a password built on the email address', () => {
    expect(passwordProblem('dana.scully-2026!', { email: 'dana.scully@clinic.example' })).toMatch(/email/);
  });

  it.each(['Hms-Health-2026!', 'clinicianpatient', 'SmartShirt!!!1234', 'Dana Scully 1970!!', 'WelcomeHMS2026'])(
    'refuses %j: only words about this site or the user', (password) => {
      expect(passwordProblem(password, { email: 'dana.scully@clinic.example', name: 'Dana Scully' })).toMatch(/words about this site or about you/);
    });

  it('accepts passphrases that merely contain such a word', () => {
    expect(passwordProblem('the patient owl reads maps', { email: 'dana.scully@clinic.example', name: 'Dana Scully' })).toBeNull();
  });
});
