// In-process A/B of the signed-in page's two cheaper steps (issue #17), old and new code in the
// same process, rounds interleaved (order alternating), medians:
//   worklist: the worklist's page and count statements built and compiled by Kysely on every call
//     (as before) against compiled once per database handle and run with parameters only;
//   log: a child logger per signed-in request (as before) against the account kept on the
//     request's logger and added by pino's mixin to the lines written only (request lines at `warn`).
//   page (with HMS_AB_OLD=<dist folder of an older build>): the whole signed-in `GET /`, old build
//     against this one (or against HMS_AB_NEW=<another dist folder>).
// `npm run build && node dist/bench/page-ab.js` (HMS_BENCH_DATABASE_URL=postgres://… for PostgreSQL).
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino from 'pino';
import { openContext } from '../src/bootstrap.js';
import { newKeyEntry } from '../src/auth/keyring.js';
import { startRememberedSession } from '../src/auth/sessions.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { createPatient } from '../src/health/patients.js';
import { runWorklistStatements, worklistStatements, type WorklistShape, type WorklistValues } from '../src/health/worklist-statements.js';
import { loggerOptions } from '../src/log.js';
import { buildApp } from '../src/server.js';
import { cookieNames } from '../src/web/cookies.js';
import { bindUserToLog } from '../src/web/session.js';
import { withPostgresSchema } from './postgres-schema.js';
import { seedPairedAccounts } from './sign-in/seed.js';
import { median } from './stats.js';

const ROUNDS = Number(process.env.HMS_AB_ROUNDS ?? 10);

/** µs per call of each side, `rounds` rounds of `calls` calls each, sides alternating which goes first. */
async function ab(name: string, calls: number, old: () => Promise<unknown>, now: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < calls / 5; i++) { await old(); await now(); } // warm-up
  const times: { old: number[]; now: number[] } = { old: [], now: [] };
  const run = async (side: 'old' | 'now') => {
    const fn = side === 'old' ? old : now;
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn();
    times[side].push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  };
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) { await run('old'); await run('now'); } else { await run('now'); await run('old'); }
  }
  const [a, b] = [median(times.old), median(times.now)];
  console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(2)} | ${ROUNDS} × ${calls} |`);
}

async function worklistAb(ctx: AppContext, label: string): Promise<void> {
  const clinician: WorklistValues = { viewerId: 'no-such-clinician', pattern: '%%', flaggedSince: Date.now() - 7 * 86_400_000, limit: 50, offset: 0 };
  const bare: WorklistShape = { everyPatient: false, searching: false, filter: 'all', sort: 'triage' };
  const before = (shape: WorklistShape, values: WorklistValues) => async () => {
    const { page, count } = worklistStatements(ctx.db, shape, values);
    await Promise.all([page.execute(), count.executeTakeFirstOrThrow()]);
  };
  const after = (shape: WorklistShape, values: WorklistValues) => () => runWorklistStatements(ctx.db, shape, values);
  await ab(`${label}: worklist page + count, clinician with no patients (the bench's \`GET /\`)`, 2000, before(bare, clinician), after(bare, clinician));
  for (let i = 0; i < 30; i++) await createPatient(ctx, { name: `Patient ${String(i).padStart(2, '0')}`, dateOfBirth: '1950-01-01', sex: 'female' });
  const admin: WorklistShape = { everyPatient: true, searching: true, filter: 'flagged', sort: 'name' };
  await ab(`${label}: worklist page + count, admin, 30 patients, search + filter "flagged"`, 500,
    before(admin, { ...clinician, pattern: '%patient%' }), after(admin, { ...clinician, pattern: '%patient%' }));
}

/**
 * The logger's work for one signed-in request at `warn`: the child Fastify makes per request, naming
 * the account, and the request line (off at `warn`). Through pino directly: behind Fastify's inject
 * (about 40 µs a request) the difference was inside the noise of separate app instances.
 */
function logAb(): Promise<void> {
  const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  const { mixin: _mixin, ...before } = loggerOptions('warn');
  const [oldRoot, newRoot] = [pino(before, sink()), pino(loggerOptions('warn'), sink())];
  let request = 0;
  const fake = { log: null as unknown } as FastifyRequest;
  return ab('request logger: child per signed-in request → account on the request\'s logger, pino mixin (level `warn`)', 100_000, async () => {
    const log = oldRoot.child({ reqId: `r${request++}` }).child({ userId: 'a-user-id' }); // the code before
    log.info({ statusCode: 200 }, 'request completed');
  }, async () => {
    fake.log = newRoot.child({ reqId: `r${request++}` });
    bindUserToLog(fake, 'a-user-id');
    fake.log.info({ statusCode: 200 }, 'request completed');
  });
}

/**
 * The whole signed-in `GET /` through Fastify's inject (no socket), the build of an older commit
 * (HMS_AB_OLD: its dist folder, e.g. of `git archive <commit>` built with tsc) against this one,
 * both apps on the same database and the same session.
 */
async function pageAb(ctx: AppContext, label: string, oldDist: string, newDist: string | undefined): Promise<void> {
  const builder = async (dist: string) => (await import(path.join(path.resolve(dist), 'src/server.js')) as { buildApp: typeof buildApp }).buildApp;
  const buildOld = await builder(oldDist);
  const buildNew = newDist ? await builder(newDist) : buildApp;
  const [account] = await seedPairedAccounts(ctx, 1, 'ab');
  const token = await startRememberedSession(ctx, account!.user.id, { clientIp: '127.0.0.1', userAgent: 'hms-ab' });
  const cookie = `${cookieNames(ctx.config).session}=${token}`;
  const [old, now] = [await buildOld(ctx), await buildNew(ctx)];
  await Promise.all([old.ready(), now.ready()]);
  const get = (app: FastifyInstance) => async () => {
    const page = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
    if (page.statusCode !== 200) throw new Error(`GET / answered ${page.statusCode}`);
  };
  await ab(`${label}: signed-in \`GET /\` (clinician, no patients), inject, whole page`, 1000, get(old), get(now));
  await Promise.all([old.close(), now.close()]);
}

async function main(databaseUrl: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-ab-'));
  const config = loadConfig({ HMS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HMS_LOG_LEVEL: 'warn', HMS_ENCRYPTION_KEYS: databaseUrl ? newKeyEntry() : '' });
  const opened = await openContext(config);
  try {
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, ${os.cpus().length} cores`);
    console.log('| measure | old µs | new µs | new ÷ old | rounds × calls |\n|---|---:|---:|---:|---|');
    const label = databaseUrl ? 'PostgreSQL' : 'SQLite';
    if (process.env.HMS_AB_OLD) await pageAb(opened.ctx, label, process.env.HMS_AB_OLD, process.env.HMS_AB_NEW);
    await worklistAb(opened.ctx, label);
    if (!databaseUrl) await logAb();
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const url = process.env.HMS_BENCH_DATABASE_URL;
await (url ? withPostgresSchema(url, main) : main(''));
