// The languages HMS speaks. Adding one: a catalog file next to en.ts, its entry here.
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A pseudo-language for tests and translators (HMS_PSEUDO_LOCALE=on): English with accents and
 * extra length, so any text a page shows without going through a catalog stands out, and a layout
 * that only fits English shows its overflow.
 */
export const PSEUDO = 'en-XA';
export type DisplayLanguage = Language | typeof PSEUDO;

export interface LanguageInfo {
  /** The value of <html lang>. */
  htmlLang: string;
  /** The locale `Intl` formats dates and numbers with. */
  locale: string;
  /** The language's name in itself, as a switch shows it. */
  ownName: string;
}

export const LANGUAGE_INFO: Record<DisplayLanguage, LanguageInfo> = {
  // en-GB for English: day before month and a 24-hour clock, as clinics write them.
  en: { htmlLang: 'en', locale: 'en-GB', ownName: 'English' },
  fr: { htmlLang: 'fr-CA', locale: 'fr-CA', ownName: 'Français' },
  [PSEUDO]: { htmlLang: PSEUDO, locale: 'en-GB', ownName: 'Ƥşèûδô' },
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language of an Accept-Language header HMS speaks best, or null: "fr-CA,fr;q=0.9,en;q=0.8" → fr. */
export function languageFromAcceptHeader(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header.slice(0, 512).split(',').map((part, index) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    return { primary: tag.trim().toLowerCase().split('-')[0]!, weight: Number.isFinite(weight) ? weight : 0, index };
  });
  ranked.sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.find((entry) => entry.weight > 0 && isLanguage(entry.primary))?.primary as Language | undefined ?? null;
}
