// The worklist's two statements: the page (ordered, with what orders it) and its count. Every
// `GET /` runs them, and Kysely would build and compile their large builders anew each time; here
// each shape of them (who sees all patients, whether a search is given, filter, sort: at most 60)
// is built and compiled once per database handle, and a request only supplies its values, as
// `findSession` does for the session lookup (src/auth/sessions.ts).
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { inCareOf } from './access.js';
import type { WorklistFilter, WorklistSort } from './worklist.js';


/** What decides the SQL text of the statements. */
export interface WorklistShape {
  everyPatient: boolean;
  searching: boolean;
  filter: WorklistFilter;
  sort: WorklistSort;
}

/**
 * What a request supplies: the parameters. `pattern`: the LIKE pattern of the search, escaped;
 * `flaggedSince`: FLAGGED_WITHIN_DAYS before now.
 */
export interface WorklistValues {
  viewerId: string;
  pattern: string;
  flaggedSince: number;
  limit: number;
  offset: number;
}

const severityRank = sql<number>`case flags.severity when 'high' then 3 when 'medium' then 2 else 1 end`;

function visiblePatients(db: Kysely<Database>, shape: WorklistShape, values: WorklistValues) {
  const { filter } = shape;
  return db.selectFrom('patients')
    .$if(!shape.everyPatient, (qb) => qb.where(inCareOf({ id: values.viewerId }, 'patients.id')))
    .$if(shape.searching, (qb) => qb.where(sql<boolean>`patients.search_text like ${values.pattern} escape '!'`))
    .where('patients.archived_at', filter === 'archived' ? 'is not' : 'is', null)
    .$if(filter === 'unreviewed', (qb) => qb.where((eb) => eb.exists(eb.selectFrom('flags').select('flags.id')
      .whereRef('flags.patient_id', '=', 'patients.id').where('flags.review_id', 'is', null))))
    .$if(filter === 'no_recent_data', (qb) => qb.where((eb) => eb.exists(eb.selectFrom('flags').select('flags.id')
      .whereRef('flags.patient_id', '=', 'patients.id').where('flags.rule', '=', 'no_recent_data').where('flags.ended_at', 'is', null))))
    .$if(filter === 'flagged', (qb) => qb.where((eb) => eb.exists(eb.selectFrom('flags').select('flags.id')
      .whereRef('flags.patient_id', '=', 'patients.id')
      .where((f) => f.or([f('flags.review_id', 'is', null), f('flags.ended_at', 'is', null),
        f('flags.started_at', '>=', values.flaggedSince)])))));
}

/** The page and count statements with these values, as Kysely builders (built anew on every call). */
export function worklistStatements(db: Kysely<Database>, shape: WorklistShape, values: WorklistValues) {
  const visible = visiblePatients(db, shape, values);
  const ordered = visible.selectAll('patients').select((eb) => [
    eb.selectFrom('flags').select(eb.fn.max(severityRank).as('r')).whereRef('flags.patient_id', '=', 'patients.id').where('flags.review_id', 'is', null).as('top_rank'),
    eb.selectFrom('flags').select((f) => f.fn.max('flags.started_at').as('s')).whereRef('flags.patient_id', '=', 'patients.id').where('flags.review_id', 'is', null).as('latest_flag'),
    eb.selectFrom('records').select('records.started_at').whereRef('records.patient_id', '=', 'patients.id')
      .orderBy('records.started_at', 'desc').limit(1).as('last_started'),
    eb.selectFrom('records').select('records.id').whereRef('records.patient_id', '=', 'patients.id')
      .orderBy('records.started_at', 'desc').limit(1).as('last_record_id'),
    eb.selectFrom('flag_reviews').select('flag_reviews.id').whereRef('flag_reviews.patient_id', '=', 'patients.id')
      .orderBy('flag_reviews.reviewed_at', 'desc').limit(1).as('last_review_id'),
  ]);
  const { sort } = shape;
  // Ordered in an outer query: PostgreSQL cannot use output names inside ORDER BY expressions.
  // coalesce(…, -1) puts "none" last on both databases (they sort NULL differently).
  const page = db.selectFrom(ordered.as('w')).selectAll()
    .$if(sort === 'triage', (qb) => qb.orderBy(sql`coalesce(w.top_rank, -1)`, 'desc').orderBy(sql`coalesce(w.latest_flag, -1)`, 'desc')
      .orderBy(sql`coalesce(w.last_started, -1)`, 'desc'))
    .$if(sort === 'last_recording', (qb) => qb.orderBy(sql`coalesce(w.last_started, -1)`, 'desc'))
    .orderBy('w.search_text').orderBy('w.id')
    .limit(values.limit).offset(values.offset);
  const count = visible.select((eb) => eb.fn.countAll<number>().as('count'));
  return { page, count };
}

