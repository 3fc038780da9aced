// "Forgot your password?" (issue #15). The request answers alike, and in the same time, whether or
// not the address has an account. The link asks for the second factor first (same limits, lock
// and replay rules as a sign-in), and only then, in the browser that proved it, the new password.
//
// A security key is accepted as that second factor, with or without its PIN, although a key without
// PIN does not count as a fresh factor for step-up: recovery must not lower the authentication
// level (NIST SP 800-63B), and it does not. The password is what was lost; what remains is a
// possession factor, the key, exactly as the phone's code is one, proven over a challenge bound to
// this link, plus the mailbox. Asking for the password being replaced would defeat the purpose, and
// the new one still needs a second factor at each sign-in. Step-up is another matter: there a key
// without PIN would replace a fresh check of the person by mere presence of a device already in use.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EMAIL_MAX_LENGTH, emailProblem, findAccountByEmail, normalizeEmail } from '../../auth/accounts.js';
import {
  completePasswordReset, countResetRequest, issuePasswordReset, mayChoosePassword, mayResetPassword, openResetLink,
  RESET_FACTOR_WINDOW, RESET_LINK_LIFETIME, reserveResetGuess, resetFactorProven, voidResetLink, type OpenReset,
} from '../../auth/password-resets.js';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '../../auth/password-policy.js';
import { normalizeRecoveryCode, useRecoveryCode } from '../../auth/recovery-codes.js';
import { addressGuessSucceeded, codeSucceeded, reserveAddressGuess, reserveCodeAttempt, secondFactorLockedUntil } from '../../auth/throttles.js';
import { normalizeCode } from '../../auth/totp.js';
import { hasAuthenticator, verifyCode } from '../../auth/totp-credentials.js';
import { newToken } from '../../auth/tokens.js';
import { recordEvent } from '../../auth/audit.js';
import { authenticationOptions, hasSecurityKey, parseAssertionResponse, verifySecurityKey } from '../../auth/security-keys.js';
import { AccountError } from '../../auth/accounts.js';
import type { MessageKey } from '../../i18n/translate.js';
import { audit, auditCodeLock, requestContext } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { clearResetBrowserCookie, resetBrowserToken, setResetBrowserCookie } from '../cookies.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field, optionalField } from '../validation.js';
import { DeadLinkPage } from '../views/dead-link.js';
import { describeWait, throttledMessage } from '../wait.js';
import { requestTranslator } from '../language.js';
import { ForgotPasswordPage, LinkSentPage, NewPasswordPage, NoSecondFactorPage, ResetFactorPage, ResetLockedPage, type ResetMethod } from './views.js';

const PUBLIC = { access: 'public' } as const;
/** Every answer to a request for a link takes at least this long, whatever was done for it. */
export const FORGOT_ANSWER_MS = 400;

const forgotForm = z.object({ email: field('field.email', EMAIL_MAX_LENGTH), _csrf: csrfField });
const params = z.object({ token: field('field.passwordResetLink', 100) });
const linkQuery = z.object({ with: z.enum(['recovery', 'key']).optional().catch(undefined) });
const codeForm = z.object({ code: field('field.code', 64), _csrf: csrfField });
const recoveryForm = z.object({ recovery_code: field('field.recoveryCode', 64), _csrf: csrfField });
const keyForm = z.object({ credential: field('field.securityKeyAnswer', 32_000), _csrf: csrfField });
const passwordForm = z.object({
  new_password: field('field.newPassword', PASSWORD_MAX_LENGTH),
  new_password_again: field('field.newPasswordAgain', PASSWORD_MAX_LENGTH),
  username: optionalField('field.email', EMAIL_MAX_LENGTH),
  _csrf: csrfField,
});

