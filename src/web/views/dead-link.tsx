import { Layout, Notice } from './layout.js';

/** A one-time link (setup, invitation) that no longer works: say why, and where to go instead. */
export function DeadLinkPage(props: { kind: 'setup' | 'invitation'; message: string }) {
  return (
    <Layout title={`${props.kind === 'setup' ? 'Setup' : 'Invitation'} link not valid`} narrow>
      <h1>This {props.kind} link cannot be used</h1>
      <Notice kind="error">{props.message}</Notice>
      <p><a href="/login">Go to sign-in</a></p>
    </Layout>
  );
}
