/**
 * A real receiving MTA for the email tests: `smtp-server` on 127.0.0.1 (a random port) that requires the hub's
 * credentials, keeps every message it accepted (raw and parsed with mailparser), and can refuse the next ones with a
 * temporary error (to exercise retries). Tests wait for mails with `waitFor` (a deadline, no sleeps).
 */
import type { TestContext } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  /** The hub's SMTP_URL for this sink. */
  url: string;
  received: ReceivedMail[];
  /** The next `n` messages are refused with 451 (try again later). */
  refuseNext(n: number): void;
  /** Resolves once `count` mails have arrived in all (rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export const SINK_USER = 'hub';
export const SINK_PASSWORD = 'sink-password';

export async function startSmtpSink(t: TestContext | null): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SINK_USER && auth.password === SINK_PASSWORD) return callback(null, { user: auth.username });
      callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const mailFrom = session.envelope.mailFrom;
            received.push({
              from: mailFrom ? mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              user: typeof session.user === 'string' ? session.user : undefined,
              raw: raw.toString('utf8'),
              parsed,
            });
            for (const wake of waiters) wake();
            callback(null, 'Queued');
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  const sink: SmtpSink = {
    port,
    url: `smtp://${SINK_USER}:${SINK_PASSWORD}@127.0.0.1:${port}`,
    received,
    refuseNext(n) {
      refusals = n;
    },
    waitFor(count, ms = 10_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`${received.length} of ${count} mails arrived within ${ms} ms`));
        }, ms);
        const wake = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(received);
        };
        waiters.add(wake);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  t?.after(() => sink.close());
  return sink;
}
