import type { FastifyRequest } from 'fastify';
import { recordEvent, type AuditDetails, type AuditEventName } from '../auth/audit.js';
import { secondFactorLockedUntil } from '../auth/throttles.js';
import { clientInfo } from './client-info.js';

/** Records a security event with this request's client address and user agent. */
export function audit(request: FastifyRequest, event: AuditEventName,
  fields: { actorUserId?: string | null; subjectUserId?: string | null; details?: AuditDetails } = {}): Promise<void> {
  const { clientIp, userAgent } = clientInfo(request);
  return recordEvent(request.server.ctx, { event, clientIp, userAgent, ...fields });
}

/** A wrong code has just locked the account's second factor: recorded; returns until when. */
export async function auditCodeLock(request: FastifyRequest, userId: string): Promise<number> {
  const until = (await secondFactorLockedUntil(request.server.ctx, userId))!;
  await audit(request, 'account.locked', { subjectUserId: userId, details: { factor: 'code', until: new Date(until).toISOString() } });
  return until;
}
