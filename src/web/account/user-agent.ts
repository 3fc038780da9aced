// "Firefox 128 on Windows 10": what a person recognizes of a browser, from its User-Agent header.
import { UAParser } from 'ua-parser-js';

export function describeUserAgent(userAgent: string): string {
  if (!userAgent.trim()) return 'Unknown browser';
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const browserName = browser.name ? [browser.name, browser.major].filter(Boolean).join(' ') : 'Unknown browser';
  const system = os.name ? [os.name, os.version].filter(Boolean).join(' ') : null;
  const hardware = device.type === 'mobile' || device.type === 'tablet' ? [device.vendor, device.model].filter(Boolean).join(' ') : '';
  const where = [hardware, system].filter(Boolean).join(', ');
  return where ? `${browserName} on ${where}` : browserName;
}
