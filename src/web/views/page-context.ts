// What every page needs without each handler passing it: the CSRF token for its forms and the
// support contact for its dead ends.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translator, type Translator } from '../../i18n/translate.js';
import { timeFormat, type TimeFormat } from '../format.js';

export interface SupportContact {
  email: string;
  phone: string;
}

export interface PageContextValue {
  csrfToken: () => string;
  support: SupportContact;
  signedInAs: { name: string; isAdmin: boolean } | null;
  /** The page's messages, in the language of the request (web/language.ts). */
  t: Translator;
  /** Times in the clinic's zone, written the way the page's language writes them. */
  times: TimeFormat;
  /** The page's own address, for the language switch of public pages to come back to. */
  path: string;
  /** HMS_PSEUDO_LOCALE=on: the switch offers the pseudo-language too. */
  pseudoLocale: boolean;
}

export const PageContext = createContext<PageContextValue>({
  csrfToken: () => {
    throw new Error('Pages must be rendered with sendPage()');
  },
  support: { email: '', phone: '' },
  signedInAs: null,
  t: translator('en'),
  times: timeFormat('UTC'),
  path: '/',
  pseudoLocale: false,
});

export const usePage = () => useContext(PageContext);
