/** What web-test-runner.config.mjs puts on every test page: the real hub for this run. */
export interface TestHub {
  url: string;
  admin: { email: string; password: string };
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
