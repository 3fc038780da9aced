// What each message says, in plain text and HTML. Messages name what happened to the account and
// where to go; they never carry health data, codes or passwords. The only secret one may hold is
// its own single-use link (a password reset, an invitation).
import type { Config } from '../config.js';
import { describeUserAgent } from '../web/account/user-agent.js';
import { timeFormat } from '../web/format.js';
import { LANGUAGE_INFO } from '../i18n/languages.js';
import type { Translator } from '../i18n/translate.js';

export const NOTICES = [
  'new_browser', 'password_changed', 'password_reset', 'authenticator_paired', 'authenticator_changed', 'second_factor_reset',
  'security_key_added', 'security_key_removed', 'recovery_code_used', 'recovery_codes_regenerated', 'account_locked',
  'account_disabled', 'account_enabled', 'role_changed',
] as const;
export type NoticeKind = (typeof NOTICES)[number];

export type MailMessage =
  // bySupport: the support person's name, '' for support at the command line, null when the user asked.
  | { kind: 'password_reset'; link: string; expiresAt: number; bySupport: string | null }
  | { kind: 'invitation'; link: string; expiresAt: number; invitedBy: string | null; role: string }
  | { kind: 'security_notice'; notice: NoticeKind; at: number; clientIp: string | null; userAgent: string | null;
    actorName: string | null; byCommandLine?: boolean; remaining?: number; role?: string; until?: number };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type MailConfig = Pick<Config, 'clinicName' | 'timeZone' | 'publicOrigin' | 'supportEmail' | 'supportPhone'>;

/**
 * The mail in the language of `t` (its recipient's). Dates are in the clinic's zone, named; the
 * clinic's name and the links are the same in every language.
 */
export function renderMail(config: MailConfig, t: Translator, name: string, message: MailMessage): RenderedMail {
  const paragraphs = body(config, t, message);
  const subject = t('mail.subject', { clinic: config.clinicName, subject: subjectOf(t, message) });
  const greeting = t('mail.greeting', { name });
  const signature = t('mail.signature', { clinic: config.clinicName });
  const text = [greeting, ...paragraphs.map(plain), signature].join('\n\n') + '\n';
  const html = `<!doctype html><html lang="${LANGUAGE_INFO[t.language].htmlLang}"><body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">`
    + [escapeHtml(greeting), ...paragraphs.map(toHtml), escapeHtml(signature)].map((p) => `<p>${p}</p>`).join('\n')
    + '</body></html>\n';
  return { subject, text, html };
}

function subjectOf(t: Translator, message: MailMessage): string {
  if (message.kind === 'password_reset') return t('mail.passwordReset.subject');
  if (message.kind === 'invitation') return t('mail.invitation.subject');
  return t(`mail.notice.${message.notice}.subject`);
}

/** A paragraph: text, and at most one link shown as itself (a person can check where it goes). */
type Paragraph = string | { text: string; link: string };

function plain(p: Paragraph): string {
  return typeof p === 'string' ? p : `${p.text}\n\n    ${p.link}`;
}

function toHtml(p: Paragraph): string {
  if (typeof p === 'string') return escapeHtml(p);
  return `${escapeHtml(p.text)}<br><a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a>`;
}

function body(config: MailConfig, t: Translator, message: MailMessage): Paragraph[] {
  const times = timeFormat(config.timeZone, t.locale);
  const when = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
  const support = supportLine(config, t);
  if (message.kind === 'password_reset') {
    return [
      message.bySupport === null ? t('mail.passwordReset.requested')
        : message.bySupport ? t('mail.passwordReset.bySupport', { name: message.bySupport }) : t('mail.passwordReset.bySupportTeam'),
      { text: t('mail.passwordReset.openLink', { until: when(message.expiresAt) }), link: message.link },
      t('mail.passwordReset.secondFactor'),
      t('mail.passwordReset.notYou', { support }),
    ];
  }
  if (message.kind === 'invitation') {
    const invited = { clinic: config.clinicName, role: roleOf(message.role) };
    return [
      message.invitedBy ? t('mail.invitation.invitedBy', { ...invited, name: message.invitedBy }) : t('mail.invitation.invitedByAdministrator', invited),
      { text: t('mail.invitation.openLink', { until: when(message.expiresAt) }), link: message.link },
      t('mail.invitation.firstSignIn'),
      t('mail.invitation.notExpected', { support }),
    ];
  }
  const from = [message.userAgent ? describeUserAgent(message.userAgent, t) : null, message.clientIp ? t('mail.notice.address', { ip: message.clientIp }) : null]
    .filter(Boolean).join(', ');
  return [
    describeNotice(t, message),
    from ? t('mail.notice.whenFrom', { when: when(message.at), from }) : t('mail.notice.when', { when: when(message.at) }),
    { text: t('mail.notice.ifNotYou'), link: `${config.publicOrigin}/account/security` },
    t('mail.notice.contactSupport', { support }),
  ];
}

function describeNotice(t: Translator, message: Extract<MailMessage, { kind: 'security_notice' }>): string {
  const actor = message.byCommandLine ? t('mail.notice.commandLineSupport') : message.actorName;
  return t(`mail.notice.${message.notice}.body`, {
    byActor: actor ? 'yes' : 'no', actor: actor ?? '', remaining: message.remaining ?? 0, role: roleOf(message.role),
  });
}

/** The value the catalogs select on: 'admin' or 'clinician'. */
function roleOf(role: string | undefined): string {
  return role === 'admin' ? 'admin' : 'clinician';
}

function supportLine(config: MailConfig, t: Translator): string {
  const ways = [config.supportEmail, config.supportPhone].filter(Boolean);
  return ways.length > 0 ? t('mail.support.ways', { ways: ways.join(', ') }) : t('mail.support.administrator');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
