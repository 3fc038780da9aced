// The cookies HMS sets. With HTTPS they carry the __Host- prefix: Secure, host-only, path /, so a
// sibling subdomain cannot plant or overwrite them.
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DAY } from '../clock.js';
import type { Config } from '../config.js';
import { REMEMBER_DEVICE_DAYS } from '../auth/devices.js';
import { KNOWN_BROWSER_DAYS } from '../auth/known-browsers.js';
import { isWellFormedToken } from '../auth/tokens.js';

const MAX_TOKENS = 10; // accounts remembered (or known) on one browser: enough for a shared workstation

export interface CookieNames {
  session: string;
  device: string;
  /** The browser is known for these accounts: exempt from lockouts strangers cause (not a factor). */
  known: string;
  csrf: string;
  /** The browser that proved its second factor through a password-reset link: only it sets the password. */
  reset: string;
}

export function cookieNames(config: Pick<Config, 'secureCookies'>): CookieNames {
  const prefix = config.secureCookies ? '__Host-' : '';
  return { session: `${prefix}hms_session`, device: `${prefix}hms_device`, known: `${prefix}hms_known`, csrf: `${prefix}hms_csrf`, reset: `${prefix}hms_reset` };
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
  return tokensIn(request, cookieNames(request.server.ctx.config).device);
}

/** Writes the browser's device tokens, newest first; the cookie lives as long as the newest one. */
export function setDeviceTokens(reply: FastifyReply, tokens: string[]): void {
  setTokens(reply, cookieNames(reply.server.ctx.config).device, tokens, REMEMBER_DEVICE_DAYS * DAY);
}

/** The known-browser tokens this browser holds, one per account it fully signed in to. */
export function knownBrowserTokens(request: FastifyRequest): string[] {
  return tokensIn(request, cookieNames(request.server.ctx.config).known);
}

/** Writes the browser's known-browser tokens, newest first. Signing out leaves the cookie. */
export function setKnownBrowserTokens(reply: FastifyReply, tokens: string[]): void {
  setTokens(reply, cookieNames(reply.server.ctx.config).known, tokens, KNOWN_BROWSER_DAYS * DAY);
}

function tokensIn(request: FastifyRequest, name: string): string[] {
  return (request.cookies[name] ?? '').split('.').filter(isWellFormedToken).slice(0, MAX_TOKENS);
}

function setTokens(reply: FastifyReply, name: string, tokens: string[], lifetime: number): void {
  const { config } = reply.server.ctx;
  const kept = [...new Set(tokens)].slice(0, MAX_TOKENS);
  if (kept.length === 0) {
    reply.clearCookie(name, baseCookieOptions(config));
    return;
  }
  reply.setCookie(name, kept.join('.'), { ...baseCookieOptions(config), maxAge: lifetime / 1000 });
}

/** A password-reset link's browser token: set when the second factor is proven, for 10 minutes. */
export function setResetBrowserCookie(reply: FastifyReply, token: string, lifetimeMs: number): void {
  const { config } = reply.server.ctx;
  reply.setCookie(cookieNames(config).reset, token, { ...baseCookieOptions(config), maxAge: lifetimeMs / 1000 });
}

export function resetBrowserToken(request: FastifyRequest): string | undefined {
  const token = request.cookies[cookieNames(request.server.ctx.config).reset];
  return token && isWellFormedToken(token) ? token : undefined;
}

export function clearResetBrowserCookie(reply: FastifyReply): void {
  const { config } = reply.server.ctx;
  reply.clearCookie(cookieNames(config).reset, baseCookieOptions(config));
}
