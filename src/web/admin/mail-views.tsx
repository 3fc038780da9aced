import type { OutboxEntry } from '../../mail/outbox.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { AdminNav, zonedTime as zoned } from './views.js';

const KINDS = ['password_reset', 'invitation', 'security_notice'] as const;
const isKnownKind = (kind: string): kind is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(kind);

/** Messages not sent yet, and those given up: what support should know about mail. */
export function OutboxPage(props: { entries: OutboxEntry[]; mailEnabled: boolean; sentToday: number; now: number }) {
  const { t, times } = usePage();
  return (
    <Layout title={t('admin.mail.title')}>
      <AdminNav />
      <h1>{t('admin.mail.title')}</h1>
      {props.mailEnabled
        ? <p>{t('admin.mail.enabled', { count: props.sentToday })}</p>
        : <Notice kind="info">{t('admin.mail.disabled')}</Notice>}
      {props.entries.length === 0 ? <p class="empty">{t('admin.mail.empty')}</p> : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('admin.mail.tableLabel')}>
          <table class="data-table compact">
            <thead><tr><th scope="col">{t('admin.mail.written')}</th><th scope="col">{t('admin.mail.message')}</th><th scope="col">{t('admin.mail.to')}</th><th scope="col">{t('admin.mail.state')}</th><th scope="col">{t('admin.mail.lastError')}</th></tr></thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr key={entry.id}>
                  <td class="nowrap">{zoned(times, entry.createdAt)}</td>
                  <td>{isKnownKind(entry.kind) ? t(`admin.mail.kind.${entry.kind}`) : entry.kind}</td>
                  <td>{entry.recipient}</td>
                  <td>{entry.failedAt !== null
                    ? <span class="status status-disabled">{t('admin.mail.failed', { time: zoned(times, entry.failedAt) })}</span>
                    : t('admin.mail.queued', { attempts: entry.attempts, next: entry.nextAttemptAt <= props.now ? t('admin.mail.now') : zoned(times, entry.nextAttemptAt) })}</td>
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
  const { t } = usePage();
  return (
    <Layout title={t('admin.resetLink.title')} narrow>
      <AdminNav />
      <h1>{t('admin.resetLink.title')}</h1>
      {props.link === null
        ? <Notice kind="success">{t('admin.resetLink.mailed', { email: props.email, minutes: props.minutes })}</Notice>
        : (
          <>
            <Notice kind="info">{t('admin.resetLink.notMailed', { email: props.email })}</Notice>
            <p class="invitation-link"><code id="reset-link">{props.link}</code></p>
            <p>{t('admin.resetLink.works', { minutes: props.minutes })}</p>
          </>
        )}
      <p>{t('admin.resetLink.secondFactor')}</p>
      <p><a href={`/admin/users/${props.userId}`}>{t('admin.backToAccount')}</a></p>
    </Layout>
  );
}
