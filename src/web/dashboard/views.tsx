import type { User } from '../../db/schema.js';
import { Layout } from '../views/layout.js';

export function DashboardPage(props: { user: Pick<User, 'name' | 'email' | 'role'> }) {
  return (
    <Layout title="Dashboard">
      <h1>Welcome, {props.user.name}</h1>
      <p>You are signed in as {props.user.email} ({props.user.role}) with your password and your authenticator app.</p>
      <section class="panel">
        <h2>Patients and recordings</h2>
        <p>The patient list and recording charts are not built yet. This page will show your patients' heart rate, breathing, activity and sleep once they are.</p>
      </section>
    </Layout>
  );
}
