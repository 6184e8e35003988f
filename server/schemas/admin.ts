/** Response schemas of sign-in, agents, sites, FAQs, quick replies and the bot settings (protocol/types.ts, protocol/api.ts). */
import Type, { type Static } from 'typebox';
import type { BotSettings, FaqImportResult, FaqTestResult, LoginResponse } from '../../protocol/api.js';
import {
  ASSIGNMENT_MODES,
  type Agent,
  FAQ_TYPES,
  type Me,
  type Faq,
  type QuickReply,
  RESPONDERS,
  ROLES,
  type Site,
  type TimeWindow,
} from '../../protocol/types.js';
import { IsoDate, Nullable, StringEnum, assertSame } from './common.js';

export const AgentSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: StringEnum(ROLES),
    disabled: Type.Boolean(),
    createdAt: IsoDate,
    online: Type.Boolean({ description: 'Live: the agent has a panel connected.' }),
    maxOpen: Nullable(Type.Integer({ minimum: 0 }), {
      description: 'Most open conversations auto-assignment gives this agent (null: no cap; 0: never auto-assigned).',
    }),
    emailOnEscalation: Type.Boolean({ description: 'Emailed when a conversation this agent may see escalates while they are offline.' }),
  },
  { title: 'Agent', additionalProperties: false },
);
assertSame<Static<typeof AgentSchema>, Agent>(true);

export const MeSchema = Type.Object(
  {
    ...AgentSchema.properties,
    mailEnabled: Type.Boolean({ description: 'The hub sends email (its SMTP_URL is set): escalation emails can go out.' }),
  },
  { title: 'Me', additionalProperties: false },
);
assertSame<Static<typeof MeSchema>, Me>(true);

export const LoginResponseSchema = Type.Object(
  { token: Type.String({ description: 'The bearer token of every other /api call.' }), expiresAt: IsoDate, agent: AgentSchema },
  { title: 'LoginResponse', additionalProperties: false },
);
assertSame<Static<typeof LoginResponseSchema>, LoginResponse>(true);

export const SiteSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    allowedOrigins: Type.Array(Type.String(), { description: 'Origins allowed to load the widget for this site; `*` allows any.' }),
  },
  { title: 'Site', additionalProperties: false },
);
assertSame<Static<typeof SiteSchema>, Site>(true);

export const FaqSchema = Type.Object(
  { id: Type.String(), type: StringEnum(FAQ_TYPES), questions: Type.Array(Type.String()), answer: Type.String(), archived: Type.Boolean(), updatedAt: IsoDate },
  { title: 'Faq', additionalProperties: false },
);
assertSame<Static<typeof FaqSchema>, Faq>(true);

export const FaqTestResultSchema = Type.Object(
  {
    match: Nullable(
      Type.Object(
        { faq: FaqSchema, score: Type.Number(), question: Type.String({ description: 'The FAQ question that matched best.' }) },
        { additionalProperties: false },
      ),
      { description: 'The best match whatever its score; null when nothing matches at all.' },
    ),
    threshold: Type.Number({ description: 'The live minimum score.' }),
    wouldAnswer: Type.Boolean({ description: 'match.score >= threshold.' }),
  },
  { title: 'FaqTestResult', additionalProperties: false },
);
assertSame<Static<typeof FaqTestResultSchema>, FaqTestResult>(true);

export const FaqImportResultSchema = Type.Object(
  {
    imported: Type.Integer({ minimum: 0 }),
    errors: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() }, { additionalProperties: false })),
  },
  { title: 'FaqImportResult', additionalProperties: false },
);
assertSame<Static<typeof FaqImportResultSchema>, FaqImportResult>(true);

export const TimeWindowOut = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { description: '0 = Sunday … 6 = Saturday, the day the window starts on.' }),
    start: Type.String({ description: '"HH:MM", 24 h.' }),
    end: Type.String(),
  },
  { title: 'TimeWindow', additionalProperties: false },
);
assertSame<Static<typeof TimeWindowOut>, TimeWindow>(true);

export const QuickReplySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    text: Type.String(),
    choices: Type.Array(Type.String(), { description: 'Buttons offered with the reply.' }),
    timezone: Type.String(),
    windows: Type.Array(TimeWindowOut),
    enabled: Type.Boolean(),
    updatedAt: IsoDate,
  },
  { title: 'QuickReply', additionalProperties: false },
);
assertSame<Static<typeof QuickReplySchema>, QuickReply>(true);

export const BotSettingsSchema = Type.Object(
  {
    responderPriority: Type.Array(StringEnum(RESPONDERS), { description: 'Order in which the responders are tried.' }),
    fallbackText: Type.String(),
    handoffText: Type.String(),
    botName: Type.String(),
    faqThreshold: Type.Number({ minimum: 0, maximum: 1, description: 'Minimum FAQ match score to answer.' }),
    assignment: StringEnum(ASSIGNMENT_MODES, { description: 'Auto-assignment of new and escalated conversations to online agents.' }),
    reassignAfterMinutes: Nullable(Type.Integer(), {
      description: 'A conversation whose assignees have all been offline this long goes to an online agent; null: never.',
    }),
    greeting: Type.String({ description: "The greeting FAQ's answer (empty when there is none)." }),
  },
  { title: 'BotSettings', additionalProperties: false },
);
assertSame<Static<typeof BotSettingsSchema>, BotSettings>(true);
