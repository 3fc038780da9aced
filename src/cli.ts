#!/usr/bin/env node
// The `hms` command: serve, migrate, and account administration for operators without a browser.
import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import type { FastifyInstance } from 'fastify';
import { AccountError, countAccounts, findAccountByEmail, normalizeEmail } from './auth/accounts.js';
import { announce, startUpLog } from './announce.js';
import { MetricsListenerError, startMetricsListener, type MetricsListener } from './metrics/listener.js';
import { listEvents, recordEvent } from './auth/audit.js';
import { formatAuditTable } from './audit-table.js';
import { issueSetupToken } from './auth/setup-link.js';
import { openContext, StartupError, withinStartupTime } from './bootstrap.js';
import { ConfigError, describeOptions, loadConfig } from './config.js';
import { DataFolderError, prepareDataFolder } from './data-folder.js';
import { checkpointInBackground } from './db/background-checkpoints.js';
import { openDatabase } from './db/database.js';
import { classifyDatabaseError } from './db/faults.js';
import { migrateToLatest } from './db/migrate.js';
import { KeyringError } from './auth/keyring.js';
import { startMaintenance } from './maintenance.js';
import { stopOnSignals, trackRequestsInFlight } from './shutdown.js';
import { registerUserCommands } from './cli/user-commands.js';
import { registerOperationsCommands } from './cli/operations-commands.js';
import { registerHealthCommands } from './cli/health-commands.js';
import { BackupError } from './backup.js';
import { ErasureError } from './health/erasure.js';
import { DecryptionError } from './auth/secret-box.js';
import { SupportError } from './auth/support.js';
import { importCsv, CsvImportError } from './health/import.js';
import { createDemo } from './demo.js';
import { DemoDataError } from './health/demo/demo-data.js';

const program = new Command('hms')
  .description('HMS health-monitoring dashboard. Configuration comes from environment variables: see `hms config`.')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.command('serve').description('migrate the database, then serve HMS over HTTP').action(async () => {
  const config = loadConfig();
  // The web server (Fastify, every page, PDF, charts) is loaded only here: the other commands,
  // which operators and scripts run one at a time, start without it (1.6 s → 0.7 s for `hms --help`).
  const { buildApp } = await import('./server.js');
  const opened = await openContext(config);
  const app = await buildApp(opened.ctx);
  for (const notice of opened.notices) app.log.warn(notice);
  const inFlight = trackRequestsInFlight(app);
  let metrics: MetricsListener | null = null;
  try {
    await app.listen({ port: config.port, host: config.host });
    if (config.metricsPort !== null) metrics = await startMetricsListener(config.metricsHost, config.metricsPort);
  } catch (error) {
    await app.close();
    await opened.close();
    throw error;
  }
  const stopMaintenance = startMaintenance(opened.ctx, app.log);
  const checkpoints = opened.ctx.dialect === 'sqlite' ? await checkpointInBackground(opened.ctx.db, config.sqliteFile, app.log) : null;
  stopOnSignals(app, inFlight, {
    seconds: config.shutdownSeconds,
    stopBackground: () => {
      stopMaintenance();
      void checkpoints?.stop();
      void metrics?.close();
    },
    closeDatabase: opened.close,
  });
  const setupToken = await issueSetupToken(opened.ctx);
  announce(startUpLog(app.log, config.logLevel), {
    config, listening: listeningOn(app), describeDatabase: opened.describeDatabase, setupToken, metricsAddress: metrics?.address ?? null,
    setupLinkElsewhere: setupToken === null && (await countAccounts(opened.ctx)) === 0,
  });
});

