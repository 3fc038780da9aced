// The demo: a clinic morning. Patients with 30 days of recordings each (a shirt worn day and
// night, changed every morning), shared among the given clinicians. Among them, some trip each
// clinical rule (tachycardia at rest, a bradycardic night with slow breathing, fast breathing at
// rest, a resting HR drifting up over two weeks, low wear time, no recent data), older flags are
// reviewed, most patients are calm. Series come from a seed: the same seed gives the same
// recordings on every run; only their dates follow the clock.
import type { AppContext } from '../../context.js';
import { MINUTE } from '../../clock.js';
import type { Patient, Sex } from '../../db/schema.js';
import { assignClinician } from '../care-teams.js';
import { addDays, clinicDay, clinicInstant } from '../clinic-days.js';
import { recomputePatientDerivedData } from '../derived-data.js';
import { reviewFlagsFor } from '../flags.js';
import { addNoteFor } from '../notes.js';
import { placeRecordings, type RecordingSource } from '../patient-timeline.js';
import { createPatient } from '../patients.js';
import { storeRecording } from '../records.js';
import { addTagFor } from '../tags.js';
import { TICKS_PER_SECOND } from '../series-codec.js';
import { deriveSeed, SeededRandom } from './random.js';
import { syntheticRecording, type Physiology, type SyntheticEvent } from './synthetic-recording.js';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'config'>;

/** What happens on the recording that started `daysAgo` mornings ago (1: yesterday's, ending this morning). */
interface DayPlan {
  /** Added to the resting heart rate that day. */
  restingShift?: number;
  /** Events at clock hours (local, 24 h; after midnight: 24 + hour). */
  events?: { kind: 'heart_rate' | 'breathing_rate' | 'off'; hour: number; seconds: number; value?: number }[];
}

interface DemoPatient extends Physiology {
  externalId: string;
  name: string;
  dateOfBirth: string;
  sex: Sex;
  heightCm: number;
  weightKg: number;
  /** Index into the clinicians given: whose care team (the fourth patient is in two). */
  team: number;
  /** The last recording ended this many mornings ago (0: this morning). */
  stoppedDaysAgo?: number;
  plan?: (daysAgo: number) => DayPlan;
}

