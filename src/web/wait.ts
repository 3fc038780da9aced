import type { Refusal } from '../auth/throttles.js';

/** "12 seconds", "4 minutes", "2 hours": how long a person has to wait, rounded up. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return plural(seconds, 'second');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return plural(minutes, 'minute');
  return plural(Math.ceil(minutes / 60), 'hour');
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** What a person is told when an attempt limit refuses them, and for how long. */
export function throttledMessage(refusal: Refusal): string {
  const wait = describeWait(refusal.retryAfterMs);
  switch (refusal.limited) {
    case 'account': return `Too many failed attempts for this email. Wait ${wait}, then try again.`;
    case 'address': return `Too many failed sign-in attempts from your network. Wait ${wait}, then try again.`;
    case 'address-checks': return `Too many sign-in attempts from your network in the last minute. Wait ${wait}, then try again.`;
    case 'browser': return `Too many failed attempts from this browser. Wait ${wait}, then try again.`;
  }
}
