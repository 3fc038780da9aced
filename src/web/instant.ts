// Instants in URLs: ISO 8601 with an offset ("2026-11-20T20:00:00-05:00"), which a person can read
// and share, or epoch milliseconds, which scripts send. A "+" left unencoded in a query string
// arrives as a space: it is read as the "+" it was.
import { z } from 'zod';
import { schemaMessage } from './validation.js';

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+\- ]\d{2}:\d{2})$/;

export function parseInstant(text: string): number | null {
  if (/^\d{1,16}$/.test(text)) return Number(text);
  const match = ISO_INSTANT.exec(text.trim());
  if (!match) return null;
  const ms = Date.parse(`${match[1]}${match[2]!.replace(' ', '+')}`);
  return Number.isFinite(ms) ? ms : null;
}

/** A query parameter holding an instant; refused with an example when it is not one. */
export function instantParam(name: string) {
  return z.string().max(40, schemaMessage('records.window.tooLong', { name })).transform((text, ctx) => {
    const ms = parseInstant(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: schemaMessage('records.window.notInstant', { name }) });
      return z.NEVER;
    }
    return ms;
  });
}

/** ?from=&to= of a time window; `to` must come after `from`. */
export function windowQuery<T extends z.ZodRawShape>(extra: T) {
  return z.object({ from: instantParam('from').optional(), to: instantParam('to').optional(), ...extra })
    .refine((q) => {
      const { from, to } = q as { from?: number; to?: number };
      return from === undefined || to === undefined || to > from;
    }, { message: schemaMessage('records.window.toBeforeFrom') });
}
