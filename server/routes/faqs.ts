/** FAQs (admin writes, every agent reads), CSV import/export, and the "test FAQ" box. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { FaqImportResult, FaqInput } from '../../protocol/api.js';
import { FAQ_TYPES, type FaqType } from '../../protocol/types.js';
import { LIMITS } from '../../protocol/limits.js';
import { neutralise } from '../csv-safety.js';
import { HubError, notFound } from '../errors.js';
import { ArchivedQuery, FaqBody, FaqTestBody, IdParams } from '../schemas.js';
import { type RouteContext, actor, admin } from './context.js';

export const faqRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { store, bot, clock }) => {
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  const changed = () => bot.invalidate();
  const now = () => clock.now().toISOString();

  app.get('/api/faqs', { schema: { querystring: ArchivedQuery } }, async (request) => {
    actor(request);
    const items = await store.listFaqs(true);
    return { items: request.query.archived === undefined ? items : items.filter((f) => f.archived === request.query.archived) };
  });

  app.post('/api/faqs', { schema: { body: FaqBody } }, async (request, reply) => {
    admin(request);
    const faq = await store.saveFaq(null, request.body, now());
    changed();
    reply.code(201);
    return faq;
  });

  app.put('/api/faqs/:id', { schema: { params: IdParams, body: FaqBody } }, async (request) => {
    admin(request);
    if (!(await store.getFaq(request.params.id))) throw notFound('FAQ');
    const faq = await store.saveFaq(request.params.id, request.body, now());
    changed();
    return faq;
  });

  app.delete('/api/faqs/:id', { schema: { params: IdParams } }, async (request) => {
    admin(request);
    if (!(await store.deleteFaq(request.params.id))) throw notFound('FAQ');
    changed();
    return { ok: true as const };
  });

  app.get('/api/faqs/export.csv', async (request, reply) => {
    actor(request);
    const rows = (await store.listFaqs(false)).flatMap((faq) => faq.questions.map((q) => [faq.type, neutralise(q), neutralise(faq.answer)]));
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="faqs.csv"');
    return stringify([['type', 'question', 'answer'], ...rows]);
  });

  app.post('/api/faqs/import', async (request): Promise<FaqImportResult> => {
    admin(request);
    if (typeof request.body !== 'string') throw new HubError('bad_request', 'Send the CSV as text/csv');
    let records: string[][];
    try {
      records = parseCsv(request.body, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
    } catch (error) {
      throw new HubError('bad_request', `Not a valid CSV file: ${(error as Error).message}`);
    }
    const errors: FaqImportResult['errors'] = [];
    const groups = new Map<string, FaqInput>();
    for (const [index, record] of records.entries()) {
      const line = index + 1;
      const [type = '', question = '', answer = ''] = record;
      if (line === 1 && type.toLowerCase() === 'type') continue;
      const cleanType = type.toLowerCase() as FaqType;
      const problem = !FAQ_TYPES.includes(cleanType)
        ? `Unknown type "${type.slice(0, 40)}"`
        : !question || !answer
          ? 'Question and answer are required'
          : question.length > LIMITS.faqQuestion || answer.length > LIMITS.faqAnswer
            ? 'Too long'
            : null;
      if (problem) {
        errors.push({ line, message: problem });
        continue;
      }
      const key = `${cleanType}\u0000${answer}`;
      const group = groups.get(key) ?? { type: cleanType, questions: [], answer };
      if (group.questions.length < LIMITS.faqQuestions && !group.questions.includes(question)) group.questions.push(question);
      groups.set(key, group);
    }
    if (groups.size > 0) {
      const at = now();
      await store.transaction(async (tx) => {
        for (const input of groups.values()) await store.saveFaq(null, input, at, tx);
      });
      changed();
    }
    return { imported: groups.size, errors };
  });

  app.post('/api/faqs/test', { schema: { body: FaqTestBody } }, async (request) => {
    actor(request);
    bot.invalidate();
    const { matcher } = await bot.current();
    return { match: matcher.match(request.body.text) };
  });
};
