import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';

/** The page a re-pairing link opens: the account's password, then the pairing page. */
export function RePairPage(props: { action: string; name: string; email: string; minutes: number; error?: string | null }) {
  const errorId = props.error ? 're-pair-error' : undefined;
  return (
    <Layout title="Pair your new authenticator" narrow>
      <h1>Pair your new authenticator, {props.name}</h1>
      <p>Support reset the second factor of <strong>{props.email}</strong>. Enter your password: the next page shows a QR code
        to scan with the authenticator app on your phone. Pair it within {props.minutes} minutes; this link works once.</p>
      {props.error && <Notice kind="error" id={errorId}>{props.error}</Notice>}
      <Form action={props.action} class="stack">
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <TextField name="password" label="Password" type="password" autocomplete="current-password" maxLength={PASSWORD_MAX_LENGTH}
          autofocus sharedErrorId={errorId} />
        <button type="submit" class="button-primary">Continue</button>
      </Form>
    </Layout>
  );
}

/** After the password, an account whose second factor was reset: only the re-pairing link leads on. */
export function PairingLinkNeededPage() {
  return (
    <Layout title="Re-pairing link needed" narrow>
      <h1>Your authenticator was reset</h1>
      <Notice kind="info">
        Support removed the authenticator of this account. To pair a new one, open the re-pairing link support gave you,
        in this browser. Your password alone is not enough: this keeps out anyone else who might know it.
      </Notice>
      <p>No link, or it no longer works (it is valid 72 hours, once)? Ask support for a new one.</p>
      <SupportLine lead="For a new link:" />
      <p><a href="/login">Back to sign-in</a></p>
    </Layout>
  );
}
