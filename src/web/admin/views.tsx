import type { AccountOverview } from '../../auth/account-directory.js';
import type { AuditEvent, AuditEventName } from '../../auth/audit.js';
import type { PairingLink, Role } from '../../db/schema.js';
import { LANGUAGE_INFO, LANGUAGES } from '../../i18n/languages.js';
import type { Translator } from '../../i18n/translate.js';
import type { TimeFormat } from '../format.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../auth/accounts.js';
import { describeDetails, type People } from './audit-people.js';

export function AccountStatusBadge(props: { account: AccountOverview }) {
  const { account } = props;
  const { t } = usePage();
  return (
    <>
      <span class={`status status-${account.status}`}>{t(`admin.status.${account.status}`)}</span>
      {account.lockedUntil && <> <span class="status status-locked">{t('admin.status.locked')}</span></>}
    </>
  );
}

/** "authenticator + 2 security keys", in the page's language (account-directory's secondFactor is the CLI's). */
export function secondFactorText(t: Translator, account: AccountOverview): string {
  if (!account.authenticator) return t('admin.secondFactor.none');
  if (account.securityKeys === 0) return t('admin.secondFactor.authenticator');
  return t('admin.secondFactor.withKeys', { count: account.securityKeys });
}

export function roleText(t: Translator, role: Role): string {
  return t(role === 'admin' ? 'admin.role.admin' : 'admin.role.clinician');
}

/** An audit event's name as a person reads it. */
export function eventText(t: Translator, event: AuditEventName): string {
  return t(`admin.event.${event}`);
}

