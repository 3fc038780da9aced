import type { Patient } from '../../db/schema.js';
import { ageInYears } from '../../health/summaries.js';
import type { Translator } from '../../i18n/translate.js';
import { usePage } from './page-context.js';

/** The patient's sex as a word of the page's language: the one way pages and the report write it. */
export function sexLabel(sex: Patient['sex'], t: Translator): string {
  return t('signin.identity.sexValue', { sex });
}

/** Who the data belongs to: at the top of a recording page, and of every printed page. */
export function IdentityBlock(props: { patient: Patient; now: number }) {
  const { patient } = props;
  const { t } = usePage();
  return (
    <p class="identity" id="identity">
      <strong class="identity-name">{patient.name}</strong>
      {patient.external_id && <span>{t('signin.identity.studyId', { id: patient.external_id })}</span>}
      <span>{t('signin.identity.born', { date: patient.date_of_birth, age: ageInYears(patient.date_of_birth, props.now) })}</span>
      <span>{t('signin.identity.sex', { sex: sexLabel(patient.sex, t) })}</span>
    </p>
  );
}
