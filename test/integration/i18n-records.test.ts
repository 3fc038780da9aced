// Recordings, charts and the clinical report in French (issue #16): the recording page, its chart
// data and its PDF report answer in the reader's language — French words, decimal commas, "07 h 46"
// times, flag texts worded from their stored parameters — and, in the pseudo-language, nothing of
// the recording page is left outside the catalog.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { assignClinician } from '../../src/health/care-teams.js';
import { flagsOfPeriod } from '../../src/health/flags.js';
import { createPatient } from '../../src/health/patients.js';
import { addTagFor } from '../../src/health/tags.js';
import type { HealthRecord } from '../../src/db/schema.js';
import { TestBrowser } from '../support/browser-client.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { importRecording, quietRecording, userIdOf } from '../support/health.js';
import { command } from '../support/requirements.js';
import { addAccount, enroll } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';
import { PSEUDO_COOKIE, untranslatedText } from '../support/untranslated.js';

const FRENCH = { 'accept-language': 'fr-CA,fr;q=0.9' };
const poppler = command('pdftotext', 'poppler-utils');
// Tue 24 Nov 2026, 10:00 EST: an hour at rest, with HR 130 for 6 min (tachycardia at rest).
const START = Date.UTC(2026, 10, 24, 15);
const NBSP = '\u00a0';

/** Dates and zones as Intl writes them in the pseudo-language's locale (en-GB): data, not prose. */
const DATE_WORDS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec',
  'EST', 'EDT', 'America/Montreal'];

interface Scene { t: TestApp; dana: TestBrowser; record: HealthRecord; patientId: string }

async function scene(t: TestApp): Promise<Scene> {
  const account = await addAccount(t, 'clinician', 'Dana Scully');
  const patient = await createPatient(t.ctx, { name: 'Amélie Laurent', externalId: 'S-001', dateOfBirth: '1958-03-14', sex: 'female' });
  const danaId = await userIdOf(t.ctx, account.email);
  await assignClinician(t.ctx, patient.id, danaId);
  const record = await importRecording(t.ctx, patient, quietRecording(START, 3600, (c) => c.get(19)!.fill(130, 600, 960)));
  await addTagFor(t.ctx, { id: danaId, role: 'clinician' }, record.id, { kind: 'symptom', from: START + 1_200_000, to: START + 1_500_000, text: 'Vertiges' });
  const dana = new TestBrowser(t.app);
  await enroll(t, dana, account);
  return { t, dana, record, patientId: patient.id };
}

/** `html` without the elements that start at each `marker` up to their `end` (parts other helpers translate). */
function without(html: string, marker: string, end: string): string {
  let rest = html;
  for (let start = rest.indexOf(marker); start >= 0; start = rest.indexOf(marker)) {
    const stop = rest.indexOf(end, start);
    rest = rest.slice(0, start) + (stop < 0 ? '' : rest.slice(stop + end.length));
  }
  return rest;
}

