// The worklist's page and count run as statements compiled once per database handle and shape,
// with each request's values put in their parameters (issue #17). Guarded here: for every shape
// and a spread of values they answer exactly what the same statements built afresh by Kysely
// answer (rows, order, count), and requests running at once never get each other's values.
import { expect, it } from 'vitest';
import { newId } from '../../src/auth/tokens.js';
import { DAY, HOUR } from '../../src/clock.js';
import type { Viewer } from '../../src/health/access.js';
import { assignClinician } from '../../src/health/care-teams.js';
import { escapeLike, foldForSearch } from '../../src/health/patients.js';
import { createPatient } from '../../src/health/patients.js';
import { FLAGGED_WITHIN_DAYS, WORKLIST_FILTERS, WORKLIST_SORTS, worklistFor, type WorklistQuery } from '../../src/health/worklist.js';
import { runWorklistStatements, worklistStatements, type WorklistShape, type WorklistValues } from '../../src/health/worklist-statements.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';
import { userIdOf } from '../support/health.js';
import { addAccount } from '../support/sign-in.js';
import type { TestApp } from '../support/test-app.js';
import type { Patient } from '../../src/db/schema.js';

const NAMES = ['Paula Prentiss', 'Quentin Quist', 'Pam Ayres', 'Rita Ora', 'Sam Spade', 'Tina Turner', 'Patrick Star', 'Uma Thurman', 'Victor Hugo', 'Wanda Maximoff'];

/** Ten patients in two care teams (one archived), with flags of every kind, recordings and reviews. */
async function aClinic(t: TestApp) {
  const viewer = async (role: 'admin' | 'clinician', name: string): Promise<Viewer> =>
    ({ id: await userIdOf(t.ctx, (await addAccount(t, role, name)).email), role });
  const [admin, alice, bob, nobody] = [await viewer('admin', 'Ada Admin'), await viewer('clinician', 'Alice Aalto'),
    await viewer('clinician', 'Bob Berg'), await viewer('clinician', 'Nobody Cares')];
  const now = t.clock.now();
  const { db } = t.ctx;
  const patients: Patient[] = [];
  for (const [i, name] of NAMES.entries()) {
    const patient = await createPatient(t.ctx, { externalId: `S-${100 + i}`, name, dateOfBirth: '1960-02-03', sex: i % 2 ? 'male' : 'female' });
    await assignClinician(t.ctx, patient.id, i % 3 === 0 ? bob.id : alice.id);
    if (i === 4) await assignClinician(t.ctx, patient.id, bob.id); // in both teams
    patients.push(patient);
  }
  await db.updateTable('patients').set({ archived_at: now - DAY, archived_by: admin.id }).where('id', '=', patients[7]!.id).execute();
  const flag = async (i: number, rule: string, severity: 'high' | 'medium' | 'low', startedAgo: number, open: boolean, reviewed: boolean) => {
    const reviewId = reviewed ? newId() : null;
    if (reviewId) {
      await db.insertInto('flag_reviews').values({ id: reviewId, patient_id: patients[i]!.id, reviewed_by: alice.id, reviewed_at: now - HOUR * (i + 1), scope: 'patient', comment: null }).execute();
    }
    await db.insertInto('flags').values({
      id: newId(), patient_id: patients[i]!.id, record_id: null, rule, severity, started_at: now - startedAgo, ended_at: open ? null : now - startedAgo + HOUR,
      day: null, value_text: 'x', value_params: null, created_at: now, updated_at: now, review_id: reviewId,
    }).execute();
  };
  await flag(0, 'tachycardia', 'high', 2 * DAY, false, false);
  await flag(1, 'tachycardia', 'medium', 3 * HOUR, false, false);
  await flag(2, 'no_recent_data', 'low', 20 * DAY, true, false);
  await flag(3, 'tachycardia', 'high', 30 * DAY, false, true); // reviewed, ended, old: not "flagged"
  await flag(4, 'tachycardia', 'low', 2 * DAY, false, true); // reviewed but recent: "flagged"
  await flag(5, 'no_recent_data', 'medium', 9 * DAY, true, true); // reviewed, still holding: "flagged"
  await flag(6, 'tachycardia', 'high', 5 * HOUR, false, false);
  await flag(7, 'tachycardia', 'high', HOUR, false, false); // archived patient
  for (const [i, ago] of [[1, 2 * DAY], [2, 5 * DAY], [6, DAY], [8, 3 * DAY], [9, 12 * HOUR], [9, 4 * DAY]] as const) {
    await db.insertInto('records').values({
      id: newId(), patient_id: patients[i]!.id, started_at: now - ago, ended_at: now - ago + HOUR, start_timestamp: (now - ago) / 1000 * 256,
      sample_count: 3600, device_serial: null, status: 'complete', content_hash: newId(), heart_rate_max_bpm: null, created_at: now, created_by: null,
    }).execute();
  }
  return { viewers: [admin, alice, bob, nobody] as const, patients, now };
}

