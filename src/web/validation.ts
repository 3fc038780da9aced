// Route schemas are zod objects; this compiler makes Fastify refuse a request whose body, query
// or params do not fit before the handler runs, with a message a person can act on.
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import type { Message, MessageKey, MessageValues, Translator } from '../i18n/translate.js';

/** A refused request's error: its problems stay messages until the error page knows the language. */
export class ValidationError extends Error {
  constructor(readonly problems: Message[]) {
    super(problems.map((problem) => problem.key).join(' '));
  }
}

export const zodCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => (data) => {
  if (containsNul(data)) return { error: new ValidationError([{ key: 'validation.nul' }]) };
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  return { error: new ValidationError(result.error.issues.map((issue) => decodeMessage(issue.message))) };
};

// zod carries an issue's message as a string: a message key travels through it as JSON.
const MARK = 'i18n:';

/** A schema's message (zod's `error` or `message` option) that the error page translates. */
export function schemaMessage(key: MessageKey, values?: MessageValues): string {
  return `${MARK}${JSON.stringify({ key, values })}`;
}

function decodeMessage(text: string): Message {
  if (text.startsWith(MARK)) return JSON.parse(text.slice(MARK.length)) as Message;
  // A message zod wrote itself (a schema with no message of ours): shown as the request refused.
  return { key: 'errors.badRequest.message' };
}

/** The problems of a refused request in the reader's language (a field's label is a message of its own). */
export function describeProblems(problems: Message[], t: Translator): string {
  return problems.map(({ key, values }) => t(key, values)).join(' ');
}

function containsNul(data: unknown): boolean {
  if (typeof data === 'string') return data.includes('\u0000');
  if (Array.isArray(data)) return data.some(containsNul);
  if (data !== null && typeof data === 'object') return Object.values(data).some(containsNul);
  return false;
}

/** A text field of a form: present (possibly empty) and at most `max` characters. */
export function field(label: MessageKey, max: number, labelValues?: MessageValues) {
  const about = { label: { key: label, values: labelValues } };
  return z.string({ error: (issue) => schemaMessage(issue.input === undefined ? 'validation.missing' : 'validation.notText', about) })
    .max(max, schemaMessage('validation.tooLong', { ...about, max }));
}

export function optionalField(label: MessageKey, max: number, labelValues?: MessageValues) {
  return field(label, max, labelValues).optional();
}

/** An HTML checkbox: "on" when ticked, absent when not. */
export function checkbox(label: MessageKey) {
  return z.literal('on', schemaMessage('validation.notCheckbox', { label: { key: label } })).optional().transform((value) => value === 'on');
}

export const csrfField = field('field.formToken', 200);

/**
 * A query parameter that may be left out or be unusable (a link edited by hand): either way it
 * reads as `fallback`. `.default` answers an absent one before any check runs; `.catch` alone would
 * build an issue (with its message) and throw it away for every absent parameter of every request:
 * 12 µs of the worklist's 13 µs of validation per `GET /` (bench/RESULTS.md, 2d).
 */
export function orDefault<T extends z.ZodType>(schema: T, fallback: z.output<T>) {
  return schema.default(fallback as never).catch(fallback as never) as unknown as z.ZodType<z.output<T>, z.input<T> | undefined>;
}
