import type { ComponentChildren } from 'preact';
import { EMAIL_MAX_LENGTH } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-policy.js';
import { WebauthnForm } from '../mfa/other-factor-views.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

const strong = (chunks: ComponentChildren) => <strong>{chunks}</strong>;

/** "Forgot your password?": the address to send a link to. */
export function ForgotPasswordPage(props: { email?: string; error?: string | null; mailEnabled: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={t('password.forgot.title')} narrow>
      <h1>{t('password.forgot.title')}</h1>
      {props.mailEnabled ? (
        <>
          <p>{t('password.forgot.intro')}</p>
          <Form action="/password/forgot" class="stack">
            <TextField name="email" label={t('password.forgot.emailLabel')} type="email" value={props.email} autocomplete="username" inputmode="email"
              maxLength={EMAIL_MAX_LENGTH} autofocus error={props.error} />
            <button type="submit" class="button-primary">{t('password.forgot.send')}</button>
          </Form>
        </>
      ) : (
        <Notice kind="info">{t('password.forgot.noMail')}</Notice>
      )}
      <SupportLine />
      <p><a href="/login">{t('password.forgot.backToSignIn')}</a></p>
    </Layout>
  );
}

/** The same answer whether or not the address has an account. */
export function LinkSentPage(props: { minutes: number }) {
  const { t } = usePage();
  return (
    <Layout title={t('password.sent.title')} narrow>
      <h1>{t('password.sent.title')}</h1>
      <Notice kind="info">{t('password.sent.notice', { minutes: props.minutes })}</Notice>
      <p>{t('password.sent.help')}</p>
      <p><a href="/password/forgot">{t('password.sent.askAgain')}</a> · <a href="/login">{t('password.forgot.backToSignIn')}</a></p>
    </Layout>
  );
}

/** The second factors a reset link accepts: the app's code, a recovery code, or a security key. */
export type ResetMethod = 'code' | 'recovery' | 'key';

/**
 * The link opened: the second factor comes first. `base` is the link's path; each factor posts to
 * base/<method>. The key's ceremony needs JavaScript (webauthn.js); the other two are plain forms.
 */
export function ResetFactorPage(props: { base: string; email: string; method: ResetMethod; hasSecurityKey: boolean; keyOptionsJson?: string | null; error?: string | null }) {
  const { t } = usePage();
  const action = `${props.base}/${props.method}`;
  return (
    <Layout title={t('password.forgot.title')} narrow>
      <h1>{t('password.forgot.title')}</h1>
      <p>{t.rich('password.reset.for', { email: props.email, strong })}</p>
      {props.method === 'code' && (
        <Form action={action} class="stack">
          <TextField name="code" label={t('password.reset.codeLabel')} autocomplete="one-time-code" inputmode="numeric" maxLength={16} class="code-input"
            autofocus error={props.error} hint={t('password.reset.codeHint')} />
          <button type="submit" class="button-primary">{t('password.reset.continue')}</button>
        </Form>
      )}
      {props.method === 'recovery' && (
        <Form action={action} class="stack">
          <TextField name="recovery_code" label={t('password.reset.recoveryLabel')} autocomplete="off" maxLength={64} autofocus error={props.error}
            hint={t('password.reset.recoveryHint')} />
          <button type="submit" class="button-primary">{t('password.reset.continue')}</button>
        </Form>
      )}
      {props.method === 'key' && <KeyStep action={action} base={props.base} optionsJson={props.keyOptionsJson ?? null} error={props.error} />}
      <nav class="other-ways" aria-label={t('password.reset.otherWays')}>
        <ul>
          {props.method !== 'key' && props.hasSecurityKey && <li><a href={`${props.base}?with=key`}>{t('password.reset.useKey')}</a></li>}
          {props.method !== 'code' && <li><a href={props.base}>{t('password.reset.useApp')}</a></li>}
          {props.method !== 'recovery' && <li><a href={`${props.base}?with=recovery`}>{t('password.reset.useRecovery')}</a></li>}
        </ul>
      </nav>
      <SupportLine lead={t(props.hasSecurityKey ? 'password.reset.noFactorLeadWithKey' : 'password.reset.noFactorLead')} />
    </Layout>
  );
}

/** The security key: the browser signs this link's challenge; without options (a malformed answer), a fresh page. */
function KeyStep(props: { action: string; base: string; optionsJson: string | null; error?: string | null }) {
  const { t } = usePage();
  return (
    <>
      <p>{t('password.reset.keyIntro')}</p>
      {props.error && <Notice kind="error" id="key-error">{props.error}</Notice>}
      {props.optionsJson
        ? <WebauthnForm action={props.action} mode="authenticate" optionsJson={props.optionsJson} button={t('password.reset.keyButton')} />
        : <p><a href={`${props.base}?with=key`}>{t('password.reset.keyTryAgain')}</a></p>}
    </>
  );
}

/** The second factor was proven in this browser: the new password, twice. */
export function NewPasswordPage(props: { action: string; email: string; errors?: { new_password?: string; new_password_again?: string } }) {
  const { t } = usePage();
  const errors = props.errors ?? {};
  return (
    <Layout title={t('password.newPassword.title')} narrow>
      <h1>{t('password.newPassword.title')}</h1>
      <p>{t.rich('password.newPassword.for', { email: props.email, strong })}</p>
      <Form action={props.action} class="stack">
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <TextField name="new_password" label={t('password.fields.newPassword')} type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={errors.new_password} autofocus={!errors.new_password_again}
          hint={t('password.fields.newPasswordHint', { min: PASSWORD_MIN_LENGTH })} />
        <TextField name="new_password_again" label={t('password.fields.newPasswordAgain')} type="password" autocomplete="new-password"
          maxLength={PASSWORD_MAX_LENGTH} error={errors.new_password_again} autofocus={Boolean(errors.new_password_again)} />
        <button type="submit" class="button-primary">{t('password.newPassword.submit')}</button>
      </Form>
    </Layout>
  );
}

/** The account has no second factor to prove (never paired, or reset by support): only support can help. */
export function NoSecondFactorPage() {
  const { t } = usePage();
  return (
    <Layout title={t('password.noFactor.title')} narrow>
      <h1>{t('password.noFactor.heading')}</h1>
      <Notice kind="info">{t('password.noFactor.notice')}</Notice>
      <SupportLine lead={t('password.noFactor.supportLead')} />
      <p><a href="/login">{t('password.forgot.backToSignIn')}</a></p>
    </Layout>
  );
}

/** Too many wrong codes for the account: the same lock as at sign-in. */
export function ResetLockedPage(props: { wait: string }) {
  const { t } = usePage();
  return (
    <Layout title={t('password.locked.title')} narrow>
      <h1>{t('password.locked.title')}</h1>
      <Notice kind="error">{t('password.locked.notice', { wait: props.wait })}</Notice>
      <SupportLine lead={t('support.leadRepeated')} continues />
    </Layout>
  );
}
