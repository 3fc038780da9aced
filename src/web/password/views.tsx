import { EMAIL_MAX_LENGTH } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';

/** "Forgot your password?": the address to send a link to. */
export function ForgotPasswordPage(props: { email?: string; error?: string | null; mailEnabled: boolean }) {
  return (
    <Layout title="Reset your password" narrow>
      <h1>Reset your password</h1>
      {props.mailEnabled ? (
        <>
          <p>Enter the email address of your HMS account. We will send a link to choose a new password; before the new password,
            it asks for a code from your authenticator app (or a recovery code).</p>
          <Form action="/password/forgot" class="stack">
            <TextField name="email" label="Email" type="email" value={props.email} autocomplete="username" inputmode="email"
              maxLength={EMAIL_MAX_LENGTH} autofocus error={props.error} />
            <button type="submit" class="button-primary">Send the link</button>
          </Form>
        </>
      ) : (
        <Notice kind="info">This HMS does not send mail, so it cannot send you a link: support can send you one, or reset your password.</Notice>
      )}
      <SupportLine />
      <p><a href="/login">Back to sign-in</a></p>
    </Layout>
  );
}

/** The same answer whether or not the address has an account. */
export function LinkSentPage(props: { minutes: number }) {
  return (
    <Layout title="Check your mail" narrow>
      <h1>Check your mail</h1>
      <Notice kind="info">If an account uses this address, we sent a link to it. The link works once, for {props.minutes} minutes.</Notice>
      <p>Nothing arrived after a few minutes? Check your spam folder, then ask for a new link (the newest one replaces the others).
        An invitation that was never accepted, or a disabled account, gets no link: ask support.</p>
      <p><a href="/password/forgot">Ask for a new link</a> · <a href="/login">Back to sign-in</a></p>
    </Layout>
  );
}

/** The link opened: the second factor comes first. */
export function ResetFactorPage(props: { action: string; email: string; method: 'code' | 'recovery'; error?: string | null }) {
  const base = props.action.replace(/\/(code|recovery)$/, '');
  return (
    <Layout title="Reset your password" narrow>
      <h1>Reset your password</h1>
      <p>For <strong>{props.email}</strong>. First prove it is you with your second factor: a link in a mailbox alone cannot change a password.</p>
      {props.method === 'code' ? (
        <Form action={props.action} class="stack">
          <TextField name="code" label="6-digit code" autocomplete="one-time-code" inputmode="numeric" maxLength={16} class="code-input"
            autofocus error={props.error} hint="The code your authenticator app shows now; it changes every 30 seconds." />
          <button type="submit" class="button-primary">Continue</button>
        </Form>
      ) : (
        <Form action={props.action} class="stack">
          <TextField name="recovery_code" label="Recovery code" autocomplete="off" maxLength={64} autofocus error={props.error}
            hint="One of the codes you saved when you set up your authenticator, like abcde-12345. Each works once." />
          <button type="submit" class="button-primary">Continue</button>
        </Form>
      )}
      <nav class="other-ways" aria-label="Other ways to verify">
        <ul>
          {props.method === 'code'
            ? <li><a href={`${base}?with=recovery`}>Use a recovery code instead</a></li>
            : <li><a href={base}>Use a code from your authenticator app</a></li>}
        </ul>
      </nav>
      <SupportLine lead="No phone and no recovery code? Your password cannot be reset with this link: support can reset your second factor." />
    </Layout>
  );
}

/** The second factor was proven in this browser: the new password, twice. */
export function NewPasswordPage(props: { action: string; email: string; errors?: { new_password?: string; new_password_again?: string } }) {
  const errors = props.errors ?? {};
  return (
    <Layout title="Choose a new password" narrow>
      <h1>Choose a new password</h1>
      <p>For <strong>{props.email}</strong>. Afterwards every session and remembered device of your account is signed out; sign in with the new password and a code.</p>
      <Form action={props.action} class="stack">
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <TextField name="new_password" label="New password" type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={errors.new_password} autofocus={!errors.new_password_again}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters, any you like. A few unrelated words make a strong password; common passwords are refused.`} />
        <TextField name="new_password_again" label="New password again" type="password" autocomplete="new-password"
          maxLength={PASSWORD_MAX_LENGTH} error={errors.new_password_again} autofocus={Boolean(errors.new_password_again)} />
        <button type="submit" class="button-primary">Set the new password</button>
      </Form>
    </Layout>
  );
}

/** The account has no second factor to prove (never paired, or reset by support): only support can help. */
export function NoSecondFactorPage() {
  return (
    <Layout title="Ask support" narrow>
      <h1>Support must help you</h1>
      <Notice kind="info">This account has no authenticator paired, so a link alone cannot reset its password: that would let anyone
        who reads your mail take the account over.</Notice>
      <SupportLine lead="To reset your password:" />
      <p><a href="/login">Back to sign-in</a></p>
    </Layout>
  );
}

/** Too many wrong codes for the account: the same lock as at sign-in. */
export function ResetLockedPage(props: { wait: string }) {
  return (
    <Layout title="Too many wrong codes" narrow>
      <h1>Too many wrong codes</h1>
      <Notice kind="error">For your protection the second factor of this account is locked. Try again in {props.wait}.</Notice>
      <SupportLine lead="If this keeps happening," continues />
    </Layout>
  );
}
