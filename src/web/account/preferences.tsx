// /account/preferences: the language HMS speaks to this account, on its pages and in its e-mails.
// Not a security setting: no code asked again, nothing audited.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { setAccountLanguage } from '../../auth/accounts.js';
import { isLanguage, LANGUAGE_INFO, LANGUAGES } from '../../i18n/languages.js';
import { redirect, sendPage } from '../render.js';
import { csrfField, schemaMessage } from '../validation.js';
import { Form } from '../views/form.js';
import { Layout, Notice } from '../views/layout.js';
import { usePage } from '../views/page-context.js';

/** '' is "the language of my browser". */
const BROWSER = '';

const preferencesForm = z.object({
  language: z.enum([BROWSER, ...LANGUAGES], schemaMessage('preferences.invalidLanguage')),
  _csrf: csrfField,
});
const savedQuery = z.object({ saved: z.literal('1').optional().catch(undefined) });

export const preferencesRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: z.infer<typeof savedQuery> }>('/account/preferences', { schema: { querystring: savedQuery } }, async (request, reply) => {
    const saved = request.current!.user.language;
    return sendPage(reply, 200, <PreferencesPage language={isLanguage(saved) ? saved : BROWSER} saved={request.query.saved === '1'} />);
  });

  app.post<{ Body: z.infer<typeof preferencesForm> }>('/account/preferences', { schema: { body: preferencesForm } }, async (request, reply) => {
    const { language } = request.body;
    await setAccountLanguage(app.ctx, request.current!.user.id, language === BROWSER ? null : language);
    return redirect(reply, '/account/preferences?saved=1');
  });
};

function PreferencesPage(props: { language: string; saved: boolean }) {
  const { t, times } = usePage();
  const choices = [{ value: BROWSER, label: t('preferences.browserDefault'), lang: undefined },
    ...LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_INFO[language].ownName, lang: LANGUAGE_INFO[language].htmlLang }))];
  return (
    <Layout title={t('preferences.title')} narrow>
      <h1>{t('preferences.title')}</h1>
      {props.saved && <Notice kind="success">{t('preferences.saved')}</Notice>}
      <p>{t('preferences.intro')}</p>
      <Form action="/account/preferences" class="stack">
        <fieldset class="choice">
          <legend>{t('preferences.languageLegend')}</legend>
          {choices.map((choice) => (
            <label key={choice.value}>
              <input type="radio" name="language" value={choice.value} checked={props.language === choice.value} />
              {' '}<span lang={choice.lang}>{choice.label}</span>
            </label>
          ))}
        </fieldset>
        <p class="muted">{t('preferences.timeZoneNote', { zone: times.zone })}</p>
        <button type="submit" class="button-primary">{t('preferences.save')}</button>
      </Form>
    </Layout>
  );
}
