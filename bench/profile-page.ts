// Where the signed-in page's time goes: `npm run build && node dist/bench/profile-page.js`
// (HMS_BENCH_DATABASE_URL=postgres://… for PostgreSQL). Starts HMS with a V8 CPU profile, loads
// `GET /` (the bench's page: a clinician with no patients) over 10 connections for 8 s, and prints
// the server's CPU time by part: session lookup, queries, rendering, Fastify and its hooks…
// `node dist/bench/profile-page.js code-step` does the same for the code step: 3,000 successful
// `POST /mfa/verify` (fresh password-only sessions, as the benchmark's measure 2) over 8 connections.
// `node dist/bench/profile-page.js storm`: `GET /` at 50/s for 20 s while 8 connections sign in with
// the right password (the benchmark's measure 4), printing the page's p50 and p99 and the logins/s.
// HMS_PROFILE=off: the throughput alone, without the profiler's cost (to compare two builds, run
// alternately: `node dist-old/bench/profile-page.js` and `node dist/bench/profile-page.js`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openContext } from '../src/bootstrap.js';
import { newKeyEntry } from '../src/auth/keyring.js';
import { loadConfig } from '../src/config.js';
import { cookieNames } from '../src/web/cookies.js';
import { withPostgresSchema } from './postgres-schema.js';
import { runLoad, type LoadResult } from './sign-in/load-client.js';
import { BENCH_PASSWORD, seedPairedAccounts } from './sign-in/seed.js';
import { startHms } from './sign-in/servers.js';
import { csrfPair, signIn, verifyLoad } from './sign-in/sign-in-bench.js';

const codeStep = process.argv[2] === 'code-step';
const storm = process.argv[2] === 'storm';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

