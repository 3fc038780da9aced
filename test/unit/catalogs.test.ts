// The catalogs are code: each language has exactly the English keys, the same variables and tags in
// each message, messages that parse, and (French) the typography of docs/GLOSSARY.md.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { languageFromAcceptHeader } from '../../src/i18n/languages.js';
import { pseudoText } from '../../src/i18n/pseudo.js';
import { translator, type MessageKey } from '../../src/i18n/translate.js';
import { timeFormat } from '../../src/web/format.js';

const catalogs = { en, fr } as Record<string, Record<string, string>>;

/** The variables and tags a message uses: what the code passes to it. */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    into.add(element.type === TYPE.tag ? `<${element.value}>` : element.value);
    if (element.type === TYPE.tag) placeholders(element.children, into);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) placeholders(option.value, into);
    }
  }
  return into;
}

describe('message catalogs', () => {
  it('every language has exactly the keys of the English catalog', () => {
    for (const [language, catalog] of Object.entries(catalogs)) {
      expect(Object.keys(catalog).sort(), language).toEqual(Object.keys(en).sort());
    }
  });

  it('every message parses, and each language uses the same variables and tags as English', () => {
    const mismatches: string[] = [];
    for (const [key, english] of Object.entries(en)) {
      const expected = [...placeholders(parse(english))].sort();
      for (const [language, catalog] of Object.entries(catalogs)) {
        const actual = [...placeholders(parse(catalog[key]!))].sort();
        if (actual.join() !== expected.join()) mismatches.push(`${language} ${key}: ${actual.join()} ≠ ${expected.join()}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('no French message is left empty or identical to a long English one', () => {
    const suspicious = Object.entries(en)
      .filter(([key, english]) => fr[key as keyof typeof fr] === '' || (english.split(' ').length > 3 && fr[key as keyof typeof fr] === english))
      .map(([key]) => key);
    expect(suspicious).toEqual([]);
  });

  it('French typography: a no-break space before ":" and inside « », typographic apostrophes', () => {
    const wrong = Object.entries(fr).filter(([, text]) => / [:»]|« |'/.test(text)).map(([key, text]) => `${key}: ${text}`);
    expect(wrong).toEqual([]);
  });

  it('the password pages reuse the sign-in\'s code and recovery messages rather than copy them (one key per wording)', () => {
    // A copy drifts: the same refusal would be worded twice, and fixed in one place only.
    const copies = Object.keys(en).filter((key) => /^password\.(?:code|recovery)\./.test(key)).filter((key) => {
      const twin = key.replace(/^password\./, 'signin.');
      return twin in en && en[twin as keyof typeof en] === en[key as keyof typeof en] && fr[twin as keyof typeof fr] === fr[key as keyof typeof fr];
    });
    expect(copies).toEqual([]);
  });
});

describe('translators', () => {
  it('a message without variables or tags reads exactly as the ICU formatter writes it (its words are kept once formatted)', () => {
    let plain = 0;
    for (const language of ['en', 'fr'] as const) {
      const t = translator(language);
      for (const key of Object.keys(en) as MessageKey[]) {
        const format = new IntlMessageFormat((language === 'fr' ? fr : en)[key], t.locale, undefined, { ignoreTag: false });
        if (format.getAst().some((element) => element.type !== TYPE.literal)) continue;
        plain += 1;
        // Twice: the first call formats, the second reads what was kept.
        expect([t(key), t(key)], `${language} ${key}`).toEqual([String(format.format()), String(format.format())]);
      }
    }
    expect(plain).toBeGreaterThan(100);
  });

  it('a message with variables is formatted anew on every call', () => {
    const t = translator('en');
    const key = (Object.keys(en) as MessageKey[]).find((candidate) => /\{count, plural/.test(en[candidate]))!;
    expect(t(key, { count: 1 })).not.toBe(t(key, { count: 2 }));
  });
});

describe('languages', () => {
  it('Accept-Language picks the best language HMS speaks, by weight then order', () => {
    expect(languageFromAcceptHeader('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(languageFromAcceptHeader('de-DE,de;q=0.9,fr;q=0.5,en;q=0.7')).toBe('en');
    expect(languageFromAcceptHeader('en;q=0.2, FR-ca')).toBe('fr');
    expect(languageFromAcceptHeader('fr;q=0, en-GB')).toBe('en');
    expect(languageFromAcceptHeader('de, es')).toBeNull();
    expect(languageFromAcceptHeader('*')).toBeNull();
    expect(languageFromAcceptHeader(undefined)).toBeNull();
  });

  it('French writes numbers its own way: grouped with a no-break space, a decimal comma, the unit set apart', () => {
    expect(translator('fr')('validation.tooLong', { label: 'Courriel', max: 1234 })).toBe('Le champ «\u00a0Courriel\u00a0» est trop long (au plus 1\u00a0234 caractères).');
    expect(timeFormat('UTC', 'fr-CA').measure(72.54, 'bpm', 1)).toBe('72,5\u00a0bpm');
    expect(timeFormat('UTC', 'en-GB').measure(72.54, 'bpm', 1)).toBe('72.5 bpm');
    // Which spaces Intl writes depends on the ICU version (Node 20 and 24 differ); the hour's are no-break ones.
    const frenchTime = timeFormat('America/Montreal', 'fr-CA').dateTime(Date.UTC(2026, 10, 28, 12, 46));
    expect(frenchTime.replace(/\s/g, ' ')).toBe('sam. 28 nov. 2026, 07 h 46');
    expect(frenchTime).toContain('07\u00a0h\u00a046');
    expect(translator('en')('validation.tooLong', { label: 'Email', max: 1234 })).toBe('Email is too long (at most 1,234 characters).');
  });

  it('the pseudo-language accents and lengthens text, keeps variables, and brackets each message', () => {
    expect(pseudoText('Continue')).toBe('Çôñţîñûè···');
    const pseudo = translator('en-XA')('layout.signedInAs', { name: 'Dana Scully' });
    expect(pseudo.startsWith('［')).toBe(true);
    expect(pseudo.endsWith('］')).toBe(true);
    expect(pseudo).toContain('Dana Scully');
    expect(pseudo).not.toContain('Signed in as');
  });
});
