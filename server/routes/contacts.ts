/** Contacts: list, page, team edits, notes, merge (admin), GDPR export and erase (admin), New chat; fields and tag catalogue. */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ContactFieldsBody, ContactPatchBody, ContactsQuery, IdParams, MergeBody, NewChatBody, NoteBody, TagCatalogueBody } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { actor } from './context.js';

export const contactRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { contacts } = app.services;

  app.get('/api/contacts', { schema: { ...doc('GET /api/contacts'), querystring: ContactsQuery } }, async (request) =>
    contacts.list(actor(request), request.query),
  );

  app.get('/api/contacts/:id', { schema: { ...doc('GET /api/contacts/:id'), params: IdParams } }, async (request) =>
    contacts.get(actor(request), request.params.id),
  );

  app.patch('/api/contacts/:id', { schema: { ...doc('PATCH /api/contacts/:id'), params: IdParams, body: ContactPatchBody } }, async (request) =>
    contacts.patch(actor(request), request.params.id, request.body),
  );

  app.post('/api/contacts/:id/merge', { schema: { ...doc('POST /api/contacts/:id/merge'), params: IdParams, body: MergeBody } }, async (request) =>
    contacts.merge(actor(request), request.params.id, request.body.otherId),
  );

  app.get('/api/contacts/:id/export', { schema: { ...doc('GET /api/contacts/:id/export'), params: IdParams } }, async (request, reply) => {
    const data = await contacts.export(actor(request), request.params.id);
    reply.header('content-disposition', `attachment; filename="contact-${data.contact.id}.json"`);
    return data;
  });

  app.delete('/api/contacts/:id', { schema: { ...doc('DELETE /api/contacts/:id'), params: IdParams } }, async (request) => ({
    ok: true as const,
    conversations: await contacts.erase(actor(request), request.params.id),
  }));

  app.post('/api/contacts/:id/notes', { schema: { ...doc('POST /api/contacts/:id/notes'), params: IdParams, body: NoteBody } }, async (request, reply) => {
    reply.code(201);
    return contacts.addNote(actor(request), request.params.id, request.body.text);
  });

  app.post(
    '/api/contacts/:id/conversations',
    { schema: { ...doc('POST /api/contacts/:id/conversations'), params: IdParams, body: NewChatBody } },
    async (request, reply) => {
      const chat = await contacts.newChat(actor(request), request.params.id, request.body.text, request.body.clientId ?? randomUUID());
      reply.code(201);
      return chat;
    },
  );

  app.get('/api/contact-fields', { schema: doc('GET /api/contact-fields') }, async (request) => {
    actor(request);
    return { items: await contacts.fieldDefinitions() };
  });

  app.put('/api/contact-fields', { schema: { ...doc('PUT /api/contact-fields'), body: ContactFieldsBody } }, async (request) => ({
    items: await contacts.setFieldDefinitions(actor(request), request.body.items),
  }));

  app.get('/api/tags', { schema: doc('GET /api/tags') }, async (request) => {
    actor(request);
    return contacts.catalogue();
  });

  app.put('/api/tags', { schema: { ...doc('PUT /api/tags'), body: TagCatalogueBody } }, async (request) => contacts.setCatalogue(actor(request), request.body));
};
