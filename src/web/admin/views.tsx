import { secondFactor, type AccountOverview } from '../../auth/account-directory.js';
import type { AuditEvent } from '../../auth/audit.js';
import type { PairingLink, Role } from '../../db/schema.js';
import type { TimeFormat } from '../format.js';
import { Form, TextField } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { Pagination, withQuery } from '../views/pagination.js';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../auth/accounts.js';
import { describeDetails, type People } from './audit-people.js';

export function AccountStatusBadge(props: { account: AccountOverview }) {
  const { account } = props;
  return (
    <>
      <span class={`status status-${account.status}`}>{account.status}</span>
      {account.lockedUntil && <> <span class="status status-locked">locked</span></>}
    </>
  );
}

/** "Wed, 25 Nov 2026, 10:00 CET": every time on the console names its zone. */
export function zonedTime(times: TimeFormat, ms: number): string {
  return `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
}

export function AdminNav() {
  return (
    <p class="breadcrumb"><a href="/admin/users">Accounts</a> · <a href="/admin/invite">Invite someone</a> · <a href="/admin/audit">Audit log</a> · <a href="/admin/mail">Mail</a> · <a href="/admin/rules">Clinical rules</a></p>
  );
}

export interface AccountsPageProps {
  accounts: AccountOverview[];
  total: number;
  search: string;
  page: number;
  pageCount: number;
  times: TimeFormat;
}

export function AccountsPage(props: AccountsPageProps) {
  return (
    <Layout title="Accounts">
      <AdminNav />
      <h1>Accounts</h1>
      <form method="get" action="/admin/users" class="search" role="search">
        <label for="q">Search by name or email</label>
        <input id="q" name="q" type="search" value={props.search} maxLength={100} />
        <button type="submit" class="button-secondary">Search</button>
      </form>
      <p class="hint">{props.total} accounts{props.search ? ` matching "${props.search}"` : ''}. Times in {props.times.zone}.</p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Accounts">
      <table class="data-table">
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Second factor</th><th scope="col">Recovery codes left</th><th scope="col">Last sign-in</th></tr></thead>
        <tbody>
          {props.accounts.map((account) => (
            <tr key={account.user.id}>
              <td><a href={`/admin/users/${account.user.id}`}>{account.user.name}</a><br /><span class="muted">{account.user.email}</span></td>
              <td>{account.user.role}</td>
              <td><AccountStatusBadge account={account} /></td>
              <td>{secondFactor(account)}</td>
              <td>{account.recoveryCodesLeft ?? '—'}</td>
              <td>{account.lastSignInAt ? zonedTime(props.times, account.lastSignInAt) : 'never'}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <Pagination page={props.page} pageCount={props.pageCount} label="Account pages" href={(page) => withQuery('/admin/users', { q: props.search, page })} />
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
  times: TimeFormat;
  notice?: string | null;
  error?: string | null;
  reason?: string;
}

export function AccountPage(props: AccountPageProps) {
  const { account, times } = props;
  const { user } = account;
  const base = `/admin/users/${user.id}`;
  return (
    <Layout title={user.name}>
      <AdminNav />
      <h1>{user.name}</h1>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      {props.error && <Notice kind="error" id="action-error">{props.error}</Notice>}
      <dl class="facts">
        <dt>Email</dt><dd>{user.email}</dd>
        <dt>Role</dt><dd>{user.role}</dd>
        <dt>Status</dt><dd><AccountStatusBadge account={account} />{account.lockedUntil && <> until {zonedTime(times, account.lockedUntil)}</>}</dd>
        <dt>Second factor</dt><dd>{account.authenticator ? secondFactor(account) : props.pairingGate ? <PairingGateState gate={props.pairingGate} now={props.now} times={times} /> : 'not enrolled: pairs at next sign-in'}</dd>
        <dt>Recovery codes left</dt><dd>{account.recoveryCodesLeft ?? 'none made yet'}</dd>
        <dt>Last sign-in</dt><dd>{account.lastSignInAt ? zonedTime(times, account.lastSignInAt) : 'never'}</dd>
        {props.invitation && <><dt>Invitation</dt><dd>sent {zonedTime(times, props.invitation.created_at)}, works until {zonedTime(times, props.invitation.expires_at)}</dd></>}
      </dl>
      <h2>Actions</h2>
      <p class="hint">Each action asks for a code from your own authenticator app if you have not entered one in the last 5 minutes, and is recorded in the audit log.</p>
      <div class="actions">
        {account.authenticator && !props.isSelf && (
          <ConfirmPanel title="Reset second factor"
            text="For a user who lost or replaced their phone: removes their authenticator, security keys and recovery codes, forgets their remembered devices and signs them out. They pair a new one through a re-pairing link you hand over."
            href={`${base}/confirm/reset-mfa`} link="Reset second factor…" />
        )}
        {!account.authenticator && user.password_hash !== null && !props.isSelf && (
          <ActionPanel title="Re-pairing link"
            text={props.pairingGate
              ? 'A new one-time link for pairing an authenticator (valid 72 hours); the old link stops working.'
              : 'This account would pair an authenticator on its password alone at its next sign-in. A re-pairing link (valid 72 hours) makes pairing need the link too.'}
            action={`${base}/pairing-link`} button="New re-pairing link" />
        )}
        {user.password_hash !== null && user.disabled_at === null && (
          <ActionPanel title="Password"
            text="Sends a link (30 minutes, once) where they choose a new password, after a code from their authenticator or a recovery code: you never see or choose it."
            action={`${base}/password-reset`} button="Send a password-reset link" />
        )}
        {account.lockedUntil && (
          <ActionPanel title="Unlock" text="Clears the waiting time after wrong passwords and the lock after wrong codes." action={`${base}/unlock`} button="Unlock" />
        )}
        {account.status === 'invited' && (
          <section class="panel">
            <h3>Invitation</h3>
            <p>A new link replaces the old one. Revoking leaves the account without a way in.</p>
            <Form action={`${base}/invitation`}><button type="submit" class="button-secondary">New invitation link</button></Form>
            {props.invitation && <Form action={`${base}/invitation/revoke`}><button type="submit" class="button-link">Revoke the link</button></Form>}
          </section>
        )}
        <ConfirmPanel title="Sign out everywhere" text="Ends every session of this account now." href={`${base}/confirm/end-sessions`} link="End all sessions…" />
        <section class="panel">
          <h3>Role</h3>
          <form method="get" action={`${base}/confirm/role`} class="inline-form">
            <label for="role">Role</label>
            <select id="role" name="role">
              {(['clinician', 'admin'] as Role[]).map((role) => <option value={role} selected={user.role === role} key={role}>{role}</option>)}
            </select>
            <button type="submit" class="button-secondary">Change role…</button>
          </form>
        </section>
        {user.disabled_at === null
          ? <ConfirmPanel title="Disable" text="The account can no longer sign in, and its sessions end at once." href={`${base}/confirm/disable`} link="Disable account…" />
          : <ActionPanel title="Enable" text="The account can sign in again." action={`${base}/enable`} button="Enable account" />}
      </div>
      <h2>Recent events</h2>
      <AuditTable events={props.recentEvents} times={times} people={props.people} />
      <p><a href={withQuery('/admin/audit', { user: user.email })}>All events of this account</a></p>
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

export function InvitePage(props: { values?: { email?: string; name?: string; role?: string }; error?: string | null }) {
  const values = props.values ?? {};
  return (
    <Layout title="Invite someone" narrow>
      <AdminNav />
      <h1>Invite someone</h1>
      <p>Creates the account without a password and gives you a link to pass on (valid 72 hours, usable once). The invitee chooses a password there, then pairs an authenticator app at their first sign-in.</p>
      {props.error && <Notice kind="error" id="invite-error">{props.error}</Notice>}
      <Form action="/admin/invite" class="stack">
        <TextField name="name" label="Full name" value={values.name} maxLength={NAME_MAX_LENGTH} autofocus sharedErrorId={props.error ? 'invite-error' : undefined} />
        <TextField name="email" label="Email" type="email" value={values.email} maxLength={EMAIL_MAX_LENGTH} inputmode="email" />
        <div class="field">
          <label for="role">Role</label>
          <select id="role" name="role">
            <option value="clinician" selected={values.role !== 'admin'}>clinician</option>
            <option value="admin" selected={values.role === 'admin'}>admin</option>
          </select>
        </div>
        <button type="submit" class="button-primary">Create invitation</button>
      </Form>
    </Layout>
  );
}

function PairingGateState(props: { gate: PairingLink; now: number; times: TimeFormat }) {
  const { gate, now, times } = props;
  if (gate.token_hash === null) return <>reset: pairs only through a re-pairing link (none issued yet)</>;
  if (gate.session_hash !== null) return <>reset: the re-pairing link was opened; pairing is under way or was abandoned</>;
  if (gate.expires_at <= now) return <>reset: the re-pairing link expired {zonedTime(times, gate.expires_at)}</>;
  return <>reset: pairs through the re-pairing link sent {zonedTime(times, gate.created_at)}, which works until {zonedTime(times, gate.expires_at)}</>;
}

export function PairingLinkPage(props: { email: string; link: string; until: string; userId: string; afterReset: boolean }) {
  return (
    <Layout title="Re-pairing link" narrow>
      <AdminNav />
      <h1>Re-pairing link</h1>
      {props.afterReset && (
        <Notice kind="success">The second factor of {props.email} was reset: their authenticator, security keys and recovery codes are removed, remembered devices forgotten and sessions ended.</Notice>
      )}
      <p>Pass this link to {props.email} through a channel you trust, such as a call to a number you already know or in person (it is shown
        only now). It works once, until {props.until}: they open it, enter their password and pair a new authenticator app in that browser.
        Their password alone no longer pairs one.</p>
      <p class="invitation-link"><code id="pairing-link">{props.link}</code></p>
      <p><a href={`/admin/users/${props.userId}`}>Back to the account</a></p>
    </Layout>
  );
}

export function InvitationLinkPage(props: { email: string; link: string; until: string; userId: string; mailed: boolean }) {
  return (
    <Layout title="Invitation link" narrow>
      <AdminNav />
      <h1>Invitation link</h1>
      {props.mailed
        ? <Notice kind="success">The invitation is on its way to {props.email} by mail. You may also pass this link on yourself (it is shown only now); it works once, until {props.until}.</Notice>
        : <p>No mail server is set, so nothing was sent: pass this link to {props.email} through a channel you trust (it is shown only now). It works once, until {props.until}.</p>}
      <p class="invitation-link"><code id="invitation-link">{props.link}</code></p>
      <p><a href={`/admin/users/${props.userId}`}>Back to the account</a></p>
    </Layout>
  );
}

export function AuditTable(props: { events: AuditEvent[]; times: TimeFormat; people: People }) {
  const who = (id: string | null) => {
    if (!id) return '—';
    const person = props.people.get(id);
    if (!person) return `(removed account ${id.slice(0, 8)})`;
    return <a href={`/admin/users/${encodeURIComponent(id)}`} title={person.email}>{person.name}</a>;
  };
  if (props.events.length === 0) return <p class="empty">No events.</p>;
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Audit events">
    <table class="data-table compact">
      <thead><tr><th scope="col">Time</th><th scope="col">Event</th><th scope="col">By</th><th scope="col">Account</th><th scope="col">Patient, recording</th><th scope="col">Address</th><th scope="col">Details</th></tr></thead>
      <tbody>
        {props.events.map((event) => (
          <tr key={event.id}>
            <td class="nowrap">{zonedTime(props.times, event.at)}</td>
            <td class="nowrap">{event.event}</td>
            <td>{who(event.actor_user_id)}</td>
            <td>{who(event.subject_user_id)}</td>
            <td class="nowrap"><HealthDataIds event={event} /></td>
            <td>{event.client_ip ?? '—'}</td>
            <td class="details-cell">{describeDetails(event.details)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

/** The patient and recording an event concerns, each a link to all events about it. */
function HealthDataIds(props: { event: AuditEvent }) {
  const { patient_id: patientId, record_id: recordId } = props.event;
  if (!patientId && !recordId) return <>—</>;
  return (
    <>
      {patientId && <a href={withQuery('/admin/audit', { patient: patientId })} title={`Every event about patient ${patientId}`}>patient {patientId.slice(0, 8)}</a>}
      {patientId && recordId && <br />}
      {recordId && <a href={withQuery('/admin/audit', { record: recordId })} title={`Every event about recording ${recordId}`}>recording {recordId.slice(0, 8)}</a>}
    </>
  );
}

export interface AuditPageProps {
  events: AuditEvent[];
  people: People;
  filters: { user: string; patient: string; record: string; event: string; from: string; to: string };
  /** The name of the patient filtered on, while she exists. */
  patientName: string | null;
  eventNames: readonly string[];
  page: number;
  pageCount: number;
  total: number;
  times: TimeFormat;
  error?: string | null;
}

export function AuditPage(props: AuditPageProps) {
  const { filters } = props;
  return (
    <Layout title="Audit log">
      <AdminNav />
      <h1>Audit log{props.patientName ? ` of ${props.patientName}` : ''}</h1>
      <form method="get" action="/admin/audit" class="filters">
        <div class="field"><label for="user">Account email</label><input id="user" name="user" type="email" value={filters.user} maxLength={EMAIL_MAX_LENGTH} /></div>
        <div class="field"><label for="patient">Patient id</label><input id="patient" name="patient" type="text" value={filters.patient} maxLength={64} spellcheck={false} /></div>
        <div class="field"><label for="record">Recording id</label><input id="record" name="record" type="text" value={filters.record} maxLength={64} spellcheck={false} /></div>
        <div class="field">
          <label for="event">Event</label>
          <select id="event" name="event">
            <option value="">any</option>
            {props.eventNames.map((name) => <option value={name} selected={filters.event === name} key={name}>{name}</option>)}
          </select>
        </div>
        <div class="field"><label for="from">From (date)</label><input id="from" name="from" type="date" value={filters.from} /></div>
        <div class="field"><label for="to">To (date, included)</label><input id="to" name="to" type="date" value={filters.to} /></div>
        <button type="submit" class="button-secondary">Filter</button>
      </form>
      {props.error && <Notice kind="error">{props.error}</Notice>}
      {filters.patient && <p class="hint">Events about patient {filters.patient}{props.patientName ? '' : ' (no longer in HMS)'} and every recording of theirs.</p>}
      <p class="hint">{props.total} events, newest first; times in {props.times.zone}. <a href={withQuery('/admin/audit.csv', filters)}>Download as CSV</a></p>
      <AuditTable events={props.events} times={props.times} people={props.people} />
      <Pagination page={props.page} pageCount={props.pageCount} label="Audit log pages" href={(page) => withQuery('/admin/audit', { ...filters, page })} />
    </Layout>
  );
}
