// The sign-in benchmark on one database: the password step against the hashing limit, the code
// step, an authenticated page against bare Fastify, latency during a login storm, and memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openContext } from '../../src/bootstrap.js';
import type { PasswordHasher } from '../../src/auth/passwords.js';
import { codeAt } from '../../src/auth/totp.js';
import { newKeyEntry } from '../../src/auth/keyring.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { cookieNames } from '../../src/web/cookies.js';
import { median } from '../stats.js';
import { ratePerSecond, runLoad, type LoadResult, type LoadSpec, type PlannedRequest } from './load-client.js';
import { BENCH_PASSWORD, seedPairedAccounts, startPendingSessions, type PairedAccount } from './seed.js';
import { freePort, startBareServer, startHms, type HmsProcess } from './servers.js';

export interface SignInScale {
  /** Seconds of each saturating run, after a warm-up of a fifth of it. */
  seconds: number;
  /** Code-step requests in the timed run (each a fresh sign-in), after a fifth as many to warm up. */
  verifications: number;
  argon2Samples: number;
  /** Timed scrapes of /metrics, one after another, after the load. */
  scrapes: number;
  /** Seconds the server is left idle after the load before its memory is read again (0: not read). */
  settleSeconds: number;
}

export const FULL_SCALE: SignInScale = { seconds: 10, verifications: 4000, argon2Samples: 30, scrapes: 50, settleSeconds: 30 };
/** `--quick`: every measure, small, in about a minute with both databases. */
export const QUICK_SCALE: SignInScale = { seconds: 1, verifications: 200, argon2Samples: 3, scrapes: 10, settleSeconds: 0 };
export const SMOKE_SCALE: SignInScale = { seconds: 1, verifications: 40, argon2Samples: 3, scrapes: 3, settleSeconds: 1 };

export interface SignInResult {
  database: string;
  cores: number;
  argon2MedianMs: number;
  hashBoundPerSecond: number;
  /** Verifications per second with one running per core, in one process: what the cores really give. */
  parallelHashingPerSecond: number;
  logins: LoadResult & { perSecond: number };
  verifications: LoadResult & { perSecond: number };
  page: LoadResult & { perSecond: number; bytes: number };
  barePage: LoadResult & { perSecond: number };
  storm: { page: LoadResult; logins: LoadResult & { perSecond: number } };
  /** Server resident memory, MiB, idle and after each measure. */
  memory: { label: string; rssMiB: number }[];
  /**
   * Resident memory after a forced full GC, MiB: idle, right after every measure, and after the
   * server has then been left idle for `settleSeconds` (null when not measured).
   */
  memoryAfterGc: { idle: number; end: number; settled: number | null; settleSeconds: number };
  /** GET /metrics on the metrics listener after the load, one at a time, ms. */
  metricsScrape: { samples: number[]; bytes: number };
}

const LOGIN_CONNECTIONS = 8; // twice the hashing threads: the queue never runs dry
const PAGE_CONNECTIONS = 10;
const STORM_PAGE_RATE = 50; // a few dozen clinicians clicking around while the storm goes on
const LOGIN_ACCOUNTS = 16;

