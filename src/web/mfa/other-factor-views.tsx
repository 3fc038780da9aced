// Sign-in with a recovery code or a security key instead of the app's code.
import { Form, RememberDeviceCheckbox, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { CancelSignIn, OtherWaysToVerify } from './views.js';

export const RECOVERY_CODE_FIELD = {
  name: 'recovery_code',
  label: 'Recovery code',
  autocomplete: 'off',
  maxLength: 32,
  class: 'recovery-code-input',
} as const;

export function RecoveryCodePage(props: { error?: string | null; hasSecurityKey: boolean }) {
  return (
    <Layout title="Use a recovery code" narrow>
      <h1>Use a recovery code</h1>
      <p>Enter one of the recovery codes you saved when you set up your authenticator app. Each code works once.</p>
      <Form action="/mfa/recovery" class="stack">
        <TextField {...RECOVERY_CODE_FIELD} autofocus error={props.error} hint="Like abcde-12345: 10 letters and digits. Capitals, spaces and the hyphen do not matter." />
        <RememberDeviceCheckbox />
        <button type="submit" class="button-primary">Continue</button>
      </Form>
      <OtherWaysToVerify current="recovery" hasSecurityKey={props.hasSecurityKey} />
      <SupportLine lead="No recovery codes left, or lost them with your phone? Your administrator can reset your authenticator." />
      <CancelSignIn />
    </Layout>
  );
}

/**
 * The ceremony runs in the browser (webauthn.js): it asks the key to sign the challenge in
 * data-options, puts the answer in the hidden `credential` field and sends the form.
 */
export function SecurityKeyPage(props: { optionsJson: string | null; error?: string | null }) {
  return (
    <Layout title="Use a security key" narrow>
      <h1>Use a security key</h1>
      <p>Insert or hold your security key near the device, or use the passkey on this device, when your browser asks.</p>
      {props.error && <Notice kind="error" id="key-error">{props.error}</Notice>}
      {props.optionsJson ? (
        <WebauthnForm action="/mfa/security-key" mode="authenticate" optionsJson={props.optionsJson} button="Use security key">
          <RememberDeviceCheckbox />
        </WebauthnForm>
      ) : <p><a href="/mfa/security-key">Try again</a></p>}
      <OtherWaysToVerify current="key" hasSecurityKey />
      <CancelSignIn />
    </Layout>
  );
}

/** A form completed by a WebAuthn ceremony in the browser; without JavaScript it says what is missing. */
export function WebauthnForm(props: { action: string; mode: 'register' | 'authenticate'; optionsJson: string; button: string; children?: preact.ComponentChildren }) {
  return (
    <div id="webauthn" data-mode={props.mode} data-options={props.optionsJson}>
      <Form action={props.action} class="stack">
        <input type="hidden" name="credential" value="" />
        {props.children}
        <p class="webauthn-status" role="status" aria-live="polite" data-webauthn-status></p>
        <button type="submit" class="button-primary js-only">{props.button}</button>
      </Form>
      <p class="no-js-only">Security keys and passkeys need JavaScript, which is turned off in this browser.</p>
      <script src="/assets/vendor/simplewebauthn/index.umd.min.js" defer />
      <script src="/assets/webauthn.js" defer />
    </div>
  );
}
