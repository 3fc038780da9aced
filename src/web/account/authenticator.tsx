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
import { MESSAGES } from '../mfa/routes.js';
import { COMPATIBLE_APPS, OpenInAppLink } from '../mfa/views.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, field } from '../validation.js';
import { Form, TextField } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { describeWait } from '../wait.js';
import type { Translator } from '../../i18n/translate.js';
import { requestTranslator } from '../language.js';
import { AccountPage } from './views.js';

const pairForm = z.object({ code: field('field.code', 64), devices: field('field.choiceAboutRememberedDevices', 10).optional(), _csrf: csrfField });
type Problems = { code?: string; devices?: string; locked?: string };

export const NEW_PHONE_MESSAGES = {
  devices: 'Choose whether browsers remembered for 30 days keep skipping the code.',
  wrong: 'That code does not match the new key. Check that you scanned the QR code on this page with the new phone, and enter the code it shows now.',
} as const;

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
    if (!code) return sendPairPage(request, reply, 400, secret, { code: request.t(MESSAGES.malformed) });
    if (devices !== 'keep' && devices !== 'revoke') return sendPairPage(request, reply, 400, secret, { devices: NEW_PHONE_MESSAGES.devices });
    const attempt = await reserveCodeAttempt(ctx, user.id);
    if (!attempt.counted) return sendPairPage(request, reply, 429, secret, { locked: lockedMessage(attempt.lockedUntil - ctx.clock.now(), requestTranslator(request)) });
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
      return sendPairPage(request, reply, 429, secret, { locked: lockedMessage(until - ctx.clock.now(), requestTranslator(request)) });
    }
    return sendPairPage(request, reply, 401, secret, { code: NEW_PHONE_MESSAGES.wrong });
  });
};

const lockedMessage = (waitMs: number, t: Translator) =>
  `Too many wrong codes were entered for this account: codes are refused for the next ${describeWait(waitMs, t)}. Your current app keeps working after that.`;

function NewPhonePage(props: { qrSvg: string; otpauthUri: string; secretForReading: string; account: string; issuer: string; problems: Problems }) {
  const { problems } = props;
  return (
    <AccountPage title="Pair a new phone" narrow>
      <p>Your current authenticator app keeps working until you finish here. Then it stops, and only the new one gives valid codes.</p>
      {problems.locked && <Notice kind="error">{problems.locked}</Notice>}
      <ol class="steps">
        <li>
          <h2>Install an authenticator app on the new phone</h2>
          <p>Any app for time-based codes works, for example: {COMPATIBLE_APPS.join(', ')}.</p>
        </li>
        <li>
          <h2>Scan this QR code with it</h2>
          <div id="totp-qr" class="qr" role="img" aria-label={`QR code to add ${props.issuer} (${props.account}) to an authenticator app`}
            dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
          <OpenInAppLink uri={props.otpauthUri} />
          <div class="manual-entry">
            <p>Can't scan it? Type this key instead:</p>
            <dl>
              <dt>Account</dt><dd>{props.issuer}: {props.account}</dd>
              <dt>Key</dt><dd><code id="totp-secret" class="secret">{props.secretForReading}</code></dd>
              <dt>Type</dt><dd>Time-based, 6 digits, every 30 seconds (SHA-1)</dd>
            </dl>
          </div>
        </li>
        <li>
          <h2>Enter the code the new app shows</h2>
          <Form action="/account/security/authenticator" class="stack">
            <TextField name="code" label="6-digit code from the new app" autocomplete="one-time-code" inputmode="numeric" maxLength={16}
              class="code-input" error={problems.code} autofocus={Boolean(problems.code)} />
            <fieldset class={`choice${problems.devices ? ' field-invalid' : ''}`} aria-describedby={problems.devices ? 'devices-error' : undefined}>
              <legend>Browsers remembered for 30 days</legend>
              {problems.devices && <p class="field-error" id="devices-error"><span class="visually-hidden">Error: </span>{problems.devices}</p>}
              <div class="field-checkbox">
                <input type="radio" id="devices-keep" name="devices" value="keep" />
                <label for="devices-keep">Keep them: they still skip the code</label>
              </div>
              <div class="field-checkbox">
                <input type="radio" id="devices-revoke" name="devices" value="revoke" />
                <label for="devices-revoke">Forget them all: each asks for a code at its next sign-in (choose this if the old phone was lost or stolen)</label>
              </div>
            </fieldset>
            <button type="submit" class="button-primary">Pair new phone</button>
          </Form>
        </li>
      </ol>
    </AccountPage>
  );
}
