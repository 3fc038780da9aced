// Every secret HMS keeps encrypted under the key ring, whichever module owns it: the start-up
// check that each key id in the database really opens its secrets, and `hms rekey`, which moves
// them all under the current (first) key so that older keys can be retired.
import type { AppContext } from '../context.js';
import { KeyringError } from './keyring.js';
import { recoveryCodeReveals } from './recovery-codes.js';
import { totpSecrets } from './totp-credentials.js';
import type { SealedStore, Settling } from './sealed-table.js';
import { queuedMailLinks } from '../mail/outbox.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'keyring'>;

export const SEALED_STORES: readonly SealedStore[] = [totpSecrets, recoveryCodeReveals, queuedMailLinks];

/**
 * Refuses to start when the database holds secrets under a key id this instance lacks (another
 * instance's generated key file, a lost key) or under a key id it has with another key (a typo,
 * a key regenerated under an old id): better than failing at every sign-in.
 */
export async function checkKeysOpenSecrets(ctx: Ctx): Promise<void> {
  for (const store of SEALED_STORES) {
    for (const keyId of await store.keyIds(ctx)) {
      if (!ctx.keyring.byId.has(keyId)) {
        throw new KeyringError(`The database holds ${store.what} encrypted with key "${keyId}", which this instance does not have. `
          + 'Every instance must share the same keys: set HMS_ENCRYPTION_KEYS (see `hms keygen`) or copy the key file.');
      }
      if (!(await store.opensWith(ctx, keyId))) {
        throw new KeyringError(`Encryption key "${keyId}" does not open the ${store.what} stored under that id: this instance has another key under `
          + `the same id. Give it the key "${keyId}" was made with (HMS_ENCRYPTION_KEYS or the key file), exactly as the other instances have it.`);
      }
    }
  }
}

export interface RekeyProgress {
  done: number;
  total: number;
}

/** Secrets re-sealed under the current key, and per kind of secret those no key opened, settled as its store says. */
export interface RekeyOutcome {
  resealed: number;
  settled: { settling: Settling; count: number }[];
}

/**
 * Re-seals every secret under the current key, a batch per transaction. A crash loses at most
 * the batch in flight (rolled back); running it again carries on, since what is left to do is
 * exactly what is not under the current key.
 */
export async function rekeyAll(ctx: Ctx, options: { batchSize: number; pauseMs?: number; onBatch?: (progress: RekeyProgress) => void }): Promise<RekeyOutcome> {
  let total = 0;
  for (const store of SEALED_STORES) total += await store.countStale(ctx);
  const outcome: RekeyOutcome = { resealed: 0, settled: [] };
  let done = 0;
  for (const store of SEALED_STORES) {
    let settled = 0;
    for (;;) {
      const batch = await store.rekeyBatch(ctx, options.batchSize);
      if (batch.resealed + batch.settled === 0) break;
      outcome.resealed += batch.resealed;
      settled += batch.settled;
      done += batch.resealed + batch.settled;
      options.onBatch?.({ done, total: Math.max(total, done) });
      // Room for the requests of a busy database between batches.
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    // A store without `settles` throws at a row no key opens: it never gets here with one.
    if (settled > 0 && store.settles) outcome.settled.push({ settling: store.settles, count: settled });
  }
  return outcome;
}

/** Key ids some secret is still sealed under, current key included. */
export async function keyIdsInUse(ctx: Ctx): Promise<string[]> {
  const ids = new Set<string>();
  for (const store of SEALED_STORES) for (const id of await store.keyIds(ctx)) ids.add(id);
  return [...ids].sort();
}
