import { Form, RememberDeviceCheckbox, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

const CODE_FIELD = {
  name: 'code',
  autocomplete: 'one-time-code',
  inputmode: 'numeric',
  maxLength: 16,
  class: 'code-input',
} as const;

/** Product names: the same in every language. */
export const COMPATIBLE_APPS = [
  'Google Authenticator', 'Microsoft Authenticator', 'Authy', 'Duo Mobile', '2FAS', 'FreeOTP', 'Aegis', 'KeePassXC',
];

export interface SetupPageProps {
  qrSvg: string;
  /** The otpauth:// Key URI the QR code holds: on a phone, a link opens the authenticator app with it. */
  otpauthUri: string;
  secretForReading: string;
  account: string;
  issuer: string;
  error?: string | null;
}

export function SetupPage(props: SetupPageProps) {
  const { t } = usePage();
  return (
    <Layout title={t('signin.setup.title')} narrow>
      <h1>{t('signin.setup.title')}</h1>
      <p>{t('signin.setup.intro')}</p>
      <ol class="steps">
        <li>
          <h2>{t('signin.setup.installTitle')}</h2>
          <p>{t('signin.setup.installText', { apps: COMPATIBLE_APPS.join(', ') })}</p>
        </li>
        <li>
          <h2>{t('signin.setup.addTitle')}</h2>
          <p>{t('signin.setup.scan')}</p>
          <div id="totp-qr" class="qr" role="img" aria-label={t('signin.setup.qrLabel', { issuer: props.issuer, account: props.account })}
            dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
          <OpenInAppLink uri={props.otpauthUri} />
          <div class="manual-entry">
            <p>{t('signin.setup.cantScan')}</p>
            <dl>
              <dt>{t('signin.setup.account')}</dt><dd>{t('signin.setup.accountValue', { issuer: props.issuer, account: props.account })}</dd>
              <dt>{t('signin.setup.key')}</dt><dd><code id="totp-secret" class="secret">{props.secretForReading}</code></dd>
              <dt>{t('signin.setup.type')}</dt><dd>{t('signin.setup.typeValue')}</dd>
            </dl>
            <p class="hint">{t('signin.setup.keyHint')}</p>
          </div>
        </li>
        <li>
          <h2>{t('signin.setup.enterTitle')}</h2>
          {/* No autofocus unless there is an error: on a phone it would scroll past the QR code. */}
          <CodeForm action="/mfa/setup" error={props.error} autofocus={Boolean(props.error)} />
        </li>
      </ol>
      <CancelSignIn />
    </Layout>
  );
}

export function VerifyPage(props: { error?: string | null; hasSecurityKey?: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('signin.verify.title')} narrow>
      <h1>{t('signin.verify.title')}</h1>
      <p>{t('signin.verify.intro')}</p>
      <CodeForm action="/mfa/verify" error={props.error} />
      <OtherWaysToVerify current="code" hasSecurityKey={props.hasSecurityKey} />
      <SupportLine lead={t('signin.verify.supportLead')} />
      <CancelSignIn />
    </Layout>
  );
}

/** The second factors this account can use besides the one on the page. */
export function OtherWaysToVerify(props: { current: 'code' | 'recovery' | 'key'; hasSecurityKey?: boolean }) {
  const { t } = usePage();
  return (
    <nav class="other-ways" aria-label={t('signin.otherWays.label')}>
      <ul>
        {props.current !== 'key' && props.hasSecurityKey && <li><a href="/mfa/security-key">{t('signin.otherWays.securityKey')}</a></li>}
        {props.current !== 'code' && <li><a href="/mfa/verify">{t('signin.otherWays.app')}</a></li>}
        {props.current !== 'recovery' && <li><a href="/mfa/recovery">{t('signin.otherWays.recovery')}</a></li>}
      </ul>
    </nav>
  );
}

/** On the phone that holds the app, scanning is impossible: this link hands it the same Key URI. */
export function OpenInAppLink(props: { uri: string }) {
  const { t } = usePage();
  return (
    <div class="open-in-app">
      <a class="button-secondary" href={props.uri}>{t('signin.setup.openInApp')}</a>
      <p class="hint">{t('signin.setup.openInAppHint')}</p>
    </div>
  );
}

function CodeForm(props: { action: string; error?: string | null; autofocus?: boolean }) {
  const { t } = usePage();
  return (
    <Form action={props.action} class="stack">
      <TextField {...CODE_FIELD} label={t('signin.code.label')} autofocus={props.autofocus ?? true} error={props.error} hint={t('signin.code.hint')} />
      <RememberDeviceCheckbox />
      <button type="submit" class="button-primary">{t('signin.continue')}</button>
    </Form>
  );
}

export function CancelSignIn() {
  const { t } = usePage();
  return (
    <Form action="/logout" class="cancel-sign-in">
      <button type="submit" class="button-link">{t('signin.cancel')}</button>
    </Form>
  );
}


/** A dead end until the lock passes, so it says what happened, what to do and whom to call. */
export function LockedPage(props: { wait: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('signin.locked.title')} narrow>
      <h1>{t('signin.locked.title')}</h1>
      <Notice kind="error">{t('signin.locked.message', { wait: props.wait })}</Notice>
      <p>{t('signin.locked.whatToDo')}</p>
      <p>{t('signin.locked.notYou')}</p>
      <SupportLine lead={t('signin.locked.supportLead')} />
      <p><a href="/login">{t('signin.backToSignIn')}</a></p>
    </Layout>
  );
}
