// The background sender: every few seconds it claims the messages that are due (outbox.ts), hands
// them to the SMTP server and marks them sent, or schedules the next try. Nothing here runs in a
// request: a mail server that is down delays messages, never a page.
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';
import { SECOND } from '../clock.js';
import { claimDue, markNotSent, markSent, type QueuedMail } from './outbox.js';
import { renderMail } from './messages.js';
import { translator } from '../i18n/translate.js';

export const POLL_INTERVAL = 5 * SECOND;

/** The sender address: HMS_MAIL_FROM, else hms@ the host users reach HMS at. */
export function senderAddress(config: AppContext['config']): string {
  return config.mailFrom || `hms@${new URL(config.publicOrigin).hostname}`;
}

export function smtpTransport(config: AppContext['config']): Transporter {
  const url = new URL(config.smtpUrl);
  const secure = url.protocol === 'smtps:';
  return nodemailer.createTransport({
    host: url.hostname, port: Number(url.port) || (secure ? 465 : 587), secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // Timeouts well under the claim's lease (2 min): a send that hangs is abandoned before another
    // instance could take the message over and send it a second time.
    connectionTimeout: 20 * SECOND, greetingTimeout: 15 * SECOND, socketTimeout: 30 * SECOND,
  }, { from: { name: config.clinicName, address: senderAddress(config) } });
}

export interface SendReport {
  sent: number;
  retried: number;
  failed: number;
}

export class MailSender {
  private readonly transport: Transporter;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SendReport> | null = null;
  private stopped = false;

  constructor(private readonly ctx: AppContext, private readonly onError: (error: unknown) => void = () => {}) {
    this.transport = smtpTransport(ctx.config);
  }

  start(): void {
    this.timer = setInterval(() => void this.deliverDue().catch(this.onError), POLL_INTERVAL);
    this.timer.unref();
  }

  /** Sends what is due now; a call during a run waits for it, then runs again. */
  async deliverDue(): Promise<SendReport> {
    while (this.running) await this.running.catch(() => {});
    if (this.stopped) return { sent: 0, retried: 0, failed: 0 };
    this.running = this.run().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    while (this.running) await this.running.catch(() => {});
    this.transport.close();
  }

  private async run(): Promise<SendReport> {
    const report = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const batch = await claimDue(this.ctx);
      for (const mail of batch) {
        const outcome = await this.send(mail);
        report[outcome] += 1;
      }
      if (batch.length === 0 || this.stopped) return report;
    }
  }

  private async send(mail: QueuedMail): Promise<'sent' | 'retried' | 'failed'> {
    const t = translator(mail.language ?? this.ctx.config.defaultLanguage);
    const { subject, text, html } = renderMail(this.ctx.config, t, mail.name, mail.message);
    try {
      await this.transport.sendMail({ to: { name: mail.name, address: mail.recipient }, subject, text, html });
    } catch (error) {
      const { message, responseCode } = error as { message?: string; responseCode?: number };
      const permanent = typeof responseCode === 'number' && responseCode >= 500;
      const outcome = await markNotSent(this.ctx, mail, String(message ?? error), permanent);
      this.ctx.log?.info({ mail: { id: mail.id, kind: mail.message.kind, attempts: mail.attempts, outcome } }, 'mail not accepted by the SMTP server');
      return outcome === 'failed' ? 'failed' : 'retried';
    }
    await markSent(this.ctx, mail.id);
    return 'sent';
  }
}
