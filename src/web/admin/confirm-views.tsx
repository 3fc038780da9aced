// Actions that take access away ask first, on a page of their own that says what will happen.
// The button that does it is styled as a warning, never as the page's primary action.
import type { User } from '../../db/schema.js';
import { REASON_MAX_LENGTH } from '../../auth/support.js';
import { Form, TextArea } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { AdminNav } from './views.js';

export const CONFIRMED_ACTIONS = ['disable', 'end-sessions', 'reset-mfa', 'role'] as const;
export type ConfirmedAction = (typeof CONFIRMED_ACTIONS)[number];

export function ConfirmActionPage(props: { user: Pick<User, 'id' | 'name' | 'email' | 'role'>; action: ConfirmedAction; role?: 'admin' | 'clinician';
  mailEnabled: boolean; error?: string | null; reason?: string }) {
  const { user } = props;
  const base = `/admin/users/${user.id}`;
  const told = props.mailEnabled ? ' They are told by mail.' : '';
  const newRole = props.role === 'admin' ? 'an administrator' : 'a clinician';
  const page = {
    disable: {
      title: `Disable ${user.name}?`, button: 'Disable account',
      what: [`${user.email} can no longer sign in, and every session of theirs ends at once.${told}`, 'You can enable the account again later; nothing else is removed.'],
    },
    'end-sessions': {
      title: `Sign ${user.name} out everywhere?`, button: 'End all sessions',
      what: [`Every session of ${user.email} ends now: they sign in again with their password and second factor.`, 'Their account, authenticator and remembered devices stay as they are.'],
    },
    'reset-mfa': {
      title: `Reset the second factor of ${user.name}?`, button: 'Reset second factor',
      what: [`Removes the authenticator, security keys and recovery codes of ${user.email}, forgets their remembered devices and signs them out.${told}`,
        'They pair a new authenticator only through a re-pairing link, shown on the next page, that you hand over by a channel you trust. Check who they are first.'],
    },
    role: {
      title: `Make ${user.name} ${newRole}?`, button: 'Change role',
      what: [props.role === 'admin'
        ? `${user.email} will see every patient and this console, and manage every account.${told}`
        : `${user.email} will lose the console and see only the patients of their care teams.${told}`],
    },
  }[props.action];
  return (
    <Layout title={page.title} narrow>
      <AdminNav />
      <h1>{page.title}</h1>
      {props.error && <Notice kind="error" id="confirm-error">{props.error}</Notice>}
      {page.what.map((text) => <p key={text}>{text}</p>)}
      <Form action={`${base}/${props.action}`} class="stack">
        {props.action === 'role' && <input type="hidden" name="role" value={props.role} />}
        {props.action === 'reset-mfa' && (
          <TextArea name="reason" label="Reason" hint="For the audit log, e.g. the support ticket and how you checked who they are."
            maxLength={REASON_MAX_LENGTH} value={props.reason} />
        )}
        <div class="confirm-actions">
          <button type="submit" class="button-danger">{page.button}</button>
          <a href={base}>Cancel, keep the account as it is</a>
        </div>
      </Form>
    </Layout>
  );
}