export async function benchSignIn(database: string, databaseUrl: string, scale: SignInScale): Promise<SignInResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-'));
  // Request logging off (warn): the comparison with bare Fastify is about HMS's own work. The
  // loopback is a trusted proxy, so the load generator's requests can come from many clients.
  const env = {
    HMS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HMS_LOG_LEVEL: 'warn', HMS_TRUST_PROXY: '127.0.0.1',
    HMS_ENCRYPTION_KEYS: databaseUrl ? newKeyEntry() : '',
    HMS_METRICS_PORT: String(await freePort()),
  };
  const config = loadConfig(env);
  const opened = await openContext(config);
  let server: HmsProcess | undefined;
  try {
    const { ctx } = opened;
    const warmUps = Math.ceil(scale.verifications / 5);
    progress(database, `seeding ${LOGIN_ACCOUNTS + 1 + warmUps + scale.verifications} paired accounts`);
    const [browser, ...loginAccounts] = await seedPairedAccounts(ctx, LOGIN_ACCOUNTS + 1, 'login');
    const verifyAccounts = await seedPairedAccounts(ctx, warmUps + scale.verifications, 'verify');

    progress(database, 'timing Argon2id on an idle machine');
    const cores = os.availableParallelism();
    const argon2MedianMs = await timeArgon2(ctx.passwords, scale.argon2Samples);
    const hashBoundPerSecond = cores / (argon2MedianMs / 1000);
    const parallelHashingPerSecond = await argon2Throughput(ctx.passwords, cores, warmUpSeconds(scale) * 2);

    server = await startHms(env);
    const memory = [{ label: 'idle', rssMiB: server.rssMiB() }];
    const idleAfterGc = await server.rssAfterGcMiB();
    const names = cookieNames(config);
    const csrf = await csrfPair(server.origin, names.csrf);

    progress(database, 'password step');
    const loginRequests: PlannedRequest[] = loginAccounts.map(({ user }) => ({
      path: '/login', cookie: csrf.cookie, body: form({ _csrf: csrf.token, email: user.email, password: BENCH_PASSWORD }),
    }));
    const loginLoad = (seconds: number) => runLoad({
      origin: server!.origin, connections: LOGIN_CONNECTIONS, durationSeconds: seconds, requests: loginRequests, distinctClients: true,
    });
    await loginLoad(warmUpSeconds(scale));
    const logins = withRate(await loginLoad(scale.seconds));
    memory.push({ label: 'after password step', rssMiB: server.rssMiB() });

    progress(database, 'code step');
    const warmUpAccounts = verifyAccounts.slice(0, warmUps);
    const timedAccounts = verifyAccounts.slice(warmUps);
    await verifyInBatches(ctx, server.origin, names.session, csrf, warmUpAccounts);
    const verifications = withRate(await verifyInBatches(ctx, server.origin, names.session, csrf, timedAccounts));
    memory.push({ label: 'after code step', rssMiB: server.rssMiB() });

    progress(database, 'authenticated page and bare Fastify');
    // The cookies a browser sends once signed in: the session, and the CSRF secret it got with the
    // login form (without it, every page would make a new secret and set it: before 2026-12-01 11:00).
    const sessionCookie = `${names.session}=${await signIn(server.origin, names.session, csrf, browser!)}; ${csrf.cookie}`;
    const pageRequests = [{ path: '/', cookie: sessionCookie }];
    const pageLoad = (origin: string, seconds: number, overallRate?: number) =>
      runLoad({ origin, connections: overallRate ? 2 : PAGE_CONNECTIONS, durationSeconds: seconds, overallRate, requests: pageRequests });
    const pageResponse = await fetch(`${server.origin}/`, { headers: { cookie: sessionCookie } });
    const pageBody = await pageResponse.text();
    if (pageResponse.status !== 200 || !pageBody.includes('Patients')) throw new Error(`GET / did not show the patients page (${pageResponse.status})`);
    if (pageResponse.headers.getSetCookie().length > 0) throw new Error(`GET / set a cookie a browser would already hold: ${pageResponse.headers.getSetCookie().map((line) => line.split('=')[0]).join(', ')}`);
    await pageLoad(server.origin, warmUpSeconds(scale));
    const page = { ...withRate(await pageLoad(server.origin, scale.seconds)), bytes: Buffer.byteLength(pageBody) };
    memory.push({ label: 'after authenticated page', rssMiB: server.rssMiB() });

    const bare = await startBareServer(pageBody, pageResponse.headers.get('content-type')!);
    let barePage: SignInResult['barePage'];
    try {
      await pageLoad(bare.origin, warmUpSeconds(scale));
      barePage = withRate(await pageLoad(bare.origin, scale.seconds));
    } finally {
      await bare.stop();
    }

    progress(database, 'authenticated page during a login storm');
    // Twice as long as the other runs: at 50 pages/s a p99 of 10 s would rest on its 5 slowest answers.
    const [stormPage, stormLogins] = await Promise.all([pageLoad(server.origin, 2 * scale.seconds, STORM_PAGE_RATE), loginLoad(2 * scale.seconds)]);
    memory.push({ label: 'after login storm', rssMiB: server.rssMiB() });

    progress(database, '/metrics scrapes');
    const metricsUrl = `http://127.0.0.1:${env.HMS_METRICS_PORT}/metrics`;
    let bytes = 0;
    const scrapeSamples: number[] = [];
    for (let i = 0; i < scale.scrapes + 2; i++) {
      const start = performance.now();
      const response = await fetch(metricsUrl);
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      if (i >= 2) scrapeSamples.push(performance.now() - start); // two to warm up
      bytes = Buffer.byteLength(text);
    }
    const endAfterGc = await server.rssAfterGcMiB();
    // Right after the load V8 still holds the old-space pages the load fragmented; left idle, its
    // memory reducer compacts them within seconds. What a server keeps once the load has passed
    // is the figure an operator sees, so it is read too (the target is judged on it).
    let settledAfterGc: number | null = null;
    if (scale.settleSeconds > 0) {
      progress(database, `idle for ${scale.settleSeconds} s, then memory`);
      await new Promise((resolve) => setTimeout(resolve, scale.settleSeconds * 1000));
      settledAfterGc = await server.rssAfterGcMiB();
    }

    return {
      database, cores, argon2MedianMs, hashBoundPerSecond, parallelHashingPerSecond, logins, verifications, page, barePage,
      storm: { page: stormPage, logins: withRate(stormLogins) }, memory,
      memoryAfterGc: { idle: idleAfterGc, end: endAfterGc, settled: settledAfterGc, settleSeconds: scale.settleSeconds }, metricsScrape: { samples: scrapeSamples, bytes },
    };
  } finally {
    await server?.stop();
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function warmUpSeconds(scale: SignInScale): number {
  return Math.max(1, Math.round(scale.seconds / 5));
}

/** A successful step answers 303 (on to the next step); a page answers 200. */
function withRate<T extends LoadResult>(result: T): T & { perSecond: number } {
  const success = result.statusCodes['303'] !== undefined ? 303 : 200;
  return { ...result, perSecond: ratePerSecond(result, success) };
}

async function timeArgon2(passwords: PasswordHasher, samples: number): Promise<number> {
  const passwordHash = await passwords.hash(BENCH_PASSWORD);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    if (!(await passwords.verify(passwordHash, BENCH_PASSWORD))) throw new Error('Argon2id verification failed');
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Verifications per second with `parallel` of them running at once, for `seconds`. */
async function argon2Throughput(passwords: PasswordHasher, parallel: number, seconds: number): Promise<number> {
  const passwordHash = await passwords.hash(BENCH_PASSWORD);
  const start = performance.now();
  const end = start + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (performance.now() < end) {
      await passwords.verify(passwordHash, BENCH_PASSWORD);
      done += 1;
    }
  }));
  return done / ((performance.now() - start) / 1000);
}

