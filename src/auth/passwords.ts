// Password hashing with Argon2id. Verification of an unknown account runs against a dummy hash
// so that "no such email" costs the same time as "wrong password".
import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { hashSlots } from './hash-slots.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends the time of one verification, for an account that does not exist. */
  verifyNothing(password: string): Promise<void>;
  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(passwordHash: string): boolean;
}

const ARGON2ID = 2 as Algorithm; // const enum in the typings; 2 is Argon2id

export async function createPasswordHasher(params: { memoryKib: number; iterations: number }): Promise<PasswordHasher> {
  const options: Options = {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKib,
    timeCost: params.iterations,
    parallelism: 1,
  };
  const dummyHash = await hash(randomBytes(16).toString('hex'), options);
  // Every computation, the dummy's included, takes its turn the same way: an unknown email waits as long as a known one.
  const slots = hashSlots();
  const currentParameters = `$argon2id$v=19$m=${params.memoryKib},t=${params.iterations},p=1$`;
  return {
    hash: (password) => slots.run(() => hash(password, options)),
    verify: (passwordHash, password) => slots.run(async () => {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false; // a malformed stored hash is a failed check, never a crash
      }
    }),
    verifyNothing: (password) => slots.run(async () => {
      await verify(dummyHash, password);
    }),
    // Unknown emails are checked against a hash with today's parameters; an account still on
    // older ones would take a different time, so it is brought up to date at its next sign-in.
    needsRehash: (passwordHash) => !passwordHash.startsWith(currentParameters),
  };
}
