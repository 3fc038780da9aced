#!/usr/bin/env node
// The `hms` command: serve, migrate, and account administration for operators without a browser.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { AccountError, findAccountByEmail, normalizeEmail } from './auth/accounts.js';
import { listEvents, recordEvent } from './auth/audit.js';
import { formatAuditTable } from './audit-table.js';
import { issueSetupToken } from './auth/setup-link.js';
import { openContext } from './bootstrap.js';
import { ConfigError, describeOptions, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { KeyringError } from './auth/keyring.js';
import { startMaintenance } from './maintenance.js';
import { buildApp } from './server.js';
import { registerUserCommands } from './cli/user-commands.js';
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
  const opened = await openContext(config);
  if (config.databaseUrl && !config.encryptionKeys) {
    console.warn(`Warning: the encryption key is in ${config.keyFile}. Every instance on this database needs the same key: `
      + 'set HMS_ENCRYPTION_KEYS on all of them (`npm run hms -- keygen` makes one).');
  }
  const app = await buildApp(opened.ctx);
  const stopMaintenance = startMaintenance(opened.ctx, app.log);
  const stop = async () => {
    stopMaintenance();
    await app.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
  const token = await issueSetupToken(opened.ctx);
  if (token) {
    console.log([
      '',
      'No accounts exist yet. Create the first administrator at this link (valid for one hour, usable once):',
      '',
      `    ${config.publicOrigin}/setup/${token}`,
      '',
      'Or from the command line: npm run hms -- user add --email E --name "N" --role admin --password-stdin',
      '',
    ].join('\n'));
  }
  console.log(`HMS is serving ${config.publicOrigin} (listening on ${config.host}:${config.port}, data in ${opened.describeDatabase})`);
});

program.command('migrate').description('bring the database schema up to date, then exit').action(async () => {
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database schema is up to date.');
  } finally {
    await database.close();
  }
});

program.command('keygen').description('print a new encryption key for HMS_ENCRYPTION_KEYS').action(() => {
  const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  console.log(`${id}:${randomBytes(32).toString('base64')}`);
});

program.command('config').description('print the configuration options as a Markdown table').action(() => {
  console.log(describeOptions());
});

registerUserCommands(program);

program.command('audit')
  .description('print the audit log, newest first')
  .option('--user <email>', 'only events where this account is the actor or the subject')
  .option('--since <iso-time>', 'only events at or after this time, e.g. 2026-11-28 or 2026-11-28T09:00:00Z', parseSince)
  .option('--limit <n>', 'at most this many events', (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('--limit must be a whole number from 1 to 100000.');
    return n;
  }, 100)
  .action(async (options: { user?: string; since?: number; limit: number }) => {
    const opened = await openContext(loadConfig());
    try {
      let userId: string | undefined;
      if (options.user) {
        const account = await findAccountByEmail(opened.ctx, options.user);
        if (!account) throw new AccountError(`No account has the email ${normalizeEmail(options.user)}.`);
        userId = account.id;
      }
      const events = await listEvents(opened.ctx, { userId, since: options.since, limit: options.limit });
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
      await recordEvent(opened.ctx, { event: 'health.record_imported', details: { via: 'cli', patient_id: options.patient, record_id: result.record.id, status: result.status, rows: result.rowCount } });
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
const EXPLAINED = [AccountError, ConfigError, KeyringError, CsvImportError, DemoDataError, SupportError];

program.parseAsync().catch((error: unknown) => {
  if (EXPLAINED.some((kind) => error instanceof kind)) console.error((error as Error).message);
  else if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') console.error(`No such file: ${(error as NodeJS.ErrnoException).path}`);
  else console.error(error instanceof Error ? `hms: ${error.message}` : error);
  process.exitCode = 1;
});