function shapeAndValues(viewer: Viewer, query: Required<Omit<WorklistQuery, 'limit' | 'offset'>> & { limit: number; offset: number }, now: number) {
  const search = foldForSearch(query.search.trim());
  const shape: WorklistShape = { everyPatient: viewer.role === 'admin', searching: search !== '', filter: query.filter, sort: query.sort };
  const values: WorklistValues = { viewerId: viewer.id, pattern: `%${escapeLike(search)}%`, flaggedSince: now - FLAGGED_WITHIN_DAYS * DAY, limit: query.limit, offset: query.offset };
  return { shape, values };
}

describeOnEachDatabase('the worklist statements, compiled once', (database) => {
  const t = freshAppPerTest(database);

  it('answer what the statements built afresh answer, for every shape and a spread of values', async () => {
    const { viewers, now } = await aClinic(t());
    const answers = new Set<string>();
    let compared = 0;
    for (const viewer of viewers) {
      for (const filter of WORKLIST_FILTERS) {
        for (const sort of WORKLIST_SORTS) {
          for (const search of ['', 'pa', 'S-10', '%']) {
            for (const [limit, offset] of [[50, 0], [2, 1], [4, 4], [5, 20]] as const) { // not full, full, ends the list, past the end
              const { shape, values } = shapeAndValues(viewer, { search, filter, sort, limit, offset }, now);
              const fresh = worklistStatements(t().ctx.db, shape, values);
              const [rows, count] = await Promise.all([fresh.page.execute(), fresh.count.executeTakeFirstOrThrow()]);
              const compiled = await runWorklistStatements(t().ctx.db, shape, values);
              expect(compiled.rows).toEqual(rows);
              expect(compiled.total).toBe(Number(count.count));
              answers.add(JSON.stringify(compiled));
              compared += 1;
            }
          }
        }
      }
    }
    expect(compared).toBe(4 * 5 * 3 * 4 * 4);
    // The data tells the shapes and values apart: a mix-up of parameters could not go unseen.
    expect(answers.size).toBeGreaterThan(50);
  });

  it('keep the worklist order, filters, search and paging', async () => {
    const { viewers: [admin, alice, , nobody], patients } = await aClinic(t());
    const ids = async (viewer: Viewer, query: WorklistQuery) => (await worklistFor(t().ctx, viewer, query)).entries.map((e) => NAMES[patients.findIndex((p) => p.id === e.patient.id)]);
    // Unreviewed flags by severity then recency, then the others by last recording, then by name.
    expect(await ids(admin, {})).toEqual(['Patrick Star', 'Paula Prentiss', 'Quentin Quist', 'Pam Ayres', 'Wanda Maximoff', 'Victor Hugo',
      'Rita Ora', 'Sam Spade', 'Tina Turner']);
    expect(await ids(admin, { filter: 'flagged', sort: 'name' })).toEqual(['Pam Ayres', 'Patrick Star', 'Paula Prentiss', 'Quentin Quist', 'Sam Spade', 'Tina Turner']);
    expect(await ids(admin, { filter: 'unreviewed' })).toEqual(['Patrick Star', 'Paula Prentiss', 'Quentin Quist', 'Pam Ayres']);
    expect(await ids(admin, { filter: 'no_recent_data', sort: 'name' })).toEqual(['Pam Ayres', 'Tina Turner']);
    expect(await ids(admin, { filter: 'archived' })).toEqual(['Uma Thurman']);
    expect(await ids(admin, { sort: 'last_recording', limit: 3 })).toEqual(['Wanda Maximoff', 'Patrick Star', 'Quentin Quist']);
    expect(await ids(alice, { search: 'pa', sort: 'name' })).toEqual(['Pam Ayres', 'Sam Spade']); // Patrick Star is Bob's
    expect(await ids(alice, { sort: 'name', limit: 2, offset: 2 })).toEqual(['Sam Spade', 'Tina Turner']);
    expect((await worklistFor(t().ctx, alice, { sort: 'name', limit: 2, offset: 2 })).total).toBe(5);
    expect((await worklistFor(t().ctx, nobody, {})).total).toBe(0);
  });

  it('never give a request the values of another running at the same time', async () => {
    const { viewers } = await aClinic(t());
    const queries: [Viewer, WorklistQuery][] = [];
    for (let i = 0; i < 60; i++) {
      queries.push([viewers[i % 4]!, { search: ['', 'pa', 'ta', 'S-10'][i % 3]!, filter: WORKLIST_FILTERS[i % 5], sort: WORKLIST_SORTS[i % 3], limit: 1 + (i % 7), offset: i % 4 }]);
    }
    const one = async ([viewer, query]: [Viewer, WorklistQuery]) => {
      const { entries, total } = await worklistFor(t().ctx, viewer, query);
      return { ids: entries.map((e) => e.patient.id), total };
    };
    const expected = [];
    for (const query of queries) expected.push(await one(query));
    expect(new Set(expected.map((answer) => JSON.stringify(answer))).size).toBeGreaterThan(20);
    for (let round = 0; round < 3; round++) expect(await Promise.all(queries.map(one))).toEqual(expected);
  });
});
