// Where the account is signed in, and which browsers skip the code: listed with browser, system,
// address and times, this browser marked; each can be ended, or all others at once. Ending access
// needs no fresh code: someone who finds a stranger's session must be able to end it at once.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { listDevices, revokeAllDevices, revokeDevice, type DeviceSummary } from '../../auth/devices.js';
import { endOtherSessions, endSessionByReference, listSessions, type SessionSummary } from '../../auth/sessions.js';
import { audit } from '../audit.js';
import { deviceTokens } from '../cookies.js';
import { ErrorPage } from '../errors.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form } from '../views/form.js';
import { usePage } from '../views/page-context.js';
import { doneQuery, type DoneKey } from './notices.js';
import { AccountPage, ClientDescription, hidden } from './views.js';

const deviceForm = z.object({ device: field('field.device', 64), _csrf: csrfField });
const sessionForm = z.object({ session: field('field.session', 64), _csrf: csrfField });
const confirmForm = z.object({ _csrf: csrfField });
type DoneQuery = { Querystring: z.infer<typeof doneQuery> };

export const devicesAndSessionsRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const deviceGone = (request: FastifyRequest) => <ErrorPage title={request.t('password.devices.notFoundTitle')} message={request.t('password.devices.notFound')} />;
  const sessionGone = (request: FastifyRequest) => <ErrorPage title={request.t('password.sessions.notFoundTitle')} message={request.t('password.sessions.notFound')} />;

  app.get<DoneQuery>('/account/security/devices', { schema: { querystring: doneQuery } }, async (request, reply) => {
    const devices = await listDevices(ctx, request.current!.user.id, deviceTokens(request));
    return sendPage(reply, 200, <DevicesPage devices={devices} done={request.query.done} />);
  });

  app.post<{ Body: z.infer<typeof deviceForm> }>('/account/security/devices/forget', { schema: { body: deviceForm } }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await revokeDevice(ctx, user.id, request.body.device))) return sendPage(reply, 404, deviceGone(request));
    await audit(request, 'device.revoked', { actorUserId: user.id, subjectUserId: user.id, details: { device_id: request.body.device, by: 'user' } });
    return redirect(reply, '/account/security/devices?done=device-forgotten');
  });

  app.post('/account/security/devices/forget-all', { schema: { body: confirmForm } }, async (request, reply) => {
    const { user } = request.current!;
    const count = await revokeAllDevices(ctx, user.id);
    await audit(request, 'device.revoked', { actorUserId: user.id, subjectUserId: user.id, details: { all: true, count, by: 'user' } });
    return redirect(reply, '/account/security/devices?done=devices-forgotten');
  });

  app.get<DoneQuery>('/account/security/sessions', { schema: { querystring: doneQuery } }, async (request, reply) => {
    const { session, user } = request.current!;
    return sendPage(reply, 200, <SessionsPage sessions={await listSessions(ctx, user.id, session)} done={request.query.done} />);
  });

  app.post<{ Body: z.infer<typeof sessionForm> }>('/account/security/sessions/end', { schema: { body: sessionForm } }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await endSessionByReference(ctx, user.id, request.body.session))) return sendPage(reply, 404, sessionGone(request));
    await audit(request, 'session.ended_by_user', { actorUserId: user.id, subjectUserId: user.id, details: { count: 1 } });
    return redirect(reply, '/account/security/sessions?done=session-ended');
  });

  app.post('/account/security/sessions/end-others', { schema: { body: confirmForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const count = await endOtherSessions(ctx, user.id, session);
    await audit(request, 'session.ended_by_user', { actorUserId: user.id, subjectUserId: user.id, details: { count, all_others: true } });
    return redirect(reply, '/account/security/sessions?done=sessions-ended');
  });
};

/** "Tue 24 Nov 2026, 22:15 CET", in the page's language; "not yet" for a time still to come. */
function useAt(): (ms: number | null) => string {
  const { t, times } = usePage();
  return (ms) => (ms === null ? t('password.devices.notYet') : `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`);
}

function DevicesPage(props: { devices: DeviceSummary[]; done: DoneKey | undefined }) {
  const { t } = usePage();
  const at = useAt();
  return (
    <AccountPage title={t('password.devices.title')} done={props.done}>
      <p>{t('password.devices.intro')}</p>
      {props.devices.length === 0 ? <p class="empty">{t('password.devices.none')}</p> : (
        <>
          <div class="table-scroll" tabIndex={0} role="region" aria-label={t('password.devices.tableLabel')}>
          <table class="data-table">
            <caption class="visually-hidden">{t('password.devices.caption')}</caption>
            <thead><tr><th scope="col">{t('password.views.browser')}</th><th scope="col">{t('password.devices.remembered')}</th><th scope="col">{t('password.devices.lastUsed')}</th><th scope="col">{t('password.devices.expires')}</th><th scope="col"><span class="visually-hidden">{t('password.views.action')}</span></th></tr></thead>
            <tbody>
              {props.devices.map((device) => (
                <tr>
                  <td><ClientDescription userAgent={device.userAgent} clientIp={device.clientIp} isThis={device.isThisBrowser ? t('password.devices.thisDevice') : null} /></td>
                  <td>{at(device.createdAt)}</td>
                  <td>{at(device.lastUsedAt)}</td>
                  <td>{at(device.expiresAt)}</td>
                  <td>
                    <Form action="/account/security/devices/forget">
                      <input type="hidden" name="device" value={device.id} />
                      <button type="submit" class="button-link">{device.isThisBrowser
                        ? t.rich('password.devices.forgetThis', { hidden })
                        : t.rich('password.devices.forgetOne', { when: at(device.createdAt), hidden })}</button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table></div>
          <Form action="/account/security/devices/forget-all">
            <button type="submit" class="button-secondary">{t('password.devices.forgetAll')}</button>
          </Form>
        </>
      )}
    </AccountPage>
  );
}

function SessionsPage(props: { sessions: SessionSummary[]; done: DoneKey | undefined }) {
  const { t } = usePage();
  const at = useAt();
  const others = props.sessions.filter((session) => !session.isCurrent).length;
  return (
    <AccountPage title={t('password.sessions.title')} done={props.done}>
      <p>{t('password.sessions.intro')}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={t('password.sessions.tableLabel')}>
      <table class="data-table">
        <caption class="visually-hidden">{t('password.sessions.caption')}</caption>
        <thead><tr><th scope="col">{t('password.views.browser')}</th><th scope="col">{t('password.sessions.signedIn')}</th><th scope="col">{t('password.sessions.lastActive')}</th><th scope="col">{t('password.sessions.ends')}</th><th scope="col"><span class="visually-hidden">{t('password.views.action')}</span></th></tr></thead>
        <tbody>
          {props.sessions.map((session) => (
            <tr>
              <td><ClientDescription userAgent={session.userAgent} clientIp={session.clientIp} isThis={session.isCurrent ? t('password.sessions.thisSession') : null} /></td>
              <td>{at(session.createdAt)}</td>
              <td>{at(session.lastSeenAt)}</td>
              <td>{at(session.expiresAt)}</td>
              <td>
                {session.isCurrent ? <span class="muted">{t('password.sessions.thisBrowser')}</span> : (
                  <Form action="/account/security/sessions/end">
                    <input type="hidden" name="session" value={session.reference} />
                    <button type="submit" class="button-link">{t.rich('password.sessions.signOut', { when: at(session.createdAt), hidden })}</button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {others > 0 && (
        <Form action="/account/security/sessions/end-others">
          <button type="submit" class="button-secondary">{t('password.sessions.signOutOthers')}</button>
        </Form>
      )}
    </AccountPage>
  );
}
