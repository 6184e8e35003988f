/** Response schemas of the API token routes (protocol/api-tokens.ts). */
import Type, { type Static } from 'typebox';
import { API_TOKEN_SCOPES, API_TOKEN_STATUSES, type ApiToken, type ApiTokenCreated } from '../../protocol/api-tokens.js';
import { IsoDate, NullableIsoDate, NullableString, StringEnum, assertSame } from './common.js';

export const ApiTokenSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String({ description: 'The secret’s first characters (`sbt_` + 8), to recognise the token; never enough to use it.' }),
    scopes: Type.Array(StringEnum(API_TOKEN_SCOPES)),
    createdBy: Type.String({ description: 'The admin the token acts as.' }),
    createdByName: NullableString,
    createdAt: IsoDate,
    lastUsedAt: NullableIsoDate,
    expiresAt: NullableIsoDate,
    revokedAt: NullableIsoDate,
    status: StringEnum(API_TOKEN_STATUSES),
  },
  { title: 'ApiToken', additionalProperties: false },
);
assertSame<Static<typeof ApiTokenSchema>, ApiToken>(true);

export const ApiTokenCreatedSchema = Type.Object(
  {
    token: ApiTokenSchema,
    secret: Type.String({ description: '`sbt_…`: shown this once; the hub keeps only its SHA-256.' }),
  },
  { title: 'ApiTokenCreated', additionalProperties: false },
);
assertSame<Static<typeof ApiTokenCreatedSchema>, ApiTokenCreated>(true);
