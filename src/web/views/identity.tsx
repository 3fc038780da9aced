import type { Patient } from '../../db/schema.js';
import { ageInYears } from '../../health/summaries.js';

export function sexLabel(sex: Patient['sex']): string {
  return { female: 'female', male: 'male', other: 'other', unknown: 'not recorded' }[sex];
}

/** Who the data belongs to: at the top of a recording page, and of every printed page. */
export function IdentityBlock(props: { patient: Patient; now: number }) {
  const { patient } = props;
  return (
    <p class="identity" id="identity">
      <strong class="identity-name">{patient.name}</strong>
      {patient.external_id && <span>Study id {patient.external_id}</span>}
      <span>Born {patient.date_of_birth} ({ageInYears(patient.date_of_birth, props.now)} years)</span>
      <span>Sex: {sexLabel(patient.sex)}</span>
    </p>
  );
}
