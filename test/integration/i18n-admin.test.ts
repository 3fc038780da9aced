// The administration pages in French (issue 16): the console, an account, each confirmation, the
// audit log, mail, the clinical rules (clinic and patient), the deletion pages and the invitation
// form, whose language is stored for the invitee. In the pseudo-language, no text escapes the catalog.
import { expect, it } from 'vitest';
import { setAccountLanguage } from '../../src/auth/accounts.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { defaultSettings, describeCondition, RULES } from '../../src/health/rules/definitions.js';
import { TestBrowser, type Page } from '../support/browser-client.js';
import { runCli } from '../support/cli.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { plausible, recordingOf, streamOf, userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';
import { TEST_START, type TestApp } from '../support/test-app.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';

const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

/** An admin who has just confirmed it is them (the console's changes and deletion pages need it), a clinician, a patient with a recording. */
async function world(t: TestApp) {
  const admin = await addAccount(t, 'admin', 'Ada Admin');
  const dana = await addAccount(t, 'clinician', 'Dana Scully');
  const browser = new TestBrowser(t.app, 'AdminBrowser/1.0', '192.0.2.77');
  await enroll(t, browser, admin);
  await confirmItsYou(t, browser, admin);
  const patient = await createPatient(t.ctx, { name: 'Erin Tremblay', externalId: 'QC-17', dateOfBirth: '1955-06-07', sex: 'female' });
  const danaId = await userIdOf(t.ctx, dana.email);
  await assignClinician(t.ctx, patient.id, danaId);
  const csv = streamOf(recordingToCsv(recordingOf(TEST_START - 86_400_000, 7200, plausible)));
  const { record } = await importCsv(t.ctx, patient.id, csv);
  return { admin, dana, danaId, browser, patient, record };
}

type World = Awaited<ReturnType<typeof world>>;

/** Each page of the area and a sentence its French version says. */
function pages(w: World): [string, string][] {
  const account = `/admin/users/${w.danaId}`;
  return [
    ['/admin/users', 'Rechercher par nom ou par courriel'],
    [account, 'Déconnecter partout'],
    [`${account}/confirm/disable`, 'Désactiver le compte pour Dana Scully?'],
    [`${account}/confirm/end-sessions`, 'Déconnecter Dana Scully partout?'],
    [`${account}/confirm/reset-mfa`, 'Réinitialiser le deuxième facteur pour Dana Scully?'],
    [`${account}/confirm/role?role=admin`, 'Donner à Dana Scully le rôle d’administrateur ou d’administratrice?'],
    ['/admin/invite', 'La langue de son navigateur'],
    ['/admin/audit', 'Journal d’audit'],
    [`/admin/audit?patient=${w.patient.id}`, 'Événements concernant le patient'],
    ['/admin/mail', 'Aucun serveur de courriel n’est configuré'],
    ['/admin/rules', 'Enregistrer les seuils de la clinique'],
    [`/patients/${w.patient.id}/rules`, 'Seuils pour Erin Tremblay'],
    [`/patients/${w.patient.id}/delete`, 'Supprimer le patient et tous ses enregistrements'],
    [`/records/${w.record.id}/delete`, 'Supprimer cet enregistrement'],
  ];
}

/**
 * What the pages show that no catalog of this area translates: names, e-mail addresses, ids and
 * times, and what other modules give (rule names and conditions of health/rules/definitions.ts,
 * severity words of views/flags.tsx), translated by their own areas.
 */
function dataOf(w: World): string[] {
  const defaults = defaultSettings();
  const fromRules = RULES.flatMap((rule) => [rule.label, rule.threshold.label, rule.threshold.unit, describeCondition(rule, defaults[rule.id]),
    ...(rule.kind === 'run' ? [rule.duration.label] : [])]);
  const dates = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'UTC', 'GMT'];
  return [w.admin.name, w.admin.email, w.dana.name, w.dana.email, w.patient.name, w.patient.external_id ?? '', w.patient.id, w.record.id,
    w.record.device_serial ?? '', ...fromRules, 'High', 'Medium', 'Low', ...dates, 'AdminBrowser/1.0', 'totp', 'clinician', 'admin'];
}

