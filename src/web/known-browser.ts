// After a full sign-in, this browser is known for the account (OWASP device cookie): its later
// password attempts for that account are exempt from the lockouts strangers cause.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { liveKnownBrowserTokens, recognizeBrowser } from '../auth/known-browsers.js';
import { knownBrowserTokens, setKnownBrowserTokens } from './cookies.js';

/** `recognized`: the token recognizeBrowser already gave for this sign-in (the code step does it in its transaction). */
export async function markBrowserKnown(request: FastifyRequest, reply: FastifyReply, userId: string, recognized?: string): Promise<void> {
  const { ctx } = request.server;
  const held = knownBrowserTokens(request);
  const token = recognized ?? await recognizeBrowser(ctx, userId, held);
  const others = await liveKnownBrowserTokens(ctx, held.filter((other) => other !== token));
  setKnownBrowserTokens(reply, [token, ...others]);
}
