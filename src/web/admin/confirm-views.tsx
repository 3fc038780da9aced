// Actions that take access away ask first, on a page of their own that says what will happen.
// The button that does it is styled as a warning, never as the page's primary action.
import type { User } from '../../db/schema.js';
import { REASON_MAX_LENGTH } from '../../auth/support.js';
import { Form, TextArea } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { AdminNav } from './views.js';

export const CONFIRMED_ACTIONS = ['disable', 'end-sessions', 'reset-mfa', 'role'] as const;
export type ConfirmedAction = (typeof CONFIRMED_ACTIONS)[number];

export function ConfirmActionPage(props: { user: Pick<User, 'id' | 'name' | 'email' | 'role'>; action: ConfirmedAction; role?: 'admin' | 'clinician';
  mailEnabled: boolean; error?: string | null; reason?: string }) {
  const { t } = usePage();
  const { user } = props;
  const base = `/admin/users/${user.id}`;
  const told = (text: string) => (props.mailEnabled ? `${text} ${t('admin.confirm.toldByMail')}` : text);
  const names = { name: user.name, email: user.email };
  const page = {
    disable: {
      title: t('admin.confirm.disableTitle', names), button: t('admin.confirm.disableButton'),
      what: [told(t('admin.confirm.disableWhat', names)), t('admin.confirm.disableAfter')],
    },
    'end-sessions': {
      title: t('admin.confirm.endSessionsTitle', names), button: t('admin.confirm.endSessionsButton'),
      what: [t('admin.confirm.endSessionsWhat', names), t('admin.confirm.endSessionsAfter')],
    },
    'reset-mfa': {
      title: t('admin.confirm.resetTitle', names), button: t('admin.confirm.resetButton'),
      what: [told(t('admin.confirm.resetWhat', names)), t('admin.confirm.resetAfter')],
    },
    role: {
      title: t(props.role === 'admin' ? 'admin.confirm.makeAdminTitle' : 'admin.confirm.makeClinicianTitle', names), button: t('admin.confirm.roleButton'),
      what: [told(t(props.role === 'admin' ? 'admin.confirm.makeAdminWhat' : 'admin.confirm.makeClinicianWhat', names))],
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
          <TextArea name="reason" label={t('admin.confirm.reason')} hint={t('admin.confirm.reasonHint')}
            maxLength={REASON_MAX_LENGTH} value={props.reason} />
        )}
        <div class="confirm-actions">
          <button type="submit" class="button-danger">{page.button}</button>
          <a href={base}>{t('admin.confirm.cancel')}</a>
        </div>
      </Form>
    </Layout>
  );
}
