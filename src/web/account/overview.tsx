// /account/security: one place that shows how this account signs in, and leads to each change.
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import { listDevices } from '../../auth/devices.js';
import { RECOVERY_CODE_COUNT, RECOVERY_CODES_LOW, recoveryCodesCreatedAt, recoveryCodeStanding } from '../../auth/recovery-codes.js';
import { listSecurityKeys } from '../../auth/security-keys.js';
import { listSessions } from '../../auth/sessions.js';
import { authenticatorPairedAt } from '../../auth/totp-credentials.js';
import { deviceTokens } from '../cookies.js';
import { sendPage } from '../render.js';
import { Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { doneQuery, type DoneKey } from './notices.js';
import { UnconfirmedNotice } from './recovery-codes-views.js';
import { AccountPage } from './views.js';

interface Overview {
  passwordChangedAt: number | null;
  authenticatorPairedAt: number | null;
  recoveryCodesLeft: number;
  recoveryCodesUnconfirmed: boolean;
  recoveryCodesCreatedAt: number | null;
  securityKeys: number;
  devices: number;
  sessions: number;
}

export const overviewRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  app.get<{ Querystring: z.infer<typeof doneQuery> }>('/account/security', { schema: { querystring: doneQuery } }, async (request, reply) => {
    const { session, user } = request.current!;
    const codes = await recoveryCodeStanding(ctx, user.id);
    const overview: Overview = {
      passwordChangedAt: user.password_changed_at,
      authenticatorPairedAt: await authenticatorPairedAt(ctx, user.id),
      recoveryCodesLeft: codes.left,
      recoveryCodesUnconfirmed: codes.unconfirmed,
      recoveryCodesCreatedAt: await recoveryCodesCreatedAt(ctx, user.id),
      securityKeys: (await listSecurityKeys(ctx, user.id)).length,
      devices: (await listDevices(ctx, user.id, deviceTokens(request))).length,
      sessions: (await listSessions(ctx, user.id, session)).length,
    };
    return sendPage(reply, 200, <OverviewPage overview={overview} done={request.query.done} />);
  });
};

function OverviewPage(props: { overview: Overview; done: DoneKey | undefined }) {
  const { overview } = props;
  const { t, times } = usePage();
  const when = (ms: number | null) => (ms === null ? t('password.overview.never') : times.date(ms));
  return (
    <AccountPage title={t('password.overview.title')} backTo={false} done={props.done}>
      {overview.recoveryCodesUnconfirmed && <UnconfirmedNotice next="/account/security" />}
      {overview.recoveryCodesLeft <= RECOVERY_CODES_LOW && (
        <Notice kind="error">
          {t.rich('password.overview.codesWarning', {
            count: overview.recoveryCodesLeft, link: (chunks) => <a href="/account/security/recovery-codes">{chunks}</a>,
          })}
        </Notice>
      )}
      <div class="security-grid">
        <section class="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">{t('password.overview.passwordHeading')}</h2>
          <p>{t('password.overview.passwordChanged', { when: when(overview.passwordChangedAt) })}</p>
          <a class="button-secondary" href="/account/security/password">{t('password.overview.changePassword')}</a>
        </section>
        <section class="panel" aria-labelledby="app-heading">
          <h2 id="app-heading">{t('password.overview.appHeading')}</h2>
          <p>{overview.authenticatorPairedAt === null ? t('password.overview.appNotPaired') : t('password.overview.appPaired', { date: when(overview.authenticatorPairedAt) })}
            {' '}{t('password.overview.appEverySignIn')}</p>
          <a class="button-secondary" href="/account/security/authenticator">{t('password.overview.pairNewPhone')}</a>
        </section>
        <section class="panel" aria-labelledby="codes-heading">
          <h2 id="codes-heading">{t('password.overview.codesHeading')}</h2>
          <p>{overview.recoveryCodesCreatedAt === null
            ? t('password.overview.codesUnused', { left: overview.recoveryCodesLeft, total: RECOVERY_CODE_COUNT })
            : t('password.overview.codesUnusedCreated', { left: overview.recoveryCodesLeft, total: RECOVERY_CODE_COUNT, date: when(overview.recoveryCodesCreatedAt) })}</p>
          <a class="button-secondary" href="/account/security/recovery-codes">{t('password.overview.codesLink')}</a>
        </section>
        <section class="panel" aria-labelledby="keys-heading">
          <h2 id="keys-heading">{t('password.overview.keysHeading')}</h2>
          <p>{t('password.overview.keys', { count: overview.securityKeys })}</p>
          <a class="button-secondary" href="/account/security/keys">{t('password.overview.keysLink')}</a>
        </section>
        <section class="panel" aria-labelledby="devices-heading">
          <h2 id="devices-heading">{t('password.overview.devicesHeading')}</h2>
          <p>{t('password.overview.devices', { count: overview.devices })}</p>
          <a class="button-secondary" href="/account/security/devices">{t('password.overview.devicesLink')}</a>
        </section>
        <section class="panel" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">{t('password.overview.sessionsHeading')}</h2>
          <p>{t('password.overview.sessions', { count: overview.sessions })}</p>
          <a class="button-secondary" href="/account/security/sessions">{t('password.overview.sessionsLink')}</a>
        </section>
        <section class="panel" aria-labelledby="language-heading">
          <h2 id="language-heading">{t('password.overview.languageHeading')}</h2>
          <p>{t('password.overview.language')}</p>
          <a class="button-secondary" href="/account/preferences">{t('password.overview.languageLink')}</a>
        </section>
      </div>
    </AccountPage>
  );
}
