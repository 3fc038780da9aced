import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSession } from '../auth/sessions.js';
import { clearSessionCookie, sessionToken } from './cookies.js';

/** Looks up the session cookie; a cookie that names no live session is cleared. */
export async function loadSession(request: FastifyRequest, reply: FastifyReply): Promise<'valid' | 'ended' | 'none'> {
  const lookup = await findSession(request.server.ctx, sessionToken(request));
  request.current = lookup.status === 'valid' ? lookup.current : null;
  if (lookup.status === 'ended') clearSessionCookie(reply);
  return lookup.status;
}
