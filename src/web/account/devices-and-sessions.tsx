// Where the account is signed in, and which browsers skip the code: listed with browser, system,
// address and times, this browser marked; each can be ended, or all others at once. Ending access
// needs no fresh code: someone who finds a stranger's session must be able to end it at once.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { listDevices, revokeAllDevices, revokeDevice, type DeviceSummary } from '../../auth/devices.js';
import { endOtherSessions, endSessionByReference, listSessions, type SessionSummary } from '../../auth/sessions.js';
import { audit } from '../audit.js';
import { deviceTokens } from '../cookies.js';
import { ErrorPage } from '../errors.js';
import { timeFormat } from '../format.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form } from '../views/form.js';
import { doneQuery, type DoneKey } from './notices.js';
import { AccountPage, ClientDescription } from './views.js';

const deviceForm = z.object({ device: field('field.device', 64), _csrf: csrfField });
const sessionForm = z.object({ session: field('field.session', 64), _csrf: csrfField });
const confirmForm = z.object({ _csrf: csrfField });
type DoneQuery = { Querystring: z.infer<typeof doneQuery> };

export const devicesAndSessionsRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const time = timeFormat(ctx.config.timeZone);
  const at = (ms: number | null) => (ms === null ? 'not yet' : `${time.dateTime(ms)} ${time.zoneAbbreviation(ms)}`);
  const gone = (what: string) => <ErrorPage title={`${what} not found`} message={`That ${what.toLowerCase()} is not one of yours, or has already ended. The list shows what is still active.`} />;

  app.get<DoneQuery>('/account/security/devices', { schema: { querystring: doneQuery } }, async (request, reply) => {
    const devices = await listDevices(ctx, request.current!.user.id, deviceTokens(request));
    return sendPage(reply, 200, <DevicesPage devices={devices} at={at} done={request.query.done} />);
  });

  app.post<{ Body: z.infer<typeof deviceForm> }>('/account/security/devices/forget', { schema: { body: deviceForm } }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await revokeDevice(ctx, user.id, request.body.device))) return sendPage(reply, 404, gone('Device'));
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
    return sendPage(reply, 200, <SessionsPage sessions={await listSessions(ctx, user.id, session)} at={at} done={request.query.done} />);
  });

  app.post<{ Body: z.infer<typeof sessionForm> }>('/account/security/sessions/end', { schema: { body: sessionForm } }, async (request, reply) => {
    const { user } = request.current!;
    if (!(await endSessionByReference(ctx, user.id, request.body.session))) return sendPage(reply, 404, gone('Session'));
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

type At = (ms: number | null) => string;

function DevicesPage(props: { devices: DeviceSummary[]; at: At; done: DoneKey | undefined }) {
  return (
    <AccountPage title="Remembered devices" done={props.done}>
      <p>These browsers skip the code step for 30 days from when "Remember this device" was ticked. Your password is still asked for.</p>
      {props.devices.length === 0 ? <p class="empty">No browser is remembered.</p> : (
        <>
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Remembered browsers">
          <table class="data-table">
            <caption class="visually-hidden">Remembered devices</caption>
            <thead><tr><th scope="col">Browser</th><th scope="col">Remembered</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {props.devices.map((device) => (
                <tr>
                  <td><ClientDescription userAgent={device.userAgent} clientIp={device.clientIp} isThis={device.isThisBrowser ? 'This device' : null} /></td>
                  <td>{props.at(device.createdAt)}</td>
                  <td>{props.at(device.lastUsedAt)}</td>
                  <td>{props.at(device.expiresAt)}</td>
                  <td>
                    <Form action="/account/security/devices/forget">
                      <input type="hidden" name="device" value={device.id} />
                      <button type="submit" class="button-link">Forget<span class="visually-hidden"> {device.isThisBrowser ? 'this device' : `the device remembered ${props.at(device.createdAt)}`}</span></button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table></div>
          <Form action="/account/security/devices/forget-all">
            <button type="submit" class="button-secondary">Forget all remembered devices</button>
          </Form>
        </>
      )}
    </AccountPage>
  );
}

function SessionsPage(props: { sessions: SessionSummary[]; at: At; done: DoneKey | undefined }) {
  const others = props.sessions.filter((session) => !session.isCurrent).length;
  return (
    <AccountPage title="Where you are signed in" done={props.done}>
      <p>Each browser signed in to your account. A session ends after 30 minutes without use, or at the latest at the time shown.</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Sessions">
      <table class="data-table">
        <caption class="visually-hidden">Active sessions</caption>
        <thead><tr><th scope="col">Browser</th><th scope="col">Signed in</th><th scope="col">Last active</th><th scope="col">Ends</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
        <tbody>
          {props.sessions.map((session) => (
            <tr>
              <td><ClientDescription userAgent={session.userAgent} clientIp={session.clientIp} isThis={session.isCurrent ? 'This session' : null} /></td>
              <td>{props.at(session.createdAt)}</td>
              <td>{props.at(session.lastSeenAt)}</td>
              <td>{props.at(session.expiresAt)}</td>
              <td>
                {session.isCurrent ? <span class="muted">This browser</span> : (
                  <Form action="/account/security/sessions/end">
                    <input type="hidden" name="session" value={session.reference} />
                    <button type="submit" class="button-link">Sign out<span class="visually-hidden"> the session started {props.at(session.createdAt)}</span></button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {others > 0 && (
        <Form action="/account/security/sessions/end-others">
          <button type="submit" class="button-secondary">Sign out all other sessions</button>
        </Form>
      )}
    </AccountPage>
  );
}
