import { Form, TextField } from '../views/form.js';
import { Layout, Notice, SupportLine } from '../views/layout.js';
import { usePage } from '../views/page-context.js';
import { RECOVERY_CODE_FIELD } from '../mfa/other-factor-views.js';

export function StepUpPage(props: { next: string; error?: string | null; recoveryError?: string | null; locked?: string | null }) {
  const { t } = usePage();
  return (
    <Layout title={t('signin.stepUp.title')} narrow>
      <h1>{t('signin.stepUp.title')}</h1>
      <p>{t('signin.stepUp.intro')}</p>
      {props.locked ? <Notice kind="error">{props.locked}</Notice> : (
        <Form action="/verify-again" class="stack">
          <input type="hidden" name="next" value={props.next} />
          <TextField name="code" label={t('signin.code.label')} autocomplete="one-time-code" inputmode="numeric" maxLength={16} class="code-input"
            autofocus={!props.recoveryError} error={props.error} hint={t('signin.stepUp.codeHint')} />
          <button type="submit" class="button-primary">{t('signin.continue')}</button>
        </Form>
      )}
      {!props.locked && (
        <details class="other-ways" open={Boolean(props.recoveryError)}>
          <summary>{t('signin.otherWays.recovery')}</summary>
          <Form action="/verify-again/recovery" class="stack">
            <input type="hidden" name="next" value={props.next} />
            <TextField {...RECOVERY_CODE_FIELD} label={t('signin.recovery.label')} error={props.recoveryError} autofocus={Boolean(props.recoveryError)}
              hint={t('signin.stepUp.recoveryHint')} />
            <button type="submit" class="button-secondary">{t('signin.stepUp.recoveryButton')}</button>
          </Form>
        </details>
      )}
      <p><a href={props.next}>{t('signin.stepUp.cancel')}</a></p>
      <SupportLine lead={t('signin.stepUp.supportLead')} />
    </Layout>
  );
}
