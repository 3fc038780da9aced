// What each message says, in plain text and HTML. Messages name what happened to the account and
// where to go; they never carry health data, codes or passwords. The only secret one may hold is
// its own single-use link (a password reset, an invitation).
import type { Config } from '../config.js';
import { describeUserAgent } from '../web/account/user-agent.js';
import { timeFormat } from '../web/format.js';

export const NOTICES = [
  'new_browser', 'password_changed', 'password_reset', 'authenticator_paired', 'authenticator_changed', 'second_factor_reset',
  'security_key_added', 'security_key_removed', 'recovery_code_used', 'recovery_codes_regenerated', 'account_locked',
  'account_disabled', 'account_enabled', 'role_changed',
] as const;
export type NoticeKind = (typeof NOTICES)[number];

export type MailMessage =
  | { kind: 'password_reset'; link: string; expiresAt: number; bySupport: string | null }
  | { kind: 'invitation'; link: string; expiresAt: number; invitedBy: string | null; role: string }
  | { kind: 'security_notice'; notice: NoticeKind; at: number; clientIp: string | null; userAgent: string | null;
    actorName: string | null; remaining?: number; role?: string; until?: number };

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type MailConfig = Pick<Config, 'clinicName' | 'timeZone' | 'publicOrigin' | 'supportEmail' | 'supportPhone'>;

const HEADLINES: Record<NoticeKind, string> = {
  new_browser: 'New sign-in to your account',
  password_changed: 'Your password was changed',
  password_reset: 'Your password was reset',
  authenticator_paired: 'An authenticator app was paired with your account',
  authenticator_changed: 'Your authenticator app was replaced',
  second_factor_reset: 'Support reset your second factor',
  security_key_added: 'A security key was added to your account',
  security_key_removed: 'A security key was removed from your account',
  recovery_code_used: 'A recovery code was used',
  recovery_codes_regenerated: 'New recovery codes were made',
  account_locked: 'Your second factor is locked after wrong codes',
  account_disabled: 'Your account was disabled',
  account_enabled: 'Your account was enabled again',
  role_changed: 'Your role was changed',
};

export function renderMail(config: MailConfig, name: string, message: MailMessage): RenderedMail {
  const paragraphs = body(config, message);
  const subject = `${config.clinicName}: ${subjectOf(message)}`;
  const signature = `${config.clinicName} (HMS)`;
  const text = [`Hello ${name},`, ...paragraphs.map(plain), `— ${signature}`].join('\n\n') + '\n';
  const html = '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">'
    + [`Hello ${escapeHtml(name)},`, ...paragraphs.map(toHtml), `— ${escapeHtml(signature)}`].map((p) => `<p>${p}</p>`).join('\n')
    + '</body></html>\n';
  return { subject, text, html };
}

function subjectOf(message: MailMessage): string {
  if (message.kind === 'password_reset') return 'reset your password';
  if (message.kind === 'invitation') return 'you are invited to HMS';
  return HEADLINES[message.notice];
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

function body(config: MailConfig, message: MailMessage): Paragraph[] {
  const times = timeFormat(config.timeZone);
  const when = (ms: number) => `${times.dateTime(ms)} ${times.zoneAbbreviation(ms)}`;
  const support = supportLine(config);
  if (message.kind === 'password_reset') {
    return [
      message.bySupport ? `${message.bySupport} (support) sent you a link to choose a new password for HMS.` : 'Someone, probably you, asked to reset the password of your HMS account.',
      { text: `Open this link to choose a new password. It works once, until ${when(message.expiresAt)}:`, link: message.link },
      'You will be asked for a code from your authenticator app (or a recovery code, or your security key) before the new password: this link alone cannot change it.',
      `If you did not ask for this, ignore this message: your password stays as it is. ${support}`,
    ];
  }
  if (message.kind === 'invitation') {
    return [
      `${message.invitedBy ?? 'An administrator'} invited you to HMS, the health-monitoring dashboard of ${config.clinicName}, as ${message.role === 'admin' ? 'an administrator' : 'a clinician'}.`,
      { text: `Open this link to choose your password. It works once, until ${when(message.expiresAt)}:`, link: message.link },
      'At your first sign-in you will pair an authenticator app (any TOTP app: Google or Microsoft Authenticator, 2FAS, FreeOTP…).',
      `If you did not expect this invitation, ignore this message. ${support}`,
    ];
  }
  const what = describeNotice(message);
  const from = [message.userAgent ? describeUserAgent(message.userAgent) : null, message.clientIp ? `address ${message.clientIp}` : null].filter(Boolean).join(', ');
  return [
    what,
    `When: ${when(message.at)}.${from ? ` From: ${from}.` : ''}`,
    { text: 'If this was you, there is nothing to do. If it was not, change your password at once and check the devices and sessions of your account:', link: `${config.publicOrigin}/account/security` },
    `If you cannot sign in any more, or something here surprises you, contact support. ${support}`,
  ];
}

function describeNotice(message: Extract<MailMessage, { kind: 'security_notice' }>): string {
  const by = message.actorName ? ` by ${message.actorName}` : '';
  switch (message.notice) {
    case 'new_browser': return 'Your account was signed in to from a browser that had not signed in to it before.';
    case 'password_changed': return 'The password of your account was changed.';
    case 'password_reset': return 'The password of your account was reset through a password-reset link, after a second-factor check. Every session and remembered device of the account was ended.';
    case 'authenticator_paired': return 'An authenticator app was paired with your account: its codes now sign you in.';
    case 'authenticator_changed': return 'The authenticator app of your account was replaced by another one: codes from the old app no longer work.';
    case 'second_factor_reset': return `Your second factor (authenticator, security keys, recovery codes) was reset${by}, from the support console. You will pair a new authenticator through the link support gives you.`;
    case 'security_key_added': return 'A security key or passkey was added to your account.';
    case 'security_key_removed': return 'A security key or passkey was removed from your account.';
    case 'recovery_code_used': return `A recovery code was used to sign in to your account. ${message.remaining ?? 0} unused code${message.remaining === 1 ? '' : 's'} left.`;
    case 'recovery_codes_regenerated': return 'A new set of recovery codes was made for your account; the earlier codes no longer work.';
    case 'account_locked': return 'Too many wrong codes were entered for your account, so its second factor is locked for a while. Your password may be known to someone else.';
    case 'account_disabled': return `Your account was disabled${by}: it can no longer sign in.`;
    case 'account_enabled': return `Your account was enabled again${by}.`;
    case 'role_changed': return `Your role was changed${by}: you are now ${message.role === 'admin' ? 'an administrator' : 'a clinician'}.`;
  }
}

function supportLine(config: MailConfig): string {
  const ways = [config.supportEmail, config.supportPhone].filter(Boolean);
  return ways.length > 0 ? `Support: ${ways.join(', ')}.` : 'Support: your HMS administrator.';
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
