import type { OutboxEntry } from '../../mail/outbox.js';
import type { TimeFormat } from '../format.js';
import { Layout, Notice } from '../views/layout.js';
import { AdminNav, zonedTime as zoned } from './views.js';

const KINDS: Record<string, string> = { password_reset: 'password-reset link', invitation: 'invitation', security_notice: 'security notice' };

/** Messages not sent yet, and those given up: what support should know about mail. */
export function OutboxPage(props: { entries: OutboxEntry[]; mailEnabled: boolean; sentToday: number; now: number; times: TimeFormat }) {
  const { times } = props;
  return (
    <Layout title="Mail">
      <AdminNav />
      <h1>Mail</h1>
      {props.mailEnabled
        ? <p>Messages go out through the mail server within seconds; while it does not answer they wait here and are tried again (after 10 s, then at most every 2 minutes, for 3 days). {props.sentToday} sent in the last 24 hours.</p>
        : <Notice kind="info">No mail server is set (HMS_SMTP_URL), so HMS sends no mail: invitations, re-pairing and password-reset links are shown on the console for you to pass on, and nobody gets security notifications.</Notice>}
      {props.entries.length === 0 ? <p class="empty">No message is waiting or has failed.</p> : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Messages not sent">
          <table class="data-table compact">
            <thead><tr><th scope="col">Written</th><th scope="col">Message</th><th scope="col">To</th><th scope="col">State</th><th scope="col">Last error</th></tr></thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr key={entry.id}>
                  <td class="nowrap">{zoned(times, entry.createdAt)}</td>
                  <td>{KINDS[entry.kind] ?? entry.kind}</td>
                  <td>{entry.recipient}</td>
                  <td>{entry.failedAt !== null
                    ? <span class="status status-disabled">failed {zoned(times, entry.failedAt)}</span>
                    : <>queued, {entry.attempts} {entry.attempts === 1 ? 'try' : 'tries'}; next {entry.nextAttemptAt <= props.now ? 'now' : zoned(times, entry.nextAttemptAt)}</>}</td>
                  <td class="details-cell">{entry.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** After "Send a password-reset link": sent by mail, or the link to pass on when HMS sends no mail. */
export function ResetLinkSentPage(props: { email: string; userId: string; link: string | null; minutes: number }) {
  return (
    <Layout title="Password-reset link" narrow>
      <AdminNav />
      <h1>Password-reset link</h1>
      {props.link === null
        ? <Notice kind="success">A password-reset link is on its way to {props.email}. It works once, for {props.minutes} minutes; a newer one replaces it.</Notice>
        : (
          <>
            <Notice kind="info">No mail server is set, so nothing was sent: pass this link to {props.email} through a channel you trust (it is shown only now).</Notice>
            <p class="invitation-link"><code id="reset-link">{props.link}</code></p>
            <p>It works once, for {props.minutes} minutes.</p>
          </>
        )}
      <p>Before the new password, the link asks for a code from their authenticator app or a recovery code: you never choose their password, and
        nobody who reads their mail can change it. If they have lost their phone and their codes, reset their second factor instead.</p>
      <p><a href={`/admin/users/${props.userId}`}>Back to the account</a></p>
    </Layout>
  );
}
