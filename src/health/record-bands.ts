// Flags and tagged events of a recording as chart bands (ChartBand, chart-bands.ts): drawn behind
// every chart of the recording page and of the report.
import type { AppContext } from '../context.js';
import type { HealthRecord } from '../db/schema.js';
import type { ChartBand } from './chart-bands.js';
import { ruleById, RUN_RULES } from './rules/definitions.js';
import { tagLabel } from './tags.js';

/**
 * The flag and tag bands of a recording over [from, to): flags of its patient's rules on runs
 * (rules on whole days would cover every chart) and the recording's own tags.
 */
export async function recordBands(ctx: Pick<AppContext, 'db'>, record: Pick<HealthRecord, 'id' | 'patient_id'>, from: number, to: number): Promise<ChartBand[]> {
  const [flags, tags] = await Promise.all([
    ctx.db.selectFrom('flags').select(['rule', 'severity', 'started_at', 'ended_at', 'value_text', 'value_params', 'review_id'])
      .where('patient_id', '=', record.patient_id).where('rule', 'in', RUN_RULES.map((r) => r.id))
      .where('started_at', '<', to).where('ended_at', '>', from)
      .orderBy('started_at').execute(),
    ctx.db.selectFrom('record_tags').select(['kind', 'started_at', 'ended_at', 'text'])
      .where('record_id', '=', record.id).where('started_at', '<', to).where('ended_at', '>', from)
      .orderBy('started_at').execute(),
  ]);
  return [
    ...flags.map((flag): ChartBand => ({
      kind: 'flag', from: flag.started_at, to: flag.ended_at ?? to, severity: flag.severity,
      label: `${ruleById(flag.rule)?.label ?? flag.rule} (${flag.severity}${flag.review_id ? ', reviewed' : ''}): ${flag.value_text}`,
      flag: { rule: flag.rule, reviewed: flag.review_id !== null, valueText: flag.value_text, valueParams: flag.value_params },
    })),
    ...tags.map((tag): ChartBand => ({ kind: 'tag', from: tag.started_at, to: tag.ended_at, label: tag.text ? `${tagLabel(tag.kind)}: ${tag.text}` : tagLabel(tag.kind), tag: { kind: tag.kind, text: tag.text } })),
  ];
}
