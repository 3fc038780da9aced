// The one-time links that set a first password (setup, invitation) go on to pairing in the same
// browser: the link stood for the password step, so nobody else gets a window to pair first.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { endSession, startPendingSession } from '../../auth/sessions.js';
import type { User } from '../../db/schema.js';
import { clientInfo } from '../client-info.js';
import { setSessionCookie } from '../cookies.js';
import { redirect } from '../render.js';
import { loadSession } from '../session.js';

export async function continueToPairing(request: FastifyRequest, reply: FastifyReply, user: Pick<User, 'id'>): Promise<FastifyReply> {
  const { ctx } = request.server;
  if ((await loadSession(request, reply)) === 'valid') await endSession(ctx, request.current!.session);
  setSessionCookie(reply, await startPendingSession(ctx, user.id, clientInfo(request), null));
  return redirect(reply, '/mfa/setup');
}
