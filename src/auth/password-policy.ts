// Rules for a new password (DESIGN.md §2, NIST SP 800-63B §3.1.1.2): long enough, not absurdly
// long, any characters, and not a password that attackers try first.
import { dictionary } from '@zxcvbn-ts/language-common';
import type { Message } from '../i18n/translate.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// ~49,000 passwords most seen in breaches (the zxcvbn-ts project's maintained list).
const commonPasswords = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/**
 * Words of this service that attackers try first (ASVS 6.1.2, 6.2.11). A password made only of
 * these (and of the user's own name and email), whatever the digits and symbols around them, is
 * refused: "Hms-Health-2026!" is, "the patient owl reads maps" is not.
 */
export const CONTEXT_WORDS = [
  'hms', 'health', 'healthmonitoring', 'monitoring', 'monitor', 'hexoskin', 'smart', 'shirt', 'smartshirt',
  'clinic', 'clinician', 'clinical', 'patient', 'patients', 'doctor', 'nurse', 'hospital', 'medical', 'heart', 'rate',
  'admin', 'administrator', 'support', 'welcome', 'password', 'passwort', 'login', 'signin', 'secret', 'dashboard',
];

/** Returns why the password cannot be used (translated where it is shown), or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): Message | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { key: 'password.policy.tooShort', values: { min: PASSWORD_MIN_LENGTH } };
  if (length > PASSWORD_MAX_LENGTH) return { key: 'password.policy.tooLong', values: { max: PASSWORD_MAX_LENGTH } };
  const lower = password.toLowerCase();
  // "Password2024!" is "password" with decoration; attackers try those variants first.
  const core = withoutDecoration(lower);
  if (commonPasswords.has(lower) || commonPasswords.has(core) || commonPasswords.has(lower.replace(/\s+/g, ''))) {
    return { key: 'password.policy.common' };
  }
  if (new Set(lower).size <= 3) return { key: 'password.policy.repetitive' };
  const localPart = context.email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) {
    return { key: 'password.policy.containsEmail' };
  }
  const personal = [localPart, context.name].join(' ').toLowerCase().split(/\P{L}+/u).filter((word) => word.length >= 3);
  if (madeOnlyOf(lower.replace(/\P{L}+/gu, ''), new Set([...CONTEXT_WORDS, ...personal]))) {
    return { key: 'password.policy.contextWords' };
  }
  return null;
}

/** Whether the letters can be cut entirely into words of the set (and there is at least one letter). */
function madeOnlyOf(letters: string, words: Set<string>): boolean {
  if (letters.length === 0) return false;
  const reachable = [true, ...Array<boolean>(letters.length).fill(false)];
  for (let end = 1; end <= letters.length; end++) {
    for (let start = 0; start < end && !reachable[end]; start++) {
      reachable[end] = reachable[start]! && words.has(letters.slice(start, end));
    }
  }
  return reachable[letters.length]!;
}

/** Without the digits and symbols at both ends: "password" of "!!password2024". Linear: no regex backtracking. */
function withoutDecoration(lower: string): string {
  const isLetter = (index: number) => {
    const code = lower.charCodeAt(index);
    return code >= 0x61 && code <= 0x7a; // a–z, as the list is
  };
  let start = 0;
  let end = lower.length;
  while (start < end && !isLetter(start)) start++;
  while (end > start && !isLetter(end - 1)) end--;
  return lower.slice(start, end);
}
