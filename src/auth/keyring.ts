// Keys that encrypt TOTP secrets at rest. From configuration ("id:base64,…", first one current)
// or, for the embedded set-up, from a key file generated with mode 0600 on first start.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

export interface Keyring {
  /** The key new secrets are encrypted with. */
  current: { id: string; key: Buffer };
  /** Every known key by id, so secrets encrypted under an older key still decrypt. */
  byId: ReadonlyMap<string, Buffer>;
}

export class KeyringError extends Error {}

const KEY_ID = /^[\w.-]{1,32}$/;

export function keyringFromList(list: string): Keyring {
  const entries = list.split(',').map((item) => item.trim()).filter(Boolean).map((item) => {
    const [id, encoded] = item.split(':');
    if (!id || !encoded || !KEY_ID.test(id)) throw new KeyringError('Each encryption key must look like "id:base64key"');
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) throw new KeyringError(`Encryption key "${id}" must be 32 bytes (44 base64 characters)`);
    return [id, key] as const;
  });
  const first = entries[0];
  if (!first) throw new KeyringError('No encryption key given');
  if (new Set(entries.map(([id]) => id)).size !== entries.length) throw new KeyringError('Encryption key ids must be unique');
  return { current: { id: first[0], key: first[1] }, byId: new Map(entries) };
}

/**
 * A new key as "id:base64key". The id is the day it was made and the start of the key's SHA-256:
 * two keys made the same day (on two machines, or twice by mistake) never share an id, and the
 * id alone tells which key it is without revealing anything of it.
 */
export function newKeyEntry(now = new Date()): string {
  const key = randomBytes(32);
  const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return `k${now.toISOString().slice(0, 10).replaceAll('-', '')}-${fingerprint}:${key.toString('base64')}`;
}

/** Reads the key file, creating it (mode 0600, never overwritten) when it does not exist. */
export function keyringFromFile(file: string): Keyring {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    const fresh = { keys: [newKeyEntry()] };
    fs.writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) throw new KeyringError(`${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`);
  const content = JSON.parse(fs.readFileSync(file, 'utf8')) as { keys?: unknown };
  if (!Array.isArray(content.keys)) throw new KeyringError(`${file} must hold {"keys": ["id:base64key", …]}`);
  return keyringFromList(content.keys.join(','));
}

export function loadKeyring(config: { encryptionKeys: string; keyFile: string; databaseUrl: string }): Keyring {
  if (config.encryptionKeys) return keyringFromList(config.encryptionKeys);
  // A key file generated on one machine is never seen by the other instances on the same
  // PostgreSQL: each would encrypt with its own key and fail the others' users.
  if (config.databaseUrl) {
    throw new KeyringError('HMS_ENCRYPTION_KEYS is not set: with DATABASE_URL (PostgreSQL), every instance must be given the same keys. '
      + 'Make one with `hms keygen` and set HMS_ENCRYPTION_KEYS to it on every instance (and on the command line).');
  }
  return keyringFromFile(config.keyFile);
}
