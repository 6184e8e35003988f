/** Outgoing webhooks (admin only): endpoints, their deliveries, resend, and the "allow private targets" setting. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../schemas.js';
import { DeliveriesQuery, WebhookBody, WebhookPatchBody, WebhookSettingsBody } from '../webhook-schemas.js';
import { doc } from '../schemas/responses.js';
import { admin } from './context.js';

export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { webhooks } = app.services;

  app.get('/api/webhooks', { schema: doc('GET /api/webhooks') }, async (request) => ({ items: await webhooks.list(admin(request)) }));

  app.post('/api/webhooks', { schema: { body: WebhookBody, ...doc('POST /api/webhooks') } }, async (request, reply) => {
    const endpoint = await webhooks.create(admin(request), request.body);
    reply.code(201);
    return endpoint;
  });

  app.patch('/api/webhooks/:id', { schema: { params: IdParams, body: WebhookPatchBody, ...doc('PATCH /api/webhooks/:id') } }, async (request) =>
    webhooks.update(admin(request), request.params.id, request.body),
  );

  app.delete('/api/webhooks/:id', { schema: { params: IdParams, ...doc('DELETE /api/webhooks/:id') } }, async (request) => {
    await webhooks.remove(admin(request), request.params.id);
    return { ok: true as const };
  });

  app.get(
    '/api/webhooks/:id/deliveries',
    { schema: { params: IdParams, querystring: DeliveriesQuery, ...doc('GET /api/webhooks/:id/deliveries') } },
    async (request) => webhooks.deliveries(admin(request), request.params.id, request.query),
  );

  app.post(
    '/api/webhooks/deliveries/:id/resend',
    { schema: { params: IdParams, ...doc('POST /api/webhooks/deliveries/:id/resend') } },
    async (request, reply) => {
      const delivery = await webhooks.resend(admin(request), request.params.id);
      reply.code(201);
      return delivery;
    },
  );

  app.get('/api/webhooks/settings', { schema: doc('GET /api/webhooks/settings') }, async (request) => webhooks.settings(admin(request)));

  app.put('/api/webhooks/settings', { schema: { body: WebhookSettingsBody, ...doc('PUT /api/webhooks/settings') } }, async (request) =>
    webhooks.setSettings(admin(request), request.body),
  );
};
