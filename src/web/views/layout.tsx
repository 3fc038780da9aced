import type { ComponentChildren } from 'preact';
import { Form } from './form.js';
import { usePage } from './page-context.js';

export function Layout(props: { title: string; children: ComponentChildren; narrow?: boolean }) {
  const { signedInAs } = usePage();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · HMS`}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">HMS</a>
          <span class="brand-tagline">Health monitoring</span>
          {signedInAs && (
            <nav class="site-nav wide-only" aria-label="Main">
              <MainLinks isAdmin={signedInAs.isAdmin} />
            </nav>
          )}
          {signedInAs && (
            <Form action="/logout" class="header-signout wide-only">
              <span class="signed-in-as">{signedInAs.name}</span>
              <button type="submit" class="button-link">Sign out</button>
            </Form>
          )}
          {signedInAs && (
            // On a narrow screen the same links fold into a menu that opens without JavaScript.
            <details class="site-menu narrow-only">
              <summary>Menu</summary>
              <nav aria-label="Main menu">
                <MainLinks isAdmin={signedInAs.isAdmin} />
                <Form action="/logout" class="menu-signout">
                  <span class="signed-in-as">Signed in as {signedInAs.name}</span>
                  <button type="submit" class="button-link">Sign out</button>
                </Form>
              </nav>
            </details>
          )}
        </header>
        <main class={props.narrow ? 'narrow' : 'wide'}>{props.children}</main>
        <footer class="site-footer"><SupportLine /></footer>
      </body>
    </html>
  );
}

function MainLinks(props: { isAdmin: boolean }) {
  return (
    <>
      <a href="/">Patients</a>
      <a href="/account/security">Account security</a>
      {props.isAdmin && <a href="/admin">Administration</a>}
    </>
  );
}

/** "Need help? Contact support at …": on every page, and spelled out on dead ends. */
export function SupportLine(props: { lead?: string }) {
  const { support } = usePage();
  const lead = props.lead ?? 'Need help?';
  // A lead that ends mid-sentence ("If this keeps happening,") goes on in lower case.
  const contact = lead.endsWith(',') ? 'contact' : 'Contact';
  if (!support.email && !support.phone) return <p class="support">{lead} {contact} your HMS administrator.</p>;
  return (
    <p class="support">
      {lead} {contact} support
      {support.email && <> at <a href={`mailto:${support.email}`}>{support.email}</a></>}
      {support.email && support.phone && ' or'}
      {support.phone && <> by phone on <a href={`tel:${support.phone.replace(/[^+\d]/g, '')}`}>{support.phone}</a></>}.
    </p>
  );
}

export function Notice(props: { kind: 'error' | 'info' | 'success'; children: ComponentChildren; id?: string }) {
  // Errors are announced at once by screen readers; other notices politely.
  const role = props.kind === 'error' ? 'alert' : 'status';
  return <div id={props.id} class={`notice notice-${props.kind}`} role={role}>{props.children}</div>;
}
