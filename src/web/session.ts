import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSession } from '../auth/sessions.js';
import { clearSessionCookie, sessionToken } from './cookies.js';

/** Looks up the session cookie; a cookie that names no live session is cleared. */
export async function loadSession(request: FastifyRequest, reply: FastifyReply): Promise<'valid' | 'ended' | 'none'> {
  const lookup = await findSession(request.server.ctx, sessionToken(request));
  request.current = lookup.status === 'valid' ? lookup.current : null;
  if (request.current) bindUserToLog(request, reply, request.current.user.id);
  if (lookup.status === 'ended') clearSessionCookie(reply);
  return lookup.status;
}

const loggedUser = new WeakMap<FastifyRequest, string>();

/** From here on, every log line of this request names the account making it. */
export function bindUserToLog(request: FastifyRequest, reply: FastifyReply, userId: string): void {
  if (loggedUser.get(request) === userId) return; // a second look-up in the same request
  loggedUser.set(request, userId);
  const log = request.log.child({ userId });
  request.log = log;
  reply.log = log;
}
