// Route schemas are zod objects; this compiler makes Fastify refuse a request whose body, query
// or params do not fit before the handler runs, with a message a person can act on.
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { en } from '../i18n/en.js';
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

/**
 * The problems of a refused request in the reader's language. A value that is itself a message key
 * (a field's label, a rule's name) is translated too, with `labelValues` for the label.
 */
export function describeProblems(problems: Message[], t: Translator): string {
  const inWords = (values: MessageValues): MessageValues => Object.fromEntries(Object.entries(values).map(([name, value]) =>
    [name, typeof value === 'string' && value in en ? t(value as MessageKey) : value]));
  return problems.map(({ key, values = {} }) => {
    const { label, labelValues, ...rest } = values;
    const words = inWords(rest);
    if (typeof label === 'string') {
      const about = typeof labelValues === 'string' ? inWords(JSON.parse(labelValues) as MessageValues) : undefined;
      words.label = label in en ? t(label as MessageKey, about) : label;
    }
    return t(key, words);
  }).join(' ');
}

function containsNul(data: unknown): boolean {
  if (typeof data === 'string') return data.includes('\u0000');
  if (Array.isArray(data)) return data.some(containsNul);
  if (data !== null && typeof data === 'object') return Object.values(data).some(containsNul);
  return false;
}

/** A text field of a form: present (possibly empty) and at most `max` characters. */
export function field(label: MessageKey, max: number, labelValues?: MessageValues) {
  const about = labelValues ? { label, labelValues: JSON.stringify(labelValues) } : { label };
  return z.string({ error: (issue) => schemaMessage(issue.input === undefined ? 'validation.missing' : 'validation.notText', about) })
    .max(max, schemaMessage('validation.tooLong', { ...about, max }));
}

export function optionalField(label: MessageKey, max: number, labelValues?: MessageValues) {
  return field(label, max, labelValues).optional();
}

/** An HTML checkbox: "on" when ticked, absent when not. */
export function checkbox(label: MessageKey) {
  return z.literal('on', schemaMessage('validation.notCheckbox', { label })).optional().transform((value) => value === 'on');
}

export const csrfField = field('field.formToken', 200);
