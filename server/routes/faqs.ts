/** FAQs (admin writes, every agent reads), CSV import/export, and the "test FAQ" box. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HubError } from '../errors.js';
import { ArchivedQuery, FaqBody, FaqCsvBody, FaqTestBody, IdParams } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor, admin } from './context.js';

export const faqRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { content } = app.services;
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/api/faqs', { schema: { ...doc('GET /api/faqs'), querystring: ArchivedQuery } }, async (request) => {
    actor(request);
    return { items: await content.listFaqs(request.query.archived) };
  });

  app.post('/api/faqs', { schema: { ...doc('POST /api/faqs'), body: FaqBody } }, async (request, reply) => {
    admin(request);
    reply.code(201);
    return content.saveFaq(null, request.body);
  });

  app.put('/api/faqs/:id', { schema: { ...doc('PUT /api/faqs/:id'), params: IdParams, body: FaqBody } }, async (request) => {
    admin(request);
    return content.saveFaq(request.params.id, request.body);
  });

  app.delete('/api/faqs/:id', { schema: { ...doc('DELETE /api/faqs/:id'), params: IdParams } }, async (request) => {
    admin(request);
    await content.deleteFaq(request.params.id);
    return { ok: true as const };
  });

  app.get('/api/faqs/export.csv', { schema: doc('GET /api/faqs/export.csv') }, async (request, reply) => {
    actor(request);
    const csv = await content.exportFaqs();
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="faqs.csv"');
    return csv;
  });

  app.get('/api/faqs/sample.csv', { schema: doc('GET /api/faqs/sample.csv') }, async (request, reply) => {
    actor(request);
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="faqs-sample.csv"');
    return content.sampleFaqCsv();
  });

  app.post('/api/faqs/import', { schema: { ...doc('POST /api/faqs/import'), body: FaqCsvBody } }, async (request) => {
    admin(request);
    if (typeof request.body !== 'string') throw new HubError('bad_request', 'Send the CSV as text/csv');
    return content.importFaqs(request.body);
  });

  app.post('/api/faqs/test', { schema: { ...doc('POST /api/faqs/test'), body: FaqTestBody } }, async (request) => {
    actor(request);
    return content.testFaq(request.body.text);
  });
};
