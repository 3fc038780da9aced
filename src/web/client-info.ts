import type { FastifyRequest } from 'fastify';
import { USER_AGENT_MAX, type ClientInfo } from '../auth/sessions.js';

/** The client address (after trusted proxies only) and user agent, for sessions, devices and audit. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  return { clientIp: request.ip, userAgent: String(request.headers['user-agent'] ?? '').slice(0, USER_AGENT_MAX) };
}
