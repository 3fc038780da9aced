import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSession } from '../auth/sessions.js';
import { LOGGED_USER } from '../log.js';
import { clearSessionCookie, sessionToken } from './cookies.js';

/** Looks up the session cookie; a cookie that names no live session is cleared. */
export async function loadSession(request: FastifyRequest, reply: FastifyReply): Promise<'valid' | 'ended' | 'none'> {
  const lookup = await findSession(request.server.ctx, sessionToken(request));
  request.current = lookup.status === 'valid' ? lookup.current : null;
  if (request.current) bindUserToLog(request, request.current.user.id);
  if (lookup.status === 'ended') clearSessionCookie(reply);
  return lookup.status;
}

/**
 * From here on, every log line of this request names the account making it. Kept on the request's
 * own logger and added by the logger's mixin (log.ts) to the lines written only.
 */
export function bindUserToLog(request: FastifyRequest, userId: string): void {
  // request.log is the child Fastify made for this request alone (reply.log is the same one).
  (request.log as { [LOGGED_USER]?: string })[LOGGED_USER] = userId;
}
