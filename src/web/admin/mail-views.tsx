import type { OutboxEntry, UnsentCounts } from '../../mail/outbox.js';
import { resendRefusal, type ResendRefusal } from '../../mail/resend.js';
import type { MessageKey, Translator } from '../../i18n/translate.js';
import { Form } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { AdminNav, zonedTime as zoned } from './views.js';

const KINDS = ['password_reset', 'invitation', 'security_notice'] as const;
const isKnownKind = (kind: string): kind is (typeof KINDS)[number] => (KINDS as readonly string[]).includes(kind);

/** A "Send again" the page refuses: why, and the account to send a new link from. */
export interface OutboxRefusal {
  reason: ResendRefusal;
  userId: string | null;
}

const REFUSALS = {
  'not-failed': 'admin.mail.refused.notFailed',
  'single-use-link': 'admin.mail.refused.singleUseLink',
  'content-gone': 'admin.mail.refused.contentGone',
} as const satisfies Record<ResendRefusal, MessageKey>;

/** Messages not sent yet, and those given up: what support should know about mail. */
export function OutboxPage(props: { entries: OutboxEntry[]; counts: UnsentCounts; mailEnabled: boolean;
  sentToday: number; now: number; notice?: string | null; refusal?: OutboxRefusal }) {
  const { t, times } = usePage();
  const { refusal, counts } = props;
  return (
    <Layout title={t('admin.mail.title')}>
      <AdminNav />
      <h1>{t('admin.mail.title')}</h1>
      {props.notice && <Notice kind="success" id="mail-notice">{props.notice}</Notice>}
      {refusal && (
        <Notice kind="error" id="mail-error">
          {t(REFUSALS[refusal.reason])}
          {refusal.reason === 'single-use-link' && refusal.userId && <> <a href={`/admin/users/${refusal.userId}`}>{t('admin.mail.openAccount')}</a></>}
        </Notice>
      )}
      {props.mailEnabled
        ? <p>{t('admin.mail.enabled', { count: props.sentToday })}</p>
        : <Notice kind="info">{t('admin.mail.disabled')}</Notice>}
      {props.entries.some((entry) => entry.failedAt !== null) && <p>{t('admin.mail.sendAgainHint')}</p>}
      {/* Counted over the whole outbox, not the rows listed: the button queues every one of them. */}
      {counts.resendable > 1 && (
        <Form action="/admin/mail/resend-all"><button type="submit" class="button-secondary">{t('admin.mail.sendAllAgain', { count: counts.resendable })}</button></Form>
      )}
      {counts.unsent > props.entries.length && <p class="hint">{t('admin.mail.listedOf', { shown: props.entries.length, count: counts.unsent })}</p>}
      {props.entries.length === 0 ? <p class="empty">{t('admin.mail.empty')}</p> : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={t('admin.mail.tableLabel')}>
          <table class="data-table compact card-table">
            <thead><tr><th scope="col">{t('admin.mail.message')}</th><th scope="col">{t('admin.mail.written')}</th><th scope="col">{t('admin.mail.to')}</th><th scope="col">{t('admin.mail.state')}</th><th scope="col">{t('admin.mail.lastError')}</th></tr></thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr key={entry.id}>
                  <td class="card-heading">{kindText(t, entry.kind)}</td>
                  <td class="nowrap" data-label={t('admin.mail.written')}>{zoned(times, entry.createdAt)}</td>
                  <td data-label={t('admin.mail.to')}>{entry.recipient}</td>
                  {/* One block in the cell: on a phone the cell is a label beside its content. */}
                  <td data-label={t('admin.mail.state')}><div>{entry.failedAt !== null
                    ? <><span class="status status-disabled">{t('admin.mail.failed', { time: zoned(times, entry.failedAt) })}</span><FailedAction entry={entry} /></>
                    : t('admin.mail.queued', { attempts: entry.attempts, next: entry.nextAttemptAt <= props.now ? t('admin.mail.now') : zoned(times, entry.nextAttemptAt) })}
                  {entry.requeuedAt !== null && <div class="muted">{t('admin.mail.sentAgainAt', { time: zoned(times, entry.requeuedAt) })}</div>}</div></td>
                  <td class="details-cell" data-label={t('admin.mail.lastError')}>{entry.lastError ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

/** Under a failed message: "Send again", or where to send a new link from. */
function FailedAction(props: { entry: OutboxEntry }) {
  const { t } = usePage();
  const { entry } = props;
  const refusal = resendRefusal(entry);
  if (refusal === null) {
    return (
      <Form action="/admin/mail/resend" class="inline-form">
        <input type="hidden" name="id" value={entry.id} />
        {/* The name starts with the visible text (WCAG 2.5.3) and says which row it acts on. */}
        <button type="submit" class="button-secondary button-small" aria-label={t('admin.mail.sendAgainLabel', { kind: kindText(t, entry.kind), recipient: entry.recipient })}>
          {t('admin.mail.sendAgain')}
        </button>
      </Form>
    );
  }
  if (refusal === 'single-use-link' && entry.userId) return <p><a href={`/admin/users/${entry.userId}`}>{t('admin.mail.sendNewLink')}</a></p>;
  return null;
}

function kindText(t: Translator, kind: string): string {
  return isKnownKind(kind) ? t(`admin.mail.kind.${kind}`) : kind;
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
