// Where to go after sign-in. Only a path on this site: "//evil.example", "https://evil.example",
// "/\evil.example" and the like would send a freshly signed-in user to an attacker.
const MAX_LENGTH = 512;
const BASE = 'http://hms.invalid';

export function safeReturnPath(value: string | undefined | null): string | null {
  const path = safeLocalPath(value);
  // Going back to a sign-in page after signing in would be a loop.
  if (path === null || /^\/(?:login|logout|mfa|setup)(?:[/?]|$)/.test(path)) return null;
  return path;
}

/** A path on this site, or null: for links that come back to the page they left (the language switch). */
export function safeLocalPath(value: string | undefined | null): string | null {
  if (!value || value.length > MAX_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  // Control characters (tab, newline) are stripped by URL parsers and can turn "/\t/evil" into "//evil".
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  // Check what will be sent, not what was received: "/.//evil.example" normalizes to "//evil.example".
  if (url.origin !== BASE || url.pathname.startsWith('//') || url.pathname.startsWith('/\\')) return null;
  return `${url.pathname}${url.search}`;
}
