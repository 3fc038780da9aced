// The load generator, run in its own process so that its CPU is not the server's event loop:
//   node dist/bench/sign-in/load.js SPEC.json
// Sends the spec's requests in turn (each one once, when there are as many as the amount) and
// prints one JSON line with the throughput, latency and status codes.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load-client.js';

const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
let next = 0;

const started = performance.now();
let lastResponseAt = started;
const run = autocannon({
  url: spec.origin,
  connections: spec.connections,
  // autocannon refuses a key that is present but undefined
  ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds }),
  ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
  timeout: 30,
  requests: [{
    setupRequest: (request) => {
      const n = next++;
      const planned = spec.requests[n % spec.requests.length]!;
      const headers: Record<string, string> = { cookie: planned.cookie };
      if (spec.distinctClients) headers['x-forwarded-for'] = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      if (planned.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      return { ...request, method: planned.body === undefined ? 'GET' : 'POST', path: planned.path, headers, body: planned.body };
    },
  }],
});
// autocannon notices that the last request is answered at its next one-second tick, and its own
// duration counts those ticks: ±1 s on a run of a few seconds. The clock stops at the last answer.
run.on('response', () => {
  lastResponseAt = performance.now();
});
const result = await run;
const seconds = (lastResponseAt - started) / 1000;

const statusCodes: Record<string, number> = {};
for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[status] = Number(count);
const output: LoadResult = {
  seconds,
  completed: result.requests.total,
  statusCodes,
  errors: result.errors + result.timeouts,
  p50: result.latency.p50,
  p99: result.latency.p99,
};
process.stdout.write(`${JSON.stringify(output)}\n`);
