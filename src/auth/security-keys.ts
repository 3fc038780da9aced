// The only writer of security_keys: FIDO2 security keys and passkeys (WebAuthn) as another second
// factor beside the authenticator app, which stays mandatory. @simplewebauthn/server checks the
// signatures; the relying-party id and origin come from configuration, challenges from
// webauthn-challenges.ts (single use, bound to the session or the password-reset link, expiring).
import type {
  AuthenticationResponseJSON, AuthenticatorTransport, PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import type { SecurityKey, User } from '../db/schema.js';
import type { Message } from '../i18n/translate.js';
import { newId } from './tokens.js';
import { keepChallenge, takeChallenge, type ChallengeOwner } from './webauthn-challenges.js';

// Loaded at its first use: the library takes about half a second to load, which every `hms`
// command (none of them uses it) and every start would otherwise pay.
const webauthn = () => import('@simplewebauthn/server');

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;

export const MAX_SECURITY_KEYS = 10;
export const KEY_NAME_MAX_LENGTH = 60;
/** What the browser waits for a touch, in ms: shorter than the challenge's life on the server. */
const CEREMONY_TIMEOUT = 2 * 60 * 1000;

export type Registration = { outcome: 'added'; key: SecurityKey } | { outcome: 'failed' | 'duplicate' | 'too-many' };
export type Assertion = { outcome: 'accepted'; key: SecurityKey } | { outcome: 'failed' };

export function keyNameProblem(name: string): Message | null {
  if (name.trim().length === 0) return { key: 'password.keys.nameMissing' };
  if (name.length > KEY_NAME_MAX_LENGTH) return { key: 'password.keys.nameTooLong', values: { max: KEY_NAME_MAX_LENGTH } };
  return null;
}

export function listSecurityKeys(ctx: Pick<AppContext, 'db'>, userId: string): Promise<SecurityKey[]> {
  return ctx.db.selectFrom('security_keys').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function hasSecurityKey(ctx: Pick<AppContext, 'db'>, userId: string): Promise<boolean> {
  return (await ctx.db.selectFrom('security_keys').select('id').where('user_id', '=', userId).limit(1).executeTakeFirst()) !== undefined;
}

/** Options for navigator.credentials.create(), their challenge kept for this session. */
export async function registrationOptions(ctx: Ctx, user: Pick<User, 'id' | 'email' | 'name'>, sessionHash: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listSecurityKeys(ctx, user.id);
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: ctx.config.issuer,
    rpID: ctx.config.webauthn.rpId,
    userID: new Uint8Array(Buffer.from(user.id)), // an opaque id: no email or name in the key's user handle
    userName: user.email,
    userDisplayName: user.name,
    timeout: CEREMONY_TIMEOUT,
    attestationType: 'none', // any key will do: HMS does not restrict makes and models
    excludeCredentials: existing.map((key) => ({ id: key.credential_id, transports: transportsOf(key) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(ctx, { sessionHash }, 'register', options.challenge);
  return options;
}

/** Checks the browser's answer to registrationOptions and stores the new key under this name. */
export async function registerSecurityKey(ctx: Ctx, userId: string, sessionHash: string, response: RegistrationResponseJSON, name: string): Promise<Registration> {
  const challenge = await takeChallenge(ctx, { sessionHash }, 'register');
  if (!challenge) return { outcome: 'failed' };
  let verified;
  try {
    verified = await (await webauthn()).verifyRegistrationResponse({
      response, expectedChallenge: challenge, expectedOrigin: ctx.config.webauthn.origin, expectedRPID: ctx.config.webauthn.rpId,
      requireUserVerification: false, // preferred, not required: plain security keys have no PIN
    });
  } catch {
    return { outcome: 'failed' };
  }
  if (!verified.verified) return { outcome: 'failed' };
  if ((await listSecurityKeys(ctx, userId)).length >= MAX_SECURITY_KEYS) return { outcome: 'too-many' };
  const { credential } = verified.registrationInfo;
  const key: SecurityKey = {
    id: newId(),
    user_id: userId,
    credential_id: credential.id,
    public_key: Buffer.from(credential.publicKey),
    sign_count: credential.counter,
    transports: (credential.transports ?? []).join(','),
    name: name.trim(),
    created_at: ctx.clock.now(),
    last_used_at: null,
  };
  try {
    await ctx.db.insertInto('security_keys').values(key).execute();
  } catch (error) {
    if (isUniqueViolation(error)) return { outcome: 'duplicate' };
    throw error;
  }
  return { outcome: 'added', key };
}

/** Options for navigator.credentials.get() with the account's keys, their challenge kept for this session or reset link. */
export async function authenticationOptions(ctx: Ctx, userId: string, owner: ChallengeOwner): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const keys = await listSecurityKeys(ctx, userId);
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: ctx.config.webauthn.rpId,
    allowCredentials: keys.map((key) => ({ id: key.credential_id, transports: transportsOf(key) })),
    userVerification: 'preferred',
    timeout: CEREMONY_TIMEOUT,
  });
  return { ...options, challenge: await keepChallenge(ctx, owner, 'authenticate', options.challenge) };
}

/** Checks a signature from one of the account's keys over the challenge of this session or reset link. */
export async function verifySecurityKey(ctx: Ctx, userId: string, owner: ChallengeOwner, response: AuthenticationResponseJSON): Promise<Assertion> {
  const challenge = await takeChallenge(ctx, owner, 'authenticate');
  if (!challenge) return { outcome: 'failed' };
  const key = await ctx.db.selectFrom('security_keys').selectAll()
    .where('user_id', '=', userId).where('credential_id', '=', response.id).executeTakeFirst();
  if (!key) return { outcome: 'failed' };
  let verified;
  try {
    verified = await (await webauthn()).verifyAuthenticationResponse({
      response, expectedChallenge: challenge, expectedOrigin: ctx.config.webauthn.origin, expectedRPID: ctx.config.webauthn.rpId,
      credential: { id: key.credential_id, publicKey: new Uint8Array(key.public_key), counter: key.sign_count, transports: transportsOf(key) },
      requireUserVerification: false,
    });
  } catch {
    return { outcome: 'failed' }; // a bad signature, another origin, a counter that went backwards (a cloned key)
  }
  if (!verified.verified) return { outcome: 'failed' };
  await ctx.db.updateTable('security_keys').set({ sign_count: verified.authenticationInfo.newCounter, last_used_at: ctx.clock.now() })
    .where('id', '=', key.id).execute();
  return { outcome: 'accepted', key };
}

export async function renameSecurityKey(ctx: Pick<AppContext, 'db'>, userId: string, keyId: string, name: string): Promise<boolean> {
  const result = await ctx.db.updateTable('security_keys').set({ name: name.trim() }).where('id', '=', keyId).where('user_id', '=', userId).executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function removeSecurityKey(ctx: Pick<AppContext, 'db'>, userId: string, keyId: string): Promise<SecurityKey | null> {
  const removed = await ctx.db.deleteFrom('security_keys').where('id', '=', keyId).where('user_id', '=', userId).returningAll().executeTakeFirst();
  return removed ?? null;
}

/** Removes every security key of the account (MFA reset by support). */
export async function removeSecurityKeys(ctx: Pick<AppContext, 'db'>, userId: string): Promise<number> {
  const result = await ctx.db.deleteFrom('security_keys').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function transportsOf(key: SecurityKey): AuthenticatorTransport[] {
  return key.transports ? (key.transports.split(',') as AuthenticatorTransport[]) : [];
}

// What a browser sends back, checked for shape before any challenge is spent on it.
const base64url = z.string().min(1).max(16_384).regex(/^[\w-]+={0,2}$/);
const registrationShape = z.looseObject({
  id: base64url, rawId: base64url, type: z.literal('public-key'), clientExtensionResults: z.looseObject({}),
  response: z.looseObject({ clientDataJSON: base64url, attestationObject: base64url, transports: z.array(z.string().max(32)).max(10).optional() }),
});
const assertionShape = z.looseObject({
  id: base64url, rawId: base64url, type: z.literal('public-key'), clientExtensionResults: z.looseObject({}),
  response: z.looseObject({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url, userHandle: base64url.optional() }),
});

/** The JSON a browser's create() produced, or null when it is not that. */
export function parseRegistrationResponse(text: string): RegistrationResponseJSON | null {
  return parseJson(text, registrationShape) as RegistrationResponseJSON | null;
}

/** The JSON a browser's get() produced, or null when it is not that. */
export function parseAssertionResponse(text: string): AuthenticationResponseJSON | null {
  return parseJson(text, assertionShape) as AuthenticationResponseJSON | null;
}

function parseJson(text: string, shape: z.ZodType): unknown {
  try {
    const result = shape.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
