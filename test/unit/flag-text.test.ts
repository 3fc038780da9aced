// Flag values and rule conditions worded per reader (issue #16): English exactly as the rules
// always wrote it, French from the same parameters, with decimal commas and French dates.
import { describe, expect, it } from 'vitest';
import { conditionText, defaultSettings, describeCondition, RULES } from '../../src/health/rules/definitions.js';
import { englishFlagText, flagValueText, type FlagValue } from '../../src/health/rules/flag-text.js';
import { translator } from '../../src/i18n/translate.js';
import { timeFormat } from '../../src/web/format.js';

const ZONE = 'America/Toronto';
const fr = translator('fr');
const frenchTimes = timeFormat(ZONE, fr.locale);
const french = (rule: string, value: FlagValue) => flagValueText({ rule, value, valueText: '' }, fr, frenchTimes).replace(/\u00a0/g, ' ');

describe('flag texts and rule conditions in each language', () => {
  it('English conditions read exactly as describeCondition, for every rule', () => {
    const settings = defaultSettings();
    for (const rule of RULES) expect(conditionText(translator('en'), rule, settings[rule.id])).toBe(describeCondition(rule, settings[rule.id]));
    expect(conditionText(fr, RULES[0]!, settings.tachycardia_at_rest).replace(/\u00a0/g, ' ')).toBe('fréquence cardiaque ≥ 120 bpm pendant ≥ 5 min d’affilée, au repos');
  });

  it('each kind of flag value reads in French from the parameters the English was written from', () => {
    const run: FlagValue = { kind: 'run', mean: 26.5, extreme: 26.5, seconds: 600, activity: 0.012 };
    expect(englishFlagText('tachypnea_at_rest', run, ZONE)).toBe('BR 26.5 rpm (max 26.5) for 10 min at rest, activity 0.01 g');
    expect(french('tachypnea_at_rest', run)).toBe('FR 26,5 resp./min (max. 26,5) pendant 10 min au repos, activité 0,01 g');
    expect(french('bradypnea_at_night', { kind: 'run', mean: 6, extreme: 6, seconds: 120, activity: null })).toBe('FR 6,0 resp./min (min. 6,0) pendant 2 min la nuit, couché');
    const wear: FlagValue = { kind: 'wear', day: '2026-11-20', seconds: 17 * 3600 + 59 * 60, targetHours: 18 };
    expect(englishFlagText('low_wear', wear, ZONE)).toBe('Worn 17 h 59 min on Fri 20 Nov, below the 18 h target');
    expect(french('low_wear', wear)).toBe('Porté 17 h 59 min le ven. 20 nov., sous la cible de 18 h');
    const rise: FlagValue = { kind: 'rise', days: [{ day: '2026-11-15', value: 71, median: 61 }, { day: '2026-11-16', value: 72, median: 61 }] };
    expect(french('resting_hr_rise', rise)).toBe('FC au repos 71 bpm le dim. 15 nov., 72 bpm le lun. 16 nov. : +10, +11 bpm au-dessus de la médiane de référence sur 14 jours (61, 61 bpm)');
    const recency: FlagValue = { kind: 'recency', since: Date.UTC(2026, 10, 20, 13), hasRecording: true, limitDays: 2 };
    expect(englishFlagText('no_recent_data', recency, ZONE)).toBe('Last recording ended Fri, 20 Nov 2026, 08:00 EST; none since (limit 2 days)');
    expect(french('no_recent_data', recency)).toBe('Dernier enregistrement terminé le ven. 20 nov. 2026, 08 h 00 HNE; aucun depuis (limite de 2 jours)');
  });

  it('a flag from before its parameters were stored shows its English words in every language', () => {
    expect(flagValueText({ rule: 'bradycardia', value: null, valueText: 'HR 35 bpm (min 33) for 2 min' }, fr, frenchTimes)).toBe('HR 35 bpm (min 33) for 2 min');
  });
});
