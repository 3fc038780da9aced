// Sign-in with a recovery code or a security key instead of the app's code.
import { Form, RememberDeviceCheckbox, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { CancelSignIn, OtherWaysToVerify } from './views.js';

/** The recovery-code input; its label comes from the catalog (`signin.recovery.label`). */
export const RECOVERY_CODE_FIELD = {
  name: 'recovery_code',
  autocomplete: 'off',
  maxLength: 32,
  class: 'recovery-code-input',
} as const;

export function RecoveryCodePage(props: { error?: string | null; hasSecurityKey: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('signin.recovery.title')} narrow>
      <h1>{t('signin.recovery.title')}</h1>
      <p>{t('signin.recovery.intro')}</p>
      <Form action="/mfa/recovery" class="stack">
        <TextField {...RECOVERY_CODE_FIELD} label={t('signin.recovery.label')} autofocus error={props.error} hint={t('signin.recovery.hint')} />
        <RememberDeviceCheckbox />
        <button type="submit" class="button-primary">{t('signin.continue')}</button>
      </Form>
      <OtherWaysToVerify current="recovery" hasSecurityKey={props.hasSecurityKey} />
      <SupportLine lead={t('signin.recovery.supportLead')} />
      <CancelSignIn />
    </Layout>
  );
}

/**
 * The ceremony runs in the browser (webauthn.js): it asks the key to sign the challenge in
 * data-options, puts the answer in the hidden `credential` field and sends the form.
 */
export function SecurityKeyPage(props: { optionsJson: string | null; error?: string | null }) {
  const { t } = usePage();
  return (
    <Layout title={t('signin.key.title')} narrow>
      <h1>{t('signin.key.title')}</h1>
      <p>{t('signin.key.intro')}</p>
      {props.error && <Notice kind="error" id="key-error">{props.error}</Notice>}
      {props.optionsJson ? (
        <WebauthnForm action="/mfa/security-key" mode="authenticate" optionsJson={props.optionsJson} button={t('signin.key.button')}>
          <RememberDeviceCheckbox />
        </WebauthnForm>
      ) : <p><a href="/mfa/security-key">{t('signin.key.tryAgain')}</a></p>}
      <OtherWaysToVerify current="key" hasSecurityKey />
      <CancelSignIn />
    </Layout>
  );
}

/**
 * A form completed by a WebAuthn ceremony in the browser; without JavaScript it says what is missing.
 * The script has no catalog: what it may say comes from the data-say-* attributes, in the page's language.
 */
export function WebauthnForm(props: { action: string; mode: 'register' | 'authenticate'; optionsJson: string; button: string; children?: preact.ComponentChildren }) {
  const { t } = usePage();
  const REASON = '{reason}';
  return (
    <div id="webauthn" data-mode={props.mode} data-options={props.optionsJson}
      data-say-unsupported={t('signin.webauthn.unsupported')}
      data-say-cancelled={t('signin.webauthn.cancelled')}
      data-say-already-registered={t('signin.webauthn.alreadyRegistered')}
      data-say-security-error={t('signin.webauthn.securityError')}
      data-say-failed={t('signin.webauthn.failed')}
      data-say-failed-because={t('signin.webauthn.failedBecause', { reason: REASON })}
      data-say-prompt={t(props.mode === 'register' ? 'signin.webauthn.registerPrompt' : 'signin.webauthn.authenticatePrompt')}
      data-say-checking={t('signin.webauthn.checking')}>
      <Form action={props.action} class="stack">
        <input type="hidden" name="credential" value="" />
        {props.children}
        <p class="webauthn-status" role="status" aria-live="polite" data-webauthn-status></p>
        <button type="submit" class="button-primary js-only">{props.button}</button>
      </Form>
      <p class="no-js-only">{t('signin.webauthn.noJavaScript')}</p>
      <script src="/assets/vendor/simplewebauthn/index.umd.min.js" defer />
      <script src="/assets/webauthn.js" defer />
    </div>
  );
}
