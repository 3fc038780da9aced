// Periodic clean-up of rows that no longer mean anything, off the request path.
import type { FastifyBaseLogger } from 'fastify';
import { deleteEventsBefore, recordEvent } from './auth/audit.js';
import { deleteEndedSessions } from './auth/sessions.js';
import { deleteStaleThrottles } from './auth/throttles.js';
import { deleteExpiredDevices } from './auth/devices.js';
import { deleteExpiredKnownBrowsers } from './auth/known-browsers.js';
import { deleteSpentSetupTokens } from './auth/setup-link.js';
import { deleteAbandonedEnrollments } from './auth/totp-credentials.js';
import { deleteExpiredChallenges } from './auth/webauthn-challenges.js';
import { DAY, MINUTE } from './clock.js';
import type { AppContext } from './context.js';
import { sweepTimeRules } from './health/derived-data.js';
import { deleteOldMail } from './mail/outbox.js';
import { deleteSpentPasswordResets } from './auth/password-resets.js';

const INTERVAL = 10 * MINUTE;
/** Expired or revoked remembered devices stay listed this long, then go. */
const DEVICE_HISTORY = 90 * DAY;

/**
 * One sweep: ended sessions go (each reported once in the audit log), stale counters too, and
 * audit events older than the retention (HMS_AUDIT_RETENTION_DAYS).
 */
export async function sweep(ctx: AppContext): Promise<{ sessions: number; auditEvents: number }> {
  const ended = await deleteEndedSessions(ctx);
  for (const session of ended) {
    const reason = session.expires_at <= ctx.clock.now() ? 'lifetime' : 'idle';
    await recordEvent(ctx, {
      event: 'session.expired', subjectUserId: session.user_id,
      details: { stage: session.stage, reason, started_at: new Date(session.created_at).toISOString() },
    });
  }
  await deleteStaleThrottles(ctx);
  await deleteAbandonedEnrollments(ctx, ctx.clock.now() - ctx.config.pendingSessionMinutes * MINUTE);
  await deleteExpiredDevices(ctx, ctx.clock.now() - DEVICE_HISTORY);
  await deleteSpentSetupTokens(ctx);
  await deleteExpiredChallenges(ctx);
  await deleteExpiredKnownBrowsers(ctx);
  // Sent or given-up messages (their payload already gone) stay a month for the console, then go.
  await deleteOldMail(ctx, ctx.clock.now() - 30 * DAY);
  await deleteSpentPasswordResets(ctx);
  const auditEvents = await deleteEventsBefore(ctx, ctx.clock.now() - ctx.config.auditRetentionDays * DAY);
  // Flags that time alone brings: a day that has ended (low wear, resting HR), no recent data.
  await sweepTimeRules(ctx);
  return { sessions: ended.length, auditEvents };
}

export function startMaintenance(ctx: AppContext, log: FastifyBaseLogger): () => void {
  const run = async () => {
    try {
      const { sessions, auditEvents } = await sweep({ ...ctx, log });
      if (sessions > 0) log.info({ sessions }, 'removed ended sessions');
      if (auditEvents > 0) log.info({ auditEvents, retentionDays: ctx.config.auditRetentionDays }, 'removed audit events past their retention');
    } catch (error) {
      log.warn({ err: error }, 'maintenance failed; will retry');
    }
  };
  void run();
  const timer = setInterval(run, INTERVAL);
  timer.unref();
  return () => clearInterval(timer);
}
