// What an account page says after an action sent the user back to it (?done=…): fixed texts,
// so nothing from the address is ever shown.
import { z } from 'zod';

export const DONE = {
  password: 'Your password was changed. Every remembered device was forgotten and every other session was signed out.',
  authenticator: 'Your new authenticator app is paired. Codes from the old one no longer work.',
  'authenticator-and-devices': 'Your new authenticator app is paired, and every remembered device was forgotten. Codes from the old app no longer work.',
  'codes-saved': 'Your new recovery codes are ready. Any older codes no longer work.',
  'session-ended': 'That session was signed out.',
  'sessions-ended': 'Every other session was signed out.',
  'device-forgotten': 'That device was forgotten: it will be asked for a code at its next sign-in.',
  'devices-forgotten': 'Every remembered device was forgotten, this one included.',
  'key-added': 'Your security key was added. You can use it at sign-in instead of a code.',
  'key-renamed': 'The security key was renamed.',
  'key-removed': 'The security key was removed: it no longer signs in to HMS.',
} as const;

export type DoneKey = keyof typeof DONE;

/** The ?done= query of account pages: an unknown value is ignored, never an error. */
export const doneQuery = z.object({ done: z.enum(Object.keys(DONE) as [DoneKey]).optional().catch(undefined) });
