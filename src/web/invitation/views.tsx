import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

export function ChoosePasswordPage(props: { action: string; name: string; email: string; errors?: { password?: string; confirm?: string } }) {
  const { t } = usePage();
  const errors = props.errors ?? {};
  return (
    <Layout title={t('signin.invitation.title')} narrow>
      <h1>{t('signin.invitation.heading', { name: props.name })}</h1>
      <p>{t.rich('signin.invitation.intro', { email: props.email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <Form action={props.action} class="stack">
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <TextField name="password" label={t('field.password')} type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          hint={t('signin.password.hint', { min: PASSWORD_MIN_LENGTH })} error={errors.password} autofocus={!errors.confirm} />
        <TextField name="confirm" label={t('field.passwordAgain')} type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={errors.confirm} autofocus={Boolean(errors.confirm) && !errors.password} />
        <button type="submit" class="button-primary">{t('signin.continue')}</button>
      </Form>
    </Layout>
  );
}
