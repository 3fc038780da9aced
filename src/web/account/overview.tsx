// /account/security: one place that shows how this account signs in, and leads to each change.
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import { listDevices } from '../../auth/devices.js';
import { RECOVERY_CODE_COUNT, RECOVERY_CODES_LOW, recoveryCodesCreatedAt, remainingRecoveryCodes } from '../../auth/recovery-codes.js';
import { listSecurityKeys } from '../../auth/security-keys.js';
import { listSessions } from '../../auth/sessions.js';
import { authenticatorPairedAt } from '../../auth/totp-credentials.js';
import { deviceTokens } from '../cookies.js';
import { timeFormat } from '../format.js';
import { sendPage } from '../render.js';
import { Notice } from '../views/layout.js';
import { doneQuery, type DoneKey } from './notices.js';
import { AccountPage } from './views.js';

interface Overview {
  passwordChangedAt: number | null;
  authenticatorPairedAt: number | null;
  recoveryCodesLeft: number;
  recoveryCodesCreatedAt: number | null;
  securityKeys: number;
  devices: number;
  sessions: number;
}

export const overviewRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  app.get<{ Querystring: z.infer<typeof doneQuery> }>('/account/security', { schema: { querystring: doneQuery } }, async (request, reply) => {
    const { session, user } = request.current!;
    const overview: Overview = {
      passwordChangedAt: user.password_changed_at,
      authenticatorPairedAt: await authenticatorPairedAt(ctx, user.id),
      recoveryCodesLeft: await remainingRecoveryCodes(ctx, user.id),
      recoveryCodesCreatedAt: await recoveryCodesCreatedAt(ctx, user.id),
      securityKeys: (await listSecurityKeys(ctx, user.id)).length,
      devices: (await listDevices(ctx, user.id, deviceTokens(request))).length,
      sessions: (await listSessions(ctx, user.id, session)).length,
    };
    return sendPage(reply, 200, <OverviewPage overview={overview} zone={ctx.config.timeZone} done={request.query.done} />);
  });
};

function OverviewPage(props: { overview: Overview; zone: string; done: DoneKey | undefined }) {
  const { overview } = props;
  const time = timeFormat(props.zone);
  const when = (ms: number | null) => (ms === null ? 'never' : `${time.date(ms)}`);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    <AccountPage title="Account security" backTo={false} done={props.done}>
      {overview.recoveryCodesLeft <= RECOVERY_CODES_LOW && (
        <Notice kind="error">
          {overview.recoveryCodesLeft === 0 ? 'You have no recovery codes left.' : `Only ${plural(overview.recoveryCodesLeft, 'recovery code is', 'recovery codes are')} left.`}
          {' '}Without them, losing your phone means calling support. <a href="/account/security/recovery-codes">Create new recovery codes</a>.
        </Notice>
      )}
      <div class="security-grid">
        <section class="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">Password</h2>
          <p>Last changed: {when(overview.passwordChangedAt)}.</p>
          <a class="button-secondary" href="/account/security/password">Change password</a>
        </section>
        <section class="panel" aria-labelledby="app-heading">
          <h2 id="app-heading">Authenticator app</h2>
          <p>{overview.authenticatorPairedAt === null ? 'Not paired.' : `Paired on ${when(overview.authenticatorPairedAt)}.`} Every sign-in asks for its code.</p>
          <a class="button-secondary" href="/account/security/authenticator">Pair a new phone</a>
        </section>
        <section class="panel" aria-labelledby="codes-heading">
          <h2 id="codes-heading">Recovery codes</h2>
          <p>{overview.recoveryCodesLeft} of {RECOVERY_CODE_COUNT} unused
            {overview.recoveryCodesCreatedAt !== null && <>, created on {when(overview.recoveryCodesCreatedAt)}</>}. For when your phone is not at hand.</p>
          <a class="button-secondary" href="/account/security/recovery-codes">Recovery codes</a>
        </section>
        <section class="panel" aria-labelledby="keys-heading">
          <h2 id="keys-heading">Security keys and passkeys</h2>
          <p>{overview.securityKeys === 0 ? 'None yet. A key or passkey can stand in for the code at sign-in.' : `${plural(overview.securityKeys, 'key', 'keys')} registered.`}</p>
          <a class="button-secondary" href="/account/security/keys">Security keys</a>
        </section>
        <section class="panel" aria-labelledby="devices-heading">
          <h2 id="devices-heading">Remembered devices</h2>
          <p>{plural(overview.devices, 'browser skips', 'browsers skip')} the code for 30 days.</p>
          <a class="button-secondary" href="/account/security/devices">Remembered devices</a>
        </section>
        <section class="panel" aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">Where you are signed in</h2>
          <p>{plural(overview.sessions, 'active session', 'active sessions')}, this one included.</p>
          <a class="button-secondary" href="/account/security/sessions">Sessions</a>
        </section>
      </div>
    </AccountPage>
  );
}