type Params = z.infer<typeof params>;
/** What a guess at the second factor through a link came to. */
type Checked = { ok: true; factor: 'totp' | 'recovery_code' | 'security_key'; keyId?: string }
  | { ok: false; error: string; event: 'sign_in.code_failed' | 'sign_in.code_replayed' | 'sign_in.recovery_code_failed' | 'sign_in.security_key_failed'; reason?: string };

/** What a refused recovery code is told, by outcome. */
const RECOVERY_PROBLEMS = {
  wrong: 'password.recovery.wrong',
  'already-used': 'password.recovery.alreadyUsed',
} as const satisfies Record<string, MessageKey>;

export const passwordResetRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const mailEnabled = Boolean(ctx.config.smtpUrl);
  const base = (token: string) => `/password/reset/${encodeURIComponent(token)}`;
  const deadLink = (reply: FastifyReply) => sendPage(reply, 404, <DeadLinkPage kind="password-reset" message={reply.request.t('password.reset.linkInvalid')} />);

  app.get('/password/forgot', { config: PUBLIC }, async (_request, reply) => sendPage(reply, 200, <ForgotPasswordPage mailEnabled={mailEnabled} />));

  app.post<{ Body: z.infer<typeof forgotForm> }>('/password/forgot', { config: PUBLIC, schema: { body: forgotForm } }, async (request, reply) => {
    const started = performance.now();
    const email = normalizeEmail(request.body.email);
    const problem = emailProblem(email);
    if (!mailEnabled) return sendPage(reply, 200, <ForgotPasswordPage mailEnabled={false} />);
    if (problem) return sendPage(reply, 400, <ForgotPasswordPage mailEnabled email={request.body.email} error={request.t(problem.key, problem.values)} />);
    const client = clientInfo(request);
    if (!(await countResetRequest(ctx, email, client.clientIp))) {
      await audit(request, 'password.reset_requested', { details: { outcome: 'limited' } });
      reply.header('retry-after', 3600);
      return sendPage(reply, 429, <ForgotPasswordPage mailEnabled email={request.body.email} error={request.t('password.forgot.tooMany')} />);
    }
    const user = await findAccountByEmail(ctx, email);
    if (user && mayResetPassword(user)) {
      await ctx.db.transaction().execute(async (trx) => {
        await issuePasswordReset({ ...ctx, db: trx }, trx, user, null);
        await recordEvent({ ...requestContext(request), db: trx }, {
          event: 'password.reset_link_sent', subjectUserId: user.id, clientIp: client.clientIp, userAgent: client.userAgent, details: { via: 'forgot-password' },
        });
      });
    } else {
      const reason = !user ? 'unknown-address' : user.disabled_at !== null ? 'account-disabled' : 'invitation-pending';
      await audit(request, 'password.reset_requested', { subjectUserId: user?.id ?? null, details: { outcome: 'no-link', reason } });
    }
    // Whatever happened above, the answer leaves at the same moment (bench/forgot-password measures it).
    const left = FORGOT_ANSWER_MS - (performance.now() - started);
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    return sendPage(reply, 200, <LinkSentPage minutes={RESET_LINK_LIFETIME / 60_000} />);
  });

  /**
   * The link's state for this browser: dead, password next, or the second factor (or why not). The
   * key step gets a new challenge for this link, unless `ceremony` is false (a malformed answer:
   * nothing is written for it).
   */
  async function linkPage(request: FastifyRequest, reply: FastifyReply, token: string, method: ResetMethod, status = 200, error: string | null = null, ceremony = true) {
    const open = await openResetLink(ctx, token);
    if (!open) return deadLink(reply);
    if (mayChoosePassword(ctx, open.reset, resetBrowserToken(request))) return sendPage(reply, 200, <NewPasswordPage action={`${base(token)}/password`} email={open.user.email} />);
    if (!(await hasAuthenticator(ctx, open.user.id))) return sendPage(reply, 403, <NoSecondFactorPage />);
    const lockedUntil = await secondFactorLockedUntil(ctx, open.user.id);
    if (lockedUntil) return sendLocked(reply, lockedUntil);
    const hasKey = await hasSecurityKey(ctx, open.user.id);
    const shown = method === 'key' && !hasKey ? 'code' : method;
    const keyOptionsJson = shown === 'key' && ceremony ? JSON.stringify(await authenticationOptions(ctx, open.user.id, { resetHash: open.reset.token_hash })) : null;
    return sendPage(reply, status, <ResetFactorPage base={base(token)} email={open.user.email} method={shown} hasSecurityKey={hasKey} keyOptionsJson={keyOptionsJson} error={error} />);
  }

  function sendLocked(reply: FastifyReply, lockedUntil: number) {
    const wait = lockedUntil - ctx.clock.now();
    reply.header('retry-after', Math.ceil(wait / 1000));
    return sendPage(reply, 429, <ResetLockedPage wait={describeWait(wait, requestTranslator(reply.request))} />);
  }

  app.get<{ Params: Params; Querystring: z.infer<typeof linkQuery> }>('/password/reset/:token', { config: PUBLIC, schema: { params, querystring: linkQuery } },
    async (request, reply) => linkPage(request, reply, request.params.token, request.query.with ?? 'code'));

  /**
   * One guess at the second factor through a link, under every limit of a sign-in's guesses: the
   * client address, this link (5 wrong answers void it), the account (10 lock it). A security key's
   * signature cannot be guessed, but its answers count alike, so a script cannot loop on them.
   */
  async function guess(request: FastifyRequest, reply: FastifyReply, token: string, method: ResetMethod, check: (open: OpenReset) => Promise<Checked>) {
    const open = await openResetLink(ctx, token);
    if (!open) return deadLink(reply);
    if (!(await hasAuthenticator(ctx, open.user.id))) return sendPage(reply, 403, <NoSecondFactorPage />);
    if (method === 'key' && !(await hasSecurityKey(ctx, open.user.id))) return redirect(reply, base(token));
    const address = await reserveAddressGuess(ctx, clientInfo(request).clientIp);
    if ('limited' in address) {
      reply.header('retry-after', Math.ceil(address.retryAfterMs / 1000));
      return linkPage(request, reply, token, method, 429, throttledMessage(address, requestTranslator(request)));
    }
    const remaining = await reserveResetGuess(ctx, open.reset);
    if (remaining === null) return deadLink(reply);
    // The link's fifth guess voids it whatever else happens to this one (the account locked by it, or already).
    const lastGuess = async () => { if (remaining === 0) await voidResetLink(ctx, open.reset); };
    const attempt = await reserveCodeAttempt(ctx, open.user.id);
    if (!attempt.counted) {
      await lastGuess();
      return sendLocked(reply, attempt.lockedUntil);
    }
    const result = await check(open);
    if (result.ok) {
      await codeSucceeded(ctx, open.user.id);
      await addressGuessSucceeded(ctx, address);
      await audit(request, 'password.reset_factor_verified', {
        actorUserId: open.user.id, subjectUserId: open.user.id, details: { second_factor: result.factor, ...(result.keyId ? { key_id: result.keyId } : {}) },
      });
      const browser = newToken();
      await resetFactorProven(ctx, open.reset, browser);
      setResetBrowserCookie(reply, browser, RESET_FACTOR_WINDOW);
      return redirect(reply, base(token));
    }
    await audit(request, result.event, { subjectUserId: open.user.id, details: { step: 'password-reset', ...(result.reason ? { reason: result.reason } : {}) } });
    await lastGuess();
    if (attempt.locksNow) return sendLocked(reply, await auditCodeLock(request, open.user.id));
    if (remaining === 0) return deadLink(reply);
    return linkPage(request, reply, token, method, 401, result.error);
  }

  app.post<{ Params: Params; Body: z.infer<typeof codeForm> }>('/password/reset/:token/code', { config: PUBLIC, schema: { params, body: codeForm } },
    async (request, reply) => {
      const code = normalizeCode(request.body.code);
      if (!code) return linkPage(request, reply, request.params.token, 'code', 400, request.t('signin.code.malformed'));
      return guess(request, reply, request.params.token, 'code', async (open) => {
        const result = await verifyCode(ctx, open.user.id, code);
        if (result === 'accepted') return { ok: true, factor: 'totp' };
        return { ok: false, error: request.t(result === 'replayed' ? 'password.code.replayed' : 'password.code.wrong'), event: result === 'replayed' ? 'sign_in.code_replayed' : 'sign_in.code_failed' };
      });
    });

  app.post<{ Params: Params; Body: z.infer<typeof recoveryForm> }>('/password/reset/:token/recovery', { config: PUBLIC, schema: { params, body: recoveryForm } },
    async (request, reply) => {
      const code = normalizeRecoveryCode(request.body.recovery_code);
      if (!code) return linkPage(request, reply, request.params.token, 'recovery', 400, request.t('signin.recovery.malformed'));
      return guess(request, reply, request.params.token, 'recovery', async (open) => {
        const result = await useRecoveryCode(ctx, open.user.id, code);
        if (result.outcome === 'accepted') {
          await audit(request, 'recovery_code.used', { actorUserId: open.user.id, subjectUserId: open.user.id, details: { step: 'password-reset', remaining: result.remaining } });
          return { ok: true, factor: 'recovery_code' };
        }
        return { ok: false, error: request.t(RECOVERY_PROBLEMS[result.outcome]), event: 'sign_in.recovery_code_failed', reason: result.outcome };
      });
    });

  // The answer is checked for shape before anything is counted or any challenge spent; the
  // challenge is this link's (taken by the first answer, right or wrong), so an answer made for a
  // sign-in or for another link is refused. No PIN required: see the top of this file.
  app.post<{ Params: Params; Body: z.infer<typeof keyForm> }>('/password/reset/:token/key', { config: PUBLIC, schema: { params, body: keyForm } },
    async (request, reply) => {
      const response = parseAssertionResponse(request.body.credential);
      if (!response) return linkPage(request, reply, request.params.token, 'key', 400, request.t('password.key.malformed'), false);
      return guess(request, reply, request.params.token, 'key', async (open) => {
        const result = await verifySecurityKey(ctx, open.user.id, { resetHash: open.reset.token_hash }, response);
        if (result.outcome === 'accepted') return { ok: true, factor: 'security_key', keyId: result.key.id };
        return { ok: false, error: request.t('password.key.failed'), event: 'sign_in.security_key_failed' };
      });
    });

  app.post<{ Params: Params; Body: z.infer<typeof passwordForm> }>('/password/reset/:token/password', { config: PUBLIC, schema: { params, body: passwordForm } },
    async (request, reply) => {
      const { token } = request.params;
      const open = await openResetLink(ctx, token);
      if (!open) return deadLink(reply);
      // Without the second factor proven in this browser, no password is even looked at.
      if (!mayChoosePassword(ctx, open.reset, resetBrowserToken(request))) return redirect(reply, base(token));
      const { new_password: password, new_password_again: again } = request.body;
      const page = (errors: { new_password?: string; new_password_again?: string }) =>
        sendPage(reply, 400, <NewPasswordPage action={`${base(token)}/password`} email={open.user.email} errors={errors} />);
      const problem = passwordProblem(password, open.user);
      if (problem) return page({ new_password: request.t(problem.key, problem.values) });
      if (password !== again) return page({ new_password_again: request.t('password.newPassword.differ') });
      try {
        await completePasswordReset(requestContext(request), open, password, clientInfo(request));
      } catch (error) {
        if (error instanceof AccountError) return deadLink(reply);
        throw error;
      }
      clearResetBrowserCookie(reply);
      return redirect(reply, '/login?notice=password-reset');
    });
};
