// Route schemas are zod objects; this compiler makes Fastify refuse a request whose body, query
// or params do not fit before the handler runs, with a message a person can act on.
import type { FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';

export const zodCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => (data) => {
  if (containsNul(data)) return { error: new Error(NUL_REFUSED) };
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  return { error: new Error(result.error.issues.map((issue) => issue.message).join(' ')) };
};

// No text a person types contains U+0000, and PostgreSQL refuses it in any text parameter: it
// is refused here, for every body, query and path of every route, rather than in the database.
export const NUL_REFUSED = 'The request contains a character that is not allowed (U+0000). Remove it and try again.';

function containsNul(data: unknown): boolean {
  if (typeof data === 'string') return data.includes('\u0000');
  if (Array.isArray(data)) return data.some(containsNul);
  if (data !== null && typeof data === 'object') return Object.values(data).some(containsNul);
  return false;
}

/** A text field of a form: present (possibly empty) and at most `max` characters. */
export function field(label: string, max: number) {
  return z.string({ error: (issue) => (issue.input === undefined ? `${label} is missing.` : `${label} must be text.`) })
    .max(max, `${label} is too long (at most ${max} characters).`);
}

export function optionalField(label: string, max: number) {
  return field(label, max).optional();
}

/** An HTML checkbox: "on" when ticked, absent when not. */
export function checkbox(label: string) {
  return z.literal('on', `${label} must be a checkbox.`).optional().transform((value) => value === 'on');
}

export const csrfField = field('The form token', 200);
