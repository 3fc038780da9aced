// The demo: eight patients with 24-hour recordings, shared among the given clinicians. Series are
// generated from a seed, so the same seed gives the same recordings on every run; only their
// dates follow the clock, so the newest records are always from the last few days.
import type { AppContext } from '../../context.js';
import { DAY, MINUTE } from '../../clock.js';
import type { Patient, Sex } from '../../db/schema.js';
import { assignClinician } from '../care-teams.js';
import { createPatient } from '../patients.js';
import { storeRecording } from '../records.js';
import { TICKS_PER_SECOND } from '../series-codec.js';
import { deriveSeed, SeededRandom } from './random.js';
import { syntheticRecording, type Physiology } from './synthetic-recording.js';

type Ctx = Pick<AppContext, 'db' | 'clock'>;

interface DemoPatient extends Physiology {
  externalId: string;
  name: string;
  dateOfBirth: string;
  sex: Sex;
  heightCm: number;
  weightKg: number;
  /** Days before the anchor day of each record; the list shows whose latest record is old. */
  recordDays: number[];
}

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  { externalId: 'DEMO-001', name: 'Amélie Laurent', dateOfBirth: '1958-03-14', sex: 'female', heightCm: 164, weightKg: 61, restingHeartRate: 64, runner: false, bedtimeHour: 22.5, wakeHour: 6.5, recordDays: [0, 1, 2] },
  { externalId: 'DEMO-002', name: 'Bernard Okafor', dateOfBirth: '1971-09-02', sex: 'male', heightCm: 181, weightKg: 88, restingHeartRate: 70, runner: false, bedtimeHour: 23.5, wakeHour: 7, recordDays: [8, 10] },
  { externalId: 'DEMO-003', name: 'Chloé Martin', dateOfBirth: '1990-06-21', sex: 'female', heightCm: 170, weightKg: 59, restingHeartRate: 56, runner: true, bedtimeHour: 23, wakeHour: 6.75, recordDays: [0, 1, 3] },
  { externalId: 'DEMO-004', name: 'David Nguyen', dateOfBirth: '1983-12-05', sex: 'male', heightCm: 176, weightKg: 74, restingHeartRate: 60, runner: true, bedtimeHour: 0.5, wakeHour: 8, recordDays: [1] },
  { externalId: 'DEMO-005', name: 'Esther Kowalski', dateOfBirth: '1949-01-30', sex: 'female', heightCm: 158, weightKg: 66, restingHeartRate: 72, runner: false, bedtimeHour: 22, wakeHour: 6, recordDays: [0, 4] },
  { externalId: 'DEMO-006', name: 'François Dubois', dateOfBirth: '1966-07-11', sex: 'male', heightCm: 172, weightKg: 95, restingHeartRate: 74, runner: false, bedtimeHour: 23, wakeHour: 6.5, recordDays: [0, 1, 2] },
  { externalId: 'DEMO-007', name: 'Grace Mensah', dateOfBirth: '1977-04-23', sex: 'female', heightCm: 168, weightKg: 70, restingHeartRate: 62, runner: true, bedtimeHour: 22.75, wakeHour: 6.25, recordDays: [10, 12] },
  { externalId: 'DEMO-008', name: 'Hiroshi Tanaka', dateOfBirth: '1995-10-17', sex: 'male', heightCm: 179, weightKg: 71, restingHeartRate: 52, runner: true, bedtimeHour: 0, wakeHour: 7.5, recordDays: [0] },
];

export class DemoDataError extends Error {}

export interface DemoOptions {
  /** Clinicians to share the patients among (the fourth patient is in two teams); none: admins only. */
  clinicianIds: readonly string[];
  seed?: number;
  /**
   * Epoch ms of the local midnight that begins the newest records' day; hours of day (sleep, walks)
   * count from it. Default: UTC midnight two days before the clock's now, so every record has ended.
   */
  anchorDay?: number;
}

export interface DemoData {
  patients: Patient[];
  recordCount: number;
}

export const DEFAULT_DEMO_SEED = 20_260_101;

export async function createDemoData(ctx: Ctx, options: DemoOptions): Promise<DemoData> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const anchorDay = options.anchorDay ?? Math.floor(ctx.clock.now() / DAY) * DAY - 2 * DAY;
  const existing = await ctx.db.selectFrom('patients').select('external_id')
    .where('external_id', 'in', DEMO_PATIENTS.map((p) => p.externalId)).execute();
  if (existing.length > 0) {
    throw new DemoDataError(`The demo patients already exist (${existing.map((p) => p.external_id).join(', ')}): the demo is meant for an empty database.`);
  }
  const clinicians = options.clinicianIds;
  return ctx.db.transaction().execute(async (trx) => {
    const patients: Patient[] = [];
    let recordCount = 0;
    for (const [index, demo] of DEMO_PATIENTS.entries()) {
      const { externalId, name, dateOfBirth, sex, heightCm, weightKg } = demo;
      const patient = await createPatient(ctx, { externalId, name, dateOfBirth, sex, heightCm, weightKg }, trx);
      patients.push(patient);
      for (const team of careTeamOf(index, clinicians)) await assignClinician(ctx, patient.id, team, trx);
      for (const [recordIndex, daysBefore] of demo.recordDays.entries()) {
        const recordSeed = deriveSeed(seed, index, recordIndex);
        // Shirts go on in the morning: somewhere between 7:30 and 9:00.
        const startMinute = Math.round((7.5 + new SeededRandom(recordSeed).next() * 1.5) * 60);
        const startHour = startMinute / 60;
        const startMs = anchorDay - daysBefore * DAY + startMinute * MINUTE;
        const recording = syntheticRecording(recordSeed, demo, (startMs / 1000) * TICKS_PER_SECOND, startHour);
        await storeRecording(ctx, { patient, recording, deviceSerial: `HX-DEMO-${String(index + 1).padStart(3, '0')}` }, trx);
        recordCount++;
      }
    }
    return { patients, recordCount };
  });
}

/** Patients split evenly in order among the clinicians; the fourth one also in the next team. */
function careTeamOf(index: number, clinicians: readonly string[]): string[] {
  if (clinicians.length === 0) return [];
  const team = clinicians[Math.floor((index * clinicians.length) / DEMO_PATIENTS.length)]!;
  const shared = index === 3 && clinicians.length > 1 ? clinicians[(clinicians.indexOf(team) + 1) % clinicians.length]! : null;
  return shared && shared !== team ? [team, shared] : [team];
}
