/** Runtime schema (TypeBox) of `POST /api/tokens` (protocol/api-tokens.ts). */
import Type from 'typebox';
import { API_TOKEN_LIMITS, API_TOKEN_SCOPES } from '../protocol/api-tokens.js';

const Scope = Type.Union(API_TOKEN_SCOPES.map((scope) => Type.Literal(scope)));

export const ApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_TOKEN_LIMITS.name }),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: API_TOKEN_SCOPES.length, uniqueItems: true }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: API_TOKEN_LIMITS.expiresInDays })),
  },
  { additionalProperties: false },
);
