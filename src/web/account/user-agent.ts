// "Firefox 128 on Windows 10": what a person recognizes of a browser, from its User-Agent header.
import { UAParser } from 'ua-parser-js';
import { translator, type Translator } from '../../i18n/translate.js';

/** `t`: the reader's language (English where none is known, as in a log). */
export function describeUserAgent(userAgent: string, t: Translator = translator('en')): string {
  if (!userAgent.trim()) return t('password.userAgent.unknown');
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const browserName = browser.name ? [browser.name, browser.major].filter(Boolean).join(' ') : t('password.userAgent.unknown');
  const system = os.name ? [os.name, os.version].filter(Boolean).join(' ') : null;
  const hardware = device.type === 'mobile' || device.type === 'tablet' ? [device.vendor, device.model].filter(Boolean).join(' ') : '';
  const where = [hardware, system].filter(Boolean).join(', ');
  return where ? t('password.userAgent.on', { browser: browserName, system: where }) : browserName;
}
