import { Form, TextField } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { EMAIL_MAX_LENGTH } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';

export interface LoginPageProps {
  email?: string;
  next?: string | null;
  /** Wrong credentials and the like: shown above the form, tied to the fields. */
  error?: string | null;
  /** Signed out, session expired, account created… */
  notice?: string | null;
}

export function LoginPage(props: LoginPageProps) {
  const errorId = props.error ? 'login-error' : undefined;
  return (
    <Layout title="Sign in" narrow>
      <h1>Sign in</h1>
      {props.notice && <Notice kind="info">{props.notice}</Notice>}
      {props.error && <Notice kind="error" id={errorId}>{props.error}</Notice>}
      <Form action="/login" class="stack">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <TextField name="email" label="Email" type="email" value={props.email} autocomplete="username" inputmode="email"
          maxLength={EMAIL_MAX_LENGTH} autofocus={!props.email} sharedErrorId={errorId} />
        <TextField name="password" label="Password" type="password" autocomplete="current-password"
          maxLength={PASSWORD_MAX_LENGTH} autofocus={Boolean(props.email)} sharedErrorId={errorId} />
        <button type="submit" class="button-primary">Continue</button>
      </Form>
      <p class="after-form"><a href="/password/forgot">Forgot your password?</a></p>
      <p class="after-form">Signing in takes your password and then a 6-digit code from an authenticator app on your phone.</p>
    </Layout>
  );
}
