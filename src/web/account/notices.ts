// What an account page says after an action sent the user back to it (?done=…): fixed texts,
// so nothing from the address is ever shown.
import { z } from 'zod';
import type { MessageKey } from '../../i18n/translate.js';

export const DONE = {
  password: 'password.done.password',
  authenticator: 'password.done.authenticator',
  'authenticator-and-devices': 'password.done.authenticatorAndDevices',
  'codes-saved': 'password.done.codesSaved',
  'session-ended': 'password.done.sessionEnded',
  'sessions-ended': 'password.done.sessionsEnded',
  'device-forgotten': 'password.done.deviceForgotten',
  'devices-forgotten': 'password.done.devicesForgotten',
  'key-added': 'password.done.keyAdded',
  'key-renamed': 'password.done.keyRenamed',
  'key-removed': 'password.done.keyRemoved',
} as const satisfies Record<string, MessageKey>;

export type DoneKey = keyof typeof DONE;

/** The ?done= query of account pages: an unknown value is ignored, never an error. */
export const doneQuery = z.object({ done: z.enum(Object.keys(DONE) as [DoneKey]).optional().catch(undefined) });
