/** Response schemas of the AI assist routes (protocol/assist.ts). */
import Type, { type Static } from 'typebox';
import {
  type AssistSettings,
  type AssistStatus,
  type ConversationDigest,
  SUGGESTION_SOURCES,
  SUMMARY_POINT_KINDS,
  type SuggestionList,
} from '../../protocol/assist.js';
import type { Transcription } from '../../protocol/attachments.js';
import { Count, IsoDate, StringEnum, assertSame } from './common.js';

export const ConversationDigestSchema = Type.Object(
  {
    conversationId: Type.String(),
    available: Type.Boolean({ description: 'False until the conversation has `minMessages` messages; then `text` and `points` are empty.' }),
    minMessages: Count,
    text: Type.String({ description: 'A few sentences.' }),
    points: Type.Array(Type.Object({ kind: StringEnum(SUMMARY_POINT_KINDS), text: Type.String() }, { additionalProperties: false })),
    source: StringEnum(['ai', 'extractive'] as const, { description: '`ai`: written by the provider; `extractive`: built by the hub from the messages.' }),
    upToMessageId: Count,
    generatedAt: IsoDate,
  },
  { title: 'ConversationDigest', additionalProperties: false },
);
assertSame<Static<typeof ConversationDigestSchema>, ConversationDigest>(true);

export const SuggestionListSchema = Type.Object(
  {
    items: Type.Array(Type.Object({ text: Type.String(), source: StringEnum(SUGGESTION_SOURCES) }, { title: 'Suggestion', additionalProperties: false })),
  },
  { title: 'SuggestionList', additionalProperties: false },
);
assertSame<Static<typeof SuggestionListSchema>, SuggestionList>(true);

export const AssistSettingsSchema = Type.Object(
  { summary: Type.Boolean(), suggestions: Type.Boolean(), transcription: Type.Boolean() },
  { title: 'AssistSettings', additionalProperties: false },
);
assertSame<Static<typeof AssistSettingsSchema>, AssistSettings>(true);

export const AssistStatusSchema = Type.Object(
  {
    settings: AssistSettingsSchema,
    provider: Type.Boolean({ description: 'A provider is configured (AI_BASE_URL).' }),
    providerReachable: Type.Boolean({ description: 'The provider answered its last call (false after a failure until a call succeeds).' }),
    transcriptionAvailable: Type.Boolean({ description: 'Transcription is on and the hub has a provider with AI_TRANSCRIBE_MODEL.' }),
  },
  { title: 'AssistStatus', additionalProperties: false },
);
assertSame<Static<typeof AssistStatusSchema>, AssistStatus>(true);

export const TranscriptionSchema = Type.Object(
  {
    attachmentId: Type.String(),
    text: Type.String({ description: 'What the voice note says, as the provider heard it (may be empty: nothing was said).' }),
    model: Type.String({ description: 'The speech-to-text model that wrote it (AI_TRANSCRIBE_MODEL).' }),
    createdAt: IsoDate,
  },
  { title: 'Transcription', additionalProperties: false },
);
assertSame<Static<typeof TranscriptionSchema>, Transcription>(true);
