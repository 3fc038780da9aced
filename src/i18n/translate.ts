// Messages are ICU MessageFormat strings (plurals, variables, <tags>) looked up by typed keys:
// a key that is not in the English catalog fails the type check, and fr.ts must have them all.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { en, type MessageKey } from './en.js';
import { fr } from './fr.js';
import { LANGUAGE_INFO, PSEUDO, type DisplayLanguage } from './languages.js';
import { pseudoText } from './pseudo.js';

export type { MessageKey };
/** A value that is itself a message (a field's label, a rule's name) is said in the same language. */
export type MessageValues = Record<string, PrimitiveType | Message>;

/** A message decided where no language is known yet (a domain rule, a schema): translated when shown. */
export interface Message {
  key: MessageKey;
  values?: MessageValues;
}

/** How a message is worded in one language: a Translator, or `request.t` bound to its request. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

export interface Translator {
  (key: MessageKey, values?: MessageValues): string;
  /** A message with <tags>: each tag's content is handed to its function (a link, <strong>…). */
  rich<T>(key: MessageKey, values: Record<string, PrimitiveType | T | ((chunks: (string | T)[]) => T)>): (string | T)[];
  language: DisplayLanguage;
  /** The `Intl` locale of this language (dates, numbers). */
  locale: string;
}

const CATALOGS: Record<Exclude<DisplayLanguage, typeof PSEUDO>, Record<MessageKey, string>> = { en, fr };

const translators = new Map<DisplayLanguage, Translator>();

/** The translator of a language: built once, its messages compiled on first use. */
export function translator(language: DisplayLanguage): Translator {
  let found = translators.get(language);
  if (!found) {
    found = buildTranslator(language);
    translators.set(language, found);
  }
  return found;
}

function buildTranslator(language: DisplayLanguage): Translator {
  const { locale } = LANGUAGE_INFO[language];
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  const message = (key: MessageKey): IntlMessageFormat => {
    let format = compiled.get(key);
    if (!format) {
      const source = language === PSEUDO ? pseudoMessage(en[key]) : CATALOGS[language][key];
      format = new IntlMessageFormat(source, locale, undefined, { ignoreTag: false });
      compiled.set(key, format);
    }
    return format;
  };
  // Most messages are plain text (no variable, plural or tag): their words are kept once formatted,
  // and each page asks for dozens of them (the layout alone, a dozen) without formatting them again.
  const plainTexts = new Map<MessageKey, string | null>();
  const plainText = (key: MessageKey): string | null => {
    let text = plainTexts.get(key);
    if (text === undefined) {
      const elements = message(key).getAst();
      text = elements.every((element) => element.type === TYPE.literal) ? String(message(key).format()) : null;
      plainTexts.set(key, text);
    }
    return text;
  };
  // A value that is a message is marked so by whoever builds it ({ key }), never guessed from a string.
  const inWords = (values: MessageValues): Record<string, PrimitiveType> => (Object.values(values).some(isMessage)
    ? Object.fromEntries(Object.entries(values).map(([name, value]) => [name, isMessage(value) ? t(value.key, value.values) : value]))
    : values as Record<string, PrimitiveType>);
  const t = ((key: MessageKey, values?: MessageValues) => plainText(key) ?? String(message(key).format(values && inWords(values)))) as Translator;
  t.rich = <T,>(key: MessageKey, values: Record<string, unknown>) => {
    const result = message(key).format<T>(values as never);
    return Array.isArray(result) ? result : [result];
  };
  t.language = language;
  t.locale = locale;
  return t;
}

function isMessage(value: PrimitiveType | Message): value is Message {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** The English message with its literal text made pseudo, placeholders and tags kept. */
function pseudoMessage(source: string): MessageFormatElement[] {
  const elements = parse(source);
  return [{ type: TYPE.literal, value: '［' }, ...elements.map(pseudoElement), { type: TYPE.literal, value: '］' }];
}

function pseudoElement(element: MessageFormatElement): MessageFormatElement {
  if (element.type === TYPE.literal) return { ...element, value: pseudoText(element.value) };
  if (element.type === TYPE.tag) return { ...element, children: element.children.map(pseudoElement) };
  if (element.type === TYPE.plural || element.type === TYPE.select) {
    const options = Object.fromEntries(Object.entries(element.options)
      .map(([name, option]) => [name, { ...option, value: option.value.map(pseudoElement) }]));
    return { ...element, options } as MessageFormatElement;
  }
  return element;
}
