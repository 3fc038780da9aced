import { timeFormat } from '../format.js';
import { Form } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { AccountPage } from './views.js';

const codesLeft = (n: number) => (n === 0 ? 'no recovery codes' : n === 1 ? '1 recovery code' : `${n} recovery codes`);

export function RecoveryCodesPage(props: { remaining: number; total: number; createdAt: number | null; zone: string; unsaved: boolean }) {
  const time = timeFormat(props.zone);
  return (
    <AccountPage title="Recovery codes" narrow>
      <p>Recovery codes sign you in when your phone is not at hand: each one works once, instead of a code from your app.</p>
      {props.createdAt === null
        ? <Notice kind="error">You have no recovery codes. Create a set now, before you need one.</Notice>
        : <p id="codes-left">You have <strong>{props.remaining} of {props.total}</strong> codes left, from the set created on {time.date(props.createdAt)}.</p>}
      {props.createdAt !== null && props.remaining <= 3 && <Notice kind="error">Few codes are left: create a new set.</Notice>}
      {props.unsaved && <p><a href="/account/security/recovery-codes/new">Show the codes you have not confirmed saving yet</a></p>}
      <Form action="/account/security/recovery-codes/new" class="stack">
        <p class="hint">A new set replaces the old one at once: codes you saved earlier stop working. You will be asked for a code from your app first.</p>
        <button type="submit" class="button-primary">Create new recovery codes</button>
      </Form>
    </AccountPage>
  );
}

/** The only time the codes are shown: the user confirms saving them before going on. */
export function NewCodesPage(props: { codes: string[]; next: string | null; error?: string | null }) {
  return (
    <AccountPage title="Save your recovery codes" narrow backTo={false}>
      <p>If you lose your phone, each of these codes signs you in once instead of a code from your app. <strong>They are shown only now.</strong> Keep them somewhere safe and away from your phone: a password manager, or printed in a drawer.</p>
      <ol id="recovery-codes" class="recovery-codes" aria-label="Recovery codes">
        {props.codes.map((code) => <li><code>{code}</code></li>)}
      </ol>
      <p class="no-print code-actions">
        <a class="button-secondary" href="/account/security/recovery-codes/download" download="hms-recovery-codes.txt">Download as .txt</a>
        <button type="button" class="button-secondary js-only" id="print-codes">Print</button>
        <span class="no-js-only hint">To print, use your browser's Print command.</span>
      </p>
      <Form action="/account/security/recovery-codes/saved" class="stack no-print">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <div class={`field field-checkbox${props.error ? ' field-invalid' : ''}`}>
          <input type="checkbox" id="saved" name="saved" value="on" required aria-describedby={props.error ? 'saved-error' : undefined} aria-invalid={props.error ? 'true' : undefined} />
          <label for="saved">I have saved these codes somewhere safe</label>
          {props.error && <p class="field-error" id="saved-error"><span class="visually-hidden">Error: </span>{props.error}</p>}
        </div>
        <button type="submit" class="button-primary">Continue</button>
      </Form>
      <script src="/assets/print.js" defer />
    </AccountPage>
  );
}

/** After a sign-in with a recovery code, or one that found few left. */
export function CodesLeftPage(props: { reason: 'used' | 'low'; remaining: number; low: boolean; next: string }) {
  const title = props.reason === 'used' ? 'You signed in with a recovery code' : 'Recovery codes running low';
  return (
    <AccountPage title={title} narrow backTo={false}>
      <p id="codes-left">You have <strong>{codesLeft(props.remaining)}</strong> left.</p>
      {props.reason === 'used' && (
        <Notice kind="info">
          Lost your phone, or changed it? <a href="/account/security/authenticator">Pair a new phone now</a>: the old one stops working
          the moment the new one is paired, so whoever has it cannot sign in with it.
        </Notice>
      )}
      {props.low && (
        <Notice kind="error">
          {props.remaining === 0 ? 'You have no recovery codes left.' : 'Few recovery codes are left.'} Create a new set so you are not locked out if your phone is lost.
        </Notice>
      )}
      <p class="code-actions">
        {props.low && <a class="button-primary" href="/account/security/recovery-codes">Create new recovery codes</a>}
        <a class={props.low ? 'button-secondary' : 'button-primary'} href={props.next}>Continue</a>
      </p>
    </AccountPage>
  );
}
