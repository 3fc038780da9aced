// `hms backup`, `hms keygen`, `hms rekey`: what an operator runs to keep the data safe and to
// rotate the keys that encrypt the secrets in it.
import { InvalidArgumentError, type Command } from 'commander';
import { recordEvent } from '../auth/audit.js';
import { newKeyEntry } from '../auth/keyring.js';
import { keyIdsInUse, rekeyAll } from '../auth/sealed-secrets.js';
import { backupSqlite, pgDumpCommand } from '../backup.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { counted, withContext } from './context.js';

function wholeNumber(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    return n;
  };
}

export function registerOperationsCommands(program: Command): void {
  program.command('backup')
    .description('copy the SQLite database, consistently, while HMS serves (on PostgreSQL: print the pg_dump command)')
    .argument('<file>', 'the backup file to write (never overwritten)')
    .action(async (file: string) => {
      const config = loadConfig();
      if (config.databaseUrl) {
        const database = openDatabase(config);
        try {
          const { command, passwordLeftOut } = await pgDumpCommand(database.db, config.databaseUrl, file);
          console.error('HMS on PostgreSQL is backed up with pg_dump (it makes a consistent copy while HMS serves). Run:\n');
          console.log(command);
          if (passwordLeftOut) console.error('\n(The password is left out of the address: give it in PGPASSWORD or ~/.pgpass.)');
          console.error('\nKeep HMS_ENCRYPTION_KEYS apart from the dump: see "Backup and restore" in the README.');
        } finally {
          await database.close();
        }
        process.exitCode = 1; // no backup was written by this command
        return;
      }
      const backup = await backupSqlite(config.sqliteFile, file);
      console.log(`Backed up ${config.sqliteFile} to ${backup.file} (${(backup.bytes / 1024 / 1024).toFixed(1)} MB, integrity checked).`);
      console.log(`The encryption key is not in it: keep ${config.encryptionKeys ? 'HMS_ENCRYPTION_KEYS' : config.keyFile} in another safe place.`);
    });

  program.command('keygen').description('print a new encryption key for HMS_ENCRYPTION_KEYS (its id is unique: date and fingerprint)').action(() => {
    console.log(newKeyEntry());
  });

  program.command('rekey')
    .description('re-encrypt every stored secret under the first key of HMS_ENCRYPTION_KEYS, so the older keys can be removed; safe to run again after an interruption')
    .option('--batch-size <n>', 'secrets per transaction', wholeNumber('--batch-size', 1, 10_000), 200)
    .option('--pause-ms <ms>', 'pause between batches, to spare a busy database', wholeNumber('--pause-ms', 0, 60_000), 0)
    .action(async (options: { batchSize: number; pauseMs: number }) => withContext(async (ctx) => {
      const current = ctx.keyring.current.id;
      const before = await keyIdsInUse(ctx);
      const older = before.filter((id) => id !== current);
      if (older.length === 0) {
        console.log(`Every secret is already encrypted with "${current}": nothing to do.`);
        return;
      }
      await recordEvent(ctx, { event: 'keys.rekey_started', details: { via: 'cli', key_id: current, from: older.join(',') } });
      const { resealed, settled } = await rekeyAll(ctx, {
        batchSize: options.batchSize, pauseMs: options.pauseMs,
        onBatch: ({ done, total }) => console.log(`Went through ${done} of ${counted(total, 'secret')}.`),
      });
      const settledDetails = Object.fromEntries(settled.map(({ settling, count }) => [settling.detail, count]));
      await recordEvent(ctx, { event: 'keys.rekey_completed', details: { via: 'cli', key_id: current, from: older.join(','), secrets: resealed, ...settledDetails } });
      const left = (await keyIdsInUse(ctx)).filter((id) => id !== current);
      console.log(`Done: ${counted(resealed, 'secret')} re-encrypted with "${current}".`);
      for (const { settling, count } of settled) console.log(`${counted(count, settling.noun)} ${settling.told}`);
      if (left.length === 0) {
        console.log(`No secret uses ${older.map((id) => `"${id}"`).join(', ')} any more: remove ${older.length === 1 ? 'it' : 'them'} from HMS_ENCRYPTION_KEYS `
          + '(or the key file) once every instance runs with the new first key.');
      } else {
        console.log(`Secrets written meanwhile by an instance without the new first key still use ${left.join(', ')}: give every instance the new keys, then run hms rekey again.`);
      }
    }));
}
