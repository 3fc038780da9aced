// A software FIDO2 authenticator for integration tests over HTTP: makes ES256 credentials and
// answers WebAuthn options exactly as a browser with a security key would (attestation "none").
// Chromium's virtual authenticator does the same in the browser tests.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { decodeEntities } from './browser-client.js';

type Cbor = number | string | Buffer | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };

/** Just enough CBOR (RFC 8949) for attestation objects and COSE keys. */
export function cbor(value: Cbor): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    const buffer = Buffer.alloc(3);
    buffer[0] = (major << 5) | 25;
    buffer.writeUInt16BE(length, 1);
    return buffer;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/** The WebAuthn options a page hands its script in data-options. */
export function webauthnOptionsIn(html: string): { challenge: string; rp?: { id: string }; rpId?: string; user?: { id: string } } {
  const raw = /data-options="([^"]*)"/.exec(html)?.[1];
  if (!raw) throw new Error('No data-options on the page');
  return JSON.parse(decodeEntities(raw));
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Buffer;
  private signCount = 0;
  private userHandle = '';

  constructor(readonly origin: string, readonly rpId: string) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.cosePublicKey = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** navigator.credentials.create() answered, as JSON for the form's `credential` field. */
  register(options: { challenge: string; user?: { id: string } }, origin = this.origin): string {
    this.userHandle = options.user?.id ?? '';
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([sha256(this.rpId), Buffer.from([0x45]) /* UP, UV, AT */, this.counter(), Buffer.alloc(16), idLength, this.credentialId, this.cosePublicKey]);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return JSON.stringify({
      id: this.id, rawId: this.id, type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'cross-platform',
      response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestationObject), transports: ['usb'] },
    });
  }

  /** navigator.credentials.get() answered, as JSON for the form's `credential` field. */
  assert(options: { challenge: string }, origin = this.origin): string {
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    this.signCount += 1;
    const authData = Buffer.concat([sha256(this.rpId), Buffer.from([0x05]) /* UP, UV */, this.counter()]);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.privateKey);
    return JSON.stringify({
      id: this.id, rawId: this.id, type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'cross-platform',
      response: { clientDataJSON: b64url(clientData), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: this.userHandle || undefined },
    });
  }

  private counter(): Buffer {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32BE(this.signCount);
    return buffer;
  }
}
