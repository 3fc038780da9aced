// Query parameters that fall back to a default: absent or unusable, the page still opens with the
// default; and an absent one is answered before any check runs (no zod issue built and thrown away
// on every request, which cost most of the worklist's validation time).
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { orDefault } from '../../src/web/validation.js';

const listQuery = z.object({
  q: orDefault(z.string().max(100), ''),
  filter: orDefault(z.enum(['all', 'flagged']), 'all'),
  page: orDefault(z.coerce.number().int().min(1).max(1_000_000), 1),
});

describe('orDefault', () => {
  it('reads an absent parameter as its default', () => {
    expect(listQuery.parse({})).toEqual({ q: '', filter: 'all', page: 1 });
  });

  it('reads an unusable parameter as its default, and keeps a usable one', () => {
    expect(listQuery.parse({ q: 'x'.repeat(101), filter: 'nonsense', page: 'abc' })).toEqual({ q: '', filter: 'all', page: 1 });
    expect(listQuery.parse({ page: '0' }).page).toBe(1);
    expect(listQuery.parse({ page: '' }).page).toBe(1);
    expect(listQuery.parse({ q: 'Dupont', filter: 'flagged', page: '3' })).toEqual({ q: 'Dupont', filter: 'flagged', page: 3 });
  });

  it('answers an absent parameter without running its checks', () => {
    const check = vi.fn((value: unknown) => value);
    expect(orDefault(z.unknown().transform(check), 'fallback').parse(undefined)).toBe('fallback');
    expect(check).not.toHaveBeenCalled();
    expect(orDefault(z.unknown().transform(check), 'fallback').parse('given')).toBe('given');
    expect(check).toHaveBeenCalledTimes(1);
  });
});
