// New phone: pair another authenticator app. The old one keeps working until a code from the new
// one confirms it; then the old secret is destroyed in the same transaction, and remembered
// devices are kept or forgotten as the user chooses.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { codeSucceeded, reserveCodeAttempt } from '../../auth/throttles.js';
import { groupForReading, keyUri, normalizeCode, toBase32 } from '../../auth/totp.js';
import { enrollmentSecret, existingEnrollmentSecret, replaceAuthenticator } from '../../auth/totp-credentials.js';
import { audit, auditCodeLock } from '../audit.js';
import { COMPATIBLE_APPS, OpenInAppLink } from '../mfa/views.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form, TextField } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { describeWait } from '../wait.js';
import { requestTranslator } from '../language.js';
import { AccountPage } from './views.js';

const pairForm = z.object({ code: field('field.code', 64), devices: field('field.choiceAboutRememberedDevices', 10).optional(), _csrf: csrfField });
type Problems = { code?: string; devices?: string; locked?: string };

export const authenticatorRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;
  const STEP_UP = { stepUp: true } as const;
  const path = '/account/security/authenticator';

  async function sendPairPage(request: FastifyRequest, reply: FastifyReply, status: number, secret: Buffer, problems: Problems) {
    const { user } = request.current!;
    const uri = keyUri({ issuer: ctx.config.issuer, account: user.email, secret });
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
    return sendPage(reply, status, <NewPhonePage qrSvg={qrSvg} otpauthUri={uri} secretForReading={groupForReading(toBase32(secret))} account={user.email} issuer={ctx.config.issuer} problems={problems} />);
  }

  app.get(path, { config: STEP_UP }, async (request, reply) => {
    const { session, user } = request.current!;
    return sendPairPage(request, reply, 200, await enrollmentSecret(ctx, user.id, session.id_hash), {});
  });

  app.post<{ Body: z.infer<typeof pairForm> }>(path, { config: STEP_UP, schema: { body: pairForm } }, async (request, reply) => {
    const { session, user } = request.current!;
    const secret = await existingEnrollmentSecret(ctx, session.id_hash);
    if (!secret) return redirect(reply, path);
    const code = normalizeCode(request.body.code);
    const devices = request.body.devices;
    if (!code) return sendPairPage(request, reply, 400, secret, { code: request.t('signin.code.malformed') });
    if (devices !== 'keep' && devices !== 'revoke') return sendPairPage(request, reply, 400, secret, { devices: request.t('password.phone.devicesMissing') });
    const lockedMessage = (waitMs: number) => request.t('password.phone.locked', { wait: describeWait(waitMs, requestTranslator(request)) });
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendPairPage(request, reply, 429, secret, { locked: lockedMessage(attempt.lockedUntil - ctx.clock.now()) });
    const result = await replaceAuthenticator(ctx, user.id, session.id_hash, code, { revokeDevices: devices === 'revoke' });
    if (result.outcome === 'accepted') {
      await codeSucceeded(ctx, user.id);
      await audit(request, 'mfa.replaced', { actorUserId: user.id, subjectUserId: user.id, details: { devices, devices_revoked: result.devicesRevoked } });
      return redirect(reply, `/account/security?done=${devices === 'revoke' ? 'authenticator-and-devices' : 'authenticator'}`);
    }
    if (result.outcome === 'no-enrollment') return redirect(reply, path);
    await audit(request, 'sign_in.code_failed', { actorUserId: user.id, subjectUserId: user.id, details: { step: 'new-phone' } });
    if (attempt.locksNow) {
      const until = await auditCodeLock(request, user.id);
      return sendPairPage(request, reply, 429, secret, { locked: lockedMessage(until - ctx.clock.now()) });
    }
    return sendPairPage(request, reply, 401, secret, { code: request.t('password.phone.wrong') });
  });
};

function NewPhonePage(props: { qrSvg: string; otpauthUri: string; secretForReading: string; account: string; issuer: string; problems: Problems }) {
  const { problems } = props;
  const { t } = usePage();
  return (
    <AccountPage title={t('password.phone.title')} narrow>
      <p>{t('password.phone.intro')}</p>
      {problems.locked && <Notice kind="error">{problems.locked}</Notice>}
      <ol class="steps">
        <li>
          <h2>{t('password.phone.installHeading')}</h2>
          <p>{t('password.phone.anyApp', { apps: COMPATIBLE_APPS.join(', ') })}</p>
        </li>
        <li>
          <h2>{t('password.phone.scanHeading')}</h2>
          <div id="totp-qr" class="qr" role="img" aria-label={t('password.phone.qrLabel', { issuer: props.issuer, account: props.account })}
            dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
          <OpenInAppLink uri={props.otpauthUri} />
          <div class="manual-entry">
            <p>{t('password.phone.cantScan')}</p>
            <dl>
              <dt>{t('password.phone.account')}</dt><dd>{props.issuer}: {props.account}</dd>
              <dt>{t('password.phone.key')}</dt><dd><code id="totp-secret" class="secret">{props.secretForReading}</code></dd>
              <dt>{t('password.phone.type')}</dt><dd>{t('password.phone.typeValue')}</dd>
            </dl>
          </div>
        </li>
        <li>
          <h2>{t('password.phone.enterHeading')}</h2>
          <Form action="/account/security/authenticator" class="stack">
            <TextField name="code" label={t('password.phone.codeLabel')} autocomplete="one-time-code" inputmode="numeric" maxLength={16}
              class="code-input" error={problems.code} autofocus={Boolean(problems.code)} />
            <fieldset class={`choice${problems.devices ? ' field-invalid' : ''}`} aria-describedby={problems.devices ? 'devices-error' : undefined}>
              <legend>{t('password.phone.devicesLegend')}</legend>
              {problems.devices && <p class="field-error" id="devices-error"><span class="visually-hidden">{t('password.fields.errorPrefix')} </span>{problems.devices}</p>}
              <div class="field-checkbox">
                <input type="radio" id="devices-keep" name="devices" value="keep" />
                <label for="devices-keep">{t('password.phone.keep')}</label>
              </div>
              <div class="field-checkbox">
                <input type="radio" id="devices-revoke" name="devices" value="revoke" />
                <label for="devices-revoke">{t('password.phone.revoke')}</label>
              </div>
            </fieldset>
            <button type="submit" class="button-primary">{t('password.phone.submit')}</button>
          </Form>
        </li>
      </ol>
    </AccountPage>
  );
}
