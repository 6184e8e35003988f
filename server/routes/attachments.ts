/**
 * Attachments (protocol/attachments.ts): the agents' and the widget's multipart uploads, and a file's bytes for the
 * holder of its signed URL or of a token that may read it. The widget's upload and the file route authenticate
 * themselves (`ownAuthentication`): their callers are visitors and `<img src>`, not agents.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { badRequest, HubError } from '../errors.js';
import { IdParams } from '../schemas.js';
import { doc } from '../schemas/responses.js';
import { type IncomingUpload, type Reader, tooLarge } from '../services/attachments.js';
import { RateLimiter } from '../sockets/rate-limit.js';
import { actor } from './context.js';

const FileQuery = Type.Object({
  exp: Type.Optional(Type.Integer({ minimum: 0 })),
  sig: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

/** The Bearer token of a request, if any. */
function bearer(request: FastifyRequest): string | null {
  return /^Bearer (\S{1,4096})$/.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

/**
 * Browsers (and fetch's FormData) write `"`, CR and LF in a part's filename as %22, %0D and %0A (the HTML
 * standard's multipart/form-data encoding); busboy hands the name over as written.
 */
function formDataName(name: string | undefined): string | undefined {
  return name?.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { attachments, accounts, visitorSessions, config } = app.services;
  // Scoped to this plugin: the other routes keep refusing multipart bodies.
  await app.register(multipart, { limits: { fileSize: config.attachmentMaxBytes } });
  // Strangers: per visitor, and per address (a stranger can start new sessions). Agents are trusted more.
  const perVisitor = new RateLimiter(config.uploadsPerMinute);
  const perAddress = new RateLimiter(config.uploadsPerMinute * 5);
  const perAgent = new RateLimiter(config.uploadsPerMinute * 5);

  /** The file part and the text fields, whatever their order; over the size limit: 413 `file_too_large`. */
  async function readUpload(request: FastifyRequest): Promise<IncomingUpload> {
    if (!request.isMultipart()) throw badRequest('Send the file as multipart/form-data, in a part named "file"', 'file');
    const fields: Record<string, string> = {};
    let file: Omit<IncomingUpload, 'fields'> | undefined;
    try {
      const parts = request.parts({ limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 8, fieldSize: 1024, parts: 9 } });
      for await (const part of parts) {
        if (part.type === 'file') {
          if (part.fieldname !== 'file') throw badRequest(`Unexpected file part "${part.fieldname}": send the file as "file"`, 'file');
          file = { bytes: await part.toBuffer(), filename: formDataName(part.filename), declaredType: part.mimetype };
        } else if (typeof part.value === 'string') {
          fields[part.fieldname] = part.value;
        }
      }
    } catch (error) {
      if (error instanceof HubError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(config.attachmentMaxBytes);
      if (code === 'FST_FILES_LIMIT') throw badRequest('One file per upload', 'file');
      if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw badRequest('Too many form fields');
      if (code?.startsWith('FST_')) throw badRequest(`Malformed upload: ${(error as Error).message}`);
      throw error;
    }
    if (!file) throw badRequest('No file: send it in a part named "file"', 'file');
    return { ...file, fields };
  }

  app.post(
    '/api/conversations/:id/attachments',
    { schema: { ...doc('POST /api/conversations/:id/attachments'), params: IdParams } },
    async (request, reply) => {
      const agent = actor(request);
      if (!perAgent.take(agent.id)) throw new HubError('rate_limited', 'Too many uploads; wait a moment');
      const uploaded = await attachments.uploadAsAgent(agent, request.params.id, await readUpload(request));
      reply.code(201);
      return uploaded;
    },
  );

  app.post(
    '/api/widget/attachments',
    {
      schema: doc('POST /api/widget/attachments'),
      config: { ownAuthentication: true },
      // Before the body is read: a stranger without a genuine session token sends nothing further.
      preParsing: async (request, _reply, payload) => {
        const token = bearer(request);
        const identity = token ? await visitorSessions.restIdentity(token, request.headers.origin) : null;
        if (!identity) throw new HubError('unauthorized', "Send the widget session's token as Authorization: Bearer");
        if (!perVisitor.take(`v:${identity.visitorId}`) || !perAddress.take(`ip:${request.ip}`)) {
          throw new HubError('rate_limited', 'Too many uploads; wait a moment');
        }
        request.visitorIdentity = identity;
        return payload;
      },
    },
    async (request, reply) => {
      const identity = request.visitorIdentity;
      if (!identity) throw new HubError('unauthorized', "Send the widget session's token as Authorization: Bearer");
      const upload = await readUpload(request);
      // The visitor's row is written now if this is the first thing they send, as for a first message.
      const uploaded = await attachments.uploadAsVisitor(await visitorSessions.ensureVisitor(identity), upload);
      reply.code(201);
      return uploaded;
    },
  );

  app.get(
    '/api/attachments/:id',
    { schema: { ...doc('GET /api/attachments/:id'), params: IdParams, querystring: FileQuery }, config: { ownAuthentication: true } },
    async (request, reply) => {
      const reader = await readerOf(request, request.query);
      const served = await attachments.read(request.params.id, reader, request.headers.range);
      if (served.status === 416) {
        return reply
          .code(416)
          .headers(served.headers)
          .type('application/json; charset=utf-8')
          .send({ code: 'bad_request', message: 'The requested range is outside the file' });
      }
      // A stream is not serialised: the response schema only documents the content types.
      return reply
        .code(served.status)
        .headers(served.headers)
        .send((served.body ?? '') as string);
    },
  );

  /** The signature when the URL has one; else the Bearer: an agent token, else a widget session token. */
  async function readerOf(request: FastifyRequest, query: { exp?: number | undefined; sig?: string | undefined }): Promise<Reader> {
    if (query.sig !== undefined || query.exp !== undefined) return { signature: { exp: query.exp ?? 0, sig: query.sig ?? '' } };
    const token = bearer(request);
    if (!token) throw new HubError('unauthorized', 'This link needs its signature (exp, sig) or an Authorization: Bearer token');
    const agent = await accounts.authenticate(token);
    if (agent) return { agent: agent.actor };
    const identity = await visitorSessions.restIdentity(token, request.headers.origin);
    if (!identity) throw new HubError('unauthorized', 'The token is invalid, expired or revoked');
    return { visitor: await visitorSessions.row(identity.visitorId) };
  }
};
