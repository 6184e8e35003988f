/**
 * Email continuity (README "Email continuity"): a visitor who left before an agent's reply gets it by email, and
 * their answer by email comes back into the same conversation (`Message.channel` = `email`).
 */

/** `GET /api/email/settings`: what an admin sets, and what the server's environment allows (read-only). */
export interface EmailSettings {
  /** Admin's switch for emailing visitors their unseen replies (off by default). Works only when `smtpConfigured`. */
  enabled: boolean;
  /** How long an agent's reply may stay unseen (and the visitor away) before it is emailed. */
  delayMinutes: number;
  /**
   * The page the email's link opens (with `#switchboard-chat`, which opens the widget). Null: the site's first
   * allowed origin (none when the site allows any origin: the email then has no link).
   */
  chatUrl: string | null;
  /** `SMTP_URL` and `MAIL_FROM` are set: the hub can send mail. */
  smtpConfigured: boolean;
  /** The built-in SMTP listener for replies is on (`INBOUND_SMTP_PORT`). */
  inboundSmtp: boolean;
  /** `POST /api/email/inbound` is on (`INBOUND_EMAIL_TOKEN`). */
  inboundHttp: boolean;
  /** `INBOUND_EMAIL_DOMAIN`: replies go to `reply+<token>@<replyDomain>`; null: emails carry no reply address. */
  replyDomain: string | null;
}

export interface EmailSettingsInput {
  enabled?: boolean;
  /** 1 to 1440. */
  delayMinutes?: number;
  chatUrl?: string | null;
}

/** `POST /api/email/inbound`: the reply was stored (or had been: `duplicate`, the same Message-ID again). */
export interface InboundEmailResult {
  accepted: true;
  conversationId: string;
  messageId: number;
  duplicate: boolean;
}

export const EMAIL_DELAY_MINUTES = { default: 5, min: 1, max: 1440 } as const;
/** Largest inbound email (raw, attachments included) the hub reads. */
export const INBOUND_EMAIL_MAX_BYTES = 1024 * 1024;
