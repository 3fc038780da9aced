import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../auth/password-policy.js';
import { Form, TextField } from '../views/form.js';
import { Layout } from '../views/layout.js';

export function ChoosePasswordPage(props: { action: string; name: string; email: string; errors?: { password?: string; confirm?: string } }) {
  const errors = props.errors ?? {};
  return (
    <Layout title="Choose your password" narrow>
      <h1>Welcome to HMS, {props.name}</h1>
      <p>Choose the password for <strong>{props.email}</strong>. Next you will sign in and pair an authenticator app on your phone.</p>
      <Form action={props.action} class="stack">
        <input type="hidden" name="username" value={props.email} autocomplete="username" />
        <TextField name="password" label="Password" type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; a few unrelated words make a strong password.`} error={errors.password} autofocus={!errors.confirm} />
        <TextField name="confirm" label="Password again" type="password" autocomplete="new-password" maxLength={PASSWORD_MAX_LENGTH}
          error={errors.confirm} autofocus={Boolean(errors.confirm) && !errors.password} />
        <button type="submit" class="button-primary">Continue</button>
      </Form>
    </Layout>
  );
}
