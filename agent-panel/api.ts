/**
 * Typed REST client for the hub. Every call is keyed by a route of `ApiRoutes` (protocol/api.ts), so the
 * path parameters, query, body and answer can't drift from the hub. Errors become `ApiError` with the
 * hub's `{ code, message }`.
 */
import type { ApiRoutes } from '../protocol/api.js';
import type { ErrorBody, ErrorCode } from '../protocol/errors.js';

export type Route = keyof ApiRoutes;
export type RouteBody<R extends Route> = ApiRoutes[R] extends { body: infer B } ? B : undefined;
export type RouteQuery<R extends Route> = ApiRoutes[R] extends { query: infer Q } ? Q : undefined;
export type RouteResponse<R extends Route> = ApiRoutes[R]['response'];

/** `:id` segments of a route path, as an object. */
type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name | keyof PathParams<`/${Rest}`>]: string }
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;
type RoutePath<R extends Route> = R extends `${string} ${infer P}` ? P : never;
export type RouteParams<R extends Route> = PathParams<RoutePath<R>>;

export interface CallOptions<R extends Route> {
  params?: RouteParams<R>;
  query?: RouteQuery<R>;
  body?: RouteBody<R>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    /** The body field a `bad_request` is about, when the hub names one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds `?a=1&b=2` from an object, skipping empty values. */
export function toQuery(query: object | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export class HubApi {
  constructor(
    readonly hub: string,
    public token: string | null,
  ) {}

  /** The URL of a route with its parameters and query filled in. */
  url<R extends Route>(route: R, options: CallOptions<R> = {}): string {
    const [, rawPath] = route.split(' ') as [string, string];
    const params = (options.params ?? {}) as Record<string, string>;
    const path = rawPath.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    return `${this.hub}${path}${toQuery(options.query ?? undefined)}`;
  }

  /** Calls one route. `text/csv` bodies (FAQ import) are sent as-is; everything else as JSON. */
  async call<R extends Route>(route: R, options: CallOptions<R> = {}): Promise<RouteResponse<R>> {
    const method = route.slice(0, route.indexOf(' '));
    const headers: Record<string, string> = {};
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      const isCsv = route === 'POST /api/faqs/import';
      headers['content-type'] = isCsv ? 'text/csv' : 'application/json';
      body = isCsv ? String(options.body) : JSON.stringify(options.body);
    } else if (method === 'POST' || method === 'PUT') {
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    let res: Response;
    try {
      res = await fetch(this.url(route, options), { method, headers, body });
    } catch (error) {
      throw new ApiError(0, 'network', error instanceof Error ? error.message : 'Network error');
    }
    const type = res.headers.get('content-type') ?? '';
    const data: unknown = type.includes('json') ? await res.json() : await res.text();
    if (!res.ok) {
      const error = (typeof data === 'object' && data !== null ? data : {}) as Partial<ErrorBody>;
      throw new ApiError(res.status, error.code ?? 'internal', error.message ?? (res.statusText || `HTTP ${res.status}`), error.field);
    }
    return data as RouteResponse<R>;
  }

  /**
   * A multipart upload (protocol/attachments.ts) with its progress: XMLHttpRequest, since fetch can't report how much
   * of a request body was sent. `onProgress` gets 0…1. Resolves the hub's answer; throws ApiError (413
   * `file_too_large`, 415 `file_type_not_allowed`, …, or `network`).
   */
  upload<R extends Route>(route: R, options: CallOptions<R> & { form: FormData; onProgress?: (fraction: number) => void }): Promise<RouteResponse<R>> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(route.slice(0, route.indexOf(' ')), this.url(route, options));
      if (this.token) xhr.setRequestHeader('authorization', `Bearer ${this.token}`);
      xhr.responseType = 'text';
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
      };
      xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed: the hub could not be reached'));
      xhr.onabort = () => reject(new ApiError(0, 'network', 'The upload was cancelled'));
      xhr.onload = () => {
        let data: unknown = null;
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          // Not JSON (a proxy's error page): described by the status below.
        }
        if (xhr.status >= 200 && xhr.status < 300 && data !== null) return resolve(data as RouteResponse<R>);
        const error = (typeof data === 'object' && data !== null ? data : {}) as Partial<ErrorBody>;
        // A proxy in front of the hub may refuse a large body itself, without the hub's JSON.
        const fallback = xhr.status === 413 ? 'The file is larger than the server accepts' : `The upload failed (HTTP ${xhr.status})`;
        reject(new ApiError(xhr.status, error.code ?? (xhr.status === 413 ? 'file_too_large' : 'internal'), error.message ?? fallback, error.field));
      };
      xhr.send(options.form);
    });
  }

  /**
   * Fetches an export as a Blob (with the token, which a plain link can't send) and names it from
   * Content-Disposition. The caller turns it into an `<a download>` link.
   */
  async fetchFile<R extends Route>(route: R, options: CallOptions<R>, fallbackName: string): Promise<{ blob: Blob; name: string }> {
    const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
    const res = await fetch(this.url(route, options), { headers });
    if (!res.ok) {
      const error = (await res.json().catch(() => ({}))) as Partial<ErrorBody>;
      throw new ApiError(res.status, error.code ?? 'internal', error.message ?? `Download failed (${res.status})`);
    }
    const blob = await res.blob();
    const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
    return { blob, name };
  }
}

/** Offers a Blob as a file (an `<a download>` clicked once). Returns the object URL; the caller revokes it. */
export function saveBlob(blob: Blob, name: string): string {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.rel = 'noopener';
  link.click();
  return link.href;
}
