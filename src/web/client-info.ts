import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../auth/sessions.js';

/** The client address (after trusted proxies only) and user agent, for sessions, devices and audit. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  return { clientIp: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
}