/** The part of the server a function belongs to, by its file. */
function partOf(url: string, name: string): string | null {
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)') return 'V8 and native, unattributed';
  if (url === '') return null; // a native function: the part of its caller
  if (/\/src\/auth\/sessions\.js|\/src\/web\/session\.js|\/src\/web\/guards\.js/.test(url)) return 'session lookup (HMS code)';
  if (/\/src\/auth\/(?:sign-in-code|totp(?:-credentials)?|keyring|secret-box|tokens)/.test(url)) return 'code check (HMS code: TOTP, secret, tokens)';
  if (/node_modules\/(?:kysely|better-sqlite3|pg|pg-protocol|pg-pool)\/|\/src\/db\//.test(url)) return 'queries (Kysely, driver, database)';
  if (/node_modules\/preact|\/src\/web\/(?:views|patients|triage)\/|\/src\/web\/render\.js/.test(url)) return 'rendering (Preact, views)';
  if (/node_modules\/(?:@fastify\/(?:helmet|csrf-protection|cookie|formbody)|helmet|cookie)\//.test(url)) return 'hooks: security headers, CSRF, cookies';
  if (/node_modules\/(?:fastify|find-my-way|avvio|light-my-request|fast-json-stringify|@fastify\/|fast-querystring|pino|abstract-logging|zod)/.test(url)) return 'Fastify, logging, validation';
  if (/\/src\//.test(url)) return 'other HMS code (worklist, metrics…)';
  if (url.startsWith('node:')) return 'Node.js (HTTP, streams, crypto)';
  return 'other libraries';
}

/** CPU time by part, of the samples between `from` and `to` (µs of the monotonic clock, as V8 stamps them). */
export function summarize(profile: Profile, from: number, to: number): { part: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const partCache = new Map<number, string>();
  const part = (id: number): string => {
    const cached = partCache.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const own = partOf(node.callFrame.url, node.callFrame.functionName);
    const up = parent.get(id);
    const result = own ?? (up === undefined ? 'V8 and native, unattributed' : part(up));
    partCache.set(id, result);
    return result;
  };
  const totals = new Map<string, number>();
  const functions = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from || at > to) return;
    totals.set(part(id), (totals.get(part(id)) ?? 0) + delta / 1000);
    const { functionName, url } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')}`;
    functions.set(name, (functions.get(name) ?? 0) + delta / 1000);
  });
  // HMS_PROFILE_TOP=N: the N functions with the most CPU time of their own, to look further.
  const top = Number(process.env.HMS_PROFILE_TOP ?? 0);
  for (const [name, ms] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(0).padStart(6)} ms  ${name}`);
  totals.delete('idle');
  const busy = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
  return [...totals].map(([name, ms]) => ({ part: name, ms, share: ms / busy })).sort((a, b) => b.ms - a.ms);
}

async function profilePage(databaseUrl: string): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-profile-'));
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-cpu-'));
  const env = {
    HMS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, HMS_LOG_LEVEL: 'warn', HMS_TRUST_PROXY: '127.0.0.1',
    HMS_ENCRYPTION_KEYS: databaseUrl ? newKeyEntry() : '',
  };
  const config = loadConfig(env);
  const opened = await openContext(config);
  try {
    const [account] = await seedPairedAccounts(opened.ctx, 1, 'profile');
    const verifiers = codeStep ? await seedPairedAccounts(opened.ctx, 3500, 'verify') : [];
    const crowd = storm ? await seedPairedAccounts(opened.ctx, 16, 'login') : [];
    const profiled = process.env.HMS_PROFILE !== 'off';
    if (profiled) process.env.HMS_BENCH_CPU_PROF = profileDir;
    const server = await startHms(env);
    const names = cookieNames(config);
    const csrf = await csrfPair(server.origin, names.csrf);
    let from: number;
    let load: LoadResult;
    if (codeStep) {
      await runLoad(await verifyLoad(opened.ctx, server.origin, names.session, csrf, verifiers.slice(0, 500))); // warm-up
      const timed = await verifyLoad(opened.ctx, server.origin, names.session, csrf, verifiers.slice(500));
      from = Number(process.hrtime.bigint() / 1000n);
      load = await runLoad(timed);
    } else if (storm) {
      const cookie = `${names.session}=${await signIn(server.origin, names.session, csrf, account!)}; ${csrf.cookie}`;
      const logins = (seconds: number) => runLoad({
        origin: server.origin, connections: 8, durationSeconds: seconds, distinctClients: true,
        requests: crowd.map(({ user }) => ({ path: '/login', cookie: csrf.cookie, body: new URLSearchParams({ _csrf: csrf.token, email: user.email, password: BENCH_PASSWORD }).toString() })),
      });
      const pages = (seconds: number) => runLoad({ origin: server.origin, connections: 2, durationSeconds: seconds, overallRate: 50, requests: [{ path: '/', cookie }] });
      await Promise.all([pages(2), logins(2)]); // warm-up
      from = Number(process.hrtime.bigint() / 1000n);
      const [page, signIns] = await Promise.all([pages(20), logins(20)]);
      load = page;
      console.log(`storm: GET / p50 ${page.p50} ms, p99 ${page.p99} ms (${page.statusCodes['200'] ?? 0} pages); ${((signIns.statusCodes['303'] ?? 0) / signIns.seconds).toFixed(1)} logins/s`);
    } else {
      const cookie = `${names.session}=${await signIn(server.origin, names.session, csrf, account!)}; ${csrf.cookie}`; // as a browser: with its CSRF secret
      await runLoad({ origin: server.origin, connections: 10, durationSeconds: 2, requests: [{ path: '/', cookie }] }); // warm-up
      from = Number(process.hrtime.bigint() / 1000n);
      load = await runLoad({ origin: server.origin, connections: 10, durationSeconds: 8, requests: [{ path: '/', cookie }] });
    }
    const to = Number(process.hrtime.bigint() / 1000n);
    await server.stop();
    const pages = load.statusCodes[codeStep ? '303' : '200'] ?? 0;
    const what = codeStep ? 'sign-ins' : 'pages';
    console.log(`${databaseUrl ? 'PostgreSQL' : 'SQLite'}: ${pages} ${what} in ${load.seconds.toFixed(1)} s (${(pages / load.seconds).toFixed(0)}/s)${profiled ? ', the server\'s CPU during that load' : ''}`);
    if (!profiled) return;
    const file = fs.readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'))!;
    const rows = summarize(JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as Profile, from, to);
    console.log(`| part | CPU ms | share of busy time | µs per ${codeStep ? 'sign-in' : 'page'} |\n|---|---:|---:|---:|`);
    for (const row of rows) console.log(`| ${row.part} | ${row.ms.toFixed(0)} | ${(row.share * 100).toFixed(1)} % | ${(row.ms * 1000 / pages).toFixed(0)} |`);
  } finally {
    await opened.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

const url = process.env.HMS_BENCH_DATABASE_URL;
await (url ? withPostgresSchema(url, profilePage) : profilePage(''));
