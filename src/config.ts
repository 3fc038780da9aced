// The only reader of the environment. Each option is declared once, with its default, its
// validation and why the default is what it is; `npm run hms -- config` prints this table.
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
    env: 'DATABASE_URL', default: '', parse: z.string().refine(
      (url) => url === '' || /^postgres(?:ql)?:\/\//.test(url),
      'DATABASE_URL must be empty (embedded SQLite) or a postgres:// URL',
    ),
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
  encryptionKeys: {
    env: 'HMS_ENCRYPTION_KEYS', default: '', parse: z.string(),
    doc: 'Keys that encrypt TOTP secrets at rest: "id:base64key[,id:base64key…]", 32-byte keys, the first one encrypts new secrets. Empty: a key file is generated in HMS_DATA_DIR (mode 0600).',
  },
  timeZone: {
    env: 'HMS_TIME_ZONE', default: 'UTC', parse: z.string().refine(isTimeZone, 'HMS_TIME_ZONE must be an IANA time zone such as Europe/Paris'),
    doc: 'The clinic\'s time zone (IANA name, e.g. America/Montreal): recording times are shown in it, with the zone named.',
  },
  trustProxy: {
    env: 'HMS_TRUST_PROXY', default: '', parse: z.string(),
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
} satisfies Record<string, Option<unknown>>;

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