export interface CsrfPair { cookie: string; token: string }

/** A CSRF cookie and a token of the login form, as a browser gets them from GET /login. */
export async function csrfPair(origin: string, cookieName: string): Promise<CsrfPair> {
  const response = await fetch(`${origin}/login`);
  const html = await response.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]!).find((pair) => pair.startsWith(`${cookieName}=`));
  if (!token || !cookie) throw new Error('GET /login gave no CSRF token and cookie');
  return { cookie, token };
}

/**
 * The code step in batches of VERIFY_BATCH sign-ins, each with codes of the moment it starts: a
 * code is accepted for its 30-s step and the next, and on a loaded machine 4,000 sign-ins can
 * take longer than that. Throughput over the batches' time; p50 the batches' median, p99 their worst.
 */
async function verifyInBatches(ctx: AppContext, origin: string, sessionCookie: string, csrf: CsrfPair, accounts: readonly PairedAccount[]): Promise<LoadResult> {
  const results: LoadResult[] = [];
  for (let start = 0; start < accounts.length; start += VERIFY_BATCH) {
    results.push(await runLoad(await verifyLoad(ctx, origin, sessionCookie, csrf, accounts.slice(start, start + VERIFY_BATCH))));
  }
  const statusCodes: Record<string, number> = {};
  for (const result of results) for (const [status, count] of Object.entries(result.statusCodes)) statusCodes[status] = (statusCodes[status] ?? 0) + count;
  return {
    seconds: results.reduce((sum, result) => sum + result.seconds, 0),
    completed: results.reduce((sum, result) => sum + result.completed, 0),
    statusCodes,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    p50: median(results.map((result) => result.p50)),
    p99: Math.max(...results.map((result) => result.p99)),
  };
}

const VERIFY_BATCH = 1000;

/** Code-step requests, one per account: a fresh password-only session and its current code. */
export async function verifyLoad(ctx: AppContext, origin: string, sessionCookie: string, csrf: CsrfPair, accounts: readonly PairedAccount[]): Promise<LoadSpec> {
  const tokens = await startPendingSessions(ctx, accounts);
  const now = Date.now(); // the code of the current step; the server accepts it for a step more
  const requests = accounts.map(({ secret }, i) => ({
    path: '/mfa/verify',
    cookie: `${sessionCookie}=${tokens[i]}; ${csrf.cookie}`,
    body: form({ _csrf: csrf.token, code: codeAt(secret, now) }),
  }));
  return { origin, connections: LOGIN_CONNECTIONS, amount: requests.length, requests };
}

/** Both steps over HTTP, as a user: returns the signed-in session token. */
export async function signIn(origin: string, sessionCookie: string, csrf: CsrfPair, account: PairedAccount): Promise<string> {
  const post = async (url: string, cookie: string, fields: Record<string, string>) => {
    const response = await fetch(`${origin}${url}`, {
      method: 'POST', redirect: 'manual', body: form({ _csrf: csrf.token, ...fields }),
      // An address of its own (the loopback is a trusted proxy): failures of the load, if any, do not hold it up.
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '10.255.255.254' },
    });
    const session = response.headers.getSetCookie().map((line) => line.split(';')[0]!).find((pair) => pair.startsWith(`${sessionCookie}=`));
    if (response.status !== 303 || !session) throw new Error(`${url} answered ${response.status} without a session`);
    return session.slice(sessionCookie.length + 1);
  };
  const pending = await post('/login', csrf.cookie, { email: account.user.email, password: BENCH_PASSWORD });
  return post('/mfa/verify', `${sessionCookie}=${pending}; ${csrf.cookie}`, { code: codeAt(account.secret, Date.now()) });
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function progress(database: string, step: string): void {
  console.error(`[sign-in, ${database}] ${step}…`);
}
