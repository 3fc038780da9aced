// For tests that run HMS as a real process (`hms serve`), where surviving is the point: seed a
// clinician with a patient and a recording through the domain functions, sign in over real HTTP
// with the real clock, and upload recordings the way the patient page's form does.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createAccount } from '../../src/auth/accounts.js';
import { codeAt } from '../../src/auth/totp.js';
import { openContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv } from '../../src/health/import.js';
import { createPatient } from '../../src/health/patients.js';
import { csrfTokenIn, httpTo, TestBrowser } from './browser-client.js';
import { plausible, recordingOf, streamOf } from './health.js';
import { secretFromSetupPage, type TestAccount } from './sign-in.js';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A key both the seeding test process and the served HMS use. */
export function sharedKeyEnv(): Record<string, string> {
  return { HMS_ENCRYPTION_KEYS: `shared:${randomBytes(32).toString('base64')}` };
}

export interface Seeded {
  account: TestAccount;
  patientId: string;
  recordId: string;
}

/** A clinician, a patient in her care and one recording, written straight into the database `env` names. */
export async function seedClinicianWithRecording(env: Record<string, string>): Promise<Seeded> {
  const opened = await openContext(loadConfig({ ...env, HMS_LOG_LEVEL: 'silent' }));
  try {
    const { ctx } = opened;
    const account = { email: `served.${randomBytes(4).toString('hex')}@clinic.example`, password: 'a served clinician passphrase', name: 'Served Clinician' };
    const user = await createAccount(ctx, { ...account, role: 'clinician' });
    const patient = await createPatient(ctx, { name: 'Rosa Ruiz', dateOfBirth: '1966-06-06', sex: 'female', heightCm: 160, weightKg: 58.5 });
    await assignClinician(ctx, patient.id, user.id);
    const imported = await importCsv(ctx, patient.id, streamOf(hourCsv(0)));
    return { account, patientId: patient.id, recordId: imported.record.id };
  } finally {
    await opened.close();
  }
}

/** Recordings that differ by their start (so none is a duplicate of another): `hours` of 1 Hz data. */
export function hourCsv(n: number, hours = 1): string {
  return recordingToCsv(recordingOf(Date.UTC(2026, 9, 1) + n * 7 * 86_400_000, hours * 3600, plausible));
}

/** Password, pairing with the code of this moment, recovery codes saved: a browser at the dashboard. */
export async function signInOverHttp(base: string, account: TestAccount): Promise<TestBrowser> {
  const browser = new TestBrowser(httpTo(base));
  await browser.get('/login');
  expect((await browser.post('/login', { email: account.email, password: account.password })).location).toBe('/mfa/setup');
  account.secret = secretFromSetupPage((await browser.get('/mfa/setup')).body);
  const paired = await browser.post('/mfa/setup', { code: codeAt(account.secret, Date.now()) });
  expect(paired.status).toBe(303);
  await browser.follow(paired);
  expect((await browser.post('/account/security/recovery-codes/saved', { saved: 'on', next: '/' })).location).toBe('/');
  return browser;
}

export function cookieHeader(browser: TestBrowser): string {
  return [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

export interface Answer {
  url: string;
  status: number;
  body: string;
  location: string | null;
  startedAt: number;
  ms: number;
}

/** Uploads a CSV with the patient page's form (the browser's last page must be that patient's page). */
export async function uploadOverHttp(base: string, browser: TestBrowser, patientId: string, csv: string): Promise<Answer> {
  const boundary = `----hms-served-${randomBytes(6).toString('hex')}`;
  const body = Buffer.from([
    `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfTokenIn(browser.lastPage)}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="recording.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
    `--${boundary}--\r\n`,
  ].join(''));
  return timedFetch(`${base}/patients/${patientId}/records`, {
    method: 'POST', body, headers: { cookie: cookieHeader(browser), 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** A request and how long it took; a network error or no answer within 20 s is status 0. */
export async function timedFetch(url: string, init: RequestInit = {}): Promise<Answer> {
  const startedAt = Date.now();
  try {
    const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(20_000), ...init });
    const body = await response.text();
    return { url, status: response.status, body, location: response.headers.get('location'), startedAt, ms: Date.now() - startedAt };
  } catch (error) {
    return { url, status: 0, body: String(error), location: null, startedAt, ms: Date.now() - startedAt };
  }
}

/** `workers` loops fetching `urls` in turn until stop() is called; every answer is kept. */
export function loadLoop(urls: string[], headers: Record<string, string>, workers = 6): { answers: Answer[]; stop(): Promise<Answer[]> } {
  const answers: Answer[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = worker; running; i += 1) answers.push(await timedFetch(urls[i % urls.length]!, { headers }));
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}
