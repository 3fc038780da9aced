// AES-256-GCM for small secrets at rest. The ciphertext is bound to its context (which row of
// which table), so a secret copied into another account's row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
  keyId: string;
  /** iv ‖ tag ‖ ciphertext */
  ciphertext: Buffer;
}

export class DecryptionError extends Error {}

export function seal(keyring: Keyring, plaintext: Buffer, context: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: keyring.current.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

export function open(keyring: Keyring, sealed: Sealed, context: string): Buffer {
  const key = keyring.byId.get(sealed.keyId);
  if (!key) throw new DecryptionError(`No encryption key "${sealed.keyId}" is configured`);
  if (sealed.ciphertext.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('Ciphertext is truncated');
  const iv = sealed.ciphertext.subarray(0, IV_BYTES);
  const tag = sealed.ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError('Ciphertext was altered or belongs elsewhere');
  }
}

/** Whether opening succeeds: false for a wrong key or an altered ciphertext, other errors thrown. */
export function opens(attempt: () => unknown): boolean {
  try {
    attempt();
    return true;
  } catch (error) {
    if (error instanceof DecryptionError) return false;
    throw error;
  }
}
