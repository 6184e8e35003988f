/**
 * Sending one email over SMTP with nodemailer (`SMTP_URL`), with timeouts, and telling a permanent refusal (the
 * server refused the recipient with a 5xx) from a failure worth retrying (connection, 4xx, timeouts).
 */
import type nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  replyTo: string | null;
  /** `<…@…>`: the same on every attempt. */
  messageId: string;
}

export type SendResult = { ok: true } | { ok: false; permanent: boolean; error: string };

export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): void;
}

/** One attempt may take this long: connection, greeting and each command. */
const TIMEOUT_MS = 15_000;

type Transport = ReturnType<typeof nodemailer.createTransport>;

export function smtpTransport(url: string): MailTransport {
  // nodemailer is loaded for the first email, not at the hub's start: the start of every hub, tests' included, paid
  // for it, and many hubs send an email rarely (docs/decisions.md, session 24).
  let transport: Promise<Transport> | undefined;
  const open = (): Promise<Transport> =>
    (transport ??= import('nodemailer').then(({ default: mailer }) =>
      mailer.createTransport({
        url,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      } as Parameters<typeof mailer.createTransport>[0]),
    ));
  return {
    async send(mail) {
      try {
        await (await open()).sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          messageId: mail.messageId,
          // RFC 3834: an automatic message; well-behaved auto-responders (out of office) don't answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { ok: true };
      } catch (error) {
        const failure = error as { message?: string; responseCode?: number; command?: string };
        const permanent = typeof failure.responseCode === 'number' && failure.responseCode >= 500 && /^RCPT/i.test(failure.command ?? '');
        return { ok: false, permanent, error: String(failure.message ?? error).slice(0, 500) };
      }
    },
    close() {
      // Nothing to close if nodemailer never loaded (its failure was each send's to report).
      void transport?.then(
        (opened) => opened.close(),
        () => undefined,
      );
    },
  };
}
