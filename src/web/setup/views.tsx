import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

export interface FirstAdminPageProps {
  action: string;
  name?: string;
  email?: string;
  errors?: Partial<Record<'name' | 'email' | 'password' | 'confirm', string>>;
}

export function FirstAdminPage(props: FirstAdminPageProps) {
  const { t } = usePage();
  const errors = props.errors ?? {};
  const firstInvalid = (['name', 'email', 'password', 'confirm'] as const).find((name) => errors[name]) ?? 'name';
  return (
    <Layout title={t('signin.firstAdmin.title')} narrow>
      <h1>{t('signin.firstAdmin.title')}</h1>
      <p>{t('signin.firstAdmin.intro')}</p>
      <Form action={props.action} class="stack">
        <TextField name="name" label={t('field.fullName')} value={props.name} autocomplete="name" maxLength={NAME_MAX_LENGTH}
          error={errors.name} autofocus={firstInvalid === 'name'} />
        <TextField name="email" label={t('field.email')} type="email" value={props.email} autocomplete="username" inputmode="email"
          maxLength={EMAIL_MAX_LENGTH} error={errors.email} autofocus={firstInvalid === 'email'} />
        <TextField name="password" label={t('field.password')} type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          hint={t('signin.password.hint', { min: PASSWORD_MIN_LENGTH })}
          error={errors.password} autofocus={firstInvalid === 'password'} />
        <TextField name="confirm" label={t('field.passwordAgain')} type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={errors.confirm} autofocus={firstInvalid === 'confirm'} />
        <button type="submit" class="button-primary">{t('signin.continue')}</button>
      </Form>
      <p class="after-form">{t('signin.firstAdmin.next')}</p>
    </Layout>
  );
}
