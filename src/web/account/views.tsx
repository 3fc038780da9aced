// Pieces shared by the account security pages.
import type { ComponentChildren } from 'preact';
import { Form } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { DONE, type DoneKey } from './notices.js';
import { describeUserAgent } from './user-agent.js';

/** Changes of a second factor, after which other sessions may be ended too (ASVS 7.4.3). */
const FACTOR_CHANGES: ReadonlySet<DoneKey> = new Set(['authenticator', 'authenticator-and-devices', 'codes-saved', 'key-added', 'key-removed']);

export function AccountPage(props: { title: string; children: ComponentChildren; narrow?: boolean; done?: DoneKey; backTo?: boolean }) {
  return (
    <Layout title={props.title} narrow={props.narrow}>
      {props.backTo !== false && <p class="breadcrumb"><a href="/account/security">Account security</a></p>}
      <h1>{props.title}</h1>
      {props.done && <Notice kind="success">{DONE[props.done]}</Notice>}
      {props.done && FACTOR_CHANGES.has(props.done) && <EndOtherSessionsOffer />}
      {props.children}
    </Layout>
  );
}

/** "Chrome 126 on Windows 10" with the client address beside it. */
export function ClientDescription(props: { userAgent: string; clientIp: string; isThis?: string | null }) {
  return (
    <>
      {describeUserAgent(props.userAgent)}
      <br /><span class="muted">from {props.clientIp || 'an unknown address'}</span>
      {props.isThis && <span class="flag flag-current">{props.isThis}</span>}
    </>
  );
}

/** After a change of factors: the option to end every other session (ASVS 7.4.3). */
export function EndOtherSessionsOffer() {
  return (
    <Form action="/account/security/sessions/end-others" class="inline-form end-others">
      <span>Not sure who else may be signed in?</span>
      <button type="submit" class="button-secondary">Sign out everywhere else</button>
    </Form>
  );
}

/** The user-facing names of the second factor a sign-in used, for audit details. */
export type SecondFactor = 'totp' | 'recovery_code' | 'security_key';
