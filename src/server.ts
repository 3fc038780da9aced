// Builds the HTTP application from its plugins. No listening here: the CLI listens, tests inject.
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './context.js';
import { EvaluationWorker } from './health/evaluation-jobs.js';
import { loggerOptions, requestIdOf } from './log.js';
import { MailSender } from './mail/sender.js';
import { measureRequests } from './metrics/http.js';
import { accountRoutes } from './web/account/routes.js';
import { registerAssets } from './web/assets.js';
import { frameworkErrorPage, registerErrorPages } from './web/errors.js';
import { accessGuard } from './web/guards.js';
import { languageRoutes, registerLanguage } from './web/language.js';
import { loginRoutes } from './web/login/routes.js';
import { logoutRoutes } from './web/logout/routes.js';
import { mfaRoutes } from './web/mfa/routes.js';
import { recoveryRoutes } from './web/mfa/recovery.js';
import { securityKeySignInRoutes } from './web/mfa/security-key.js';
import { patientRoutes } from './web/patients/routes.js';
import { recordRoutes } from './web/records/routes.js';
import { probeRoutes } from './web/probes.js';
import { reportRoutes } from './web/report/routes.js';
import { registerSecurity } from './web/security.js';
import { setupRoutes } from './web/setup/routes.js';
import { adminRoutes } from './web/admin/routes.js';
import { invitationRoutes } from './web/invitation/routes.js';
import { erasureRoutes } from './web/erasure/routes.js';
import { rePairRoutes } from './web/re-pair/routes.js';
import { stepUpRoutes } from './web/step-up/routes.js';
import { httpTimeouts, limitFormBodyTime } from './web/time-limits.js';
import { ruleRoutes } from './web/rules/routes.js';
import { passwordResetRoutes } from './web/password/routes.js';
import { zodCompiler } from './web/validation.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Re-evaluates flags in the background after a threshold changed (health/evaluation-jobs.ts). */
    evaluations: EvaluationWorker;
    /** Sends the outbox (mail/sender.ts); null without HMS_SMTP_URL. */
    mail: MailSender | null;
  }
}

export const BODY_LIMIT = 64 * 1024;

export interface BuildOptions {
  /** A pino destination stream, for tests that read the log; default: stdout. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const trustProxy = ctx.config.trustProxy ? ctx.config.trustProxy.split(',').map((s) => s.trim()) : false;
  const logger = options.logStream
    ? { ...loggerOptions(ctx.config.logLevel), stream: options.logStream }
    : loggerOptions(ctx.config.logLevel);
  const app = Fastify({
    logger, bodyLimit: BODY_LIMIT, trustProxy, return503OnClosing: true, frameworkErrors: frameworkErrorPage,
    genReqId: requestIdOf, requestIdHeader: false,
    ...httpTimeouts(ctx.config),
  });
  // The request id goes back to the client (and the proxy's log), so a report names the log lines.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  measureRequests(app);

  app.decorate('ctx', ctx);
  app.decorate('evaluations', new EvaluationWorker(ctx, (error) => app.log.error({ err: error }, 're-evaluation of flags failed; it resumes at the next change or start')));
  // Work left by a stopped instance (its lease ran out) or a failed batch resumes within a minute;
  // closing lets the current batch finish first.
  let resume: NodeJS.Timeout | undefined;
  app.decorate('mail', ctx.config.smtpUrl
    ? new MailSender({ ...ctx, log: app.log }, (error) => app.log.error({ err: error }, 'the mail sender failed; it tries again in a few seconds'))
    : null);
  app.addHook('onReady', async () => {
    app.evaluations.kick();
    resume = setInterval(() => app.evaluations.kick(), 60_000).unref();
    app.mail?.start();
  });
  app.addHook('onClose', async () => {
    clearInterval(resume);
    await app.evaluations.stop();
    await app.mail?.stop();
  });
  app.decorateRequest('current', null);
  app.setValidatorCompiler(zodCompiler);
  registerErrorPages(app);
  // Every form is url-encoded; a JSON parser would only widen what an attacker can send.
  app.removeAllContentTypeParsers();
  limitFormBodyTime(app, ctx.config);
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });
  await registerSecurity(app);
  registerLanguage(app);
  await registerAssets(app);

  await app.register(probeRoutes);
  await app.register(async (pages) => {
    pages.addHook('preHandler', accessGuard);
    await pages.register(setupRoutes);
    await pages.register(loginRoutes);
    await pages.register(languageRoutes);
    await pages.register(logoutRoutes);
    await pages.register(mfaRoutes);
    await pages.register(patientRoutes);
    await pages.register(recordRoutes);
    await pages.register(reportRoutes);
    await pages.register(stepUpRoutes);
    await pages.register(recoveryRoutes);
    await pages.register(securityKeySignInRoutes);
    await pages.register(accountRoutes);
    await pages.register(adminRoutes);
    await pages.register(invitationRoutes);
    await pages.register(erasureRoutes);
    await pages.register(rePairRoutes);
    await pages.register(ruleRoutes);
    await pages.register(passwordResetRoutes);
  });
  return app;
}
