// `node dist/bench/forgot-password.js [N]`: how long "Forgot your password?" takes to answer for an
// address with an account and for one without, in one process on a fresh SQLite file with a mail
// server set (the message is only queued: nothing waits for SMTP). The two must not differ in a
// way someone could measure; the answer is padded to FORGOT_ANSWER_MS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAccount } from '../src/auth/accounts.js';
import { openContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/server.js';
import { percentile } from './stats.js';

const rounds = Number(process.argv[2] ?? 40);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hms-bench-forgot-'));
const config = loadConfig({ HMS_DATA_DIR: dataDir, HMS_LOG_LEVEL: 'silent', HMS_SMTP_URL: 'smtp://127.0.0.1:9', HMS_PUBLIC_URL: 'https://hms.example.org' });
const opened = await openContext(config);
const app = await buildApp(opened.ctx);
await app.ready();
await app.mail?.stop(); // nothing is sent: only the request path is timed
await createAccount(opened.ctx, { email: 'known@clinic.example', name: 'Known Person', role: 'clinician', password: 'correct horse battery staple' });

async function ask(email: string, client: number): Promise<number> {
  const page = await app.inject({ method: 'GET', url: '/password/forgot', remoteAddress: `10.0.${client >> 8}.${client & 255}` });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const started = performance.now();
  const answer = await app.inject({ method: 'POST', url: '/password/forgot', remoteAddress: `10.0.${client >> 8}.${client & 255}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload: new URLSearchParams({ email, _csrf: token }).toString() });
  if (answer.statusCode !== 200) throw new Error(`answered ${answer.statusCode}`);
  return performance.now() - started;
}

const known: number[] = [];
const unknown: number[] = [];
for (let i = 0; i < rounds; i++) {
  // Interleaved, each from its own address; the known address's hourly limit is lifted between rounds.
  await opened.ctx.db.deleteFrom('password_reset_requests').execute();
  known.push(await ask('known@clinic.example', 2 * i));
  unknown.push(await ask(`nobody${i}@clinic.example`, 2 * i + 1));
}
const row = (label: string, samples: number[]) =>
  `| ${label} | ${rounds} | ${percentile(samples, 0.5).toFixed(1)} | ${percentile(samples, 0.9).toFixed(1)} | ${Math.max(...samples).toFixed(1)} |`;
console.log('| address | requests | median ms | p90 ms | max ms |\n|---|---|---|---|---|');
console.log(row('has an account (link queued)', known));
console.log(row('has none', unknown));
await app.close();
await opened.close();
fs.rmSync(dataDir, { recursive: true, force: true });
