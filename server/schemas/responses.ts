/**
 * Every REST route's answer: one row per `ApiRoutes` key (protocol/api.ts) with its response schema, status, tag and
 * summary, in operations-core.ts and operations-integrations.ts. A route takes its row with `doc('METHOD /path')` (`schema: { params, body, ...doc(…) }`), which adds the
 * error body for 4xx and 5xx. Fastify serialises the answers with these schemas and @fastify/swagger builds the
 * OpenAPI document from them (plugins/openapi.ts).
 *
 * Two compile-time checks keep the table honest: a row for every route of `ApiRoutes` and no other (`satisfies`),
 * and each row's schema describes exactly the route's `response` type (`Mismatched` below must be `never`).
 */
import type { Static, TSchema } from 'typebox';
import type { ApiRoutes } from '../../protocol/api.js';
import { type ScopeDecision, ROUTE_SCOPES } from '../rules/api-tokens.js';
import { ErrorBodySchema, type Same } from './common.js';
import { type ContentResponse, type Operation, TAGS } from './operation.js';
import { CORE_OPERATIONS } from './operations-core.js';
import { INTEGRATION_OPERATIONS } from './operations-integrations.js';

export { TAGS };

export const OPERATIONS = { ...CORE_OPERATIONS, ...INTEGRATION_OPERATIONS } satisfies Record<keyof ApiRoutes, Operation>;

type Operations = typeof OPERATIONS;
export type RouteKey = keyof Operations;

/** The static type of a row's answer (every content type's, for a row that has several). */
type Answer<R> = R extends { content: infer C }
  ? { [M in keyof C]: C[M] extends { schema: infer S extends TSchema } ? Static<S> : never }[keyof C]
  : R extends TSchema
    ? Static<R>
    : never;

/** Routes whose schema and protocol type differ: must be `never` (`true` below then type-checks). */
type Mismatched = { [K in RouteKey]: Same<Answer<Operations[K]['response']>, ApiRoutes[K]['response']> extends true ? never : K }[RouteKey];
export const responsesMatchProtocol: [Mismatched] extends [never] ? true : Mismatched = true;

/** `getConversationsByIdMessages` for `GET /api/conversations/:id/messages`: stable, unique, derived from the route. */
export function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api(?=\/)/, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((word) => (word.startsWith(':') ? `By${capitalise(word.slice(1))}` : capitalise(word)));
  return `${method.toLowerCase()}${words.join('')}`;
}
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

type Status<R> = R extends { status: 201 } ? 201 : 200;
type Responses<K extends RouteKey> = { [S in Status<Operations[K]>]: Operations[K]['response'] } & {
  '4xx': typeof ErrorBodySchema;
  '5xx': typeof ErrorBodySchema;
};

/** Who may call an operation, as OpenAPI `security`: an agent token, and an API token holding the route's scope. */
type Security = Record<string, string[]>[];
function security(decision: ScopeDecision): Security {
  if (decision === 'public') return [];
  if (decision === 'never') return [{ bearerAuth: [] }];
  return [{ bearerAuth: [] }, { apiToken: decision === 'any' ? [] : [decision] }];
}
function scopeNote(decision: ScopeDecision): string {
  if (decision === 'public') return '';
  if (decision === 'never') return 'Not callable with an API token.';
  if (decision === 'any') return 'API tokens: any scope.';
  return `API tokens: needs the \`${decision}\` scope.`;
}

/** A route's documentation and response schemas, from its row: spread into the route's `schema`. */
export function doc<K extends RouteKey>(
  key: K,
): { tags: string[]; summary: string; description?: string; operationId: string; security: Security; response: Responses<K> } {
  const operation: Operation = OPERATIONS[key];
  const [method = '', url = ''] = key.split(' ');
  const decision = ROUTE_SCOPES[key];
  const description = [operation.description, scopeNote(decision)].filter(Boolean).join('\n\n');
  // `public` in the scope table: the agent-token check does not run (no auth at all, or the route's own: a visitor
  // token, a signed URL, the inbound-email token), which the row says with `public` or its own `security`.
  if (Boolean(operation.public || operation.security) !== (decision === 'public')) throw new Error(`${key}: public in one table and not in the other`);
  return {
    tags: [operation.tag],
    summary: operation.summary,
    ...(description ? { description } : {}),
    operationId: operationId(method, url),
    security: operation.public ? [] : operation.visitor ? [{ visitorToken: [] }] : (operation.security ?? security(decision)),
    response: {
      [operation.status ?? 200]: described(operation.response, operation.status === 201 ? 'Created' : 'OK'),
      '4xx': CLIENT_ERROR,
      '5xx': SERVER_ERROR,
    } as unknown as Responses<K>,
  };
}

/**
 * The response's description in the document (@fastify/swagger reads `x-response-description`; the serialiser
 * ignores it). One object per schema and description, so that the serialiser compiles each once (schemas/serializer.ts).
 */
function described(response: TSchema | ContentResponse, description: string): TSchema | ContentResponse {
  if ('content' in response) return response;
  const copies = describedCopies.get(response) ?? new Map<string, TSchema>();
  describedCopies.set(response, copies);
  const copy = copies.get(description) ?? ({ ...response, 'x-response-description': description } as TSchema);
  copies.set(description, copy);
  return copy;
}
const describedCopies = new WeakMap<TSchema, Map<string, TSchema>>();
const CLIENT_ERROR = described(ErrorBodySchema, 'Refused: an ErrorBody `{ code, message, field? }`');
const SERVER_ERROR = described(ErrorBodySchema, 'The hub failed: `{ code: "internal", message }`');
