// Random tokens for cookies and links. Only their SHA-256 is stored: a copy of the database
// does not give anyone a session, a remembered device or a setup link.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** 256 random bits, URL- and cookie-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Looks like a token newToken() could have made: anything else is refused without a query. */
export function isWellFormedToken(value: string): boolean {
  return /^[\w-]{43}$/.test(value);
}

export function newId(): string {
  return randomUUID();
}
