// Pieces shared by the account security pages.
import type { ComponentChildren } from 'preact';
import { Form } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { DONE, type DoneKey } from './notices.js';
import { describeUserAgent } from './user-agent.js';

/** Changes of a second factor, after which other sessions may be ended too (ASVS 7.4.3). */
const FACTOR_CHANGES: ReadonlySet<DoneKey> = new Set(['authenticator', 'authenticator-and-devices', 'codes-saved', 'key-added', 'key-removed']);

/** For rich messages: <strong>…</strong>, and <hidden>…</hidden> that only a screen reader says. */
export const strong = (chunks: ComponentChildren) => <strong>{chunks}</strong>;
export const hidden = (chunks: ComponentChildren) => <span class="visually-hidden">{chunks}</span>;

export function AccountPage(props: { title: string; children: ComponentChildren; narrow?: boolean; done?: DoneKey; backTo?: boolean }) {
  const { t } = usePage();
  return (
    <Layout title={props.title} narrow={props.narrow}>
      {props.backTo !== false && <p class="breadcrumb"><a href="/account/security">{t('password.views.breadcrumb')}</a></p>}
      <h1>{props.title}</h1>
      {props.done && <Notice kind="success">{t(DONE[props.done])}</Notice>}
      {props.done && FACTOR_CHANGES.has(props.done) && <EndOtherSessionsOffer />}
      {props.children}
    </Layout>
  );
}

/** "Chrome 126 on Windows 10" with the client address beside it. */
export function ClientDescription(props: { userAgent: string; clientIp: string; isThis?: string | null }) {
  const { t } = usePage();
  return (
    <>
      {describeUserAgent(props.userAgent, t)}
      <br /><span class="muted">{props.clientIp ? t('password.views.fromAddress', { address: props.clientIp }) : t('password.views.fromUnknown')}</span>
      {props.isThis && <span class="flag flag-current">{props.isThis}</span>}
    </>
  );
}

/** After a change of factors: the option to end every other session (ASVS 7.4.3). */
export function EndOtherSessionsOffer() {
  const { t } = usePage();
  return (
    <Form action="/account/security/sessions/end-others" class="inline-form end-others">
      <span>{t('password.views.notSure')}</span>
      <button type="submit" class="button-secondary">{t('password.views.signOutElsewhere')}</button>
    </Form>
  );
}

/** The user-facing names of the second factor a sign-in used, for audit details. */
export type SecondFactor = 'totp' | 'recovery_code' | 'security_key';