/** 1.5 bpm a day over the last two weeks: the resting HR drifts 20 bpm up. */
const drift = (daysAgo: number) => (daysAgo <= 14 ? 1.5 * (15 - daysAgo) : 0);

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  { externalId: 'DEMO-001', name: 'Amélie Laurent', dateOfBirth: '1958-03-14', sex: 'female', heightCm: 164, weightKg: 61, restingHeartRate: 64, restingBreathingRate: 16, runner: false, bedtimeHour: 22.5, wakeHour: 6.5, team: 1 },
  { externalId: 'DEMO-002', name: 'Bernard Okafor', dateOfBirth: '1971-09-02', sex: 'male', heightCm: 181, weightKg: 88, restingHeartRate: 70, restingBreathingRate: 14, runner: false, bedtimeHour: 23.5, wakeHour: 7, team: 1, stoppedDaysAgo: 3 },
  { externalId: 'DEMO-003', name: 'Chloé Martin', dateOfBirth: '1990-06-21', sex: 'female', heightCm: 170, weightKg: 59, restingHeartRate: 59, restingBreathingRate: 13, runner: true, bedtimeHour: 23, wakeHour: 6.75, team: 1 },
  {
    externalId: 'DEMO-004', name: 'David Nguyen', dateOfBirth: '1983-12-05', sex: 'male', heightCm: 176, weightKg: 74, restingHeartRate: 60, restingBreathingRate: 14, runner: true, bedtimeHour: 0.5, wakeHour: 7, team: 1,
    // Yesterday afternoon, sitting: 7 min 12 s at ~138 bpm; ten days ago a shorter one (reviewed).
    plan: (daysAgo) => (daysAgo === 1 ? { events: [{ kind: 'heart_rate', hour: 15.2, seconds: 432, value: 139 }] }
      : daysAgo === 10 ? { events: [{ kind: 'heart_rate', hour: 11, seconds: 330, value: 128 }] } : {}),
  },
  {
    externalId: 'DEMO-005', name: 'Esther Kowalski', dateOfBirth: '1949-01-30', sex: 'female', heightCm: 158, weightKg: 66, restingHeartRate: 66, restingBreathingRate: 17, runner: false, bedtimeHour: 22, wakeHour: 6, team: 0,
    // Last night: heart rate in the high 30s for 3 min, and breathing at 6/min for 3 min.
    plan: (daysAgo) => (daysAgo === 1 ? { events: [{ kind: 'heart_rate', hour: 24 + 3.3, seconds: 200, value: 36 }, { kind: 'breathing_rate', hour: 24 + 2.1, seconds: 190, value: 6 }] } : {}),
  },
  {
    externalId: 'DEMO-006', name: 'François Dubois', dateOfBirth: '1966-07-11', sex: 'male', heightCm: 172, weightKg: 95, restingHeartRate: 66, restingBreathingRate: 16.5, runner: false, bedtimeHour: 23, wakeHour: 6.5, team: 0,
    // Resting HR drifting up for two weeks; the day before yesterday, 12 min of fast breathing at rest.
    plan: (daysAgo) => ({ restingShift: drift(daysAgo), events: daysAgo === 2 ? [{ kind: 'breathing_rate', hour: 16.5, seconds: 730, value: 28 }] : [] }),
  },
  {
    externalId: 'DEMO-007', name: 'Grace Mensah', dateOfBirth: '1977-04-23', sex: 'female', heightCm: 168, weightKg: 70, restingHeartRate: 62, restingBreathingRate: 15, runner: true, bedtimeHour: 22.75, wakeHour: 6.25, team: 0,
    // Yesterday the shirt stayed off from 11:00 to 21:00; twelve days ago, 9 h (reviewed).
    plan: (daysAgo) => (daysAgo === 1 ? { events: [{ kind: 'off', hour: 11, seconds: 10 * 3600 }] }
      : daysAgo === 12 ? { events: [{ kind: 'off', hour: 12, seconds: 9 * 3600 }] } : {}),
  },
  { externalId: 'DEMO-008', name: 'Hiroshi Tanaka', dateOfBirth: '1995-10-17', sex: 'male', heightCm: 179, weightKg: 71, restingHeartRate: 58, restingBreathingRate: 13, runner: true, bedtimeHour: 0, wakeHour: 7.5, team: 0 },
  { externalId: 'DEMO-009', name: 'Ingrid Halvorsen', dateOfBirth: '1962-02-08', sex: 'female', heightCm: 171, weightKg: 68, restingHeartRate: 63, restingBreathingRate: 15.5, runner: false, bedtimeHour: 22.5, wakeHour: 6.5, team: 0 },
  { externalId: 'DEMO-010', name: 'Jamal Haddad', dateOfBirth: '1955-11-29', sex: 'male', heightCm: 174, weightKg: 81, restingHeartRate: 68, restingBreathingRate: 16, runner: false, bedtimeHour: 23, wakeHour: 7, team: 0 },
];

export class DemoDataError extends Error {}

export interface DemoOptions {
  /** Clinicians to share the patients among; none: admins only. Reviews and notes are theirs. */
  clinicianIds: readonly string[];
  seed?: number;
  /** Days of recordings per patient (default 30). */
  historyDays?: number;
}

export interface DemoData {
  patients: Patient[];
  recordCount: number;
}

export const DEFAULT_DEMO_SEED = 20_260_101;
export const DEMO_HISTORY_DAYS = 30;
/** The shirt goes on around 07:40 and is changed 23 h 30 min later, the next morning. */
const WEAR_SECONDS = 23.5 * 3600;

