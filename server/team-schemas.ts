/** Runtime schemas (TypeBox) of the team chat's socket payloads and REST parameters (protocol/team.ts). */
import Type from 'typebox';
import { LIMITS } from '../protocol/limits.js';
import { TEAM_PAGE } from '../protocol/team.js';

/** `team`, `self` or `direct:<agentId>` (agent ids are at most 64 characters, like every id). */
const ThreadKey = Type.String({ pattern: '^(team|self|direct:[^\\s:]{1,64})$' });

export const TeamSendSchema = Type.Object(
  { threadKey: ThreadKey, clientId: Type.String({ minLength: 1, maxLength: LIMITS.clientId }), text: Type.String() },
  { additionalProperties: false },
);
export const TeamReadSchema = Type.Object({ threadKey: ThreadKey, upToId: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
export const TeamTypingSchema = Type.Object({ threadKey: ThreadKey, typing: Type.Boolean() }, { additionalProperties: false });

/** A key, or a thread id (REST only). */
export const TeamThreadParams = Type.Object({ key: Type.String({ minLength: 1, maxLength: 80 }) });
export const TeamPageQuery = Type.Object(
  {
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: TEAM_PAGE })),
  },
  { additionalProperties: false },
);
