// Recovery codes: how many are left, a new set (step-up), the new set shown once with download
// and print until the user confirms saving it, and the pages after a sign-in that used one or
// found few left.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  confirmRecoveryCodes, generateRecoveryCodes, RECOVERY_CODE_COUNT, RECOVERY_CODES_LOW, recoveryCodesCreatedAt, recoveryCodeStanding,
  remainingRecoveryCodes, revealedRecoveryCodes, savedRecoveryCodes,
} from '../../auth/recovery-codes.js';
import { audit } from '../audit.js';
import { timeFormat } from '../format.js';
import { requestTranslator } from '../language.js';
import { redirect, sendPage } from '../render.js';
import { safeReturnPath } from '../return-path.js';
import { checkbox, csrfField, optionalField } from '../validation.js';
import { ErrorPage } from '../errors.js';
import { doneQuery } from './notices.js';
import { CodesLeftPage, CodesUnconfirmedPage, NewCodesPage, RecoveryCodesPage } from './recovery-codes-views.js';

const nextQuery = z.object({ next: optionalField('field.returnAddress', 2048) });
const savedForm = z.object({ saved: checkbox('field.iHaveSavedTheseCodes'), next: optionalField('field.returnAddress', 2048), _csrf: csrfField });
const newForm = z.object({ next: optionalField('field.returnAddress', 2048), _csrf: csrfField });
const confirmForm = z.object({ have: checkbox('field.iHaveMyRecoveryCodes'), next: optionalField('field.returnAddress', 2048), _csrf: csrfField });
/** The pages that show codes just generated stay reachable until the user says they saved them. */
const BEFORE_SAVED = { beforeCodesSaved: true } as const;

export const recoveryCodeRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const base = '/account/security/recovery-codes';

  app.get<{ Querystring: z.infer<typeof doneQuery> }>(base, { schema: { querystring: doneQuery } }, async (request, reply) => {
    const { user } = request.current!;
    const standing = await recoveryCodeStanding(ctx, user.id);
    return sendPage(reply, 200, <RecoveryCodesPage remaining={standing.left} total={RECOVERY_CODE_COUNT}
      createdAt={await recoveryCodesCreatedAt(ctx, user.id)} unconfirmed={standing.unconfirmed} />);
  });

  app.post<{ Body: z.infer<typeof newForm> }>(`${base}/new`, { config: { stepUp: true }, schema: { body: newForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    await generateRecoveryCodes(ctx, user.id, session.id_hash);
    await audit(request, 'recovery_codes.generated', { actorUserId: user.id, subjectUserId: user.id, details: { reason: 'regenerated' } });
    const next = safeReturnPath(request.body.next);
    return redirect(reply, next ? `${base}/new?next=${encodeURIComponent(next)}` : `${base}/new`);
  });

  app.get<{ Querystring: z.infer<typeof nextQuery> }>(`${base}/new`, { config: BEFORE_SAVED, schema: { querystring: nextQuery } }, async (request, reply) => {
    const codes = await revealedRecoveryCodes(ctx, request.current!.session.id_hash);
    if (!codes) return redirect(reply, base);
    return sendPage(reply, 200, <NewCodesPage codes={codes} next={safeReturnPath(request.query.next)} />);
  });

  // Served only while the codes are "just shown" to this session: once saved, nothing can fetch them.
  app.get(`${base}/download`, { config: BEFORE_SAVED }, async (request, reply) => {
    const { session, user } = request.current!;
    const codes = await revealedRecoveryCodes(ctx, session.id_hash);
    if (!codes) {
      return sendPage(reply, 404, <ErrorPage title={request.t('password.codes.unavailableTitle')} message={request.t('password.codes.unavailable')} />);
    }
    const createdAt = (await recoveryCodesCreatedAt(ctx, user.id)) ?? ctx.clock.now();
    // The file speaks the language of the page it was downloaded from.
    const t = requestTranslator(request);
    const time = timeFormat(ctx.config.timeZone, t.locale);
    const text = [
      t('password.codesFile.heading', { issuer: ctx.config.issuer, email: user.email }),
      t('password.codesFile.created', { when: `${time.dateTime(createdAt)} ${time.zoneAbbreviation(createdAt)}` }),
      '',
      t('password.codesFile.use'),
      t('password.codesFile.keep'),
      '',
      ...codes.map((code, i) => `${String(i + 1).padStart(2, ' ')}. ${code}`),
      '',
    ].join('\r\n');
    return reply.type('text/plain; charset=utf-8').header('content-disposition', 'attachment; filename="hms-recovery-codes.txt"').send(text);
  });

  app.post<{ Body: z.infer<typeof savedForm> }>(`${base}/saved`, { config: BEFORE_SAVED, schema: { body: savedForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const next = safeReturnPath(request.body.next);
    if (!request.body.saved) {
      const codes = await revealedRecoveryCodes(ctx, session.id_hash);
      if (!codes) return redirect(reply, base);
      return sendPage(reply, 400, <NewCodesPage codes={codes} next={next} error={request.t('password.newCodes.notSaved')} />);
    }
    if (await savedRecoveryCodes(ctx, session.id_hash)) {
      await audit(request, 'recovery_codes.saved', { actorUserId: user.id, subjectUserId: user.id });
    }
    return redirect(reply, next ?? '/account/security?done=codes-saved');
  });

  // A set the user left without confirming (shown once, page closed): say so, at each sign-in, until
  // they confirm having it or make a new one.
  app.get<{ Querystring: z.infer<typeof nextQuery> }>(`${base}/unconfirmed`, { schema: { querystring: nextQuery } }, async (request, reply) => {
    const next = safeReturnPath(request.query.next) ?? '/';
    if (!(await recoveryCodeStanding(ctx, request.current!.user.id)).unconfirmed) return redirect(reply, next);
    return sendPage(reply, 200, <CodesUnconfirmedPage next={next} />);
  });

  app.post<{ Body: z.infer<typeof confirmForm> }>(`${base}/confirmed`, { schema: { body: confirmForm } }, async (request, reply) => {
    const { user } = request.current!;
    const next = safeReturnPath(request.body.next) ?? '/';
    if (!request.body.have) return sendPage(reply, 400, <CodesUnconfirmedPage next={next} error={request.t('password.unconfirmed.notTicked')} />);
    if (await confirmRecoveryCodes(ctx, user.id)) {
      await audit(request, 'recovery_codes.saved', { actorUserId: user.id, subjectUserId: user.id, details: { via: 'unconfirmed-warning' } });
    }
    return redirect(reply, next === '/account/security' ? '/account/security?done=codes-saved' : next);
  });

  app.get<{ Querystring: z.infer<typeof nextQuery> }>(`${base}/used`, { schema: { querystring: nextQuery } }, async (request, reply) => {
    const remaining = await remainingRecoveryCodes(ctx, request.current!.user.id);
    return sendPage(reply, 200, <CodesLeftPage reason="used" remaining={remaining} low={remaining <= RECOVERY_CODES_LOW} next={safeReturnPath(request.query.next) ?? '/'} />);
  });

  app.get<{ Querystring: z.infer<typeof nextQuery> }>(`${base}/running-low`, { schema: { querystring: nextQuery } }, async (request, reply) => {
    const remaining = await remainingRecoveryCodes(ctx, request.current!.user.id);
    return sendPage(reply, 200, <CodesLeftPage reason="low" remaining={remaining} low next={safeReturnPath(request.query.next) ?? '/'} />);
  });
};
