// What HMS tells Prometheus. One registry per process (like the process's log): every app and
// database this process opens counts into it, and the metrics listener serves it. Labels carry
// route patterns, steps and kinds, never an id, an email or an address: their values are few.
import { DATABASE_FAULTS, type DatabaseFault } from '../db/faults.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PoolStats } from '../db/pool-stats.js';

export const registry = new Registry();

// Node's own numbers (CPU, memory, event-loop lag, GC). prom-client also exports three sums
// named *_total that are gauges, which promtool rejects (a _total suffix promises a counter):
// they are dropped, since each is the sum over the by-type gauge of the same name.
collectDefaultMetrics({ register: registry });
for (const redundant of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
  registry.removeSingleMetric(redundant);
}

new Gauge({
  name: 'hms_build_info',
  help: 'Always 1; the label says which Node.js version runs this process.',
  labelNames: ['node'],
  registers: [registry],
}).set({ node: process.versions.node }, 1);

export const httpRequestDuration = new Histogram({
  name: 'hms_http_request_duration_seconds',
  help: 'Time from request to response, by route pattern (never a raw path), method and status code.',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const SIGN_IN_STEPS = ['password', 'code', 'recovery_code', 'security_key'] as const;
export type SignInStep = (typeof SIGN_IN_STEPS)[number];
/**
 * ok: the factor was right; wrong: it was checked and wrong (a replayed code too); limited: an
 * attempt limit refused it before any check; locked: the account's second factor is locked;
 * disabled: right password, disabled account.
 */
export const SIGN_IN_RESULTS = ['ok', 'wrong', 'limited', 'locked', 'disabled'] as const;
export type SignInResult = (typeof SIGN_IN_RESULTS)[number];

const signIns = new Counter({
  name: 'hms_sign_in_attempts_total',
  help: 'Sign-in attempts by step (password, code, recovery_code, security_key) and result (ok, wrong, limited, locked, disabled).',
  labelNames: ['step', 'result'],
  registers: [registry],
});

export const ATTEMPT_LIMITS = ['password_delay', 'client_address', 'password_checks', 'known_browser', 'sign_in_attempts', 'second_factor_lock'] as const;
export type AttemptLimit = (typeof ATTEMPT_LIMITS)[number];

const attemptRefusals = new Counter({
  name: 'hms_attempt_limit_refusals_total',
  help: 'Attempts refused unchecked by a limit: password_delay (per email), client_address, sign_in_attempts (5 per sign-in), second_factor_lock (per account).',
  labelNames: ['limit'],
  registers: [registry],
});

const databaseErrors = new Counter({
  name: 'hms_database_errors_total',
  help: 'Database errors met while serving, by kind.',
  labelNames: ['kind'],
  registers: [registry],
});

export const IMPORT_RESULTS = ['created', 'duplicate', 'refused', 'failed'] as const;
export type ImportResultLabel = (typeof IMPORT_RESULTS)[number];

const imports = new Counter({
  name: 'hms_imports_total',
  help: 'Recording imports by result: created, duplicate (already stored, nothing written), refused (bad file or patient), failed (any other error, e.g. the database).',
  labelNames: ['result'],
  registers: [registry],
});

const importedRows = new Counter({
  name: 'hms_import_rows_total',
  help: 'CSV rows (seconds of recording) stored by imports that created a recording.',
  registers: [registry],
});

const importDuration = new Histogram({
  name: 'hms_import_duration_seconds',
  help: 'Time an import took, from the first byte read to the commit, by result.',
  labelNames: ['result'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

// The databases this process has open (normally one), read at each scrape.
const databases = new Set<() => PoolStats>();

function poolGauge(name: string, help: string, pick: (stats: PoolStats) => number): void {
  new Gauge({
    name, help, registers: [registry],
    collect() {
      let total = 0;
      for (const stats of databases) total += pick(stats());
      this.set(total);
    },
  });
}

poolGauge('hms_database_pool_connections', 'Open database connections (SQLite: its one connection).', (s) => s.size);
poolGauge('hms_database_pool_idle_connections', 'Open database connections not running a query or transaction.', (s) => s.idle);
poolGauge('hms_database_pool_waiting_queries', 'Queries waiting for a free database connection.', (s) => s.waiting);
poolGauge('hms_database_pool_max_connections', 'The most connections the pool opens (SQLite: 1).', (s) => s.max);

/** Reports this database's connections until the returned function is called (at close). */
export function observeDatabase(stats: () => PoolStats): () => void {
  databases.add(stats);
  return () => databases.delete(stats);
}

// Every combination starts at 0, so that rate() and alerts work before the first event.
for (const step of SIGN_IN_STEPS) for (const result of SIGN_IN_RESULTS) signIns.labels(step, result);
for (const limit of ATTEMPT_LIMITS) attemptRefusals.labels(limit);
for (const result of IMPORT_RESULTS) imports.labels(result);
for (const kind of DATABASE_FAULTS) databaseErrors.labels(kind);

export function countSignIn(step: SignInStep, result: SignInResult): void {
  signIns.inc({ step, result });
}

export function countAttemptRefusal(limit: AttemptLimit): void {
  attemptRefusals.inc({ limit });
}

/** One database error of this kind (from the fault classifier of src/db/faults.ts). */
export function countDatabaseError(kind: DatabaseFault): void {
  databaseErrors.inc({ kind });
}

export function countImport(result: ImportResultLabel, seconds: number, rows: number): void {
  imports.inc({ result });
  importDuration.observe({ result }, seconds);
  if (result === 'created') importedRows.inc(rows);
}

/** The exposition, in Prometheus text format. */
export function scrape(): Promise<string> {
  return registry.metrics();
}

export const contentType = registry.contentType;
