/**
 * Email continuity's routes: the admin's settings (behind the agent-token check, like every /api route), and the
 * inbound endpoint for the operator's mail system, registered outside that check: it takes its own bearer token
 * (`INBOUND_EMAIL_TOKEN`) and answers 404 while that is unset.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INBOUND_EMAIL_MAX_BYTES } from '../../protocol/email.js';
import { HubError, notFound } from '../errors.js';
import { EmailSettingsBody, InboundEmailBody } from '../schemas/email.js';
import { doc } from '../schemas/responses.js';
import { admin } from './context.js';

export const emailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { email } = app.services;

  app.get('/api/email/settings', { schema: doc('GET /api/email/settings') }, async (request) => email.settings(admin(request)));

  app.put('/api/email/settings', { schema: { body: EmailSettingsBody, ...doc('PUT /api/email/settings') } }, async (request) =>
    email.setSettings(admin(request), request.body),
  );
};

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Inbound mails an address may post per minute. */
const INBOUND_PER_MINUTE = 120;

export const inboundEmailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { emailInbound, config } = app.services;
  const expected = config.inboundEmailToken ? digest(config.inboundEmailToken) : null;

  // The raw message, byte for byte: read as latin1 (one character per byte, so the hub's string cleaning of every
  // body keeps it) and turned back into bytes for the parser. This scope only: the rest of /api keeps its parsers.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['message/rfc822', 'text/plain'], { parseAs: 'buffer', bodyLimit: INBOUND_EMAIL_MAX_BYTES }, (_request, body, done) =>
    done(null, (body as Buffer).toString('latin1')),
  );

  app.post(
    '/api/email/inbound',
    {
      schema: { body: InboundEmailBody, ...doc('POST /api/email/inbound') },
      config: { rateLimit: { max: INBOUND_PER_MINUTE, timeWindow: 60_000 } },
      // Checked before the body is read (after the rate limit counted the request).
      preParsing: async (request, _reply, payload) => {
        if (!expected) throw notFound('Route (INBOUND_EMAIL_TOKEN is not set)');
        const given = /^Bearer (\S{1,500})$/.exec(request.headers.authorization ?? '')?.[1];
        if (!given || !timingSafeEqual(digest(given), expected)) throw new HubError('unauthorized', 'Missing or wrong inbound email token');
        return payload;
      },
    },
    async (request) => {
      if (typeof request.body !== 'string') throw new HubError('bad_request', 'Send the raw email as message/rfc822 or text/plain');
      return emailInbound.receive(Buffer.from(request.body, 'latin1'), { rcptTo: [], remote: request.ip });
    },
  );
};
