// Support sends a given-up message again ("Send again" on the console's mail page). Only what
// stays true goes again as it is: a security notice says what happened and when. A password-reset
// or invitation link is a credential that expires (30 minutes, 72 hours) and is void as soon as a
// newer one is issued; HMS drops it when its message fails, and support sends a new link from the
// account page instead, which also voids any copy of the old one.
import type { AppContext } from '../context.js';
import { recordEvent } from '../auth/audit.js';
import type { ClientInfo } from '../auth/sessions.js';
import { outboxEntry, requeueFailed, RESENDABLE_KINDS, type OutboxEntry } from './outbox.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'log'>;

/** Why a message cannot be sent again: it is not failed (any more), it held a link, or its content is gone. */
export type ResendRefusal = 'not-failed' | 'single-use-link' | 'content-gone';

export interface Admin {
  userId: string;
  client: ClientInfo;
}

/** Null when "Send again" may put this message back in the queue. */
export function resendRefusal(entry: Pick<OutboxEntry, 'kind' | 'failedAt' | 'hasContent'>): ResendRefusal | null {
  if (entry.failedAt === null) return 'not-failed';
  if (!RESENDABLE_KINDS.includes(entry.kind)) return 'single-use-link';
  if (!entry.hasContent) return 'content-gone'; // given up before failed notices were kept
  return null;
}

export type ResendOutcome = { requeued: true } | { requeued: false; refusal: ResendRefusal; userId: string | null };

/** Puts one failed message back in the queue for the sender's next round, with its audit entry. */
export async function sendAgain(ctx: Ctx, admin: Admin, id: string): Promise<ResendOutcome> {
  const entry = await outboxEntry(ctx, id);
  if (!entry || entry.sentAt !== null) return { requeued: false, refusal: 'not-failed', userId: entry?.userId ?? null };
  const refusal = resendRefusal(entry);
  if (refusal) return { requeued: false, refusal, userId: entry.userId };
  const moved = await requeueAudited(ctx, admin, id);
  // Another admin (or a second press) moved it between the read and the update: nothing to do twice.
  return moved === 1 ? { requeued: true } : { requeued: false, refusal: 'not-failed', userId: entry.userId };
}

/** Every failed message that may go again, back in the queue; returns how many. */
export async function sendAllAgain(ctx: Ctx, admin: Admin): Promise<number> {
  return requeueAudited(ctx, admin);
}

/** The update and one audit row per message in one transaction: a message is queued again recorded, or not at all. */
async function requeueAudited(ctx: Ctx, admin: Admin, only?: string): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const moved = await requeueFailed(ctx, trx, only);
    for (const message of moved) {
      // The message's id and kind only: its recipient is the subject, its content stays in the outbox.
      await recordEvent({ ...ctx, db: trx }, {
        event: 'admin.mail_resent', actorUserId: admin.userId, subjectUserId: message.userId,
        clientIp: admin.client.clientIp, userAgent: admin.client.userAgent,
        details: { message_id: message.id, kind: message.kind, ...(only === undefined ? { all: true } : {}) },
      });
    }
    return moved.length;
  });
}
