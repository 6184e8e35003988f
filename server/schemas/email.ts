/** Email continuity: the settings routes' bodies and answers, and the inbound route's answer (protocol/email.ts). */
import Type, { type Static } from 'typebox';
import { EMAIL_DELAY_MINUTES, type EmailSettings, type InboundEmailResult } from '../../protocol/email.js';
import { Nullable, NullableString, assertSame } from './common.js';

export const EmailSettingsSchema = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Email visitors the agent replies they have not seen (needs smtpConfigured).' }),
    delayMinutes: Type.Integer({ minimum: EMAIL_DELAY_MINUTES.min, maximum: EMAIL_DELAY_MINUTES.max }),
    chatUrl: Nullable(Type.String(), { description: "The page the email's link opens; null: the site's first allowed origin." }),
    smtpConfigured: Type.Boolean({ description: 'SMTP_URL and MAIL_FROM are set.' }),
    inboundSmtp: Type.Boolean({ description: 'The built-in SMTP listener for replies is on (INBOUND_SMTP_PORT).' }),
    inboundHttp: Type.Boolean({ description: 'POST /api/email/inbound is on (INBOUND_EMAIL_TOKEN).' }),
    replyDomain: NullableString,
  },
  { title: 'EmailSettings', additionalProperties: false },
);
assertSame<Static<typeof EmailSettingsSchema>, EmailSettings>(true);

export const EmailSettingsBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    delayMinutes: Type.Optional(Type.Integer({ minimum: EMAIL_DELAY_MINUTES.min, maximum: EMAIL_DELAY_MINUTES.max })),
    chatUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const InboundEmailResultSchema = Type.Object(
  {
    accepted: Type.Literal(true),
    conversationId: Type.String(),
    messageId: Type.Integer({ description: "The stored message (the visitor's, channel `email`)." }),
    duplicate: Type.Boolean({ description: 'The same email (Message-ID) had been stored already.' }),
  },
  { title: 'InboundEmailResult', additionalProperties: false },
);
assertSame<Static<typeof InboundEmailResultSchema>, InboundEmailResult>(true);

/** `POST /api/email/inbound`: the raw RFC 822 message, per content type (any other type is refused). */
const RawEmail = Type.String({ description: 'The message exactly as received (headers and body), 1 MB at most.' });
export const InboundEmailBody = { content: { 'message/rfc822': { schema: RawEmail }, 'text/plain': { schema: RawEmail } } };
