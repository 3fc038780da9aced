// `hms user …`: account administration for operators without a browser, the same actions as the
// support console (and audited the same way, with "via": "cli").
import { InvalidArgumentError, type Command } from 'commander';
import { listAccounts, secondFactor } from '../auth/account-directory.js';
import { createAccount, ROLES } from '../auth/accounts.js';
import { recordEvent } from '../auth/audit.js';
import { INVITATION_LIFETIME } from '../auth/invitations.js';
import { PAIRING_LINK_LIFETIME, pairingLinkUrl } from '../auth/pairing-links.js';
import { endEverySessionAndDevice, endSessions, invite, newPairingLink, resetMfa, sendPasswordReset, setEnabled, setRole, unlock } from '../auth/support.js';
import { RESET_LINK_LIFETIME } from '../auth/password-resets.js';
import type { Role } from '../db/schema.js';
import { isLanguage, LANGUAGES, type Language } from '../i18n/languages.js';
import { SupportError } from '../auth/support.js';
import { readPassword } from '../read-password.js';
import { accountByEmail, withContext } from './context.js';

const CLI = { via: 'cli' } as const;

function language(value: string): Language {
  if (!isLanguage(value)) throw new InvalidArgumentError(`Language must be one of: ${LANGUAGES.join(', ')}.`);
  return value;
}

const LANGUAGE_HELP = `the language of their pages and e-mails, one of: ${LANGUAGES.join(', ')} (default: their browser's)`;

