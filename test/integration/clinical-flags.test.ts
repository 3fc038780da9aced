// Flags and daily metrics derived from stored recordings (DESIGN.md §5), on SQLite and PostgreSQL:
// at import, across recordings back to back, after a threshold change (reviews kept), after a
// recording is deleted, and as time passes (no recent data, low wear).
import { expect, it } from 'vitest';
import { DAY, MINUTE } from '../../src/clock.js';
import type { AppContext } from '../../src/context.js';
import { clinicInstant, daysTouchedBy } from '../../src/health/clinic-days.js';
import { evaluateTimeRules, recomputeForRecordings, recomputePatientDerivedData } from '../../src/health/derived-data.js';
import { enqueueReevaluation, evaluationProgress, EvaluationWorker } from '../../src/health/evaluation-jobs.js';
import { flagsOfPeriod, reviewFlagsFor } from '../../src/health/flags.js';
import { createPatient } from '../../src/health/patients.js';
import { setPatientSettings } from '../../src/health/rules/settings.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { importRecording, quietRecording, userIdOf } from '../support/health.js';
import { addAccount } from '../support/sign-in.js';

const ZONE = 'America/Montreal';
const at = (day: string, hour: number, minute = 0) => clinicInstant(ZONE, day, hour, minute);
const everything = { from: 0, to: 8.64e15 };

/** HR 130 from `from` for `seconds` (at rest: the quiet recording's activity is 0.01 g). */
const tachycardia = (offset: number, seconds: number) => (channels: Map<number, Float32Array>) => channels.get(19)!.fill(130, offset, offset + seconds);

/** The patient's flags (of tachycardia at rest, unless other rules are named). */
async function flagsOf(ctx: AppContext, patientId: string, rules: string[] = ['tachycardia_at_rest']) {
  return (await flagsOfPeriod(ctx, patientId, everything)).filter((f) => rules.includes(f.rule)).map((f) => ({ rule: f.rule, text: f.valueText, reviewed: f.review !== null, from: f.startedAt, to: f.endedAt, recordId: f.recordId }));
}

