import type { ComponentChildren } from 'preact';
import { LANGUAGE_INFO, LANGUAGES, PSEUDO, type DisplayLanguage } from '../../i18n/languages.js';
import { Form } from './form.js';
import { usePage } from './page-context.js';

export function Layout(props: { title: string; children: ComponentChildren; narrow?: boolean }) {
  const { signedInAs, t } = usePage();
  return (
    <html lang={LANGUAGE_INFO[t.language].htmlLang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('layout.titleSuffix', { title: props.title })}</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">HMS</a>
          <span class="brand-tagline">{t('layout.brandTagline')}</span>
          {!signedInAs && <LanguageSwitch />}
          {signedInAs && (
            <nav class="site-nav wide-only" aria-label={t('layout.nav.label')}>
              <MainLinks isAdmin={signedInAs.isAdmin} />
            </nav>
          )}
          {signedInAs && (
            <Form action="/logout" class="header-signout wide-only">
              <span class="signed-in-as">{signedInAs.name}</span>
              <button type="submit" class="button-link">{t('layout.signOut')}</button>
            </Form>
          )}
          {signedInAs && (
            // On a narrow screen the same links fold into a menu that opens without JavaScript.
            <details class="site-menu narrow-only">
              <summary>{t('layout.menu')}</summary>
              <nav aria-label={t('layout.nav.menuLabel')}>
                <MainLinks isAdmin={signedInAs.isAdmin} />
                <Form action="/logout" class="menu-signout">
                  <span class="signed-in-as">{t('layout.signedInAs', { name: signedInAs.name })}</span>
                  <button type="submit" class="button-link">{t('layout.signOut')}</button>
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
  const { t } = usePage();
  return (
    <>
      <a href="/">{t('layout.nav.patients')}</a>
      <a href="/account/security">{t('layout.nav.accountSecurity')}</a>
      <a href="/account/preferences">{t('layout.nav.preferences')}</a>
      {props.isAdmin && <a href="/admin">{t('layout.nav.administration')}</a>}
    </>
  );
}

/**
 * Before sign-in: the other languages as plain links (no JavaScript), each named in itself and
 * marked with its language so a screen reader says it right. After sign-in: /account/preferences.
 */
function LanguageSwitch() {
  const { t, path, pseudoLocale } = usePage();
  const all: DisplayLanguage[] = [...LANGUAGES, PSEUDO];
  const others = all.filter((language) => language !== t.language && (language !== PSEUDO || pseudoLocale));
  return (
    <nav class="language-switch" aria-label={t('language.switchLabel')}>
      {others.map((language) => (
        <a key={language} href={`/language?${new URLSearchParams({ to: language, next: path })}`}
          hreflang={LANGUAGE_INFO[language].htmlLang} lang={LANGUAGE_INFO[language].htmlLang}>
          {LANGUAGE_INFO[language].ownName}
        </a>
      ))}
    </nav>
  );
}

/** "Need help? Contact support at …": on every page, and spelled out on dead ends. */
export function SupportLine(props: { lead?: string; continues?: boolean }) {
  const { support, t } = usePage();
  const lead = props.lead ?? t('support.lead');
  // `continues`: the lead ends mid-sentence ("If this keeps happening,"), which goes on in lower case.
  const capital = props.continues ? 'no' : 'yes';
  const email = <a href={`mailto:${support.email}`}>{support.email}</a>;
  const phone = <a href={`tel:${support.phone.replace(/[^+\d]/g, '')}`}>{support.phone}</a>;
  const parts = { lead, capital, email: support.email, phone: support.phone };
  const links = { ...parts, email: () => email, phone: () => phone };
  if (support.email && support.phone) return <p class="support">{t.rich('support.emailAndPhone', links)}</p>;
  if (support.email) return <p class="support">{t.rich('support.emailOnly', links)}</p>;
  if (support.phone) return <p class="support">{t.rich('support.phoneOnly', links)}</p>;
  return <p class="support">{t('support.administrator', parts)}</p>;
}

export function Notice(props: { kind: 'error' | 'info' | 'success'; children: ComponentChildren; id?: string }) {
  // Errors are announced at once by screen readers; other notices politely.
  const role = props.kind === 'error' ? 'alert' : 'status';
  return <div id={props.id} class={`notice notice-${props.kind}`} role={role}>{props.children}</div>;
}
