// A clinician reaches the patients of their care team and nothing else, through every function
// the web layer and the CLI call; an admin reaches every patient.
import { expect, it } from 'vitest';
import type { Viewer } from '../../src/health/access.js';
import { CareTeamError, assignClinician, listCareTeam, removeClinician } from '../../src/health/care-teams.js';
import { chartDataFor } from '../../src/health/chart-data.js';
import { exportCsvFor, recordingToCsv } from '../../src/health/csv-export.js';
import { importCsv, importCsvFor } from '../../src/health/import.js';
import { createPatient, findPatientFor } from '../../src/health/patients.js';
import { worklistFor } from '../../src/health/worklist.js';
import { findRecordFor, listRecordsFor } from '../../src/health/records.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { healthRowCounts, plausible, recordingOf, streamOf, userIdOf } from '../support/health.js';
import { addAccount } from '../support/sign-in.js';
import { TEST_START, type TestApp } from '../support/test-app.js';

async function twoCareTeams(t: TestApp) {
  const viewer = async (role: 'admin' | 'clinician', name: string): Promise<Viewer> =>
    ({ id: await userIdOf(t.ctx, (await addAccount(t, role, name)).email), role });
  const [admin, alice, bob] = [await viewer('admin', 'Ada Admin'), await viewer('clinician', 'Alice Aalto'), await viewer('clinician', 'Bob Berg')];
  const alicePatient = await createPatient(t.ctx, { externalId: 'S-001', name: 'Paula Prentiss', dateOfBirth: '1960-02-03', sex: 'female' });
  const bobPatient = await createPatient(t.ctx, { externalId: 'S-002', name: 'Quentin Quist', dateOfBirth: '1972-08-09', sex: 'male' });
  await assignClinician(t.ctx, alicePatient.id, alice.id);
  await assignClinician(t.ctx, bobPatient.id, bob.id);
  const csv = (offset: number) => recordingToCsv(recordingOf(TEST_START - 86_400_000 + offset, 600, plausible));
  const aliceRecord = (await importCsv(t.ctx, alicePatient.id, streamOf(csv(0)))).record;
  const bobRecord = (await importCsv(t.ctx, bobPatient.id, streamOf(csv(1000)))).record;
  return { admin, alice, bob, alicePatient, bobPatient, aliceRecord, bobRecord, csv };
}