/** "127.0.0.1:3000", "[::1]:3000": where the pages are served, as bound. */
function listeningOn(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') return String(address);
  return `${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
}

program.command('migrate').description('bring the database schema up to date, then exit').action(async () => {
  const config = loadConfig();
  for (const notice of prepareDataFolder(config)) console.warn(notice);
  const database = openDatabase(config);
  try {
    let applied: string[] = [];
    await withinStartupTime(config, database.describe, async () => {
      applied = await migrateToLatest(database.db);
    });
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database schema is up to date.');
  } finally {
    await database.close();
  }
});

program.command('config').description('print the configuration options as a Markdown table').action(() => {
  console.log(describeOptions());
});

registerUserCommands(program);
registerOperationsCommands(program);
registerHealthCommands(program);

program.command('audit')
  .description('print the audit log, newest first')
  .option('--user <email>', 'only events where this account is the actor or the subject')
  .option('--patient <id>', 'only events about this patient, her recordings included')
  .option('--record <id>', 'only events about this recording')
  .option('--since <iso-time>', 'only events at or after this time, e.g. 2026-11-28 or 2026-11-28T09:00:00Z', parseSince)
  .option('--limit <n>', 'at most this many events', (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('--limit must be a whole number from 1 to 100000.');
    return n;
  }, 100)
  .action(async (options: { user?: string; patient?: string; record?: string; since?: number; limit: number }) => {
    const opened = await openContext(loadConfig());
    try {
      let userId: string | undefined;
      if (options.user) {
        const account = await findAccountByEmail(opened.ctx, options.user);
        if (!account) throw new AccountError(`No account has the email ${normalizeEmail(options.user)}.`);
        userId = account.id;
      }
      const events = await listEvents(opened.ctx, { userId, patientId: options.patient, recordId: options.record, since: options.since, limit: options.limit });
      console.log(await formatAuditTable(opened.ctx, events));
    } finally {
      await opened.close();
    }
  });

function parseSince(value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidArgumentError('--since must be a date or time such as 2026-11-28 or 2026-11-28T09:00:00Z.');
  return time;
}

program.command('import')
  .description('import a Hexoskin-style CSV file as a new recording of a patient')
  .requiredOption('--patient <id>', 'the patient\'s id (shown in the address of their page)')
  .option('--device <serial>', 'the device serial number to keep with the recording')
  .argument('<file>', 'the CSV file')
  .action(async (file: string, options: { patient: string; device?: string }) => {
    // Opened before anything else, so a missing or unreadable file is reported, not crashed on.
    const handle = await fs.promises.open(file, 'r');
    const opened = await openContext(loadConfig());
    try {
      const result = await importCsv(opened.ctx, options.patient, handle.createReadStream(), { deviceSerial: options.device ?? null });
      await recordEvent(opened.ctx, { event: 'health.record_imported', patientId: options.patient, recordId: result.record.id, details: { via: 'cli', patient_id: options.patient, record_id: result.record.id, status: result.status, rows: result.rowCount } });
      console.log(result.status === 'created'
        ? `Imported ${result.rowCount} rows as recording ${result.record.id}.`
        : `This file is already recording ${result.record.id} of this patient; nothing was added.`);
      if (result.ignoredColumns.length) console.log(`Columns not used: ${result.ignoredColumns.map((c) => `${c.header} (column ${c.column})`).join(', ')}.`);
    } finally {
      await handle.close().catch(() => {});
      await opened.close();
    }
  });

program.command('demo')
  .description('create demo accounts (an admin, two clinicians) and ten patients with 30 days of synthetic recordings, flags and notes')
  .option('--days <n>', 'days of recordings per patient (1–90)', (value) => {
    const days = Number(value);
    if (!Number.isInteger(days) || days < 1 || days > 90) throw new InvalidArgumentError('Give a whole number of days from 1 to 90.');
    return days;
  }, 30)
  .action(async (options: { days: number }) => {
    const opened = await openContext(loadConfig());
    try {
      const demo = await createDemo(opened.ctx, { historyDays: options.days });
      console.log('Demo accounts (each pairs an authenticator app at first sign-in):\n');
      for (const account of demo.accounts) console.log(`  ${account.role.padEnd(9)} ${account.email.padEnd(28)} password: ${account.password}`);
      console.log(`\n${demo.patients} patients with ${demo.records} recordings were added.`);
    } finally {
      await opened.close();
    }
  });

// Errors an operator can act on are printed as they are; anything else is prefixed, never a stack.
const EXPLAINED = [AccountError, ConfigError, KeyringError, CsvImportError, DemoDataError, SupportError, StartupError,
  MetricsListenerError, BackupError, ErasureError, DecryptionError, DataFolderError];

program.parseAsync().catch((error: unknown) => {
  if (EXPLAINED.some((kind) => error instanceof kind)) console.error((error as Error).message);
  else if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') console.error(`No such file: ${(error as NodeJS.ErrnoException).path}`);
  else if (classifyDatabaseError(error)) {
    console.error(`hms: the database stopped answering (${(error as Error).message}). Check that it is running and that DATABASE_URL is right, then run the command again.`);
  } else console.error(error instanceof Error ? `hms: ${error.message}` : error);
  process.exitCode = 1;
  // Whatever is left (a connection to a database that stopped answering) does not hold the exit up.
  if (error instanceof StartupError) process.exit(1);
  setTimeout(() => process.exit(1), 1000).unref();
});
