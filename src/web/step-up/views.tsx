import { Form, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { RECOVERY_CODE_FIELD } from '../mfa/other-factor-views.js';

export function StepUpPage(props: { next: string; error?: string | null; recoveryError?: string | null; locked?: string | null }) {
  return (
    <Layout title="Confirm it's you" narrow>
      <h1>Confirm it's you</h1>
      <p>Changes to accounts and to how you sign in need a code from your authenticator app entered in the last 5 minutes.</p>
      {props.locked ? <Notice kind="error">{props.locked}</Notice> : (
        <Form action="/verify-again" class="stack">
          <input type="hidden" name="next" value={props.next} />
          <TextField name="code" label="6-digit code" autocomplete="one-time-code" inputmode="numeric" maxLength={16} class="code-input"
            autofocus={!props.recoveryError} error={props.error} hint="The code your app shows now." />
          <button type="submit" class="button-primary">Continue</button>
        </Form>
      )}
      {!props.locked && (
        <details class="other-ways" open={Boolean(props.recoveryError)}>
          <summary>Use a recovery code instead</summary>
          <Form action="/verify-again/recovery" class="stack">
            <input type="hidden" name="next" value={props.next} />
            <TextField {...RECOVERY_CODE_FIELD} error={props.recoveryError} autofocus={Boolean(props.recoveryError)}
              hint="One of the codes you saved, like abcde-12345. It will be used up." />
            <button type="submit" class="button-secondary">Continue with recovery code</button>
          </Form>
        </details>
      )}
      <p><a href={props.next}>Cancel</a></p>
      <SupportLine lead="Lost your phone?" />
    </Layout>
  );
}
