/**
 * The built-in SMTP listener for visitors' email replies (`INBOUND_SMTP_PORT`, off by default; `INBOUND_SMTP_HOST`,
 * default 127.0.0.1). An edge like the socket namespaces: it rate-limits, refuses a recipient that is not a known
 * reply address at RCPT TO, limits the size, and hands the message to one service method (`EmailInbound.receive`).
 *
 * Plain SMTP without TLS or AUTH: meant to sit behind the operator's MTA (which relays `reply+*@INBOUND_EMAIL_DOMAIN`
 * to it) on loopback or a private network, not to face the internet itself (README "Email continuity").
 */
import type { SMTPServerDataStream } from 'smtp-server';
import { INBOUND_EMAIL_MAX_BYTES } from '../../protocol/email.js';
import { HubError } from '../errors.js';
import type { EmailInbound } from '../services/email-inbound.js';
import { RateLimiter } from './rate-limit.js';

export interface InboundSmtp {
  /** The port it listens on (the one asked for, or the one the system chose for port 0). */
  port: number;
  close(): Promise<void>;
}

export interface SmtpLog {
  error(details: unknown, message: string): void;
}

/** Connections one address may open per minute. */
const CONNECTIONS_PER_MINUTE = 60;

/** An SMTP reply for a refusal: 550 (permanent) for what the sender can't fix by retrying, 452/451 otherwise. */
function smtpError(error: unknown): Error & { responseCode: number } {
  if (error instanceof HubError) {
    const code = error.code === 'too_large' ? 552 : error.code === 'rate_limited' ? 452 : 550;
    return Object.assign(new Error(error.message), { responseCode: code });
  }
  return Object.assign(new Error('Temporary failure; try again later'), { responseCode: 451 });
}

function collect(stream: SMTPServerDataStream): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= INBOUND_EMAIL_MAX_BYTES) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > INBOUND_EMAIL_MAX_BYTES ? null : Buffer.concat(chunks)));
  });
}

export async function startInboundSmtp(inbound: EmailInbound, options: { host: string; port: number; log: SmtpLog }): Promise<InboundSmtp> {
  // Loaded only when the listener is on (it is off by default): a hub's start does not pay for it otherwise.
  const { SMTPServer } = await import('smtp-server');
  const connections = new RateLimiter(CONNECTIONS_PER_MINUTE);
  const server = new SMTPServer({
    name: 'switchboard',
    banner: 'Switchboard reply intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: INBOUND_EMAIL_MAX_BYTES,
    maxClients: 50,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onConnect(session, callback) {
      if (connections.take(session.remoteAddress)) return callback();
      callback(smtpError(new HubError('rate_limited', 'Too many connections; try again later')));
    },
    onRcptTo(address, _session, callback) {
      inbound.knows(address.address).then(
        (known) => callback(known ? null : Object.assign(new Error('No such reply address'), { responseCode: 550 })),
        (error: unknown) => callback(smtpError(error)),
      );
    },
    onData(stream, session, callback) {
      collect(stream)
        .then((raw) => {
          if (!raw) throw new HubError('too_large', `An email may be ${INBOUND_EMAIL_MAX_BYTES} bytes at most`);
          const rcptTo = session.envelope.rcptTo.map((r) => r.address);
          return inbound.receive(raw, { rcptTo, remote: session.remoteAddress });
        })
        .then(
          (result) => callback(null, `Stored as message ${result.messageId}`),
          (error: unknown) => {
            if (!(error instanceof HubError)) options.log.error({ err: error }, 'inbound email failed');
            callback(smtpError(error));
          },
        );
    },
  });
  server.on('error', (error) => options.log.error({ err: error }, 'inbound SMTP listener error'));
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      const address = server.server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : options.port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
