// The patient pages in French and in the pseudo-language (issue 16): the worklist with flagged
// patients, a patient's page (flags, trends, notes, recordings, care team), the patient form with
// an error, and the import's errors. French where a Québec clinician expects it; in the
// pseudo-language, no word of these pages escapes the catalogs.
import { expect, it } from 'vitest';
import type { Patient } from '../../src/db/schema.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { clinicInstant } from '../../src/health/clinic-days.js';
import { createPatient } from '../../src/health/patients.js';
import { decodeEntities, TestBrowser, type Page } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { importRecording, quietRecording, userIdOf } from '../support/health.js';
import { addAccount, confirmItsYou, enroll } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';
import { multipart } from '../support/upload.js';

const ZONE = 'Europe/Paris';
const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };
const at = (day: string, hour: number, minute = 0) => clinicInstant(ZONE, day, hour, minute);
const heart = (bpm: number, offset: number, seconds: number) => (c: Map<number, Float32Array>) => c.get(19)!.fill(bpm, offset, offset + seconds);

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
/** The page's text as a reader sees it: tags out, entities decoded, spaces as they are (no-break ones kept). */
const text = (html: string) => decodeEntities(html.replace(/<[^<>]*>/g, ' ')).replace(/[ \t\r\n]+/g, ' ');

/**
 * Words `Intl` writes in dates (the pseudo-language formats them as en-GB) and the zone's name:
 * they come from the clock, not from a catalog.
 */
const DATE_WORDS = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|CET|CEST)[,.]?$/;

/**
 * The rules' names and the words of their flags come from src/health/rules, which the `records`
 * part of issue 16 translates: until it lands they are data to these pages.
 */
const RULE_NAMES = ['Tachycardia at rest', 'Fast breathing at rest', 'Low wear time', 'No recent data'];

