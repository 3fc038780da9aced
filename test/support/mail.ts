// An HMS with a real SMTP server behind it, one per test: for tests that read the mail HMS sends.
import { afterEach, beforeEach } from 'vitest';
import type { DatabaseUnderTest } from './databases.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from './smtp.js';
import { startTestApp, type TestApp } from './test-app.js';

export const MAIL_ENV = { HMS_MAIL_FROM: 'hms@clinic.example', HMS_CLINIC_NAME: 'Clinique du Lac', HMS_PUBLIC_URL: 'https://hms.clinic.example', HMS_TIME_ZONE: 'Europe/Paris' };

export interface MailTestApp extends TestApp {
  smtp: TestSmtpServer;
  /** Runs the sender once and returns the messages received by this address so far. */
  mailTo(address: string): Promise<ReceivedMail[]>;
}

export function freshAppWithMail(database: DatabaseUnderTest, env: Record<string, string> = {}): () => MailTestApp {
  let current: MailTestApp | undefined;
  beforeEach(async () => {
    const smtp = await startSmtpServer();
    const t = await startTestApp(database, { ...MAIL_ENV, HMS_SMTP_URL: smtp.url, ...env });
    current = {
      ...t, smtp,
      async mailTo(address) {
        await t.app.mail!.deliverDue();
        return smtp.to(address);
      },
      async close() {
        await t.close();
        await smtp.close();
      },
    };
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('The test app is only available inside a test');
    return current;
  };
}

/** The password-reset link of a received message, as a path. */
export function resetPathIn(mail: ReceivedMail): string {
  const match = /https:\/\/hms\.clinic\.example(\/password\/reset\/[\w-]{43})/.exec(mail.text);
  if (!match) throw new Error(`No reset link in: ${mail.text}`);
  return match[1]!;
}
