import { RECOVERY_CODES_LOW } from '../../auth/recovery-codes.js';
import { Form, RequiredCheckbox } from '../views/form.js';
import { Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { AccountPage, strong } from './views.js';

export function RecoveryCodesPage(props: { remaining: number; total: number; createdAt: number | null; unconfirmed: boolean }) {
  const { t, times } = usePage();
  return (
    <AccountPage title={t('password.codes.title')} narrow>
      <p>{t('password.codes.intro')}</p>
      {props.createdAt === null
        ? <Notice kind="error">{t('password.codes.none')}</Notice>
        : <p id="codes-left">{t.rich('password.codes.left', { remaining: props.remaining, total: props.total, date: times.date(props.createdAt), strong })}</p>}
      {props.createdAt !== null && props.remaining <= RECOVERY_CODES_LOW && <Notice kind="error">{t('password.codes.few')}</Notice>}
      {props.unconfirmed && <UnconfirmedNotice next="/account/security/recovery-codes" />}
      <Form action="/account/security/recovery-codes/new" class="stack">
        <p class="hint">{t('password.codes.replaceHint')}</p>
        <button type="submit" class="button-primary">{t('password.codes.create')}</button>
      </Form>
    </AccountPage>
  );
}

/** The only time the codes are shown: the user confirms saving them before going on. */
export function NewCodesPage(props: { codes: string[]; next: string | null; error?: string | null }) {
  const { t } = usePage();
  return (
    <AccountPage title={t('password.newCodes.title')} narrow backTo={false}>
      <p>{t.rich('password.newCodes.intro', { strong })}</p>
      <ol id="recovery-codes" class="recovery-codes" aria-label={t('password.newCodes.listLabel')}>
        {props.codes.map((code) => <li><code>{code}</code></li>)}
      </ol>
      <p class="no-print code-actions">
        <a class="button-secondary" href="/account/security/recovery-codes/download" download="hms-recovery-codes.txt">{t('password.newCodes.download')}</a>
        <button type="button" class="button-secondary js-only" id="print-codes">{t('password.newCodes.print')}</button>
        <span class="no-js-only hint">{t('password.newCodes.printHint')}</span>
      </p>
      <Form action="/account/security/recovery-codes/saved" class="stack no-print">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <RequiredCheckbox name="saved" label={t('password.newCodes.saved')} error={props.error} />
        <button type="submit" class="button-primary">{t('password.newCodes.continue')}</button>
      </Form>
      <script src="/assets/print.js" defer />
    </AccountPage>
  );
}

/** After a sign-in with a recovery code, or one that found few left. */
export function CodesLeftPage(props: { reason: 'used' | 'low'; remaining: number; low: boolean; next: string }) {
  const { t } = usePage();
  const title = props.reason === 'used' ? t('password.codesLeft.usedTitle') : t('password.codesLeft.lowTitle');
  return (
    <AccountPage title={title} narrow backTo={false}>
      <p id="codes-left">{t.rich('password.codesLeft.left', { count: props.remaining, strong })}</p>
      {props.reason === 'used' && (
        <Notice kind="info">
          {t.rich('password.codesLeft.lostPhone', { link: (chunks) => <a href="/account/security/authenticator">{chunks}</a> })}
        </Notice>
      )}
      {props.low && <Notice kind="error">{t('password.codesLeft.low', { count: props.remaining })}</Notice>}
      <p class="code-actions">
        {props.low && <a class="button-primary" href="/account/security/recovery-codes">{t('password.codesLeft.create')}</a>}
        <a class={props.low ? 'button-secondary' : 'button-primary'} href={props.next}>{t('password.codesLeft.continue')}</a>
      </p>
    </AccountPage>
  );
}

/** "You have not confirmed saving your recovery codes", with the way to settle it. */
export function UnconfirmedNotice(props: { next: string }) {
  const { t } = usePage();
  const href = `/account/security/recovery-codes/unconfirmed?next=${encodeURIComponent(props.next)}`;
  return (
    <Notice kind="error">
      <span id="codes-unconfirmed">{t.rich('password.overview.codesUnconfirmed', { link: (chunks) => <a href={href}>{chunks}</a> })}</span>
    </Notice>
  );
}

/** At sign-in (and from the warning): confirm having a set never confirmed, or replace it. */
export function CodesUnconfirmedPage(props: { next: string; error?: string | null }) {
  const { t } = usePage();
  return (
    <AccountPage title={t('password.unconfirmed.title')} narrow backTo={false}>
      <Notice kind="error">{t('password.unconfirmed.warning')}</Notice>
      <p>{t('password.unconfirmed.why')}</p>
      <Form action="/account/security/recovery-codes/confirmed" class="stack">
        <input type="hidden" name="next" value={props.next} />
        <RequiredCheckbox name="have" label={t('password.unconfirmed.have')} error={props.error} />
        <button type="submit" class="button-primary">{t('password.unconfirmed.confirm')}</button>
      </Form>
      <Form action="/account/security/recovery-codes/new" class="stack">
        <input type="hidden" name="next" value={props.next} />
        <p class="hint">{t('password.unconfirmed.createHint')}</p>
        <button type="submit" class="button-secondary">{t('password.unconfirmed.create')}</button>
      </Form>
      <p><a href={props.next}>{t('password.unconfirmed.later')}</a></p>
    </AccountPage>
  );
}
