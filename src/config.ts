// The only reader of the environment. Each option is declared once, with its default, its
// validation and why the default is what it is; `npm run hms -- config` prints this table.
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

type Env = Record<string, string | undefined>;

interface Option<T> {
  env: string;
  default: string;
  doc: string;
  parse: z.ZodType<T>;
}

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const options = {
  port: {
    env: 'PORT', default: '3000', parse: integer(0, 65535),
    doc: 'TCP port to listen on.',
  },
  host: {
    env: 'HOST', default: '127.0.0.1', parse: z.string().min(1),
    doc: 'Address to listen on. Loopback by default: put a TLS reverse proxy in front for anything else.',
  },
  dataDir: {
    env: 'HMS_DATA_DIR', default: './data', parse: z.string().min(1),
    doc: 'Folder for the embedded SQLite database and the generated encryption key file.',
  },
  databaseUrl: {
    env: 'DATABASE_URL', default: '', parse: z.string()
      .refine((url) => url === '' || /^postgres(?:ql)?:\/\//.test(url), 'DATABASE_URL must be empty (embedded SQLite) or a postgres:// URL')
      .refine((url) => url === '' || URL.canParse(url), 'DATABASE_URL is not a valid URL'),
    doc: 'Empty: embedded SQLite file in HMS_DATA_DIR. A postgres:// URL: PostgreSQL, shared by any number of instances.',
  },
  publicUrl: {
    env: 'HMS_PUBLIC_URL', default: '', parse: z.string().refine(
      (url) => url === '' || /^https?:\/\/[^/]+\/?$/.test(url),
      'HMS_PUBLIC_URL must look like https://hms.example.org (scheme and host, no path)',
    ),
    doc: 'The address users reach HMS at. Used in printed links; when it is https://, cookies get Secure and the __Host- prefix. Default: http://HOST:PORT.',
  },
  issuer: {
    env: 'HMS_ISSUER', default: 'HMS', parse: z.string().min(1).max(40).regex(/^[^:]+$/, 'HMS_ISSUER cannot contain ":"'),
    doc: 'Name the authenticator app shows next to the account (Key URI issuer).',
  },
  supportEmail: {
    env: 'HMS_SUPPORT_EMAIL', default: '', parse: z.union([z.literal(''), z.email()]),
    doc: 'Support address shown on pages that end in a dead end (locked account, lost phone).',
  },
  supportPhone: {
    env: 'HMS_SUPPORT_PHONE', default: '', parse: z.string().max(40),
    doc: 'Support telephone number shown next to the support address.',
  },
  smtpUrl: {
    env: 'HMS_SMTP_URL', default: '', parse: z.string().refine(
      (url) => url === '' || (/^smtps?:\/\//.test(url) && URL.canParse(url)),
      'HMS_SMTP_URL must be empty or an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.org:465',
    ),
    doc: 'Mail server: smtp://host:587 (STARTTLS when offered) or smtps://host:465, with user:password@ when it asks for them. Empty: no mail is sent and the console shows links to copy.',
  },
  mailFrom: {
    env: 'HMS_MAIL_FROM', default: '', parse: z.union([z.literal(''), z.email('HMS_MAIL_FROM must be an email address')]),
    doc: 'Sender address of HMS\'s messages (invitations, password-reset links, security notifications). Empty: hms@ the host of HMS_PUBLIC_URL.',
  },
  clinicName: {
    env: 'HMS_CLINIC_NAME', default: 'HMS', parse: z.string().min(1).max(80).regex(/^[^\r\n<>]+$/, 'HMS_CLINIC_NAME is one line without < or >'),
    doc: 'The clinic\'s name, in the subject and signature of every message HMS sends.',
  },
  encryptionKeys: {
    env: 'HMS_ENCRYPTION_KEYS', default: '', parse: z.string(),
    doc: 'Keys that encrypt TOTP secrets at rest: "id:base64key[,id:base64key…]", 32-byte keys (`hms keygen`), the first one encrypts new secrets. Empty: a key file is generated in HMS_DATA_DIR (mode 0600); required with DATABASE_URL.',
  },
  timeZone: {
    env: 'HMS_TIME_ZONE', default: 'UTC', parse: z.string().refine(isTimeZone, 'HMS_TIME_ZONE must be an IANA time zone such as Europe/Paris'),
    doc: 'The clinic\'s time zone (IANA name, e.g. America/Montreal): recording times are shown in it, with the zone named.',
  },
  defaultLanguage: {
    env: 'HMS_DEFAULT_LANGUAGE', default: 'en', parse: z.enum(['en', 'fr']),
    doc: 'Language of the pages when neither the account, the language switch nor the browser (Accept-Language) names one HMS speaks: en or fr.',
  },
  pseudoLocale: {
    env: 'HMS_PSEUDO_LOCALE', default: '', parse: z.enum(['', 'on']),
    doc: 'on: the switch also offers a pseudo-language (accented, lengthened English) that shows text left untranslated. For tests and translators, never in production.',
  },
  trustProxy: {
    env: 'HMS_TRUST_PROXY', default: '', parse: z.string().superRefine((list, check) => {
      const wrong = list === '' ? undefined : list.split(',').map((entry) => entry.trim()).find((entry) => !isAddressOrCidr(entry));
      if (wrong !== undefined) check.addIssue({ code: 'custom', message: `HMS_TRUST_PROXY: ${JSON.stringify(wrong)} is not an IP address or CIDR` });
    }),
    doc: 'Reverse proxies whose X-Forwarded-For is believed: a comma-separated list of addresses or CIDRs. Empty: none, the socket address is the client address.',
  },
  logLevel: {
    env: 'HMS_LOG_LEVEL', default: 'info', parse: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    doc: 'Application log level (pino). Secrets, codes, cookies and tokens are redacted at every level.',
  },
  pendingSessionMinutes: {
    env: 'HMS_PENDING_SESSION_MINUTES', default: '10', parse: integer(1, 30),
    doc: 'How long a password-only session may take to finish the code step.',
  },
  sessionIdleMinutes: {
    env: 'HMS_SESSION_IDLE_MINUTES', default: '30', parse: integer(1, 24 * 60),
    doc: 'A signed-in session ends after this long without a request (NIST SP 800-63B AAL2: 30 min).',
  },
  sessionMaxHours: {
    env: 'HMS_SESSION_MAX_HOURS', default: '12', parse: integer(1, 24 * 7),
    doc: 'A signed-in session ends this long after sign-in whatever the activity (AAL2: 12 h).',
  },
  argon2MemoryKib: {
    env: 'HMS_ARGON2_MEMORY_KIB', default: '19456', parse: integer(19456, 1 << 21),
    doc: 'Argon2id memory per password hash, KiB. 19 MiB is the OWASP minimum; raise it on larger machines.',
  },
  webauthnRpId: {
    env: 'HMS_WEBAUTHN_RP_ID', default: '', parse: z.string().max(253).regex(/^([a-z0-9-]+\.)*[a-z0-9-]+$|^$/i, 'HMS_WEBAUTHN_RP_ID must be a domain name such as hms.example.org'),
    doc: 'Relying-party id of security keys and passkeys: the domain they are bound to (keys made under one id never work under another). Empty: the host name of HMS_PUBLIC_URL. Browsers refuse IP addresses: reach HMS by a name (localhost works on your own machine).',
  },
  webauthnOrigin: {
    env: 'HMS_WEBAUTHN_ORIGIN', default: '', parse: z.string().refine(
      (url) => url === '' || /^https?:\/\/[^/]+$/.test(url),
      'HMS_WEBAUTHN_ORIGIN must look like https://hms.example.org (scheme and host, no path)',
    ),
    doc: 'The origin browsers report when a security key is used. Empty: HMS_PUBLIC_URL (or http://HOST:PORT). Its host must be the relying-party id or under it.',
  },
  argon2Iterations: {
    env: 'HMS_ARGON2_ITERATIONS', default: '2', parse: integer(2, 20),
    doc: 'Argon2id passes (OWASP minimum 2 at 19 MiB).',
  },
  dbConnectTimeoutSeconds: {
    env: 'HMS_DB_CONNECT_TIMEOUT_SECONDS', default: '5', parse: integer(1, 60),
    doc: 'PostgreSQL: longest wait for a connection, to open one or for a free one of the pool (10 per instance). Past it the request answers 503.',
  },
  dbStatementTimeoutSeconds: {
    env: 'HMS_DB_STATEMENT_TIMEOUT_SECONDS', default: '5', parse: integer(1, 300),
    doc: 'PostgreSQL: longest a statement may take, counted from when it asks for a connection (statement_timeout in the server, query_timeout in HMS; a transaction left idle this long is ended too). Past it the request answers 503.',
  },
  dbKeepAliveSeconds: {
    env: 'HMS_DB_KEEPALIVE_SECONDS', default: '10', parse: integer(1, 7200),
    doc: 'PostgreSQL: seconds of silence before TCP keep-alive probes check a connection, so that a database host that vanished is noticed.',
  },
  sqliteBusyTimeoutMs: {
    env: 'HMS_SQLITE_BUSY_TIMEOUT_MS', default: '1000', parse: integer(0, 1000),
    doc: 'SQLite: how long a write waits for another process\'s lock (hms commands, a backup) before the request answers 503. The server does nothing else meanwhile, hence 1 s at most.',
  },
  startupTimeoutSeconds: {
    env: 'HMS_STARTUP_TIMEOUT_SECONDS', default: '20', parse: integer(1, 3600),
    doc: 'How long start-up (and every hms command) keeps trying to reach the database and bring its schema up to date before giving up with an error.',
  },
  requestTimeoutSeconds: {
    env: 'HMS_REQUEST_TIMEOUT_SECONDS', default: '120', parse: integer(1, 3600),
    doc: 'A whole request, headers and body, must arrive within this: an upload of 32 MB needs 2.2 Mbit/s. Slower ones get 408 and the connection is closed.',
  },
  bodyTimeoutSeconds: {
    env: 'HMS_BODY_TIMEOUT_SECONDS', default: '10', parse: integer(1, 300),
    doc: 'The headers of a request, and then the body of a form (64 KiB at most), must each arrive within this, or the request gets 408 and the connection is closed.',
  },
  idleTimeoutSeconds: {
    env: 'HMS_IDLE_TIMEOUT_SECONDS', default: '60', parse: integer(1, 3600),
    doc: 'A connection that neither sends nor reads anything for this long in the middle of a request is closed.',
  },
  keepAliveTimeoutSeconds: {
    env: 'HMS_KEEPALIVE_TIMEOUT_SECONDS', default: '72', parse: integer(1, 3600),
    doc: 'An idle keep-alive connection is closed after this long. Keep it above the reverse proxy\'s own (60 s for nginx and most load balancers), so that the proxy never reuses a connection HMS is closing.',
  },
  shutdownSeconds: {
    env: 'HMS_SHUTDOWN_SECONDS', default: '25', parse: integer(1, 3600),
    doc: 'On SIGTERM or SIGINT, how long requests in flight may take to finish: HMS then exits 0, or 1 if some are still running. Give systemd\'s TimeoutStopSec (or the orchestrator\'s grace period) a few seconds more.',
  },
  metricsPort: {
    env: 'HMS_METRICS_PORT', default: '', parse: z.union([z.literal('').transform(() => null), integer(1, 65535)]),
    doc: 'TCP port of the Prometheus metrics listener (GET /metrics), apart from the pages. Empty: no metrics listener.',
  },
  metricsHost: {
    env: 'HMS_METRICS_HOST', default: '127.0.0.1', parse: z.string().min(1),
    doc: 'Address the metrics listener binds to. Loopback by default: metrics name routes and counts sign-in failures, so keep them off the public network.',
  },
  auditRetentionDays: {
    env: 'HMS_AUDIT_RETENTION_DAYS', default: '2190', parse: integer(30, 36500),
    doc: 'Audit events older than this many days are deleted by the periodic sweep. 2190 days = 6 years, HIPAA\'s retention of documentation.',
  },
  paperSize: {
    env: 'HMS_PAPER_SIZE', default: 'A4', parse: z.enum(['A4', 'Letter'], 'HMS_PAPER_SIZE must be A4 or Letter'),
    doc: 'Paper size of the clinical reports (PDF): A4, or Letter in North America.',
  },
} satisfies Record<string, Option<unknown>>;

/** "10.0.0.5", "::1", "10.0.0.0/8", "fd00::/8": what Fastify's trustProxy accepts as an address. */
function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

type Options = typeof options;
type Parsed = { [K in keyof Options]: z.output<Options[K]['parse']> };

export interface Config extends Parsed {
  /** The address links are printed with, without a trailing slash. */
  publicOrigin: string;
  /** Cookies get Secure and the __Host- prefix when users reach HMS over HTTPS. */
  secureCookies: boolean;
  sqliteFile: string;
  keyFile: string;
  /** Relying-party id and expected origin of WebAuthn ceremonies (security keys, passkeys). */
  webauthn: { rpId: string; origin: string };
}

export class ConfigError extends Error {}

export function loadConfig(env: Env = process.env): Config {
  const parsed: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, option] of Object.entries(options) as [string, Option<unknown>][]) {
    const raw = env[option.env]?.trim() || option.default;
    const result = option.parse.safeParse(raw);
    if (result.success) parsed[name] = result.data;
    else problems.push(`${option.env}=${JSON.stringify(raw)}: ${result.error.issues[0]?.message}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  const values = parsed as Parsed;
  const publicOrigin = (values.publicUrl || `http://${values.host}:${values.port}`).replace(/\/$/, '');
  const dataDir = path.resolve(values.dataDir);
  const webauthn = webauthnParties(values.webauthnRpId, values.webauthnOrigin || publicOrigin);
  return {
    ...values,
    dataDir,
    publicOrigin,
    secureCookies: publicOrigin.startsWith('https://'),
    sqliteFile: path.join(dataDir, 'hms.sqlite'),
    keyFile: path.join(dataDir, 'encryption-keys.json'),
    webauthn,
  };
}

/** A browser accepts a relying-party id only when it is the page's host or a domain above it. */
function webauthnParties(rpIdSetting: string, origin: string): Config['webauthn'] {
  const host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
  const rpId = (rpIdSetting || host).toLowerCase();
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw new ConfigError(`Invalid configuration:\n  HMS_WEBAUTHN_RP_ID="${rpId}" is neither the host of ${origin} nor a domain above it: browsers would refuse every security key.`);
  }
  return { rpId, origin: origin.replace(/\/$/, '') };
}

/** The option table as Markdown, for the README. */
export function describeOptions(): string {
  const rows = Object.values(options).map((o: Option<unknown>) =>
    `| \`${o.env}\` | ${o.default === '' ? '(empty)' : `\`${o.default}\``} | ${o.doc} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