export async function createDemoData(ctx: Ctx, options: DemoOptions): Promise<DemoData> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const historyDays = options.historyDays ?? DEMO_HISTORY_DAYS;
  const zone = ctx.config.timeZone;
  const existing = await ctx.db.selectFrom('patients').select('external_id')
    .where('external_id', 'in', DEMO_PATIENTS.map((p) => p.externalId)).execute();
  if (existing.length > 0) {
    throw new DemoDataError(`The demo patients already exist (${existing.map((p) => p.external_id).join(', ')}): the demo is meant for an empty database.`);
  }
  // "This morning": the newest recordings end around 07:10 on the clinic date of eight hours ago,
  // so that they have ended whenever the demo runs.
  const today = clinicDay(zone, ctx.clock.now() - 8 * 3600_000);
  const clinicians = options.clinicianIds;
  const patients: Patient[] = [];
  let recordCount = 0;
  // One transaction per patient, two patients at a time: on PostgreSQL one patient's series are
  // generated while the server stores the other's (SQLite has one connection: they take turns).
  await twoAtATime([...DEMO_PATIENTS.entries()], async ([index, demo]) => {
    await ctx.db.transaction().execute(async (trx) => {
      const { externalId, name, dateOfBirth, sex, heightCm, weightKg } = demo;
      const patient = await createPatient(ctx, { externalId, name, dateOfBirth, sex, heightCm, weightKg }, trx);
      // Added to HMS the morning the shirt was fitted.
      const fitted = clinicInstant(zone, addDays(today, -historyDays), 7);
      await trx.updateTable('patients').set({ created_at: fitted }).where('id', '=', patient.id).execute();
      patients[index] = { ...patient, created_at: fitted };
      for (const team of careTeamOf(demo, clinicians)) await assignClinician(ctx, patient.id, team, trx);
      const stored: RecordingSource[] = [];
      for (let daysAgo = historyDays; daysAgo >= 1 + (demo.stoppedDaysAgo ?? 0); daysAgo--) {
        const recordSeed = deriveSeed(seed, index, daysAgo);
        const startMinute = Math.round(7 * 60 + 25 + new SeededRandom(recordSeed).next() * 30); // 07:25–07:55
        const startMs = clinicInstant(zone, addDays(today, -daysAgo)) + startMinute * MINUTE;
        const plan = demo.plan?.(daysAgo) ?? {};
        const physiology = { ...demo, restingHeartRate: demo.restingHeartRate + (plan.restingShift ?? 0) };
        const events: SyntheticEvent[] = (plan.events ?? []).map((e) => {
          const at = Math.round((e.hour * 60 - startMinute) * 60);
          return e.kind === 'off' ? { kind: 'off', at, seconds: e.seconds }
            : e.kind === 'heart_rate' ? { kind: 'heart_rate', at, seconds: e.seconds, bpm: e.value! } : { kind: 'breathing_rate', at, seconds: e.seconds, rpm: e.value! };
        });
        const recording = syntheticRecording(recordSeed, physiology, (startMs / 1000) * TICKS_PER_SECOND, startMinute / 60, { seconds: WEAR_SECONDS, events });
        const record = await storeRecording(ctx, { patient, recording, deviceSerial: `HX-DEMO-${String(index + 1).padStart(3, '0')}` }, trx);
        stored.push({
          id: record.id, startedAt: record.started_at, endedAt: record.ended_at, startTimestamp: record.start_timestamp, sampleCount: record.sample_count,
          read: async (datatypes, from, to) => new Map(datatypes.map((d) => [d, recording.channels.get(d)!.subarray(from, to)])),
        });
        recordCount++;
      }
      // Derived once for the whole history, from the series still in memory: the same result as
      // importing the files one by one, without reading 30 days back from the database.
      await recomputePatientDerivedData(ctx, patient.id, addDays(today, -historyDays), today, trx, (span) => placeRecordings(span, stored));
    });
  });
  if (clinicians.length > 0) await addClinicalHistory(ctx, patients, today, historyDays);
  return { patients, recordCount };
}

async function twoAtATime<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all([worker(), worker()]);
}

/** Patients in order among the clinicians by their `team`; the fourth one also in the next team. */
function careTeamOf(demo: DemoPatient, clinicians: readonly string[]): string[] {
  if (clinicians.length === 0) return [];
  const team = clinicians[demo.team % clinicians.length]!;
  const shared = demo.externalId === 'DEMO-004' && clinicians.length > 1 ? clinicians[(demo.team + 1) % clinicians.length]! : null;
  return shared ? [team, shared] : [team];
}

/**
 * What the team did before this morning: flags older than four days reviewed (with the reasons a
 * clinician writes), a few notes and tagged events. Dated in the past, as they happened.
 */
