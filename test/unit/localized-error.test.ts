// The domain refusals share one base: the English message is built once from the Message, the page
// words the same Message in its reader's language, and a value is a message only when marked { key }.
import { describe, expect, it } from 'vitest';
import { AccountError } from '../../src/auth/accounts.js';
import { CsvImportError } from '../../src/health/csv-parser.js';
import { RuleSettingError } from '../../src/health/rules/settings.js';
import { TagError } from '../../src/health/tags.js';
import { LocalizedError } from '../../src/i18n/localized-error.js';
import { translator } from '../../src/i18n/translate.js';
import { describeProblems } from '../../src/web/validation.js';

const french = { t: translator('fr') };

describe('LocalizedError', () => {
  it('keeps the Message, says it in English as .message and in the reader\'s language as text()', () => {
    const error = new RuleSettingError({ key: 'records.ruleProblem.noDuration', values: { rule: { key: 'records.rule.bradycardia.label' } } });
    expect(error).toBeInstanceOf(LocalizedError);
    expect(error).toBeInstanceOf(Error);
    expect(error.problem.key).toBe('records.ruleProblem.noDuration');
    expect(error.message).toBe('Bradycardia has no minimum duration.');
    expect(error.text(french)).toBe('Bradycardie\u00a0: cette règle n’a pas de durée minimale.');
  });

  it('a plain string is English with no problem, shown as it is in every language', () => {
    const error = new AccountError('No account has the email a@example.org.');
    expect(error.problem).toBeNull();
    expect(error.message).toBe('No account has the email a@example.org.');
    expect(error.text(french)).toBe('No account has the email a@example.org.');
  });

  it('a class with words of its own uses them in English and in the reader\'s language', () => {
    const error = new TagError({ key: 'patients.tags.kind' });
    expect(error.message).toBe('Choose what the range was: Sleep, Rest, Exercise, Symptom, Other.');
    expect(error.text(french)).toBe('Choisissez ce qu’était la plage\u00a0: Sommeil, Repos, Exercice, Symptôme, Autre.');
  });

  it('keeps the fields of its own class', () => {
    const error = new CsvImportError({ key: 'patients.tags.order' }, 3, 7);
    expect([error.line, error.column]).toEqual([3, 7]);
  });
});

describe('values that are messages', () => {
  it('are translated only when marked { key }: a string that happens to be a key stays as typed', () => {
    const t = translator('fr');
    expect(describeProblems([{ key: 'validation.tooLong', values: { label: { key: 'field.email' }, max: 5 } }], t))
      .toBe('Le champ «\u00a0Courriel\u00a0» est trop long (au plus 5 caractères).');
    expect(describeProblems([{ key: 'validation.tooLong', values: { label: 'field.email', max: 5 } }], t))
      .toBe('Le champ «\u00a0field.email\u00a0» est trop long (au plus 5 caractères).');
  });
});
