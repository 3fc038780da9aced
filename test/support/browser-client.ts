// A minimal browser over Fastify's inject: keeps cookies, and submits forms with the CSRF token
// of the last page it received, as a person clicking through would.
import type { FastifyInstance } from 'fastify';

export interface Page {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  location: string | undefined;
  setCookies: SetCookie[];
}

export interface SetCookie {
  name: string;
  value: string;
  path?: string;
  maxAge?: number;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

/** How a TestBrowser reaches HMS: Fastify's inject (in process) or real HTTP (another process). */
export type Transport = (request: { method: 'GET' | 'POST'; url: string; payload?: string; headers: Record<string, string>; remoteAddress: string })
  => Promise<Omit<Page, 'location'>>;

export function injectInto(app: FastifyInstance): Transport {
  return async ({ method, url, payload, headers, remoteAddress }) => {
    const response = await app.inject({ method, url, payload, headers, remoteAddress });
    return { status: response.statusCode, headers: response.headers, body: response.body, setCookies: response.cookies as SetCookie[] };
  };
}

/** Real HTTP to a server on this machine; the client address is the loopback's. */
export function httpTo(baseUrl: string): Transport {
  return async ({ method, url, payload, headers }) => {
    const response = await fetch(new URL(url, baseUrl), { method, body: payload, headers, redirect: 'manual' });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (responseHeaders[name] = value));
    return {
      status: response.status,
      headers: responseHeaders,
      body: await response.text(),
      setCookies: response.headers.getSetCookie().map(parseSetCookie),
    };
  };
}

function parseSetCookie(header: string): SetCookie {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const [name, ...value] = pair!.split('=');
  const cookie: SetCookie = { name: name!, value: value.join('=') };
  for (const attribute of attributes) {
    const [key, val] = attribute.split('=');
    const lower = key!.toLowerCase();
    if (lower === 'max-age') cookie.maxAge = Number(val);
    else if (lower === 'expires') cookie.expires = new Date(val!);
    else if (lower === 'path') cookie.path = val;
    else if (lower === 'httponly') cookie.httpOnly = true;
    else if (lower === 'secure') cookie.secure = true;
    else if (lower === 'samesite') cookie.sameSite = val;
  }
  return cookie;
}

export class TestBrowser {
  readonly cookies = new Map<string, string>();
  lastPage = '';
  private readonly transport: Transport;

  constructor(app: FastifyInstance | Transport, readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0',
    readonly remoteAddress = '203.0.113.10') {
    this.transport = typeof app === 'function' ? app : injectInto(app);
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request('GET', url, undefined, headers);
  }

  /** Submits a form; `_csrf` comes from the last page unless given. */
  async post(url: string, fields: Record<string, string | undefined>, headers: Record<string, string> = {}): Promise<Page> {
    const form = new URLSearchParams();
    const withToken = { _csrf: csrfTokenIn(this.lastPage), ...fields };
    for (const [name, value] of Object.entries(withToken)) if (value !== undefined) form.append(name, value);
    return this.request('POST', url, form.toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  async request(method: 'GET' | 'POST', url: string, payload: string | undefined, headers: Record<string, string> = {}): Promise<Page> {
    const cookieHeader = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.transport({
      method, url, payload, remoteAddress: this.remoteAddress,
      headers: { 'user-agent': this.userAgent, ...(cookieHeader ? { cookie: cookieHeader } : {}), ...headers },
    });
    for (const cookie of response.setCookies) {
      const expired = (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires && cookie.expires.getTime() <= Date.now());
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    if (String(response.headers['content-type'] ?? '').startsWith('text/html')) this.lastPage = response.body;
    return { ...response, location: response.headers.location as string | undefined };
  }

  /** Follows a redirect as a browser would (GET). */
  async follow(page: Page): Promise<Page> {
    if (!page.location) throw new Error(`Expected a redirect, got ${page.status}`);
    return this.get(page.location);
  }
}

export function csrfTokenIn(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The text content of the element with this id (tags stripped, entities decoded). */
export function textById(html: string, id: string): string | null {
  const match = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? decodeEntities(match[2]!.replace(/<[^<>]*>/g, '')).trim() : null;
}

export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The main heading of a page. */
export function headingOf(html: string): string | null {
  const match = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return match ? decodeEntities(match[1]!.replace(/<[^<>]*>/g, '')).trim() : null;
}
