import type { Refusal } from '../auth/throttles.js';
import type { Translator } from '../i18n/translate.js';

/** "12 seconds", "4 minutes", "2 hours": how long a person has to wait, rounded up, in their language. */
export function describeWait(ms: number, t: Translator): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return t('signin.wait.seconds', { count: seconds });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90) return t('signin.wait.minutes', { count: minutes });
  return t('signin.wait.hours', { count: Math.ceil(minutes / 60) });
}

/** What a person is told when an attempt limit refuses them, and for how long. */
export function throttledMessage(refusal: Refusal, t: Translator): string {
  const wait = describeWait(refusal.retryAfterMs, t);
  switch (refusal.limited) {
    case 'account': return t('signin.throttled.account', { wait });
    case 'address': return t('signin.throttled.address', { wait });
    case 'address-checks': return t('signin.throttled.addressChecks', { wait });
    case 'browser': return t('signin.throttled.browser', { wait });
  }
}
