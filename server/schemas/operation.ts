/** What a row of the route table (operations-*.ts) holds, and the helpers the rows share. */
import Type, { type TSchema } from 'typebox';

/** The document's tags: one per area, as in the README's route table. */
export const TAGS = {
  auth: 'Sign in and out; the signed-in agent.',
  conversations: 'The inbox: list, search and filters, one conversation, notes, tags, assignment, status, take-over, export.',
  contacts: 'The people behind the widget sessions: fields, tags, notes, merge, GDPR export and erase, New chat.',
  visitors: 'Widget sessions: profile, export, erase.',
  attachments:
    'Files, images and voice notes: upload first (multipart), then send the message with `attachmentIds` over the socket; ' +
    'read them through the signed URL a message carries.',
  bot: 'FAQs (and their CSV files), quick replies, bot settings.',
  team: 'Agents, sites and the dashboard tiles.',
  'team chat': 'Agents talking among themselves (sending is on the socket, `team:send`).',
  webhooks: 'Outgoing webhooks (admin only): endpoints, deliveries, resend, the private-targets setting.',
  'api tokens': 'Scoped, revocable tokens for server-to-server use (admin only, signed in: an API token cannot manage tokens).',
  assist: "AI assist for agents: a conversation's summary, reply suggestions, voice-note transcription, and the admin's switches.",
  email: 'Email continuity: unseen agent replies emailed to visitors, their replies by email threaded back (README "Email continuity").',
  widget: "What the widget's loader asks before the chat has loaded, with the visitor's session token.",
  ops: 'Health, and this document.',
} as const;
export type Tag = keyof typeof TAGS;

/** A response that is not JSON, or not only: its schema per content type. */
export interface ContentResponse {
  description: string;
  content: Record<string, { schema: TSchema }>;
}

export interface Operation {
  tag: Tag;
  summary: string;
  description?: string;
  /** The success status (200 unless it creates something). */
  status?: 201;
  /** Answers without a bearer token. */
  public?: true;
  /** Other credentials than the agent token (OpenAPI security requirements: any one of them). */
  security?: Record<string, string[]>[];
  /** Takes the widget's visitor token (security scheme `visitorToken`), not an agent's. */
  visitor?: true;
  response: TSchema | ContentResponse;
}

export const text = <const C extends string>(contentType: C, description: string) => ({
  description,
  content: { [contentType]: { schema: Type.String() } } as { [K in C]: { schema: ReturnType<typeof Type.String> } },
});

export const items = <T extends TSchema>(schema: T) => Type.Object({ items: Type.Array(schema) }, { additionalProperties: false });
