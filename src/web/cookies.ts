// The cookies HMS sets. With HTTPS they carry the __Host- prefix: Secure, host-only, path /, so a
// sibling subdomain cannot plant or overwrite them.
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DAY } from '../clock.js';
import type { Config } from '../config.js';
import { REMEMBER_DEVICE_DAYS } from '../auth/devices.js';
import { isWellFormedToken } from '../auth/tokens.js';

const MAX_DEVICE_TOKENS = 10; // accounts remembered on one browser: enough for a shared workstation

export interface CookieNames {
  session: string;
  device: string;
  csrf: string;
}

export function cookieNames(config: Pick<Config, 'secureCookies'>): CookieNames {
  const prefix = config.secureCookies ? '__Host-' : '';
  return { session: `${prefix}hms_session`, device: `${prefix}hms_device`, csrf: `${prefix}hms_csrf` };
}

export function baseCookieOptions(config: Pick<Config, 'secureCookies'>): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies };
}

/** No Max-Age: the session ends when the browser closes, or earlier on the server's word. */
export function setSessionCookie(reply: FastifyReply, token: string): void {
  const { config } = reply.server.ctx;
  reply.setCookie(cookieNames(config).session, token, baseCookieOptions(config));
}

export function clearSessionCookie(reply: FastifyReply): void {
  const { config } = reply.server.ctx;
  reply.clearCookie(cookieNames(config).session, baseCookieOptions(config));
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[cookieNames(request.server.ctx.config).session];
}

/**
 * The remembered-device tokens this browser holds, one per remembered account. Anything that
 * is not a well-formed token is dropped here.
 */
export function deviceTokens(request: FastifyRequest): string[] {
  const raw = request.cookies[cookieNames(request.server.ctx.config).device] ?? '';
  return raw.split('.').filter(isWellFormedToken).slice(0, MAX_DEVICE_TOKENS);
}

/** Writes the browser's device tokens, newest first; the cookie lives as long as the newest one. */
export function setDeviceTokens(reply: FastifyReply, tokens: string[]): void {
  const { config } = reply.server.ctx;
  const name = cookieNames(config).device;
  const kept = [...new Set(tokens)].slice(0, MAX_DEVICE_TOKENS);
  if (kept.length === 0) {
    reply.clearCookie(name, baseCookieOptions(config));
    return;
  }
  reply.setCookie(name, kept.join('.'), { ...baseCookieOptions(config), maxAge: (REMEMBER_DEVICE_DAYS * DAY) / 1000 });
}
