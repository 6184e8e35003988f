/** What web-test-runner.config.mjs puts on every test page: the real hub for this run. */
export interface TestHub {
  url: string;
  admin: { email: string; password: string };
  /** The demo site's identity secret (to sign a visitor's identity as the site's backend would). */
  siteSecret: string;
  /** A webhook receiver on loopback (`…/hook` answers 200; `GET …/received` lists what it got). */
  webhookReceiver: string;
}

declare global {
  interface Window {
    __HUB__: TestHub;
  }
}

export const testHub: TestHub = window.__HUB__;

/** Logs in through the real REST API and returns the agent token. */
export async function login(email = testHub.admin.email, password = testHub.admin.password): Promise<string> {
  const res = await fetch(`${testHub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Calls the hub's REST API as an agent; throws on a non-2xx answer. */
export async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${testHub.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A `user_jwt` for the demo site: HS256 over the claims, keyed with the site's secret (what a site's backend prints). */
export async function signIdentity(claims: Record<string, string>, secret = testHub.siteSecret): Promise<string> {
  const encode = (value: object) => base64url(new TextEncoder().encode(JSON.stringify(value)));
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)));
  return `${input}.${base64url(signature)}`;
}
