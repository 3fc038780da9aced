import { PASSWORD_MAX_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

/** The page a re-pairing link opens: the account's password, then the pairing page. */
export function RePairPage(props: { action: string; name: string; email: string; minutes: number; error?: string | null }) {
  const { t } = usePage();
  const errorId = props.error ? 're-pair-error' : undefined;
  return (
    <Layout title={t('signin.rePair.title')} narrow>
      <h1>{t('signin.rePair.heading', { name: props.name })}</h1>
      <p>{t.rich('signin.rePair.intro', { email: props.email, minutes: props.minutes, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      {props.error && <Notice kind="error" id={errorId}>{props.error}</Notice>}
      <Form action={props.action} class="stack">
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <TextField name="password" label={t('field.password')} type="password" autocomplete="current-password" maxLength={PASSWORD_MAX_LENGTH}
          autofocus sharedErrorId={errorId} />
        <button type="submit" class="button-primary">{t('signin.continue')}</button>
      </Form>
    </Layout>
  );
}

/** After the password, an account whose second factor was reset: only the re-pairing link leads on. */
export function PairingLinkNeededPage() {
  const { t } = usePage();
  return (
    <Layout title={t('signin.linkNeeded.title')} narrow>
      <h1>{t('signin.linkNeeded.heading')}</h1>
      <Notice kind="info">{t('signin.linkNeeded.notice')}</Notice>
      <p>{t('signin.linkNeeded.noLink')}</p>
      <SupportLine lead={t('signin.linkNeeded.supportLead')} />
      <p><a href="/login">{t('signin.backToSignIn')}</a></p>
    </Layout>
  );
}
