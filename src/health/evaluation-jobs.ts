// The only writer of rule_evaluations: after a threshold changes, each patient's flags of the
// last 90 days are evaluated again in the background, a few days at a time, so the request that
// changed the rule answers at once and the server keeps serving. Progress is stored (shown on the
// rules pages); a job leased by an instance that died is taken over once its lease runs out.
import type { AppContext } from '../context.js';
import { MINUTE } from '../clock.js';
import { newId } from '../auth/tokens.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { addDays, clinicDay, daysBetween } from './clinic-days.js';
import { BATCH_DAYS, reevaluateRules, type DerivationCtx } from './derived-data.js';
import { isRuleId, type RuleId } from './rules/definitions.js';

/** A rule change re-evaluates this many days, today included. */
export const REEVALUATION_DAYS = 90;
const LEASE = 2 * MINUTE;

/** Queues a re-evaluation of `rules` for each patient; a pending one is merged into it and restarts. */
export async function enqueueReevaluation(ctx: Pick<AppContext, 'clock' | 'config'>, db: Kysely<Database>, patientIds: readonly string[],
  rules: readonly RuleId[], requestedBy: string | null): Promise<void> {
  if (patientIds.length === 0 || rules.length === 0) return;
  const today = clinicDay(ctx.config.timeZone, ctx.clock.now());
  const fromDay = addDays(today, -(REEVALUATION_DAYS - 1));
  for (let start = 0; start < patientIds.length; start += 200) {
    const ids = patientIds.slice(start, start + 200);
    const pending = await db.selectFrom('rule_evaluations').select(['patient_id', 'rules'])
      .where('patient_id', 'in', ids).where('finished_at', 'is', null).execute();
    const earlier = new Map<string, Set<string>>();
    for (const job of pending) for (const rule of job.rules.split(',')) (earlier.get(job.patient_id) ?? earlier.set(job.patient_id, new Set()).get(job.patient_id)!).add(rule);
    await db.deleteFrom('rule_evaluations').where('patient_id', 'in', ids).where('finished_at', 'is', null).execute();
    await db.insertInto('rule_evaluations').values(ids.map((patientId) => ({
      id: newId(), patient_id: patientId, rules: [...new Set([...(earlier.get(patientId) ?? []), ...rules])].join(','),
      from_day: fromDay, to_day: today, next_day: fromDay, requested_by: requestedBy, requested_at: ctx.clock.now(),
      lease_until: null, finished_at: null,
    }))).execute();
  }
}

/** Evaluates the next few days of one pending job. False when there was nothing to do. */
export async function processNextBatch(ctx: DerivationCtx): Promise<boolean> {
  const now = ctx.clock.now();
  const candidates = await ctx.db.selectFrom('rule_evaluations').selectAll()
    .where('finished_at', 'is', null)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('requested_at').orderBy('id').limit(5).execute();
  for (const job of candidates) {
    // Taken only if nobody took it meanwhile (another instance, another worker).
    const leased = await ctx.db.updateTable('rule_evaluations').set({ lease_until: now + LEASE })
      .where('id', '=', job.id).where('finished_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(leased.numUpdatedRows) !== 1) continue;
    const lastDay = addDays(job.next_day, BATCH_DAYS - 1) < job.to_day ? addDays(job.next_day, BATCH_DAYS - 1) : job.to_day;
    const rules = job.rules.split(',').filter(isRuleId);
    await ctx.db.transaction().execute(async (trx) => {
      await reevaluateRules(ctx, job.patient_id, job.next_day, lastDay, rules, trx);
      const done = lastDay >= job.to_day;
      await trx.updateTable('rule_evaluations')
        .set({ next_day: addDays(lastDay, 1), lease_until: null, finished_at: done ? ctx.clock.now() : null })
        .where('id', '=', job.id).execute();
    });
    return true;
  }
  return false;
}

export interface EvaluationProgress {
  /** Patients still being evaluated again. */
  patients: number;
  daysDone: number;
  daysTotal: number;
}

/** Progress of the re-evaluations not finished yet, for one patient or for all. */
export async function evaluationProgress(db: Kysely<Database>, patientId?: string): Promise<EvaluationProgress> {
  const jobs = await db.selectFrom('rule_evaluations').select(['from_day', 'to_day', 'next_day'])
    .where('finished_at', 'is', null)
    .$if(patientId !== undefined, (qb) => qb.where('patient_id', '=', patientId!))
    .execute();
  let daysDone = 0;
  let daysTotal = 0;
  for (const job of jobs) {
    daysDone += daysBetween(job.from_day, job.next_day);
    daysTotal += daysBetween(job.from_day, job.to_day) + 1;
  }
  return { patients: jobs.length, daysDone, daysTotal };
}

/**
 * One worker per process: `kick` after queueing; it works batch after batch, yielding to the
 * event loop between them, until nothing is pending. `stop` lets the current batch finish.
 */
export class EvaluationWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly ctx: DerivationCtx, private readonly onError: (error: unknown) => void = () => {}) {}

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().catch(this.onError).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves once nothing is running (tests wait for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  private async loop(): Promise<void> {
    while (!this.stopped && (await processNextBatch(this.ctx))) await new Promise((resolve) => setImmediate(resolve));
  }
}
