import type { FastifyRequest } from 'fastify';
import { recordEvent, recordView, type AuditDetails, type AuditEventName } from '../auth/audit.js';
import { secondFactorLockedUntil } from '../auth/throttles.js';
import type { AppContext } from '../context.js';
import { clientInfo } from './client-info.js';

interface AuditFields {
  actorUserId?: string | null;
  subjectUserId?: string | null;
  patientId?: string | null;
  recordId?: string | null;
  details?: AuditDetails;
}

/** The application context with this request's logger: events written through it carry the request id. */
export function requestContext(request: FastifyRequest): AppContext {
  return { ...request.server.ctx, log: request.log };
}

/** Records a security event with this request's client address and user agent. */
export function audit(request: FastifyRequest, event: AuditEventName, fields: AuditFields = {}): Promise<void> {
  const { clientIp, userAgent } = clientInfo(request);
  return recordEvent(requestContext(request), { event, clientIp, userAgent, ...fields });
}

/** The signed-in user opened a patient or a recording (coalesced: one row per 10 minutes). */
export async function auditView(request: FastifyRequest, view: { patientId: string } | { recordId: string }): Promise<void> {
  const { clientIp, userAgent } = clientInfo(request);
  await recordView(requestContext(request), { ...view, actorUserId: request.current!.user.id, clientIp, userAgent });
}

/** A wrong code has just locked the account's second factor: recorded; returns until when. */
export async function auditCodeLock(request: FastifyRequest, userId: string): Promise<number> {
  const until = (await secondFactorLockedUntil(request.server.ctx, userId))!;
  await audit(request, 'account.locked', { subjectUserId: userId, details: { factor: 'code', until: new Date(until).toISOString() } });
  return until;
}