describeOnEachDatabase('the patient pages in French and in the pseudo-language', (database) => {
  const t = freshAppPerTest(database, { HMS_TIME_ZONE: ZONE, HMS_PSEUDO_LOCALE: 'on' });

  /** The words of `page` outside every message, but for `data`, the rules' words and what `Intl` writes. */
  async function leftovers(page: Page, data: readonly string[]): Promise<string[]> {
    const flagTexts = (await t().ctx.db.selectFrom('flags').select('value_text').execute()).map((flag) => flag.value_text);
    return untranslatedText(page.body, [...data, ...RULE_NAMES, ...flagTexts, ZONE]).filter((word) => !DATE_WORDS.test(word));
  }

  /** Dana's patients on Wed 25 Nov: Hugo (fast heart yesterday), Bea (fast breathing), Dora (low wear); Ada the admin. */
  async function clinic(app: TestApp) {
    const dana = await addAccount(app, 'clinician', 'Dana Scully');
    const ada = await addAccount(app, 'admin', 'Ada Admin');
    const danaId = await userIdOf(app.ctx, dana.email);
    const patients: Record<string, Patient> = {};
    for (const name of ['Hugo', 'Bea', 'Dora']) {
      patients[name] = await createPatient(app.ctx, { name: `${name} Patient`, externalId: `S-${name}`, dateOfBirth: '1960-05-05', sex: 'male', heightCm: 181, weightKg: 80.5 });
      await assignClinician(app.ctx, patients[name]!.id, danaId);
    }
    await importRecording(app.ctx, patients.Hugo!, quietRecording(at('2026-11-24', 8), 6 * 3600, heart(130, 2 * 3600, 360)));
    await importRecording(app.ctx, patients.Bea!, quietRecording(at('2026-11-24', 9), 4 * 3600, (c) => c.get(33)!.fill(27, 3600, 3600 + 720)));
    await importRecording(app.ctx, patients.Dora!, quietRecording(at('2026-11-23', 10), 3 * 3600));
    const browsers = { dana: new TestBrowser(app.app), ada: new TestBrowser(app.app) };
    await enroll(app, browsers.dana, dana);
    await enroll(app, browsers.ada, ada);
    return { patients, browsers, ada, dana };
  }

  /** Names and ids the pages show from the database. */
  const DATA = ['Dana Scully', 'Ada Admin', 'Hugo Patient', 'Bea Patient', 'Dora Patient', 'S-Hugo', 'S-Bea', 'S-Dora'];

  it('the worklist speaks French: columns, filters, flags by severity, the count of patients', async () => {
    const { browsers } = await clinic(t());
    const list = await browsers.dana.get('/', FRENCH);
    expect(list.status).toBe(200);
    expect(htmlLang(list.body)).toBe('fr-CA');
    const words = text(list.body);
    expect(words).toContain('Bienvenue, Dana Scully');
    expect(words).toContain('Alertes à examiner');
    expect(words).toContain('Fin du dernier enregistrement');
    expect(words).toContain('3 patients; 3 sur cette page avec des alertes à examiner. Heures dans le fuseau Europe/Paris.');
    expect(list.body).toContain('<span class="chip-severity">Élevée</span>');
    expect(list.body).toContain('<span class="chip-severity">Moyenne</span>');
    expect(list.body).toContain('<span class="chip-severity">Faible</span>');
    expect(words).toContain(' ans, masculin');
    const filtered = await browsers.dana.get('/?filter=unreviewed&q=zzz', FRENCH);
    expect(text(filtered.body)).toContain('0 patient correspondant à «\u00a0zzz\u00a0» (non examinés)');
    expect(text(filtered.body)).toContain('Aucun patient ne correspond à cette recherche.');
  });

  it('the worklist leaves nothing outside the catalogs in the pseudo-language', async () => {
    const { browsers } = await clinic(t());
    browsers.dana.cookies.set(...PSEUDO_COOKIE);
    const list = await browsers.dana.get('/');
    expect(htmlLang(list.body)).toBe('en-XA');
    expect(await leftovers(list, DATA)).toEqual([]);
    expect(await leftovers(await browsers.dana.get('/?filter=unreviewed&q=zzz'), [...DATA, 'zzz'])).toEqual([]);
  });

  it('a patient page speaks French: facts with a decimal comma, flags, trends, notes, recordings, import, archive', async () => {
    const { browsers, patients } = await clinic(t());
    const hugo = patients.Hugo!;
    const page = await browsers.dana.get(`/patients/${hugo.id}`, FRENCH);
    expect(page.status).toBe(200);
    expect(htmlLang(page.body)).toBe('fr-CA');
    const words = text(page.body);
    expect(words).toContain('80,5\u00a0kg');
    expect(words).toContain('181\u00a0cm');
    expect(words).toContain('Alertes à examiner (1)');
    expect(words).toContain('Marquer cette alerte comme examinée');
    expect(words).toContain('Tendances');
    expect(words).toContain('Fréquence cardiaque au repos');
    expect(words).toContain('Notes et événements');
    expect(words).toContain('Importer un enregistrement');
    expect(words).toContain('Archiver ce patient');
    expect(words).toMatch(/6\u00a0h/);

    const review = await browsers.dana.post(`/patients/${hugo.id}/flags/review`, { comment: 'Appelé', up_to: String(t().clock.now()) }, FRENCH);
    const after = await browsers.dana.get(review.location!, FRENCH);
    expect(text(after.body)).toContain('1 alerte marquée comme examinée.');
    expect(text(after.body)).toMatch(/Examinée par Dana Scully, [^:]+\u00a0: Appelé/);

    const refused = await browsers.dana.post(`/patients/${hugo.id}/notes`, { text: '   ' }, FRENCH);
    expect(refused.status).toBe(400);
    expect(text(refused.body)).toContain('Rédigez la note avant de l’ajouter.');
    await browsers.dana.post(`/patients/${hugo.id}/notes`, { text: 'Bien toléré.' }, FRENCH);
    const noted = await browsers.dana.get(`/patients/${hugo.id}?done=noted`, FRENCH);
    expect(text(noted.body)).toContain('Note ajoutée.');
    expect(text(noted.body)).toContain('par Dana Scully');
  });

  it('a patient page, reviewed, noted and archived, with its care team, leaves nothing outside the catalogs in the pseudo-language', async () => {
    const { browsers, patients, dana } = await clinic(t());
    const hugo = patients.Hugo!;
    await browsers.dana.get(`/patients/${hugo.id}`);
    await browsers.dana.post(`/patients/${hugo.id}/flags/review`, { comment: 'Called', up_to: String(t().clock.now()) });
    await browsers.dana.post(`/patients/${hugo.id}/notes`, { text: 'Well tolerated' });
    await browsers.dana.post(`/patients/${hugo.id}/archive`, {});
    browsers.dana.cookies.set(...PSEUDO_COOKIE);
    const page = await browsers.dana.get(`/patients/${hugo.id}?done=archived`);
    expect(htmlLang(page.body)).toBe('en-XA');
    expect(await leftovers(page, [...DATA, 'Called', 'Well tolerated', 'HX-42'])).toEqual([]);
    const bea = await browsers.dana.get(`/patients/${patients.Bea!.id}`);
    expect(await leftovers(bea, DATA)).toEqual([]);

    browsers.ada.cookies.set(...PSEUDO_COOKIE);
    const asAdmin = await browsers.ada.get(`/patients/${patients.Dora!.id}`);
    expect(asAdmin.body).toContain('care-team-heading');
    expect(await leftovers(asAdmin, [...DATA, dana.email])).toEqual([]);
  });

  it('the new-patient form and its errors speak French, and leave nothing outside the catalogs in the pseudo-language', async () => {
    const { browsers, ada } = await clinic(t());
    await confirmItsYou(t(), browsers.ada, ada);
    const form = await browsers.ada.get('/patients/new', FRENCH);
    expect(htmlLang(form.body)).toBe('fr-CA');
    expect(text(form.body)).toContain('Ajouter un patient');
    expect(text(form.body)).toContain('Poids en kg (facultatif)');
    const fields = { name: 'Élodie Tremblay', external_id: '', date_of_birth: '12/04/1961', sex: 'female', height_cm: '', weight_kg: '' };
    const refused = await browsers.ada.post('/patients', fields, FRENCH);
    expect(refused.status).toBe(400);
    expect(text(refused.body)).toContain('Saisissez la date de naissance au format AAAA-MM-JJ, par exemple 1961-04-12.');
    expect(text(refused.body)).toContain('Erreur\u00a0:');
    const notNumber = await browsers.ada.post('/patients', { ...fields, date_of_birth: '1961-04-12', weight_kg: 'lourd' }, FRENCH);
    expect(text(notNumber.body)).toContain('Poids doit être un nombre, par exemple 61,5.');
    const taken = await browsers.ada.post('/patients', { ...fields, date_of_birth: '1961-04-12', external_id: 'S-Hugo' }, FRENCH);
    expect(taken.status).toBe(409);
    expect(text(taken.body)).toContain('Un patient ou une patiente avec l’identifiant externe S-Hugo existe déjà.');

    browsers.ada.cookies.set(...PSEUDO_COOKIE);
    const pseudoForm = await browsers.ada.get('/patients/new');
    expect(await leftovers(pseudoForm, DATA)).toEqual([]);
    const pseudoRefused = await browsers.ada.post('/patients', fields);
    expect(pseudoRefused.status).toBe(400);
    expect(await leftovers(pseudoRefused, [...DATA, 'Élodie Tremblay', '12/04/1961'])).toEqual([]);
  });

  it('the import\'s errors speak French, and leave nothing outside the catalogs in the pseudo-language', async () => {
    const { browsers, patients } = await clinic(t());
    const dora = patients.Dora!;
    const uploadAs = async (csv: string, headers: Record<string, string> = {}) => {
      const page = await browsers.dana.get(`/patients/${dora.id}`, headers);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const { body, contentType } = multipart([['_csrf', token], ['device_serial', ''], ['file', { filename: 'rec.csv', content: csv }]]);
      return browsers.dana.request('POST', `/patients/${dora.id}/records`, body.toString('latin1'), { 'content-type': contentType, ...headers });
    };
    const badCell = 'time [s/256],heart_rate [bpm]\n455000000000,72\n455000000256,vite\n';
    const refused = await uploadAs(badCell, FRENCH);
    expect(refused.status).toBe(400);
    expect(htmlLang(refused.body)).toBe('fr-CA');
    expect(text(refused.body)).toContain('Ligne 3, colonne 2 (heart_rate [bpm])\u00a0: «\u00a0vite\u00a0» n’est pas un nombre (laissez la cellule vide pour une lacune). Rien n’a été importé.');
    const noTime = await uploadAs('heart_rate [bpm]\n72\n', FRENCH);
    expect(text(noTime.body)).toContain('Ligne 1\u00a0: aucune colonne de temps.');
    // A channel is named as the charts name it, in French; the file's own header is quoted as it is.
    const wrongUnit = await uploadAs('time [s/256],minute_ventilation [L/min]\n455000000000,6\n', FRENCH);
    expect(text(wrongUnit.body)).toContain('Ligne 1, colonne 2 (\u00ab\u00a0minute_ventilation [L/min]\u00a0\u00bb)\u00a0: \u00ab\u00a0Ventilation minute\u00a0\u00bb doit être en mL/min, pas en L/min.');
    const twin = await uploadAs('time [s/256],heart_rate [bpm],heart_rate [bpm](/api/datatype/19/)\n455000000000,72,72\n', FRENCH);
    expect(text(twin.body)).toContain('une deuxième colonne \u00ab\u00a0Fréquence cardiaque\u00a0\u00bb (la première est la colonne 2).');
    const disagree = await uploadAs('time [s/256],heart_rate [bpm](/api/datatype/33/)\n455000000000,72\n', FRENCH);
    expect(text(disagree.body)).toContain('le nom indique \u00ab\u00a0Fréquence cardiaque\u00a0\u00bb, mais le chemin du type de données indique 33 (\u00ab\u00a0Fréquence respiratoire\u00a0\u00bb).');

    const unreadable = await browsers.dana.request('POST', `/patients/${dora.id}/records`, 'x', { 'content-type': 'multipart/form-data', ...FRENCH });
    expect(unreadable.status).toBe(400);
    expect(text(unreadable.body)).toContain('Téléversement illisible');

    browsers.dana.cookies.set(...PSEUDO_COOKIE);
    const pseudoRefused = await uploadAs(badCell);
    expect(pseudoRefused.status).toBe(400);
    expect(await leftovers(pseudoRefused, [...DATA, 'heart_rate [bpm]', 'vite'])).toEqual([]);
    const pseudoUnreadable = await browsers.dana.request('POST', `/patients/${dora.id}/records`, 'x', { 'content-type': 'multipart/form-data' });
    expect(await leftovers(pseudoUnreadable, DATA)).toEqual([]);
  });

  it('a patient outside the care team answers a French 404', async () => {
    const { browsers } = await clinic(t());
    const missing = await browsers.dana.get('/patients/nobody', FRENCH);
    expect(missing.status).toBe(404);
    expect(text(missing.body)).toContain('Il n’y a aucun patient ni aucune patiente à cette adresse');
    browsers.dana.cookies.set(...PSEUDO_COOKIE);
    expect(await leftovers(await browsers.dana.get('/patients/nobody'), DATA)).toEqual([]);
  });
});
