import type { FastifyRequest } from 'fastify';
import { recordEvent, type AuditDetails, type AuditEventName } from '../auth/audit.js';
import { clientInfo } from './client-info.js';

/** Records a security event with this request's client address and user agent. */
export function audit(request: FastifyRequest, event: AuditEventName,
  fields: { actorUserId?: string | null; subjectUserId?: string | null; details?: AuditDetails } = {}): Promise<void> {
  const { clientIp, userAgent } = clientInfo(request);
  return recordEvent(request.server.ctx, { event, clientIp, userAgent, ...fields });
}
