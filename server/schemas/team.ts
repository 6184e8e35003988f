/** Response schemas of the team chat's REST reads (protocol/team.ts). */
import Type, { type Static } from 'typebox';
import { TEAM_THREAD_KINDS, type TeamMessage, type TeamMessagePage, type TeamThread, type TeamThreadKey } from '../../protocol/team.js';
import { Count, IsoDate, Nullable, StringEnum, assertSame } from './common.js';

const ThreadKeySchema = Type.Unsafe<TeamThreadKey>({
  type: 'string',
  pattern: '^(team|self|direct:.+)$',
  description: "`team`, `self` or `direct:<agentId>`, from the reading agent's point of view.",
});

export const TeamMessageSchema = Type.Object(
  {
    id: Type.Integer({ description: 'Increases with every stored team message.' }),
    threadId: Type.String(),
    threadKey: ThreadKeySchema,
    clientId: Type.String(),
    agentId: Type.String(),
    authorName: Type.String({ description: "The author's name when the message was sent." }),
    text: Type.String(),
    createdAt: IsoDate,
  },
  { title: 'TeamMessage', additionalProperties: false },
);
assertSame<Static<typeof TeamMessageSchema>, TeamMessage>(true);

export const TeamThreadSchema = Type.Object(
  {
    key: ThreadKeySchema,
    kind: StringEnum(TEAM_THREAD_KINDS),
    id: Nullable(Type.String(), { description: "Null until the thread's first message created it." }),
    agentId: Nullable(Type.String(), { description: 'The other agent of a direct thread.' }),
    lastMessage: Nullable(TeamMessageSchema),
    unreadCount: Count,
  },
  { title: 'TeamThread', additionalProperties: false },
);
assertSame<Static<typeof TeamThreadSchema>, TeamThread>(true);

export const TeamMessagePageSchema = Type.Object(
  { messages: Type.Array(TeamMessageSchema, { description: 'Oldest first.' }), more: Type.Boolean({ description: 'There are older ones.' }) },
  { title: 'TeamMessagePage', additionalProperties: false },
);
assertSame<Static<typeof TeamMessagePageSchema>, TeamMessagePage>(true);