async function addClinicalHistory(ctx: Ctx, patients: Patient[], today: string, historyDays: number): Promise<void> {
  const zone = ctx.config.timeZone;
  const now = ctx.clock.now();
  const byId = new Map(patients.map((p) => [p.external_id, p]));
  const member = async (patient: Patient) => (await ctx.db.selectFrom('care_team_members').select('user_id')
    .where('patient_id', '=', patient.id).orderBy('assigned_at').executeTakeFirstOrThrow()).user_id;
  // Reviews and notes carry the time the clock says: a context whose clock reads that moment.
  /** Reviews, at `when`, the flags of a rule (or all) that had ended by `endedBy`. */
  const reviewAs = async (patient: Patient, when: number, comment: string, flagRule: string | undefined, endedBy: number) => {
    const viewer = { id: await member(patient), role: 'clinician' as const };
    const pastCtx = { ...ctx, clock: { now: () => when } };
    const flags = await ctx.db.selectFrom('flags').select(['id', 'rule', 'started_at']).where('patient_id', '=', patient.id)
      .where('review_id', 'is', null).where('ended_at', '<=', endedBy).execute();
    for (const flag of flags.filter((f) => !flagRule || f.rule === flagRule)) {
      await reviewFlagsFor(pastCtx, viewer, { scope: 'flag', flagId: flag.id }, comment);
    }
  };
  const daysAgo = (n: number, hour: number) => clinicInstant(zone, addDays(today, -n), hour);

  const david = byId.get('DEMO-004')!;
  await reviewAs(david, daysAgo(9, 9), 'Short run at rest, asymptomatic. Cardiology follow-up already booked.', 'tachycardia_at_rest', daysAgo(5, 0));
  const grace = byId.get('DEMO-007')!;
  await reviewAs(grace, daysAgo(11, 9.5), 'Called: she forgot to charge the shirt. Reminded her of the charger routine.', 'low_wear', daysAgo(5, 0));
  for (const patient of patients) {
    // The first day is short: the shirt was fitted at the clinic that morning.
    await reviewAs(patient, daysAgo(historyDays - 2, 9), 'Shirt fitted at the clinic that morning: first day incomplete.', 'low_wear', daysAgo(historyDays - 2, 0));
    await reviewAs(patient, daysAgo(4, 16), 'Reviewed at the weekly team meeting.', undefined, daysAgo(5, 0));
  }

  const note = async (patient: Patient, when: number, text: string) => {
    await addNoteFor({ ...ctx, clock: { now: () => when } }, { id: await member(patient), role: 'clinician' }, patient.id, text);
  };
  await note(david, daysAgo(9, 9.2), 'Reports palpitations when climbing stairs, none at rest. Holter last year normal. Cardiology appointment on the 3rd.');
  await note(byId.get('DEMO-005')!, daysAgo(6, 10), 'Started a beta-blocker (bisoprolol 2.5 mg) six days ago, prescribed by her GP. Watch the night heart rate.');
  await note(byId.get('DEMO-006')!, daysAgo(3, 14), 'Phone call: feels more tired than usual, mild cough for a week. Asked to keep the shirt on at night.');
  await note(byId.get('DEMO-002')!, daysAgo(20, 11), 'Travelling for work from the 20th; may not wear the shirt every day.');

  // David marked the moment he felt his heart racing; Esther tagged her night.
  const davidRecord = await ctx.db.selectFrom('records').select(['id', 'started_at']).where('patient_id', '=', david.id).orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow();
  const davidUser = { id: await member(david), role: 'clinician' as const };
  const episode = clinicInstant(zone, addDays(today, -1), 15, 12);
  await addTagFor({ ...ctx, clock: { now: () => Math.min(now, episode + 17 * 3600_000) } }, davidUser, davidRecord.id,
    { kind: 'symptom', from: episode, to: episode + 8 * MINUTE, text: 'Felt his heart racing while reading; no chest pain.' });
  const esther = byId.get('DEMO-005')!;
  const estherRecord = await ctx.db.selectFrom('records').select('id').where('patient_id', '=', esther.id).orderBy('started_at', 'desc').limit(1).executeTakeFirstOrThrow();
  await addTagFor({ ...ctx, clock: { now: () => Math.min(now, daysAgo(0, 7.5)) } }, { id: await member(esther), role: 'clinician' }, estherRecord.id,
    { kind: 'sleep', from: clinicInstant(zone, addDays(today, -1), 22, 5), to: clinicInstant(zone, today, 5, 50), text: 'In bed, from her diary' });
}