function role(value: string): Role {
  if (!ROLES.includes(value as Role)) throw new InvalidArgumentError(`Role must be one of: ${ROLES.join(', ')}.`);
  return value as Role;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('manage accounts');

  user.command('add')
    .description('create an account; the password is read from standard input, never from the command line')
    .requiredOption('--email <email>', 'sign-in email (case-insensitive, unique)')
    .requiredOption('--name <name>', 'full name shown in HMS')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`, role)
    .requiredOption('--password-stdin', 'read the password from standard input (the only way to give it)')
    .option('--language <language>', LANGUAGE_HELP, language)
    .action(async (options: { email: string; name: string; role: Role; language?: Language }) => {
      const password = await readPassword('Password: ');
      await withContext(async (ctx) => {
        const account = await createAccount(ctx, { email: options.email, name: options.name, role: options.role, language: options.language ?? null, password });
        await recordEvent(ctx, { event: 'account.created', subjectUserId: account.id, details: { via: 'cli', role: account.role } });
        console.log(`Created ${account.role} ${account.email}. At first sign-in they will pair an authenticator app.`);
        console.log('Until then the account rests on its password alone: whoever signs in first with it pairs their own app. '
          + 'Prefer `hms user invite`, or make pairing need a link too: `hms user pairing-link EMAIL`.');
      });
    });

  user.command('list')
    .description('list accounts with their status and second factor')
    .option('--search <text>', 'only names or emails containing this')
    .action(async (options: { search?: string }) => withContext(async (ctx) => {
      const rows = [];
      for (let page = 1; ; page++) {
        const list = await listAccounts(ctx, { search: options.search, page });
        rows.push(...list.accounts);
        if (page >= list.pageCount) break;
      }
      if (rows.length === 0) return console.log('No accounts.');
      const lines = rows.map((a) => [a.user.email, a.user.name, a.user.role, a.status + (a.lockedUntil ? ', locked' : ''),
        secondFactor(a), a.recoveryCodesLeft === null ? '-' : String(a.recoveryCodesLeft), a.lastSignInAt ? new Date(a.lastSignInAt).toISOString() : 'never']);
      const header = ['email', 'name', 'role', 'status', 'second factor', 'codes left', 'last sign-in'];
      const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
      for (const line of [header, ...lines]) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
    }));

  user.command('invite')
    .description('create an account without a password and print a one-time link (72 hours) where the invitee sets it')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--role <role>', `one of: ${ROLES.join(', ')}`, role)
    .option('--language <language>', LANGUAGE_HELP, language)
    .action(async (options: { email: string; name: string; role: Role; language?: Language }) => withContext(async (ctx) => {
      const { user: account, token } = await invite(ctx, CLI, { ...options, language: options.language ?? null });
      const mailed = ctx.config.smtpUrl ? ' It goes to them by mail; you may also pass on' : ' Pass on';
      console.log(`Invited ${account.email}.${mailed} this link (usable once, for ${INVITATION_LIFETIME / 3_600_000} hours):\n\n    ${ctx.config.publicOrigin}/invite/${token}\n`);
    }));

  const pairingLinkText = (publicOrigin: string, token: string) =>
    `Pass on this re-pairing link through a channel you trust (usable once, for ${PAIRING_LINK_LIFETIME / 3_600_000} hours); `
    + `the password alone no longer pairs an authenticator:\n\n    ${pairingLinkUrl(publicOrigin, token)}\n`;

  user.command('reset-mfa')
    .description('remove the authenticator of a user who lost their phone, and print the link through which they pair a new one')
    .argument('<email>', 'the account\'s email')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(async (email: string, options: { reason: string }) => withContext(async (ctx) => {
      const account = await accountByEmail(ctx, email);
      const token = await resetMfa(ctx, CLI, account.id, options.reason);
      console.log(`Reset the second factor of ${account.email}: authenticator, security keys and recovery codes removed, remembered devices revoked, sessions ended.`);
      console.log(pairingLinkText(ctx.config.publicOrigin, token));
    }));

  user.command('pairing-link')
    .description('print a new re-pairing link for an account without an authenticator (the old link stops working)')
    .argument('<email>', 'the account\'s email')
    .action(async (email: string) => withContext(async (ctx) => {
      const account = await accountByEmail(ctx, email);
      const token = await newPairingLink(ctx, CLI, account.id);
      console.log(`${account.email} pairs an authenticator only through this link from now on.`);
      console.log(pairingLinkText(ctx.config.publicOrigin, token));
    }));

  user.command('send-reset')
    .description('mail a password-reset link (30 minutes, once; it asks for the second factor before the new password)')
    .argument('<email>', 'the account\'s email')
    .action(async (email: string) => withContext(async (ctx) => {
      if (!ctx.config.smtpUrl) throw new SupportError('No mail server is set (HMS_SMTP_URL): use `hms user reset-link EMAIL` and pass the link on yourself.');
      const account = await accountByEmail(ctx, email);
      await sendPasswordReset(ctx, CLI, account.id);
      console.log(`A password-reset link is on its way to ${account.email} (usable once, for ${RESET_LINK_LIFETIME / 60_000} minutes).`);
    }));

  user.command('reset-link')
    .description('print a password-reset link to pass on yourself (and mail it too when a mail server is set); earlier links stop working')
    .argument('<email>', 'the account\'s email')
    .action(async (email: string) => withContext(async (ctx) => {
      const account = await accountByEmail(ctx, email);
      const link = await sendPasswordReset(ctx, CLI, account.id);
      console.log(`Pass on this password-reset link to ${account.email} through a channel you trust (usable once, for ${RESET_LINK_LIFETIME / 60_000} minutes). `
        + `It asks for a code from their authenticator (or a recovery code) before the new password:\n\n    ${link}\n`);
    }));

  user.command('unlock')
    .description('clear the password delays and the second-factor lock of an account')
    .argument('<email>', 'the account\'s email')
    .action(async (email: string) => withContext(async (ctx) => {
      const account = await accountByEmail(ctx, email);
      await unlock(ctx, CLI, account.id);
      console.log(`Unlocked ${account.email}: password delays and the code lock are cleared.`);
    }));

  for (const [name, enabled] of [['disable', false], ['enable', true]] as const) {
    user.command(name)
      .description(enabled ? 'let a disabled account sign in again' : 'stop an account from signing in and end its sessions')
      .argument('<email>', 'the account\'s email')
      .action(async (email: string) => withContext(async (ctx) => {
        const account = await accountByEmail(ctx, email);
        await setEnabled(ctx, CLI, account.id, enabled);
        console.log(`${enabled ? 'Enabled' : 'Disabled'} ${account.email}.`);
      }));
  }

  user.command('set-role')
    .description('make an account an administrator or a clinician')
    .argument('<email>', 'the account\'s email')
    .argument('<role>', `one of: ${ROLES.join(', ')}`, role)
    .action(async (email: string, newRole: Role) => withContext(async (ctx) => {
      const account = await accountByEmail(ctx, email);
      await setRole(ctx, CLI, account.id, newRole);
      console.log(`${account.email} is now ${newRole === 'admin' ? 'an administrator' : 'a clinician'}.`);
    }));

  user.command('end-sessions')
    .description('sign an account out everywhere; with --all, every account, and forget every remembered browser (after restoring a backup)')
    .argument('[email]', 'the account\'s email')
    .option('--all', 'every account: all sessions end and no browser skips the code any more')
    .action(async (email: string | undefined, options: { all?: boolean }, command: Command) => {
      if (Boolean(options.all) === Boolean(email)) command.error('error: give either an account\'s email or --all.');
      await withContext(async (ctx) => {
        if (options.all) {
          const { sessions, devices } = await endEverySessionAndDevice(ctx, CLI);
          console.log(`Ended ${sessions} sessions and forgot ${devices} remembered browsers: everyone signs in again with password and code.`);
          return;
        }
        const account = await accountByEmail(ctx, email!);
        console.log(`Ended ${await endSessions(ctx, CLI, account.id)} sessions of ${account.email}.`);
      });
    });
}
