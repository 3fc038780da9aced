import { Form, RememberDeviceCheckbox, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';

const CODE_FIELD = {
  name: 'code',
  label: '6-digit code',
  autocomplete: 'one-time-code',
  inputmode: 'numeric',
  maxLength: 16,
  class: 'code-input',
} as const;

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
  return (
    <Layout title="Set up your authenticator app" narrow>
      <h1>Set up your authenticator app</h1>
      <p>Your account is protected by a code from an app on your phone. You set it up once; after that, each sign-in asks for the current code.</p>
      <ol class="steps">
        <li>
          <h2>Install an authenticator app</h2>
          <p>Any app for time-based codes works, for example: {COMPATIBLE_APPS.join(', ')}.</p>
        </li>
        <li>
          <h2>Add HMS to the app</h2>
          <p>In the app, choose to add an account and scan this QR code:</p>
          <div id="totp-qr" class="qr" role="img" aria-label={`QR code to add ${props.issuer} (${props.account}) to an authenticator app`}
            dangerouslySetInnerHTML={{ __html: props.qrSvg }} />
          <OpenInAppLink uri={props.otpauthUri} />
          <div class="manual-entry">
            <p>Can't scan it? Add the account by typing this key instead:</p>
            <dl>
              <dt>Account</dt><dd>{props.issuer}: {props.account}</dd>
              <dt>Key</dt><dd><code id="totp-secret" class="secret">{props.secretForReading}</code></dd>
              <dt>Type</dt><dd>Time-based, 6 digits, every 30 seconds (SHA-1)</dd>
            </dl>
            <p class="hint">Spaces do not matter. Keep this key to yourself: it is shown only until setup is finished.</p>
          </div>
        </li>
        <li>
          <h2>Enter the code the app shows</h2>
          {/* No autofocus unless there is an error: on a phone it would scroll past the QR code. */}
          <CodeForm action="/mfa/setup" error={props.error} autofocus={Boolean(props.error)} />
        </li>
      </ol>
      <CancelSignIn />
    </Layout>
  );
}

export function VerifyPage(props: { error?: string | null; hasSecurityKey?: boolean }) {
  return (
    <Layout title="Verify Your Identity" narrow>
      <h1>Verify Your Identity</h1>
      <p>Open your authenticator app and enter the 6-digit code it shows for HMS.</p>
      <CodeForm action="/mfa/verify" error={props.error} />
      <OtherWaysToVerify current="code" hasSecurityKey={props.hasSecurityKey} />
      <SupportLine lead="Lost your phone and your recovery codes? Your administrator can reset your authenticator." />
      <CancelSignIn />
    </Layout>
  );
}

/** The second factors this account can use besides the one on the page. */
export function OtherWaysToVerify(props: { current: 'code' | 'recovery' | 'key'; hasSecurityKey?: boolean }) {
  return (
    <nav class="other-ways" aria-label="Other ways to verify">
      <ul>
        {props.current !== 'key' && props.hasSecurityKey && <li><a href="/mfa/security-key">Use a security key</a></li>}
        {props.current !== 'code' && <li><a href="/mfa/verify">Use a code from your authenticator app</a></li>}
        {props.current !== 'recovery' && <li><a href="/mfa/recovery">Use a recovery code instead</a></li>}
      </ul>
    </nav>
  );
}

/** On the phone that holds the app, scanning is impossible: this link hands it the same Key URI. */
export function OpenInAppLink(props: { uri: string }) {
  return (
    <div class="open-in-app">
      <a class="button-secondary" href={props.uri}>Open in authenticator app</a>
      <p class="hint">On the phone that has the app: adds HMS to it without scanning.</p>
    </div>
  );
}

function CodeForm(props: { action: string; error?: string | null; autofocus?: boolean }) {
  return (
    <Form action={props.action} class="stack">
      <TextField {...CODE_FIELD} autofocus={props.autofocus ?? true} error={props.error} hint="The code changes every 30 seconds." />
      <RememberDeviceCheckbox />
      <button type="submit" class="button-primary">Continue</button>
    </Form>
  );
}

export function CancelSignIn() {
  return (
    <Form action="/logout" class="cancel-sign-in">
      <button type="submit" class="button-link">Cancel and sign in as someone else</button>
    </Form>
  );
}


/** A dead end until the lock passes, so it says what happened, what to do and whom to call. */
export function LockedPage(props: { wait: string }) {
  return (
    <Layout title="Codes temporarily refused" narrow>
      <h1>Codes temporarily refused</h1>
      <Notice kind="error">
        Too many wrong codes were entered for this account, so for your protection codes are refused for the next {props.wait}.
      </Notice>
      <p>Wait, then sign in again with your password and the code your app shows at that moment.</p>
      <p>If these attempts were not yours, someone may know your password: tell support, who can also unlock the account.</p>
      <SupportLine lead="To unlock your account sooner or report this:" />
      <p><a href="/login">Back to sign-in</a></p>
    </Layout>
  );
}
