import { Layout, Notice } from './layout.js';
import { usePage } from './page-context.js';

/** The word each kind of link is called by in the catalog's select (`re-pairing` is `rePairing` there). */
const KINDS = { setup: 'setup', invitation: 'invitation', 're-pairing': 'rePairing', 'password-reset': 'passwordReset' } as const;

/** A one-time link (setup, invitation, re-pairing) that no longer works: say why, and where to go instead. */
export function DeadLinkPage(props: { kind: keyof typeof KINDS; message: string }) {
  const { t } = usePage();
  const kind = KINDS[props.kind];
  return (
    <Layout title={t('signin.deadLink.title', { kind })} narrow>
      <h1>{t('signin.deadLink.heading', { kind })}</h1>
      <Notice kind="error">{props.message}</Notice>
      <p><a href="/login">{t('signin.deadLink.goToSignIn')}</a></p>
    </Layout>
  );
}