/** "Wed, 25 Nov 2026, 10:00 CET": every time on the console names its zone. */
export function zonedTime(times: TimeFormat, ms: number): string {
  return `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
}

export function AdminNav() {
  const { t } = usePage();
  return (
    <p class="breadcrumb"><a href="/admin/users">{t('admin.nav.accounts')}</a> · <a href="/admin/invite">{t('admin.nav.invite')}</a> · <a href="/admin/audit">{t('admin.nav.audit')}</a> · <a href="/admin/mail">{t('admin.nav.mail')}</a> · <a href="/admin/rules">{t('admin.nav.rules')}</a></p>
  );
}

export interface AccountsPageProps {
  accounts: AccountOverview[];
  total: number;
  search: string;
  page: number;
  pageCount: number;
}

export function AccountsPage(props: AccountsPageProps) {
  const { t, times } = usePage();
  return (
    <Layout title={t('admin.accounts.title')}>
      <AdminNav />
      <h1>{t('admin.accounts.title')}</h1>
      <form method="get" action="/admin/users" class="search" role="search">
        <label for="q">{t('admin.accounts.searchLabel')}</label>
        <input id="q" name="q" type="search" value={props.search} maxLength={100} />
        <button type="submit" class="button-secondary">{t('admin.accounts.search')}</button>
      </form>
      <p class="hint">{props.search
        ? t('admin.accounts.countMatching', { total: props.total, search: props.search, zone: times.zone })
        : t('admin.accounts.count', { total: props.total, zone: times.zone })}</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={t('admin.accounts.tableLabel')}>
      <table class="data-table">
        <thead><tr><th scope="col">{t('admin.accounts.name')}</th><th scope="col">{t('admin.accounts.role')}</th><th scope="col">{t('admin.accounts.status')}</th><th scope="col">{t('admin.accounts.secondFactor')}</th><th scope="col">{t('admin.accounts.recoveryCodesLeft')}</th><th scope="col">{t('admin.accounts.lastSignIn')}</th></tr></thead>
        <tbody>
          {props.accounts.map((account) => (
            <tr key={account.user.id}>
              <td><a href={`/admin/users/${account.user.id}`}>{account.user.name}</a><br /><span class="muted">{account.user.email}</span></td>
              <td>{roleText(t, account.user.role)}</td>
              <td><AccountStatusBadge account={account} /></td>
              <td>{secondFactorText(t, account)}</td>
              <td>{account.recoveryCodesLeft ?? '—'}</td>
              <td>{account.lastSignInAt ? zonedTime(times, account.lastSignInAt) : t('admin.never')}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <Pagination page={props.page} pageCount={props.pageCount} label={t('admin.accounts.pages')} href={(page) => withQuery('/admin/users', { q: props.search, page })} />
    </Layout>
  );
}

export interface AccountPageProps {
  account: AccountOverview;
  invitation: { created_at: number; expires_at: number } | undefined;
  /** Set when the account pairs only through a re-pairing link (its second factor was reset). */
  pairingGate: PairingLink | undefined;
  now: number;
  recentEvents: AuditEvent[];
  /** Who the recent events name. */
  people: People;
  isSelf: boolean;
  notice?: string | null;
  error?: string | null;
  reason?: string;
}

export function AccountPage(props: AccountPageProps) {
  const { account } = props;
  const { t, times } = usePage();
  const { user } = account;
  const base = `/admin/users/${user.id}`;
  return (
    <Layout title={user.name}>
      <AdminNav />
      <h1>{user.name}</h1>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.error && <Notice kind="error" id="action-error">{props.error}</Notice>}
      <dl class="facts">
        <dt>{t('admin.account.email')}</dt><dd>{user.email}</dd>
        <dt>{t('admin.accounts.role')}</dt><dd>{roleText(t, user.role)}</dd>
        <dt>{t('admin.accounts.status')}</dt><dd><AccountStatusBadge account={account} />{account.lockedUntil && <> {t('admin.account.lockedUntil', { time: zonedTime(times, account.lockedUntil) })}</>}</dd>
        <dt>{t('admin.accounts.secondFactor')}</dt><dd>{account.authenticator ? secondFactorText(t, account) : props.pairingGate ? <PairingGateState gate={props.pairingGate} now={props.now} /> : t('admin.account.notEnrolled')}</dd>
        <dt>{t('admin.accounts.recoveryCodesLeft')}</dt><dd>{account.recoveryCodesLeft ?? t('admin.account.noRecoveryCodes')}</dd>
        <dt>{t('admin.accounts.lastSignIn')}</dt><dd>{account.lastSignInAt ? zonedTime(times, account.lastSignInAt) : t('admin.never')}</dd>
        {props.invitation && <><dt>{t('admin.account.invitation')}</dt><dd>{t('admin.account.invitationSent', { sent: zonedTime(times, props.invitation.created_at), until: zonedTime(times, props.invitation.expires_at) })}</dd></>}
      </dl>
      <h2>{t('admin.account.actions')}</h2>
      <p class="hint">{t('admin.account.actionsHint')}</p>
      <div class="actions">
        {account.authenticator && !props.isSelf && (
          <ConfirmPanel title={t('admin.account.resetTitle')} text={t('admin.account.resetText')}
            href={`${base}/confirm/reset-mfa`} link={t('admin.account.resetLink')} />
        )}
        {!account.authenticator && user.password_hash !== null && !props.isSelf && (
          <ActionPanel title={t('admin.account.pairingTitle')}
            text={props.pairingGate ? t('admin.account.pairingTextNew') : t('admin.account.pairingTextFirst')}
            action={`${base}/pairing-link`} button={t('admin.account.pairingButton')} />
        )}
        {user.password_hash !== null && user.disabled_at === null && (
          <ActionPanel title={t('admin.account.passwordTitle')} text={t('admin.account.passwordText')}
            action={`${base}/password-reset`} button={t('admin.account.passwordButton')} />
        )}
        {account.lockedUntil && (
          <ActionPanel title={t('admin.account.unlockTitle')} text={t('admin.account.unlockText')} action={`${base}/unlock`} button={t('admin.account.unlockButton')} />
        )}
        {account.status === 'invited' && (
          <section class="panel">
            <h3>{t('admin.account.invitation')}</h3>
            <p>{t('admin.account.invitationText')}</p>
            <Form action={`${base}/invitation`}><button type="submit" class="button-secondary">{t('admin.account.invitationButton')}</button></Form>
            {props.invitation && <Form action={`${base}/invitation/revoke`}><button type="submit" class="button-link">{t('admin.account.invitationRevoke')}</button></Form>}
          </section>
        )}
        <ConfirmPanel title={t('admin.account.signOutTitle')} text={t('admin.account.signOutText')} href={`${base}/confirm/end-sessions`} link={t('admin.account.signOutLink')} />
        <section class="panel">
          <h3>{t('admin.account.roleTitle')}</h3>
          <form method="get" action={`${base}/confirm/role`} class="inline-form">
            <label for="role">{t('admin.accounts.role')}</label>
            <select id="role" name="role">
              {(['clinician', 'admin'] as Role[]).map((role) => <option value={role} selected={user.role === role} key={role}>{roleText(t, role)}</option>)}
            </select>
            <button type="submit" class="button-secondary">{t('admin.account.roleButton')}</button>
          </form>
        </section>
        {user.disabled_at === null
          ? <ConfirmPanel title={t('admin.account.disableTitle')} text={t('admin.account.disableText')} href={`${base}/confirm/disable`} link={t('admin.account.disableLink')} />
          : <ActionPanel title={t('admin.account.enableTitle')} text={t('admin.account.enableText')} action={`${base}/enable`} button={t('admin.account.enableButton')} />}
      </div>
      <h2>{t('admin.account.recentEvents')}</h2>
      <AuditTable events={props.recentEvents} people={props.people} />
      <p><a href={withQuery('/admin/audit', { user: user.email })}>{t('admin.account.allEvents')}</a></p>
    </Layout>
  );
}

/** An action that takes access away: its button leads to a page that asks first. */
function ConfirmPanel(props: { title: string; text: string; href: string; link: string }) {
  return (
    <section class="panel">
      <h3>{props.title}</h3>
      <p>{props.text}</p>
      <a class="button-secondary" href={props.href}>{props.link}</a>
    </section>
  );
}

function ActionPanel(props: { title: string; text: string; action: string; button: string }) {
  return (
    <section class="panel">
      <h3>{props.title}</h3>
      <p>{props.text}</p>
      <Form action={props.action}><button type="submit" class="button-secondary">{props.button}</button></Form>
    </section>
  );
}

export interface InviteValues {
  email?: string;
  name?: string;
  role?: string;
  /** '' (or absent): the invitee's browser decides. */
  language?: string;
}

export function InvitePage(props: { values?: InviteValues; error?: string | null }) {
  const { t } = usePage();
  const values = props.values ?? {};
  return (
    <Layout title={t('admin.invite.title')} narrow>
      <AdminNav />
      <h1>{t('admin.invite.title')}</h1>
      <p>{t('admin.invite.intro')}</p>
      {props.error && <Notice kind="error" id="invite-error">{props.error}</Notice>}
      <Form action="/admin/invite" class="stack">
        <TextField name="name" label={t('admin.invite.fullName')} value={values.name} maxLength={NAME_MAX_LENGTH} autofocus sharedErrorId={props.error ? 'invite-error' : undefined} />
        <TextField name="email" label={t('admin.invite.email')} type="email" value={values.email} maxLength={EMAIL_MAX_LENGTH} inputmode="email" />
        <div class="field">
          <label for="role">{t('admin.invite.role')}</label>
          <select id="role" name="role">
            <option value="clinician" selected={values.role !== 'admin'}>{roleText(t, 'clinician')}</option>
            <option value="admin" selected={values.role === 'admin'}>{roleText(t, 'admin')}</option>
          </select>
        </div>
        <div class="field">
          <label for="language">{t('admin.invite.language')}</label>
          <p class="hint" id="language-hint">{t('admin.invite.languageHint')}</p>
          <select id="language" name="language" aria-describedby="language-hint">
            <option value="" selected={!values.language}>{t('admin.invite.languageBrowser')}</option>
            {LANGUAGES.map((language) => (
              <option value={language} lang={LANGUAGE_INFO[language].htmlLang} selected={values.language === language} key={language}>{LANGUAGE_INFO[language].ownName}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="button-primary">{t('admin.invite.submit')}</button>
      </Form>
    </Layout>
  );
}

function PairingGateState(props: { gate: PairingLink; now: number }) {
  const { gate, now } = props;
  const { t, times } = usePage();
  if (gate.token_hash === null) return <>{t('admin.account.gateNone')}</>;
  if (gate.session_hash !== null) return <>{t('admin.account.gateOpened')}</>;
  if (gate.expires_at <= now) return <>{t('admin.account.gateExpired', { time: zonedTime(times, gate.expires_at) })}</>;
  return <>{t('admin.account.gateWaiting', { sent: zonedTime(times, gate.created_at), until: zonedTime(times, gate.expires_at) })}</>;
}

/** `until`: when the link stops working (ms). */
export function PairingLinkPage(props: { email: string; link: string; until: number; userId: string; afterReset: boolean }) {
  const { t, times } = usePage();
  return (
    <Layout title={t('admin.pairing.title')} narrow>
      <AdminNav />
      <h1>{t('admin.pairing.title')}</h1>
      {props.afterReset && <Notice kind="success">{t('admin.pairing.afterReset', { email: props.email })}</Notice>}
      <p>{t('admin.pairing.passOn', { email: props.email, until: zonedTime(times, props.until) })}</p>
      <p class="invitation-link"><code id="pairing-link">{props.link}</code></p>
      <p><a href={`/admin/users/${props.userId}`}>{t('admin.backToAccount')}</a></p>
    </Layout>
  );
}

/** `until`: when the link stops working (ms). */
export function InvitationLinkPage(props: { email: string; link: string; until: number; userId: string; mailed: boolean }) {
  const { t, times } = usePage();
  const values = { email: props.email, until: zonedTime(times, props.until) };
  return (
    <Layout title={t('admin.invitationLink.title')} narrow>
      <AdminNav />
      <h1>{t('admin.invitationLink.title')}</h1>
      {props.mailed
        ? <Notice kind="success">{t('admin.invitationLink.mailed', values)}</Notice>
        : <p>{t('admin.invitationLink.notMailed', values)}</p>}
      <p class="invitation-link"><code id="invitation-link">{props.link}</code></p>
      <p><a href={`/admin/users/${props.userId}`}>{t('admin.backToAccount')}</a></p>
    </Layout>
  );
}

export function AuditTable(props: { events: AuditEvent[]; people: People }) {
  const { t, times } = usePage();
  const who = (id: string | null) => {
    if (!id) return '—';
    const person = props.people.get(id);
    if (!person) return t('admin.audit.removedAccount', { id: id.slice(0, 8) });
    return <a href={`/admin/users/${encodeURIComponent(id)}`} title={person.email}>{person.name}</a>;
  };
  if (props.events.length === 0) return <p class="empty">{t('admin.audit.none')}</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={t('admin.audit.tableLabel')}>
    <table class="data-table compact">
      <thead><tr><th scope="col">{t('admin.audit.time')}</th><th scope="col">{t('admin.audit.event')}</th><th scope="col">{t('admin.audit.by')}</th><th scope="col">{t('admin.audit.account')}</th><th scope="col">{t('admin.audit.patientRecording')}</th><th scope="col">{t('admin.audit.address')}</th><th scope="col">{t('admin.audit.details')}</th></tr></thead>
      <tbody>
        {props.events.map((event) => (
          <tr key={event.id}>
            <td class="nowrap">{zonedTime(times, event.at)}</td>
            <td class="nowrap">{eventText(t, event.event as AuditEventName)}</td>
            <td>{who(event.actor_user_id)}</td>
            <td>{who(event.subject_user_id)}</td>
            <td class="nowrap"><HealthDataIds event={event} /></td>
            <td>{event.client_ip ?? '—'}</td>
            <td class="details-cell">{describeDetails(t, event.details)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

/** The patient and recording an event concerns, each a link to all events about it. */
function HealthDataIds(props: { event: AuditEvent }) {
  const { t } = usePage();
  const { patient_id: patientId, record_id: recordId } = props.event;
  if (!patientId && !recordId) return <>—</>;
  return (
    <>
      {patientId && <a href={withQuery('/admin/audit', { patient: patientId })} title={t('admin.audit.patientLinkTitle', { id: patientId })}>{t('admin.audit.patientLink', { id: patientId.slice(0, 8) })}</a>}
      {patientId && recordId && <br />}
      {recordId && <a href={withQuery('/admin/audit', { record: recordId })} title={t('admin.audit.recordLinkTitle', { id: recordId })}>{t('admin.audit.recordLink', { id: recordId.slice(0, 8) })}</a>}
    </>
  );
}

export interface AuditPageProps {
  events: AuditEvent[];
  people: People;
  filters: { user: string; patient: string; record: string; event: string; from: string; to: string };
  /** The name of the patient filtered on, while she exists. */
  patientName: string | null;
  eventNames: readonly AuditEventName[];
  page: number;
  pageCount: number;
  total: number;
  error?: string | null;
}

export function AuditPage(props: AuditPageProps) {
  const { filters } = props;
  const { t, times } = usePage();
  return (
    <Layout title={t('admin.audit.title')}>
      <AdminNav />
      <h1>{props.patientName ? t('admin.audit.titleOfPatient', { name: props.patientName }) : t('admin.audit.title')}</h1>
      <form method="get" action="/admin/audit" class="filters">
        <div class="field"><label for="user">{t('admin.audit.accountEmail')}</label><input id="user" name="user" type="email" value={filters.user} maxLength={EMAIL_MAX_LENGTH} /></div>
        <div class="field"><label for="patient">{t('admin.audit.patientId')}</label><input id="patient" name="patient" type="text" value={filters.patient} maxLength={64} spellcheck={false} /></div>
        <div class="field"><label for="record">{t('admin.audit.recordId')}</label><input id="record" name="record" type="text" value={filters.record} maxLength={64} spellcheck={false} /></div>
        <div class="field">
          <label for="event">{t('admin.audit.event')}</label>
          <select id="event" name="event">
            <option value="">{t('admin.audit.anyEvent')}</option>
            {props.eventNames.map((name) => <option value={name} selected={filters.event === name} key={name}>{eventText(t, name)}</option>)}
          </select>
        </div>
        <div class="field"><label for="from">{t('admin.audit.from')}</label><input id="from" name="from" type="date" value={filters.from} /></div>
        <div class="field"><label for="to">{t('admin.audit.to')}</label><input id="to" name="to" type="date" value={filters.to} /></div>
        <button type="submit" class="button-secondary">{t('admin.audit.filter')}</button>
      </form>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {filters.patient && <p class="hint">{t(props.patientName ? 'admin.audit.aboutPatient' : 'admin.audit.aboutRemovedPatient', { id: filters.patient })}</p>}
      <p class="hint">{t('admin.audit.count', { total: props.total, zone: times.zone })} <a href={withQuery('/admin/audit.csv', filters)}>{t('admin.audit.csv')}</a></p>
      <AuditTable events={props.events} people={props.people} />
      <Pagination page={props.page} pageCount={props.pageCount} label={t('admin.audit.pages')} href={(page) => withQuery('/admin/audit', { ...filters, page })} />
    </Layout>
  );
}
