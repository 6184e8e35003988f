/**
 * A stand-in for an OpenAI-compatible API, for CONTRACT tests of server/services/ai-provider.ts: no real model can
 * run here (a llama.cpp or whisper server needs model weights this machine can't download), so this server
 * implements the documented request and response shapes of
 *   POST /v1/chat/completions      — JSON `{ model, messages: [{ role, content }], temperature? }` →
 *                                    `{ id, object: 'chat.completion', created, model, choices: [{ index, message: { role: 'assistant', content }, finish_reason }], usage }`
 *   POST /v1/audio/transcriptions  — multipart/form-data with `file` (a named file part) and `model` → `{ text }`
 * and checks each request the way the API documents it (a 400 with an OpenAI-style `{ error }` body otherwise).
 * It can be told to fail: answer with a status, or stall past the client's timeout, for the next N calls, then
 * recover. Every request is recorded for the tests to inspect.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** Chat: the parsed JSON body. */
  json?: { model: string; messages: { role: string; content: string }[]; temperature?: number };
  /** Transcription: the multipart fields and the file. */
  form?: { fields: Record<string, string>; file: { filename: string; contentType: string; bytes: Buffer } | null };
}

export type Failure = { kind: 'status'; status: number; body?: string; retryAfter?: number } | { kind: 'stall'; ms: number };

export interface FakeProvider {
  /** `http://127.0.0.1:PORT/v1`: what AI_BASE_URL would be. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The next chat answer's content (a function gets the request). */
  reply: string | ((request: RecordedRequest) => string);
  /** The next transcription's text. */
  transcript: string;
  /** Fail the next `times` calls (any route) this way, then answer normally. */
  failNext(failure: Failure, times?: number): void;
  close(): Promise<void>;
}

const ROLES = new Set(['system', 'user', 'assistant', 'developer', 'tool']);

function openAiError(res: ServerResponse, status: number, message: string, type = 'invalid_request_error'): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A minimal multipart/form-data reader (RFC 7578): parts with their headers and bytes. */
function parseMultipart(body: Buffer, contentType: string): RecordedRequest['form'] | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return null;
  const delimiter = Buffer.from(`--${marker}`);
  const fields: Record<string, string> = {};
  let file: NonNullable<RecordedRequest['form']>['file'] = null;
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(head)?.[1];
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      if (name === 'file' && filename !== undefined) file = { filename, contentType: type.trim(), bytes: Buffer.from(content) };
      else if (name) fields[name] = content.toString('utf8');
    }
    start = next;
  }
  return { fields, file };
}

export async function startOpenAiCompatibleServer(): Promise<FakeProvider> {
  const failures: Failure[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeProvider = {
    baseUrl: '',
    requests: [],
    reply: 'OK',
    transcript: '',
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? '').split('?')[0] ?? '';
      const recorded: RecordedRequest = { path, headers: req.headers };
      fake.requests.push(recorded);
      if (req.method !== 'POST') return openAiError(res, 405, 'Only POST');

      const failure = failures.shift();
      if (failure?.kind === 'stall') {
        await new Promise((resolve) => setTimeout(resolve, failure.ms));
        if (res.destroyed || req.destroyed) return;
      } else if (failure?.kind === 'status') {
        if (failure.retryAfter !== undefined) res.setHeader('retry-after', String(failure.retryAfter));
        return openAiError(res, failure.status, failure.body ?? 'The server had an error while processing your request.', 'server_error');
      }

      if (path === '/v1/chat/completions') {
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return openAiError(res, 400, 'Content-Type must be application/json');
        let json: RecordedRequest['json'];
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          return openAiError(res, 400, 'We could not parse the JSON body of your request.');
        }
        recorded.json = json;
        if (!json || typeof json.model !== 'string' || !json.model) return openAiError(res, 400, 'you must provide a model parameter');
        if (!Array.isArray(json.messages) || json.messages.length === 0) return openAiError(res, 400, "'messages' must be a non-empty array");
        for (const message of json.messages) {
          if (!message || !ROLES.has(message.role) || typeof message.content !== 'string')
            return openAiError(res, 400, 'Each message needs a role (system, user, assistant…) and a string content');
        }
        if (json.temperature !== undefined && (typeof json.temperature !== 'number' || json.temperature < 0 || json.temperature > 2))
          return openAiError(res, 400, 'temperature must be a number between 0 and 2');
        const content = typeof fake.reply === 'function' ? fake.reply(recorded) : fake.reply;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `chatcmpl-${fake.requests.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: json.model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
        return;
      }

      if (path === '/v1/audio/transcriptions') {
        const form = parseMultipart(body, req.headers['content-type'] ?? '');
        if (!form) return openAiError(res, 400, 'Content-Type must be multipart/form-data');
        recorded.form = form;
        if (!form.file) return openAiError(res, 400, 'you must provide a file');
        if (!form.fields['model']) return openAiError(res, 400, 'you must provide a model parameter');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ text: fake.transcript }));
        return;
      }
      openAiError(res, 404, `Unknown route ${path}`);
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
