/**
 * The hub's OpenAPI document for the tests (openapi.test.ts): its shape, and a checker that calls an operation and
 * validates the answer with Ajv against the operation's response schema for its status and content type.
 */
import assert from 'node:assert/strict';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { TestHub } from './hub.js';

export interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}
export interface Document {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: unknown[];
  tags: { name: string }[];
}

/** `/api/conversations/:id` → `/api/conversations/{id}`. */
export const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

export async function fetchDocument(h: TestHub): Promise<Document> {
  const res = await h.api<Document>('GET', '/api/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return res.body;
}

export interface CallOptions {
  params?: Record<string, string>;
  token?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  query?: string;
}

/**
 * `call(method, url, options, status)` fills `:name` from `params`, expects `status` and validates the answer; what
 * did not match goes to `failures`, each operation × status answered as documented to `exercised`.
 */
export function documentChecker(h: TestHub, doc: Document) {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  // The document's named schemas become $defs of each compiled schema.
  const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/')) as Record<string, unknown>;
  const validators = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: unknown) => {
    let validate = validators.get(key);
    if (!validate) {
      const local = JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', '#/$defs/')) as Record<string, unknown>;
      validate = ajv.compile({ ...local, $defs: defs });
      validators.set(key, validate);
    }
    return validate;
  };
  const failures: string[] = [];
  const exercised = new Set<string>();
  async function call<T = Record<string, unknown>>(method: string, url: string, options: CallOptions = {}, status = 200): Promise<T> {
    const path = url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? `missing-${name}`)) + (options.query ?? '');
    const res = await h.api<T>(method, path, options);
    const name = `${method} ${openapiPath(url)}`;
    if (res.status !== status) {
      failures.push(`${name}: status ${res.status}, expected ${status}: ${JSON.stringify(res.body).slice(0, 200)}`);
      return res.body;
    }
    exercised.add(`${name} ${status}`);
    const responses = doc.paths[openapiPath(url)]?.[method.toLowerCase()]?.responses;
    const response = responses?.[String(status)] ?? responses?.[`${String(status)[0]}XX`];
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const schema = response?.content?.[mediaType]?.schema;
    if (!schema) {
      failures.push(`${name} ${status}: the document has no schema for ${mediaType}`);
      return res.body;
    }
    const validate = validator(`${name} ${status} ${mediaType}`, schema);
    if (!validate(res.body)) failures.push(`${name} ${status} ${mediaType}: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    return res.body;
  }
  return { call, validator, failures, exercised };
}
