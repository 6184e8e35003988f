/**
 * Building blocks of the response schemas (TypeBox) and the type-level check that keeps each one equal to its
 * protocol type. Response schemas do two jobs: Fastify serialises every answer with them (fast-json-stringify,
 * which DROPS any property a schema doesn't name), and @fastify/swagger turns them into the OpenAPI document.
 *
 * A few leaves are written as plain JSON Schema (`Type.Unsafe`) with their TypeScript type derived from the same
 * source: string enums from the protocol's value lists (`{ type: 'string', enum }` serialises as a plain string,
 * where a union of literals would be an `anyOf` the serialiser checks value by value), and nullable values as a
 * type list (`type: ['string', 'null']`, valid OpenAPI 3.1 / JSON Schema 2020-12).
 */
import Type, { type Static, type TSchema } from 'typebox';
import { ERROR_CODES, type ErrorBody } from '../../protocol/errors.js';

/** A string enum from one of the protocol's value lists (ROLES, INBOXES, …). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/**
 * `schema` or null. `schema` must have a `type` (a string, an object, an integer…). A title is left out: the
 * document lists a titled schema once, under its title (plugins/openapi.ts), and this is a different schema.
 */
export function Nullable<T extends TSchema>(schema: T, options: { description?: string } = {}) {
  const { type, title: _title, ...rest } = schema as TSchema & { type?: string | string[]; title?: string };
  if (type === undefined) throw new Error('Nullable() needs a schema with a type');
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [...(Array.isArray(type) ? type : [type]), 'null'], ...options });
}

/** ISO-8601 timestamp (`IsoDate`). The format also makes the serialiser write a `Date` as ISO, as JSON.stringify did. */
export const IsoDate = Type.String({ format: 'date-time' });
export const NullableIsoDate = Nullable(IsoDate);
export const NullableString = Nullable(Type.String());
export const Strings = Type.Array(Type.String());
/** A count or a stored row id. */
export const Count = Type.Integer({ minimum: 0 });

/** `{ code, message, field? }`: every 4xx and 5xx answer (protocol/errors.ts). */
export const ErrorBodySchema = Type.Object(
  {
    code: StringEnum(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'The body field at fault, on a bad_request about one field.' })),
  },
  {
    title: 'ErrorBody',
    additionalProperties: false,
    description:
      'An error: 400 bad_request, 401 unauthorized, 403 forbidden (role or visibility) / insufficient_scope (an API token without the scope), 404 not_found, ' +
      '409 already_claimed / closed / conflict / feature_disabled, 413 too_large / file_too_large, 415 file_type_not_allowed, 429 rate_limited; 500 internal, 502 provider_unavailable.',
  },
);

export const OkSchema = Type.Object({ ok: Type.Literal(true) }, { title: 'Ok', additionalProperties: false });
export const ErasedSchema = Type.Object(
  { ok: Type.Literal(true), conversations: Type.Integer({ minimum: 0, description: 'Conversations erased.' }) },
  { title: 'Erased', additionalProperties: false },
);

// ------------------------------------------------------------------ type-level checks

/** Every property required, at every depth: so that a property missing from one side is a difference too. */
type DeepRequired<T> = T extends readonly (infer U)[] ? DeepRequired<U>[] : T extends object ? { [K in keyof T]-?: DeepRequired<T[K]> } : T;

/**
 * `true` when a schema's static type and a protocol type describe the same JSON: each assignable to the other with
 * every optional property made required (plain mutual assignability would let an optional property go missing,
 * and the serialiser would then drop it).
 */
export type Same<A, B> = [DeepRequired<A>] extends [DeepRequired<B>] ? ([DeepRequired<B>] extends [DeepRequired<A>] ? true : false) : false;

/** Compile-time assertion: `assertSame<Static<typeof XSchema>, X>(true)` fails to type-check when they differ. */
export function assertSame<A, B>(_same: Same<A, B>): void {}

assertSame<Static<typeof ErrorBodySchema>, ErrorBody>(true);