describeOnEachDatabase('clinical flags', (database) => {
  const t = freshAppPerTest(database, { HMS_TIME_ZONE: ZONE });
  const patientOf = (ctx: AppContext) => createPatient(ctx, { name: 'Rule Patient', dateOfBirth: '1960-01-01', sex: 'female' });
  const adminOf = async () => ({ id: await userIdOf(t().ctx, (await addAccount(t(), 'admin')).email), role: 'admin' as const });

  it('an import stores its flags, daily metrics and hourly wear; a run across two recordings back to back is one flag, in either order', async () => {
    const { ctx } = t();
    // A: Fri 20 Nov 08:00 → Sat 21 Nov 08:00; B: from Sat 08:00 for 4 h. HR 130 from 07:57 to 08:03 Saturday.
    const a = quietRecording(at('2026-11-20', 8), 86_400, tachycardia(86_400 - 180, 180));
    const b = quietRecording(at('2026-11-21', 8), 4 * 3600, tachycardia(0, 180));
    for (const order of [[a, b], [b, a]]) {
      const patient = await patientOf(ctx);
      const first = await importRecording(ctx, patient, order[0]!);
      const second = await importRecording(ctx, patient, order[1]!);
      const flags = await flagsOf(ctx, patient.id);
      expect(flags.map((f) => [f.rule, f.text])).toEqual([['tachycardia_at_rest', 'HR 130 bpm (max 130) for 6 min at rest, activity 0.01 g']]);
      expect(flags[0]!.from).toBe(at('2026-11-21', 7, 57));
      expect(flags[0]!.recordId).toBe(order[0] === a ? first.id : second.id);

      const metrics = await ctx.db.selectFrom('daily_metrics').select(['day', 'metric', 'value']).where('patient_id', '=', patient.id).orderBy('day').orderBy('metric').execute();
      const wear = metrics.filter((m) => m.metric === 'wear_time').map((m) => [m.day, m.value]);
      expect(wear).toEqual([['2026-11-20', 16 * 3600], ['2026-11-21', 12 * 3600]]);
      expect(metrics.find((m) => m.day === '2026-11-20' && m.metric === 'resting_hr')?.value).toBe(70);
      const hours = await ctx.db.selectFrom('hourly_wear').select((eb) => eb.fn.sum<number>('seconds').as('total')).where('patient_id', '=', patient.id).executeTakeFirstOrThrow();
      expect(Number(hours.total)).toBe(28 * 3600);
    }
  });

  it('a threshold change re-evaluates in the background and keeps reviews of flags that still hold', async () => {
    const { ctx, clock } = t();
    const admin = await adminOf();
    const patient = await patientOf(ctx);
    // Two episodes on Fri 20 Nov: 115 bpm for 10 min at 10:00, 130 bpm for 6 min at 14:00.
    await importRecording(ctx, patient, quietRecording(at('2026-11-20', 8), 12 * 3600, (c) => {
      c.get(19)!.fill(115, 2 * 3600, 2 * 3600 + 600);
      c.get(19)!.fill(130, 6 * 3600, 6 * 3600 + 360);
    }));
    const [episode] = await flagsOf(ctx, patient.id);
    expect(episode!.text).toContain('HR 130 bpm');
    const flag = (await flagsOfPeriod(ctx, patient.id, everything)).find((f) => f.rule === 'tachycardia_at_rest')!;
    expect((await reviewFlagsFor(ctx, admin, { scope: 'flag', flagId: flag.id }, 'Known, seen in clinic'))!.count).toBe(1);

    // "This patient's tachycardia threshold is 110": the 115 bpm episode trips too, unreviewed.
    await setPatientSettings(ctx, admin.id, patient.id, [{ rule: 'tachycardia_at_rest', threshold: 110, durationSeconds: null }]);
    await enqueueReevaluation(ctx, ctx.db, [patient.id], ['tachycardia_at_rest'], admin.id);
    expect(await evaluationProgress(ctx.db, patient.id)).toEqual({ patients: 1, daysDone: 0, daysTotal: 90 });
    const worker = new EvaluationWorker(ctx, (error) => { throw error; });
    worker.kick();
    await worker.idle();
    expect(await evaluationProgress(ctx.db)).toEqual({ patients: 0, daysDone: 0, daysTotal: 0 });
    expect((await flagsOf(ctx, patient.id)).map((f) => [f.text.slice(0, 11), f.reviewed])).toEqual([['HR 115 bpm ', false], ['HR 130 bpm ', true]]);
    const review = (await flagsOfPeriod(ctx, patient.id, everything)).filter((f) => f.rule === 'tachycardia_at_rest')[1]!.review!;
    expect(review.comment).toBe('Known, seen in clinic');

    // 6 min instead of 5: the 130 bpm episode still holds (6 min), reviewed; raised to 7 min it no longer does.
    clock.advance(MINUTE);
    for (const [minutes, expected] of [[6, [['HR 115 bpm ', false], ['HR 130 bpm ', true]]], [7, [['HR 115 bpm ', false]]]] as const) {
      await setPatientSettings(ctx, admin.id, patient.id, [{ rule: 'tachycardia_at_rest', threshold: 110, durationSeconds: minutes * 60 }]);
      await enqueueReevaluation(ctx, ctx.db, [patient.id], ['tachycardia_at_rest'], admin.id);
      worker.kick();
      await worker.idle();
      expect((await flagsOf(ctx, patient.id)).map((f) => [f.text.slice(0, 11), f.reviewed]), `${minutes} min`).toEqual(expected);
    }
  });

  it('new data that extends a reviewed flag makes it unreviewed again', async () => {
    const { ctx } = t();
    const admin = await adminOf();
    const patient = await patientOf(ctx);
    await importRecording(ctx, patient, quietRecording(at('2026-11-20', 8), 6 * 3600, tachycardia(6 * 3600 - 400, 400)));
    await reviewFlagsFor(ctx, admin, { scope: 'patient', patientId: patient.id, upTo: ctx.clock.now() }, null);
    expect((await flagsOf(ctx, patient.id)).map((f) => f.reviewed)).toEqual([true]);
    await importRecording(ctx, patient, quietRecording(at('2026-11-20', 14), 3600, tachycardia(0, 300)));
    const flags = await flagsOf(ctx, patient.id);
    expect(flags.map((f) => [f.text, f.reviewed])).toEqual([['HR 130 bpm (max 130) for 11 min 40 s at rest, activity 0.01 g', false]]);
  });

  it('recomputing after a recording is deleted removes its metrics and flags', async () => {
    const { ctx } = t();
    const patient = await patientOf(ctx);
    const record = await importRecording(ctx, patient, quietRecording(at('2026-11-20', 8), 86_400, tachycardia(3600, 400)));
    const later = await importRecording(ctx, patient, quietRecording(at('2026-11-22', 8), 3600, tachycardia(600, 400)));
    const every = ['tachycardia_at_rest', 'low_wear', 'no_recent_data'];
    // Still no recent data after the second (older than two days): one open flag, from its end.
    expect((await flagsOf(ctx, patient.id, every)).map((f) => f.rule).sort())
      .toEqual(['low_wear', 'low_wear', 'low_wear', 'no_recent_data', 'tachycardia_at_rest', 'tachycardia_at_rest']);
    const { fromDay, toDay } = daysTouchedBy(ZONE, record.started_at, record.ended_at);
    expect([fromDay, toDay]).toEqual(['2026-11-20', '2026-11-21']);
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('records').where('id', '=', record.id).execute();
      await recomputePatientDerivedData(ctx, patient.id, fromDay, toDay, trx);
    });
    expect((await flagsOf(ctx, patient.id, every)).map((f) => [f.rule, f.from]).sort()).toEqual([
      ['low_wear', at('2026-11-22', 0)], ['no_recent_data', at('2026-11-22', 9)], ['tachycardia_at_rest', at('2026-11-22', 8, 10)],
    ].sort());
    expect((await ctx.db.selectFrom('daily_metrics').select('day').distinct().where('patient_id', '=', patient.id).execute()).map((r) => r.day)).toEqual(['2026-11-22']);
    // The wrapper for deleting code: the days of each deleted recording, read before deleting it.
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('records').where('id', '=', later.id).execute();
      await recomputeForRecordings(ctx, trx, patient.id, [later]);
    });
    expect((await flagsOf(ctx, patient.id, every)).map((f) => f.rule)).toEqual(['no_recent_data']);
    expect(await ctx.db.selectFrom('daily_metrics').selectAll().where('patient_id', '=', patient.id).execute()).toEqual([]);
    expect(await ctx.db.selectFrom('hourly_wear').selectAll().where('patient_id', '=', patient.id).execute()).toEqual([]);
  });

  it('as time passes: a finished day with low wear is flagged, and no recent data opens, then ends when data comes', async () => {
    const { ctx, clock } = t();
    clock.set(at('2026-11-21', 12));
    const patient = await patientOf(ctx);    // Sat 21 Nov, 08:00–20:00: 12 h, under the 18 h target, but the day is not over yet.
    await importRecording(ctx, patient, quietRecording(at('2026-11-21', 8), 12 * 3600));
    const timeRules = ['low_wear', 'no_recent_data'];
    expect(await flagsOf(ctx, patient.id, timeRules)).toEqual([]);
    // Ended, but nothing came after it: judged only once a day has passed (the data of a day comes the next morning).
    clock.set(at('2026-11-22', 0, 10));
    await evaluateTimeRules(ctx, [patient.id], '2026-11-20', '2026-11-22');
    expect(await flagsOf(ctx, patient.id, timeRules)).toEqual([]);
    clock.set(at('2026-11-23', 0, 10));
    await evaluateTimeRules(ctx, [patient.id], '2026-11-20', '2026-11-22');
    expect((await flagsOf(ctx, patient.id, timeRules)).map((f) => f.text)).toEqual(['Worn 12 h on Sat 21 Nov, below the 18 h target']);

    clock.set(at('2026-11-23', 20) + MINUTE);
    await evaluateTimeRules(ctx, [patient.id], '2026-11-22', '2026-11-23');
    const open = (await flagsOf(ctx, patient.id, timeRules)).find((f) => f.rule === 'no_recent_data')!;
    expect(open).toMatchObject({ from: at('2026-11-21', 20), to: null, text: 'Last recording ended Sat, 21 Nov 2026, 20:00 EST; none since (limit 2 days)' });

    clock.advance(DAY);
    await importRecording(ctx, patient, quietRecording(at('2026-11-24', 9), 2 * 3600));
    const ended = (await flagsOf(ctx, patient.id, timeRules)).find((f) => f.rule === 'no_recent_data')!;
    expect(ended.to).toBe(at('2026-11-24', 9));
  });
});
