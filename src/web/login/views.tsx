import { Form, TextField } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { EMAIL_MAX_LENGTH } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';

export interface LoginPageProps {
  email?: string;
  next?: string | null;
  /** Wrong credentials and the like (already translated): shown above the form, tied to the fields. */
  error?: string | null;
  /** Signed out, session expired, account created… (already translated) */
  notice?: string | null;
}

export function LoginPage(props: LoginPageProps) {
  const { t } = usePage();
  const errorId = props.error ? 'login-error' : undefined;
  return (
    <Layout title={t('signin.login.title')} narrow>
      <h1>{t('signin.login.title')}</h1>
      {props.notice && <Notice kind="info">{props.notice}</Notice>}
      {props.error && <Notice kind="error" id={errorId}>{props.error}</Notice>}
      <Form action="/login" class="stack">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <TextField name="email" label={t('field.email')} type="email" value={props.email} autocomplete="username" inputmode="email"
          maxLength={EMAIL_MAX_LENGTH} autofocus={!props.email} sharedErrorId={errorId} />
        <TextField name="password" label={t('field.password')} type="password" autocomplete="current-password"
          maxLength={PASSWORD_MAX_LENGTH} autofocus={Boolean(props.email)} sharedErrorId={errorId} />
        <button type="submit" class="button-primary">{t('signin.continue')}</button>
      </Form>
      <p class="after-form"><a href="/password/forgot">{t('signin.login.forgotPassword')}</a></p>
      <p class="after-form">{t('signin.login.howItWorks')}</p>
    </Layout>
  );
}
