import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { openContext } from './dist/src/bootstrap.js';
import { loadConfig } from './dist/src/config.js';
import { seedPairedAccounts, BENCH_PASSWORD } from './dist/bench/sign-in/seed.js';
import { startHms } from './dist/bench/sign-in/servers.js';
import { runLoad } from './dist/bench/sign-in/load-client.js';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-prof-'));
const env = { HMS_DATA_DIR: dataDir, DATABASE_URL: process.env.DB ?? '', HMS_LOG_LEVEL: 'warn', ...(process.env.UVT ? { UV_THREADPOOL_SIZE: process.env.UVT } : {}) };
const opened = await openContext(loadConfig(env));
const accts = await seedPairedAccounts(opened.ctx, 16, 'p');
const server = await startHms(env);
const r = await fetch(server.origin + '/login'); const html = await r.text();
const token = /name="_csrf" value="([^"]+)"/.exec(html)[1];
const csrf = r.headers.getSetCookie().map(l => l.split(';')[0]).find(p => p.startsWith('hms_csrf='));
const requests = accts.map(a => ({ path: '/login', cookie: csrf, body: new URLSearchParams({ _csrf: token, email: a.user.email, password: BENCH_PASSWORD }).toString() }));
await runLoad({ origin: server.origin, connections: 8, durationSeconds: 2, requests });
for (let i = 0; i < 2; i++) { const res = await runLoad({ origin: server.origin, connections: 8, durationSeconds: 10, requests }); console.log(process.env.UVT ?? 'default', (res.statusCodes['303'] / res.seconds).toFixed(1), res.p50, res.p99); }
await server.stop(); await opened.close();
