// Finds the text a page shows without a catalog: render it in the pseudo-language (HMS_PSEUDO_LOCALE=on,
// cookie hms_lang=en-XA), where every message is wrapped in ［ ］, and whatever words remain outside
// the brackets came from somewhere else: a string left in the code.
import { decodeEntities } from './browser-client.js';

/** Shown as they are in every language: the brand, and each language's own name in the switch. */
const ALWAYS_AS_IS = ['HMS', 'English', 'Français'];

/** The pseudo-language cookie a TestBrowser sends (the app must run with HMS_PSEUDO_LOCALE=on). */
export const PSEUDO_COOKIE = ['hms_lang', 'en-XA'] as const;

/**
 * The words of `html` (its text and the attributes a person reads) that are outside every
 * pseudo-language message. `data`: what the page shows from the database or the request (names,
 * e-mail addresses, patient ids…), which no catalog translates.
 */
export function untranslatedText(html: string, data: readonly string[] = []): string[] {
  const withoutCode = withoutElement(withoutElement(html, 'script'), 'style');
  const attributes = [...withoutCode.matchAll(/\s(?:aria-label|placeholder|title|alt)="([^"]*)"/gi)].map((match) => match[1]!);
  const texts = [...attributes, withoutCode.replace(/<[^<>]*>/g, '\n')].map(decodeEntities);
  const leftovers: string[] = [];
  for (const text of texts) {
    let outside = outsideBrackets(text);
    for (const known of [...data, ...ALWAYS_AS_IS].filter(Boolean).sort((a, b) => b.length - a.length)) outside = outside.split(known).join(' ');
    leftovers.push(...outside.split(/\s+/).filter((word) => /[a-z]{2}/i.test(word)));
  }
  return leftovers;
}

/** `html` without any <tag>…</tag> (their content is code, not text). */
function withoutElement(html: string, tag: string): string {
  let rest = html;
  let kept = '';
  for (let start = rest.indexOf(`<${tag}`); start >= 0; start = rest.indexOf(`<${tag}`)) {
    const end = rest.indexOf(`</${tag}>`, start);
    kept += rest.slice(0, start);
    rest = end < 0 ? '' : rest.slice(end + tag.length + 3);
  }
  return kept + rest;
}

/** The text with every ［…］ (nested ones included) taken out. */
function outsideBrackets(text: string): string {
  let depth = 0;
  let outside = '';
  for (const character of text) {
    if (character === '［') depth++;
    else if (character === '］') depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += character;
  }
  return outside;
}