describeOnEachDatabase('recordings, charts and reports in French', (database) => {
  const app = freshAppPerTest(database, { HMS_TIME_ZONE: 'America/Montreal', HMS_PSEUDO_LOCALE: 'on' });

  it('the recording page answers in French: headings, channel names, flag bands from their parameters, decimal commas and "10 h 00" times', async () => {
    const { dana, record } = await scene(app());
    const page = await dana.get(`/records/${record.id}`, FRENCH);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="fr-CA"');
    expect(page.body).toContain('Résumé de cette fenêtre');
    expect(page.body).toContain('Enregistrement du mar. 24 nov. 2026, 10' + NBSP + 'h' + NBSP + '00 HNE');
    expect(page.body).toContain('Fréquence cardiaque <span class="muted">(bpm)</span>');
    expect(page.body).toContain('Télécharger tout l’enregistrement (CSV)');
    expect(page.body).toContain('Événements étiquetés');
    expect(page.body).toContain('Symptôme');
    // The flag's words come from its parameters, in French (band title on the server-drawn chart).
    expect(page.body).toContain(`Tachycardie au repos (priorité élevée)${NBSP}: FC 130${NBSP}bpm (max. 130) pendant 6${NBSP}min au repos, activité 0,01${NBSP}g`);
    // Activity (g) has two decimals: its summary values have a decimal comma.
    expect(page.body).toMatch(/<td>0,0\d<\/td>/);
    expect(page.body).not.toMatch(/<td>0\.0\d<\/td>/);
    // The chart script gets its words and its locale from the page.
    expect(page.body).toContain('data-locale="fr-CA"');
    expect(page.body).toContain('aucune donnée de %from% à %to%');
    expect(page.body).not.toContain('Summary of this window');
  });

  it('the chart data of a window labels its bands and draws its summary in French', async () => {
    const { dana, record } = await scene(app());
    const answer = await dana.get(`/records/${record.id}/chart.json?buckets=200`, FRENCH);
    expect(answer.status).toBe(200);
    const data = JSON.parse(answer.body) as { bands: { kind: string; label: string }[]; summaryHtml: string };
    expect(data.bands.find((band) => band.kind === 'flag')?.label).toMatch(/^Tachycardie au repos \(priorité élevée\)\u00a0: FC 130\u00a0bpm/);
    expect(data.bands.find((band) => band.kind === 'tag')?.label).toBe(`Symptôme${NBSP}: Vertiges`);
    expect(data.bands.every((band) => Object.keys(band).every((key) => ['kind', 'from', 'to', 'label', 'severity'].includes(key)))).toBe(true);
    expect(data.summaryHtml).toContain('Résumé de cette fenêtre');
    expect(data.summaryHtml).toContain('Couverture <strong>100' + NBSP + '%</strong>');
  });

  it('the tag form refuses an unknown kind naming the kinds as its choices do, in French', async () => {
    const { dana, record } = await scene(app());
    await dana.get(`/records/${record.id}`, FRENCH);
    const refused = await dana.post(`/records/${record.id}/tags`, { kind: 'nap', from: '2026-11-24T10:05', to: '2026-11-24T10:10', text: '' }, FRENCH);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain(`Choisissez ce qu’était la plage${NBSP}: Sommeil, Repos, Exercice, Symptôme, Autre.`);
    expect(refused.body).toContain('<option value="symptom">Symptôme</option>');
  });

  it('the flag keeps its English words for English readers and stores its parameters', async () => {
    const { t, dana, record, patientId } = await scene(app());
    const flags = await flagsOfPeriod(t.ctx, patientId, { from: START, to: START + 3_600_000 });
    expect(flags.map((flag) => [flag.rule, flag.valueText, flag.value?.kind])).toEqual([
      ['tachycardia_at_rest', 'HR 130 bpm (max 130) for 6 min at rest, activity 0.01 g', 'run'],
    ]);
    const page = await dana.get(`/records/${record.id}`);
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain('Tachycardia at rest (high): HR 130 bpm (max 130) for 6 min at rest, activity 0.01 g');
  });

  it('in the pseudo-language, nothing of the recording page is left outside the catalog', async () => {
    const { dana, record } = await scene(app());
    dana.cookies.set(...PSEUDO_COOKIE);
    const page = await dana.get(`/records/${record.id}`);
    expect(page.status).toBe(200);
    // The identity line and the flag list are shared with the patient pages (translated there).
    const shared = [['<p class="identity"', '</p>'], ['<ul class="flag-list"', '</ul>'], [`<form method="post" action="/records/${record.id}/flags/review"`, '</form>']];
    const ours = shared.reduce((html, [marker, end]) => without(html, marker!, end!), page.body);
    expect(untranslatedText(ours, ['Amélie Laurent', 'S-001', 'Vertiges', 'Dana Scully', ...DATE_WORDS])).toEqual([]);
    const answer = await dana.get(`/records/${record.id}/chart.json?buckets=200`);
    const data = JSON.parse(answer.body) as { bands: { label: string }[]; summaryHtml: string };
    expect(untranslatedText(data.summaryHtml, DATE_WORDS)).toEqual([]);
    for (const band of data.bands) expect(untranslatedText(band.label, ['Vertiges', ...DATE_WORDS])).toEqual([]);
  });

  it.skipIf(!poppler.available)('the clinical report of a recording reads in French: headings, labels, "10 h 00" times and decimal commas', async () => {
    const { dana, record } = await scene(app());
    const cookie = [...dana.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await app().app.inject({ method: 'GET', url: `/records/${record.id}/report.pdf`, headers: { cookie, ...FRENCH }, remoteAddress: dana.remoteAddress });
    expect(response.statusCode).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-report-fr-')), 'rapport.pdf');
    fs.writeFileSync(file, response.rawPayload);
    const pages = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split('\f').filter((text) => text.trim() !== '').map((text) => text.replace(/\s+/g, ' '));
    const all = pages.join(' ');
    // The birth is worded once (one key): the PDF writes it as the recording page does.
    const recordPage = await dana.get(`/records/${record.id}`, FRENCH);
    const born = /<span>(N[^<]*1958-03-14[^<]*)<\/span>/.exec(recordPage.body)?.[1]?.replace(/\s+/g, ' ');
    expect(born).toBe('Né·e le 1958-03-14 (68 ans)');
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} de ${pages.length}`);
      expect(text).toContain('No d’étude S-001');
      expect(text).toContain(born);
      expect(text).toContain('sexe féminin');
      expect(text).toContain('Heures du fuseau America/Montreal');
      expect(text).toMatch(/Produit par Dana Scully le mer\. 25 nov\. 2026, \d\d h \d\d HNE/);
    });
    expect(all).toContain('Rapport clinique : enregistrement');
    expect(all).toContain('Résumé par canal');
    expect(all).toContain('Fréquence cardiaque bpm');
    expect(all).toContain('Ventilation minute (L/min)');
    expect(all).toContain('Enregistrement : du mar. 24 nov. 2026, 10 h 00 HNE');
    expect(all).toMatch(/Activité g 0,01 /);
    expect(all).toContain('Fréquence respiratoire (resp./min) 14,2 14,1 14,0');
    expect(all).toContain('Alertes (1, 1 non examinées)');
    expect(all).toContain('Élevée : Tachycardie au repos');
    expect(all).toContain('FC 130 bpm (max. 130) pendant 6 min au repos, activité 0,01 g');
    expect(all).toContain('Symptôme : du mar. 24 nov. 2026, 10 h 20 HNE au mar. 24 nov. 2026, 10 h 25 HNE');
    expect(all).toContain('Graphiques de l’enregistrement');
    // Durations are written by durationText, the number apart from its unit even when both are one letter.
    expect(all).toContain('Zone 1 76–91 bpm 0 s');
    expect(all).toContain('Debout ou assis 1 h');
    expect(all).not.toMatch(/\b\d+[hs]\b/);
    expect(all).not.toContain('Summary per channel');
    expect(all).not.toContain('Heart rate');
  });

  it.skipIf(!poppler.available)('the report of a period reads in French, and its refusals too', async () => {
    const { dana, patientId } = await scene(app());
    const cookie = [...dana.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const get = (url: string) => app().app.inject({ method: 'GET', url, headers: { cookie, ...FRENCH }, remoteAddress: dana.remoteAddress });
    const response = await get(`/patients/${patientId}/report.pdf?from=2026-11-23&to=2026-11-24`);
    expect(response.statusCode).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hms-report-fr-')), 'periode.pdf');
    fs.writeFileSync(file, response.rawPayload);
    const all = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(all).toContain('Rapport clinique : période');
    expect(all).toContain('Jour par jour');
    expect(all).toContain('Graphiques du lun. 23 nov. 2026');
    expect(all).toContain('Aucun enregistrement ce jour-là.');
    const tooLong = await get(`/patients/${patientId}/report.pdf?from=2026-01-01&to=2026-11-24`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('<html lang="fr-CA"');
    expect(tooLong.body).toContain(`Un rapport couvre au plus 31${NBSP}jours${NBSP}: choisissez une période plus courte.`);
  });
});
