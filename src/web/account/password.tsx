// Changing one's password: the current password (with the sign-in attempt limits), a fresh code
// (step-up), and the new password twice. Every remembered device and every other session ends;
// this one goes on under a new token (ASVS 6.2.2, 6.2.3, 7.4.3).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { changeOwnPassword, checkPassword, normalizeEmail } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../auth/password-policy.js';
import { limitReachedBy, passwordSucceeded, reservePasswordAttempt } from '../../auth/throttles.js';
import { audit } from '../audit.js';
import { clientInfo } from '../client-info.js';
import { setSessionCookie } from '../cookies.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form, TextField } from '../views/form.js';
import { usePage } from '../views/page-context.js';
import { describeWait } from '../wait.js';
import { requestTranslator } from '../language.js';
import { AccountPage } from './views.js';

const passwordForm = z.object({
  current_password: field('field.currentPassword', PASSWORD_MAX_LENGTH),
  new_password: field('field.newPassword', PASSWORD_MAX_LENGTH),
  new_password_again: field('field.newPasswordAgain', PASSWORD_MAX_LENGTH),
  _csrf: csrfField,
});

type Problems = Partial<Record<'current_password' | 'new_password' | 'new_password_again', string>>;


export const passwordRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const STEP_UP = { stepUp: true } as const;

  app.get('/account/security/password', { config: STEP_UP }, async (_request, reply) => sendPage(reply, 200, <PasswordPage problems={{}} />));

  app.post<{ Body: z.infer<typeof passwordForm> }>('/account/security/password', { config: STEP_UP, schema: { body: passwordForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const { current_password: current, new_password: password, new_password_again: again } = request.body;
    const refuse = (status: number, problems: Problems) => sendPage(reply, status, <PasswordPage problems={problems} />);
    if (!current) return refuse(400, { current_password: request.t('password.change.missing') });
    const policy = passwordProblem(password, user);
    if (policy) return refuse(400, { new_password: request.t(policy.key, policy.values) });
    if (password !== again) return refuse(400, { new_password_again: request.t('password.change.differ') });
    if (password === current) return refuse(400, { new_password: request.t('password.change.unchanged') });

    const client = clientInfo(request);
    const attempt = await reservePasswordAttempt(ctx, normalizeEmail(user.email), client.clientIp);
    if ('limited' in attempt) {
      reply.header('retry-after', Math.ceil(attempt.retryAfterMs / 1000));
      return refuse(429, { current_password: request.t('password.change.tooMany', { wait: describeWait(attempt.retryAfterMs, requestTranslator(request)) }) });
    }
    const check = await checkPassword(ctx, user.email, current);
    if (check.outcome !== 'correct') {
      await audit(request, 'password.change_failed', { actorUserId: user.id, subjectUserId: user.id, details: { reason: 'wrong-current-password' } });
      if (limitReachedBy(attempt) === 'account') {
        await audit(request, 'account.locked', { subjectUserId: user.id, details: { factor: 'password', failures: attempt.failuresSoFar } });
      }
      return refuse(401, { current_password: request.t('password.change.wrong') });
    }
    await passwordSucceeded(ctx, attempt);
    const changed = await changeOwnPassword(ctx, session, password, client);
    setSessionCookie(reply, changed.token);
    await audit(request, 'password.changed', { actorUserId: user.id, subjectUserId: user.id,
      details: { devices_revoked: changed.devicesRevoked, sessions_ended: changed.sessionsEnded } });
    return redirect(reply, '/account/security?done=password');
  });
};

function PasswordPage(props: { problems: Problems }) {
  const { problems } = props;
  const { t } = usePage();
  return (
    <AccountPage title={t('password.change.title')} narrow>
      <p>{t('password.change.intro')}</p>
      <Form action="/account/security/password" class="stack">
        <TextField name="current_password" label={t('password.change.current')} type="password" autocomplete="current-password"
          maxLength={PASSWORD_MAX_LENGTH} error={problems.current_password} autofocus={!problems.new_password && !problems.new_password_again} />
        <TextField name="new_password" label={t('password.fields.newPassword')} type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={problems.new_password} autofocus={Boolean(problems.new_password)}
          hint={t('password.fields.newPasswordHint', { min: PASSWORD_MIN_LENGTH })} />
        <TextField name="new_password_again" label={t('password.fields.newPasswordAgain')} type="password" autocomplete="new-password"
          maxLength={PASSWORD_MAX_LENGTH} error={problems.new_password_again} autofocus={Boolean(problems.new_password_again)} />
        <button type="submit" class="button-primary">{t('password.change.submit')}</button>
      </Form>
    </AccountPage>
  );
}
