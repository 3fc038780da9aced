import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../../auth/accounts.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout } from '../views/layout.js';

export interface FirstAdminPageProps {
  action: string;
  name?: string;
  email?: string;
  errors?: Partial<Record<'name' | 'email' | 'password' | 'confirm', string>>;
}

export function FirstAdminPage(props: FirstAdminPageProps) {
  const errors = props.errors ?? {};
  const firstInvalid = (['name', 'email', 'password', 'confirm'] as const).find((name) => errors[name]) ?? 'name';
  return (
    <Layout title="Create the first administrator" narrow>
      <h1>Create the first administrator</h1>
      <p>HMS has no accounts yet. The administrator you create here manages the other accounts and is the support contact who can reset a lost authenticator.</p>
      <Form action={props.action} class="stack">
        <TextField name="name" label="Full name" value={props.name} autocomplete="name" maxLength={NAME_MAX_LENGTH}
          error={errors.name} autofocus={firstInvalid === 'name'} />
        <TextField name="email" label="Email" type="email" value={props.email} autocomplete="username" inputmode="email"
          maxLength={EMAIL_MAX_LENGTH} error={errors.email} autofocus={firstInvalid === 'email'} />
        <TextField name="password" label="Password" type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a strong password.`}
          error={errors.password} autofocus={firstInvalid === 'password'} />
        <TextField name="confirm" label="Password again" type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={errors.confirm} autofocus={firstInvalid === 'confirm'} />
        <button type="submit" class="button-primary">Continue</button>
      </Form>
      <p class="after-form">Next you will sign in and pair an authenticator app.</p>
    </Layout>
  );
}
