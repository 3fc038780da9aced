// The worklist page rendered to HTML as `GET /` sends it, for the benchmark (no HTTP, no session).
import { renderToString } from 'preact-render-to-string';
import type { WorklistEntry } from '../src/health/worklist.js';
import { translator } from '../src/i18n/translate.js';
import { timeFormat } from '../src/web/format.js';
import { WorklistPage } from '../src/web/patients/worklist.js';
import { PageContext } from '../src/web/views/page-context.js';

export function renderWorklist(list: { entries: WorklistEntry[]; total: number }, zone: string, now: number): string {
  const context = { csrfToken: () => 'bench-token', support: { email: '', phone: '' }, signedInAs: { name: 'Bench Clinician', isAdmin: false },
    t: translator('en'), times: timeFormat(zone), path: '/', pseudoLocale: false };
  return renderToString(
    <PageContext.Provider value={context}>
      <WorklistPage greeting="Bench Clinician" entries={list.entries} total={list.total} search="" filter="all" sort="triage" page={1}
        pageCount={1} now={now} canAddPatients={false} />
    </PageContext.Provider>,
  );
}
