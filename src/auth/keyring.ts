// Keys that encrypt TOTP secrets at rest. From configuration ("id:base64,…", first one current)
// or, for the embedded set-up, from a key file generated with mode 0600 on first start.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

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

/** Reads the key file, creating it (mode 0600, never overwritten) when it does not exist. */
export function keyringFromFile(file: string): Keyring {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    const fresh = { keys: [`k${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`] };
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

export function loadKeyring(config: { encryptionKeys: string; keyFile: string }): Keyring {
  return config.encryptionKeys ? keyringFromList(config.encryptionKeys) : keyringFromFile(config.keyFile);
}