type Statements = ReturnType<typeof worklistStatements>;
type PageRow = Awaited<ReturnType<Statements['page']['execute']>>[number];

/** A compiled statement and, for each of its parameters, the value it takes (null: a constant of the SQL). */
interface Template<R> { query: CompiledQuery<R>; slots: (keyof WorklistValues | null)[] }

// Stands for a value while the statements are compiled, so that its parameter positions are known.
class Slot {
  constructor(readonly name: keyof WorklistValues) {}
}

function template<R>(query: CompiledQuery<R>, expected: (keyof WorklistValues)[]): Template<R> {
  const slots = query.parameters.map((p) => (p instanceof Slot ? p.name : null));
  const found = slots.filter((slot) => slot !== null).sort();
  // A value Kysely had inlined or dropped would leave every request with the first one's.
  if (found.join() !== [...expected].sort().join()) throw new Error(`worklist statement parameters: expected ${expected.join()}, found ${found.join()}`);
  return { query, slots };
}

function compile(db: Kysely<Database>, shape: WorklistShape) {
  const values: WorklistValues = {
    viewerId: new Slot('viewerId') as unknown as string, pattern: new Slot('pattern') as unknown as string,
    flaggedSince: new Slot('flaggedSince') as unknown as number, limit: new Slot('limit') as unknown as number, offset: new Slot('offset') as unknown as number,
  };
  const { page, count } = worklistStatements(db, shape, values);
  const common: (keyof WorklistValues)[] = [
    ...(shape.everyPatient ? [] : ['viewerId' as const]), ...(shape.searching ? ['pattern' as const] : []), ...(shape.filter === 'flagged' ? ['flaggedSince' as const] : []),
  ];
  return { page: template(page.compile(), [...common, 'limit', 'offset']), count: template(count.compile(), common) };
}

const compiledByDb = new WeakMap<Kysely<Database>, Map<string, ReturnType<typeof compile>>>();

function compiled(db: Kysely<Database>, shape: WorklistShape): ReturnType<typeof compile> {
  let byShape = compiledByDb.get(db);
  if (!byShape) compiledByDb.set(db, byShape = new Map());
  const key = `${shape.everyPatient ? 'all' : 'care'} ${shape.searching ? 'search' : '-'} ${shape.filter} ${shape.sort}`;
  let statements = byShape.get(key);
  if (!statements) byShape.set(key, statements = compile(db, shape));
  return statements;
}

/** Each request gets its own parameters array: the compiled statement is shared and never changed. */
function withValues<R>({ query, slots }: Template<R>, values: WorklistValues): CompiledQuery<R> {
  return { ...query, parameters: slots.map((slot, i) => (slot === null ? query.parameters[i] : values[slot])) };
}

/** The page's rows and the count of all visible patients, with the compiled statements. */
export async function runWorklistStatements(db: Kysely<Database>, shape: WorklistShape, values: WorklistValues): Promise<{ rows: PageRow[]; total: number }> {
  const { page, count } = compiled(db, shape);
  const { rows } = await db.executeQuery(withValues(page, values));
  // A page that is not full ends the list, so the count is known without counting: a clinician's
  // whole list (fewer than a page of patients) takes one statement. A full page, or one past the
  // end (a link kept while patients left), asks the count. (Counting in the page statement with a
  // window, `count(*) over ()`, cost 0.5 ms more than page and count apart for 200 patients.)
  if (rows.length < values.limit && (rows.length > 0 || values.offset === 0)) return { rows, total: values.offset + rows.length };
  const counted = await db.executeQuery(withValues(count, values));
  return { rows, total: Number(counted.rows[0]!.count) };
}
