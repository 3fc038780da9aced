import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFromFile, keyringFromList, KeyringError } from '../../src/auth/keyring.js';
import { DecryptionError, open, seal } from '../../src/auth/secret-box.js';

const key = () => randomBytes(32).toString('base64');

describe('TOTP secrets encrypted at rest (AES-256-GCM)', () => {
  const keyring = keyringFromList(`k1:${key()}`);
  const secret = randomBytes(20);

  it('decrypts what it encrypted, and the ciphertext does not contain the secret', () => {
    const sealed = seal(keyring, secret, 'totp:a:b');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.includes(secret)).toBe(false);
    expect(open(keyring, sealed, 'totp:a:b').equals(secret)).toBe(true);
  });

  it('detects any changed byte of the ciphertext', () => {
    const sealed = seal(keyring, secret, 'ctx');
    for (let i = 0; i < sealed.ciphertext.length; i++) {
      const tampered = Buffer.from(sealed.ciphertext);
      tampered[i]! ^= 0x01;
      expect(() => open(keyring, { ...sealed, ciphertext: tampered }, 'ctx')).toThrow(DecryptionError);
    }
  });

  it('refuses a ciphertext moved to another row or account (bound context)', () => {
    const sealed = seal(keyring, secret, 'totp:cred-1:user-1');
    expect(() => open(keyring, sealed, 'totp:cred-1:user-2')).toThrow(DecryptionError);
  });

  it('still decrypts secrets of an older key after a new key becomes current', () => {
    const oldKey = key();
    const before = keyringFromList(`old:${oldKey}`);
    const sealed = seal(before, secret, 'ctx');
    const after = keyringFromList(`new:${key()},old:${oldKey}`);
    expect(open(after, sealed, 'ctx').equals(secret)).toBe(true);
    expect(seal(after, secret, 'ctx').keyId).toBe('new');
  });

  it('says which key is missing instead of failing obscurely', () => {
    const sealed = seal(keyring, secret, 'ctx');
    expect(() => open(keyringFromList(`other:${key()}`), sealed, 'ctx')).toThrow(/No encryption key "k1"/);
  });

  it('refuses truncated ciphertext', () => {
    expect(() => open(keyring, { keyId: 'k1', ciphertext: Buffer.alloc(10) }, 'ctx')).toThrow(DecryptionError);
  });
});

describe('the keyring', () => {
  it('generates a key file with mode 0600 on first start and reads the same key afterwards', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-keys-'));
    const file = path.join(dir, 'nested', 'keys.json');
    const first = keyringFromFile(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = keyringFromFile(file);
    expect(second.current.id).toBe(first.current.id);
    expect(second.current.key.equals(first.current.key)).toBe(true);
    expect(first.current.key).toHaveLength(32);
  });

  it('refuses a key file other users can read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-keys-'));
    const file = path.join(dir, 'keys.json');
    keyringFromFile(file);
    fs.chmodSync(file, 0o644);
    expect(() => keyringFromFile(file)).toThrow(/chmod 600/);
  });

  it.each([
    ['', /No encryption key/],
    ['k1', /id:base64key/],
    [`k1:${Buffer.alloc(16).toString('base64')}`, /32 bytes/],
    [`k1:${key()},k1:${key()}`, /unique/],
    [`bad id:${key()}`, /id:base64key/],
  ])('refuses the key list %j', (list, message) => {
    expect(() => keyringFromList(list)).toThrow(KeyringError);
    expect(() => keyringFromList(list)).toThrow(message);
  });
});