describeOnEachDatabase('who sees which patient', (database) => {
  const t = freshAppPerTest(database);

  it('a clinician reaches their own patient, its records, charts and exports', async () => {
    const { alice, alicePatient, aliceRecord } = await twoCareTeams(t());
    expect((await findPatientFor(t().ctx, alice, alicePatient.id))?.name).toBe('Paula Prentiss');
    expect((await listRecordsFor(t().ctx, alice, alicePatient.id))?.records.map((r) => r.id)).toEqual([aliceRecord.id]);
    expect((await findRecordFor(t().ctx, alice, aliceRecord.id))?.patient.id).toBe(alicePatient.id);
    expect((await chartDataFor(t().ctx, alice, aliceRecord.id, { buckets: 100 }))?.times.length).toBeGreaterThan(0);
    expect(await exportCsvFor(t().ctx, alice, aliceRecord.id)).not.toBeNull();
  });

  it("a clinician cannot reach another team's patient through any function: each answers null", async () => {
    const { alice, bobPatient, bobRecord, csv } = await twoCareTeams(t());
    expect(await findPatientFor(t().ctx, alice, bobPatient.id)).toBeNull();
    expect(await listRecordsFor(t().ctx, alice, bobPatient.id)).toBeNull();
    expect(await findRecordFor(t().ctx, alice, bobRecord.id)).toBeNull();
    expect(await chartDataFor(t().ctx, alice, bobRecord.id, { buckets: 100 })).toBeNull();
    expect(await chartDataFor(t().ctx, alice, bobRecord.id, { from: TEST_START - 86_400_000, to: TEST_START, buckets: 10 })).toBeNull();
    expect(await exportCsvFor(t().ctx, alice, bobRecord.id)).toBeNull();
    expect(await exportCsvFor(t().ctx, alice, bobRecord.id, { from: 0, to: Date.now() })).toBeNull();
    const before = await healthRowCounts(t().ctx);
    expect(await importCsvFor(t().ctx, alice, bobPatient.id, streamOf(csv(5000)))).toBeNull();
    expect(await healthRowCounts(t().ctx)).toEqual(before);
  });

  it("the patient list and its search show only the clinician's own patients", async () => {
    const { alice, alicePatient } = await twoCareTeams(t());
    const list = await worklistFor(t().ctx, alice);
    expect(list.total).toBe(1);
    expect(list.entries.map((e) => e.patient.id)).toEqual([alicePatient.id]);
    expect((await worklistFor(t().ctx, alice, { search: 'Quentin' })).entries).toEqual([]);
    expect((await worklistFor(t().ctx, alice, { search: 'S-002' })).total).toBe(0);
    expect((await worklistFor(t().ctx, alice, { search: '%' })).total).toBe(0);
    expect((await worklistFor(t().ctx, alice, { search: 's-001' })).total).toBe(1);
  });

  it('an admin sees every patient and every record', async () => {
    const { admin, alicePatient, bobPatient, bobRecord } = await twoCareTeams(t());
    expect((await worklistFor(t().ctx, admin, { sort: 'name' })).entries.map((e) => e.patient.id)).toEqual([alicePatient.id, bobPatient.id]);
    expect(await findPatientFor(t().ctx, admin, bobPatient.id)).not.toBeNull();
    expect(await findRecordFor(t().ctx, admin, bobRecord.id)).not.toBeNull();
  });

  it('ids that do not exist or are not ids at all answer null like a refusal', async () => {
    const { admin, alice } = await twoCareTeams(t());
    for (const id of ['00000000-0000-4000-8000-000000000000', "' or 1=1 --", '', 'x'.repeat(500)]) {
      for (const viewer of [admin, alice]) {
        expect(await findPatientFor(t().ctx, viewer, id)).toBeNull();
        expect(await findRecordFor(t().ctx, viewer, id)).toBeNull();
        expect(await chartDataFor(t().ctx, viewer, id, { buckets: 10 })).toBeNull();
        expect(await exportCsvFor(t().ctx, viewer, id)).toBeNull();
        expect(await listRecordsFor(t().ctx, viewer, id)).toBeNull();
      }
    }
  });

  it('access follows the care team: removed, the clinician loses the patient; added, gains it', async () => {
    const { alice, alicePatient, bobPatient, aliceRecord } = await twoCareTeams(t());
    expect(await removeClinician(t().ctx, alicePatient.id, alice.id)).toBe(true);
    expect(await findPatientFor(t().ctx, alice, alicePatient.id)).toBeNull();
    expect(await chartDataFor(t().ctx, alice, aliceRecord.id, { buckets: 10 })).toBeNull();
    await assignClinician(t().ctx, bobPatient.id, alice.id);
    await assignClinician(t().ctx, bobPatient.id, alice.id); // twice changes nothing
    expect((await listCareTeam(t().ctx, bobPatient.id)).map((m) => m.name)).toEqual(['Alice Aalto', 'Bob Berg']);
    expect((await worklistFor(t().ctx, alice)).entries.map((e) => e.patient.id)).toEqual([bobPatient.id]);
  });

  it('only clinicians join care teams, and only existing patients have one', async () => {
    const { admin, alice, alicePatient } = await twoCareTeams(t());
    await expect(assignClinician(t().ctx, alicePatient.id, admin.id)).rejects.toThrow(CareTeamError);
    await expect(assignClinician(t().ctx, alicePatient.id, 'no-such-user')).rejects.toThrow(/no such account/);
    await expect(assignClinician(t().ctx, 'no-such-patient', alice.id)).rejects.toThrow(/no such patient/);
  });
});