describeOnEachDatabase('the administration pages in French', (database) => {
  const t = freshAppPerTest(database, { HMS_PSEUDO_LOCALE: 'on' });

  it('answer in French to a browser that asks for fr-CA, every page of the area', async () => {
    const w = await world(t());
    const home = await w.browser.get('/admin', FRENCH);
    expect(home.location).toBe('/admin/users');
    for (const [url, sentence] of pages(w)) {
      const page = await w.browser.get(url, FRENCH);
      expect(page.status, url).toBe(200);
      expect(htmlLang(page.body), url).toBe('fr-CA');
      expect(page.body, url).toContain(sentence);
    }
    const audit = await w.browser.get('/admin/audit?event=session.stepped_up', FRENCH);
    expect(audit.body).toContain('Identité confirmée de nouveau');
    expect((await w.browser.get('/admin/audit?user=personne@clinic.example', FRENCH)).body).toContain('Aucun compte n’a le courriel personne@clinic.example.');
  });

  it('leave nothing outside the catalog: in the pseudo-language every word of every page comes from a message', async () => {
    const w = await world(t());
    w.browser.cookies.set(...PSEUDO_COOKIE);
    const data = dataOf(w);
    for (const [url] of pages(w)) {
      const page = await w.browser.get(url);
      expect(page.status, url).toBe(200);
      expect(htmlLang(page.body), url).toBe('en-XA');
      expect(untranslatedText(page.body, data), url).toEqual([]);
    }
  });

  it('show refusals, notices and the pages after an action in the reader’s language', async () => {
    const w = await world(t());
    await setAccountLanguage(t().ctx, await userIdOf(t().ctx, w.admin.email), 'fr');
    const account = `/admin/users/${w.danaId}`;
    await w.browser.get(account);
    const unlocked = await w.browser.post(`${account}/enable`, {});
    expect(unlocked.status).toBe(409);
    expect(unlocked.body).toContain(`${w.dana.email} est déjà actif.`);
    await w.browser.get(`${account}/confirm/disable`);
    expect((await w.browser.post(`${account}/disable`, {})).location).toBe(`${account}?done=disabled`);
    expect((await w.browser.get(`${account}?done=disabled`)).body).toContain('Le compte est désactivé et ses sessions ont pris fin.');
    await w.browser.get(`${account}/confirm/reset-mfa`);
    const reset = await w.browser.post(`${account}/reset-mfa`, { reason: '' });
    expect(reset.body).toContain('Indiquez le motif de la réinitialisation');
    await w.browser.get('/admin/rules');
    const rules = await w.browser.post('/admin/rules', { threshold_bradycardia: 'beaucoup' });
    expect(rules.status).toBe(400);
    expect(rules.body).toContain(': le seuil doit être un nombre.');
    await w.browser.get(`/records/${w.record.id}/delete`);
    const refused = await w.browser.post(`/records/${w.record.id}/delete`, { reason: ' ' });
    expect(refused.body).toContain('Indiquez le motif de la suppression');
    await w.browser.get(account);
    const resetLink = await w.browser.post(`${account}/password-reset`, {});
    expect(resetLink.status).toBe(409); // disabled above
    expect(resetLink.body).toContain('réactivez d’abord le compte.');
  });

  it('store the language the admin chooses for an invitee, and say so in French', async () => {
    const w = await world(t());
    await w.browser.get('/admin/invite', FRENCH);
    const invited: Page = await w.browser.post('/admin/invite', { name: 'Rémi Gagnon', email: 'remi.gagnon@clinic.example', role: 'clinician', language: 'fr' }, FRENCH);
    expect(invited.status).toBe(201);
    expect(invited.body).toContain('Lien d’invitation');
    expect(invited.body).toContain('Il fonctionne une seule fois, jusqu’au');
    const stored = await t().ctx.db.selectFrom('users').select('language').where('email', '=', 'remi.gagnon@clinic.example').executeTakeFirstOrThrow();
    expect(stored.language).toBe('fr');
    await w.browser.get('/admin/invite');
    await w.browser.post('/admin/invite', { name: 'Browser Default', email: 'browser.default@clinic.example', role: 'clinician', language: '' });
    const unset = await t().ctx.db.selectFrom('users').select('language').where('email', '=', 'browser.default@clinic.example').executeTakeFirstOrThrow();
    expect(unset.language).toBeNull();
    await w.browser.get('/admin/invite');
    const wrong = await w.browser.post('/admin/invite', { name: 'Klingon', email: 'tlh@clinic.example', role: 'clinician', language: 'tlh' }, FRENCH);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('Choisissez une des langues de la liste.');
  });

  it('`hms user invite --language fr` and `hms user add --language fr` store the language; the command line stays English', async () => {
    const env = t().database.env;
    const invited = await runCli(['user', 'invite', '--email', 'cli.fr@clinic.example', '--name', 'Cli Français', '--role', 'clinician', '--language', 'fr'], env);
    expect(invited.stdout).toContain('Invited cli.fr@clinic.example.');
    const added = await runCli(['user', 'add', '--email', 'added.fr@clinic.example', '--name', 'Added Français', '--role', 'clinician', '--language', 'fr', '--password-stdin'],
      env, 'a long enough passphrase 42\n');
    expect(added.stdout).toContain('Created clinician added.fr@clinic.example.');
    const rows = await t().ctx.db.selectFrom('users').select(['email', 'language']).where('email', 'in', ['cli.fr@clinic.example', 'added.fr@clinic.example']).execute();
    expect(rows.map((row) => row.language)).toEqual(['fr', 'fr']);
    expect((await runCli(['user', 'invite', '--email', 'x@clinic.example', '--name', 'X', '--role', 'clinician', '--language', 'de'], env)).stderr)
      .toContain('Language must be one of: en, fr.');
  });
});
