import { Layout, Notice } from './layout.js';

const TITLES = { setup: 'Setup', invitation: 'Invitation', 're-pairing': 'Re-pairing', 'password-reset': 'Password-reset' } as const;

/** A one-time link (setup, invitation, re-pairing) that no longer works: say why, and where to go instead. */
export function DeadLinkPage(props: { kind: keyof typeof TITLES; message: string }) {
  return (
    <Layout title={`${TITLES[props.kind]} link not valid`} narrow>
      <h1>This {props.kind} link cannot be used</h1>
      <Notice kind="error">{props.message}</Notice>
      <p><a href="/login">Go to sign-in</a></p>
    </Layout>
  );
}
