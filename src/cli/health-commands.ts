// `hms patient delete`, `hms record delete`: erasure from the command line, audited with the
// reason like the same action in the browser (with "via": "cli").
import type { Command } from 'commander';
import { deletePatient, deleteRecording, ErasureError } from '../health/erasure.js';
import { counted, withContext } from './context.js';

const CLI = { via: 'cli' } as const;

export function registerHealthCommands(program: Command): void {
  program.command('patient').description('manage patients').command('delete')
    .description('delete a patient with all recordings, their data and care team, in one transaction')
    .argument('<id>', 'the patient\'s id (shown in the address of their page)')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(async (id: string, options: { reason: string }) => withContext(async (ctx) => {
      const deleted = await deletePatient(ctx, CLI, id, options.reason);
      if (!deleted) throw new ErasureError(`There is no patient with the id ${id}.`);
      console.log(`Deleted patient ${id} and ${counted(deleted.recordings, 'recording')}.`);
    }));

  program.command('record').description('manage recordings').command('delete')
    .description('delete a recording with its series and summary')
    .argument('<id>', 'the recording\'s id (shown in the address of its page)')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(async (id: string, options: { reason: string }) => withContext(async (ctx) => {
      const deleted = await deleteRecording(ctx, CLI, id, options.reason);
      if (!deleted) throw new ErasureError(`There is no recording with the id ${id}.`);
      console.log(`Deleted recording ${id} of patient ${deleted.patientId}.`);
    }));
}
