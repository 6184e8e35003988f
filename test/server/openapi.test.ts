/**
 * The OpenAPI document (`GET /api/openapi.json`) against a real hub, both stores: it lists every /api route the hub
 * serves, and what the routes answer validates against it — every operation is called with real fixtures (a
 * visitor's conversation over a real socket, agents, a FAQ, a quick reply, contact fields, team chat), each answer
 * checked with Ajv against the operation's response schema for its status and content type. The reference pages
 * at `/api/docs` answer too.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { Message } from '../../protocol/types.js';
import { OPERATIONS } from '../../server/schemas/responses.js';
import { tinyWebm, upload } from '../helpers/attachments.js';
import { ADMIN, clientId, request, startHub } from '../helpers/hub.js';
import { startOpenAiCompatibleServer } from '../helpers/openai-compatible-server.js';
import { type Document, documentChecker, fetchDocument, openapiPath } from '../helpers/openapi.js';
import { registeredRoutes } from '../helpers/routes.js';

const INBOUND_TOKEN = 'openapi-inbound-token-0123456789';

/** The Swagger UI's own pages and assets: hidden from the document on purpose. */
const REFERENCE_PAGES = /^GET \/api\/docs(\/|$)/;

test('the document lists every /api route the hub serves, with its method, responses and security', async (t) => {
  const h = await startHub(t);
  const doc = await fetchDocument(h);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'Switchboard hub API');
  assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  assert.match(doc.info.description, /protocol\/events\.ts/, 'the description says where the Socket.IO events are');
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
    type: 'http',
    scheme: 'bearer',
    description: 'An agent token: the `token` of `POST /api/auth/login`.',
  });
  assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
  // API tokens: their own scheme, and each operation lists the scope a token needs (or leaves tokens out).
  assert.equal((doc.components.securitySchemes.apiToken as { scheme?: string }).scheme, 'bearer');
  assert.match(doc.info.description, /insufficient_scope/);
  assert.deepEqual(doc.paths['/api/conversations']?.get?.security, [{ bearerAuth: [] }, { apiToken: ['conversations:read'] }]);
  assert.deepEqual(doc.paths['/api/me']?.get?.security, [{ bearerAuth: [] }, { apiToken: [] }]);
  assert.deepEqual(doc.paths['/api/tokens']?.post?.security, [{ bearerAuth: [] }]);
  // The widget's one route takes the visitor's token.
  assert.deepEqual(doc.paths['/api/widget/unread']?.get?.security, [{ visitorToken: [] }]);

  const registered = registeredRoutes(h.hub.app.printRoutes({ commonPrefix: false })).filter((r) => / \/api\//.test(r) && !REFERENCE_PAGES.test(r));
  assert.ok(registered.length >= Object.keys(OPERATIONS).length - 1, `only ${registered.length} /api routes found`);
  const missing = registered.filter((route) => {
    const [method = '', url = ''] = route.split(' ');
    return !doc.paths[openapiPath(url)]?.[method.toLowerCase()];
  });
  assert.deepEqual(missing, [], 'routes the document leaves out');

  // Nothing else: the operations are exactly these routes (and /health), each tagged, with a success, 4XX and 5XX answer.
  const tags = new Set(doc.tags.map((tag) => tag.name));
  const operationIds = new Set<string>();
  const documented: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      documented.push(name);
      assert.ok(operation.tags?.length === 1 && tags.has(operation.tags[0] ?? ''), `${name}: one declared tag`);
      assert.ok(operation.operationId && !operationIds.has(operation.operationId), `${name}: a unique operationId`);
      operationIds.add(operation.operationId);
      const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
      assert.equal(success.length, 1, `${name}: one success status`);
      assert.ok(operation.responses['4XX'] && operation.responses['5XX'], `${name}: error answers`);
      for (const [status, response] of Object.entries(operation.responses)) {
        assert.ok(response.content && Object.keys(response.content).length > 0, `${name} ${status}: a content type`);
      }
    }
  }
  // …which are the rows of server/schemas/responses.ts, itself checked against protocol/api.ts at compile time.
  assert.deepEqual(documented.sort(), Object.keys(OPERATIONS).map(openapiPath).sort());
  const served = new Set(registered.map(openapiPath));
  assert.deepEqual(
    documented.filter((name) => !served.has(name) && name !== 'GET /health'),
    [],
    'operations the hub does not serve',
  );
  const publicOps = documented.filter((name) => {
    const [method = '', path = ''] = name.split(' ');
    return doc.paths[path]?.[method.toLowerCase()]?.security?.length === 0;
  });
  // …and the inbound email route, which takes the operator's INBOUND_EMAIL_TOKEN instead of an agent token.
  assert.deepEqual(publicOps.sort(), ['GET /api/openapi.json', 'GET /health', 'POST /api/auth/login', 'POST /api/email/inbound']);
  // Text answers declare their content type.
  assert.ok(doc.paths['/api/faqs/export.csv']?.get?.responses['200']?.content?.['text/csv']);
  assert.ok(doc.paths['/api/conversations/{id}/export']?.get?.responses['200']?.content?.['text/plain']);
  assert.ok(doc.paths['/api/faqs/import']?.post, 'the CSV import');
  console.log(`openapi: ${documented.length} operations, ${Object.keys(doc.components.schemas).length} schemas, ${registered.length} /api routes`);
});

test('every operation answers what the document says (Ajv against the response schema of its status and content type)', async (t) => {
  // The inbound email route is on (its own token); no mail is sent (no SMTP_URL), so the test asks for a reply address itself.
  // A transcription model on the contract test's OpenAI-compatible server (no chat model: summaries stay built-in).
  const provider = await startOpenAiCompatibleServer();
  t.after(() => provider.close());
  provider.transcript = 'A voice note.';
  const h = await startHub(t, {
    config: {
      requestsPerMinute: 100_000,
      inboundEmailToken: INBOUND_TOKEN,
      inboundEmailDomain: 'reply.test',
      aiBaseUrl: provider.baseUrl,
      aiTranscribeModel: 'whisper-1',
    },
  });
  const doc = await fetchDocument(h);
  const { call, validator, failures, exercised } = documentChecker(h, doc);

  // The validator does refuse: an agent without its fields, a conversation list with a bad status.
  const agentSchema = doc.paths['/api/me']?.get?.responses['200']?.content?.['application/json']?.schema;
  assert.equal(validator('self-check agent', agentSchema)({ id: 'x', email: 'a@b' }), false);
  const listSchema = doc.paths['/api/conversations']?.get?.responses['200']?.content?.['application/json']?.schema;
  assert.equal(validator('self-check list', listSchema)({ items: [], total: 0, counts: {} }), false);

  // ------------------------------------------------------------------ fixtures
  const admin = (await call<{ token: string }>('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } })).token;
  const agent = await h.agent('agent', 'Bea');
  const token = admin;

  await call('PUT', '/api/contact-fields', {
    token,
    body: {
      items: [
        { key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'], required: false },
        { key: 'seats', label: 'Seats', type: 'number', options: [], required: false },
        { key: 'vip', label: 'VIP', type: 'checkbox', options: [], required: false },
        { key: 'renewal', label: 'Renewal', type: 'date', options: [], required: false },
      ],
    },
  });
  await call('PUT', '/api/tags', { token, body: { tags: [{ name: 'vip', color: '#ff0000' }], freeTags: true } });
  const faq = await call<{ id: string }>(
    'POST',
    '/api/faqs',
    { token, body: { type: 'general', questions: ['where is my order', 'order status'], answer: 'In the post, {first_name|friend}' } },
    201,
  );
  const quickReply = await call<{ id: string }>(
    'POST',
    '/api/quick-replies',
    {
      token,
      body: {
        name: 'Hours',
        text: 'We answer 9–17',
        choices: ['Call me'],
        timezone: 'Europe/Paris',
        windows: [{ days: [1, 2], start: '09:00', end: '17:00' }],
      },
    },
    201,
  );

  // A visitor (with user data) writes; the bot answers; an agent takes over and writes back over the socket.
  const ada = await h.visitor({
    userData: { first_name: 'Ada', last_name: 'L', email: 'ada@example.com', phone_number: '0600', comments: 'gold' },
    language: 'fr-FR',
  });
  const sent = await request<{ message: Message }>(ada.socket, 'message:send', { clientId: clientId(), text: 'where is my order' });
  assert.ok(sent.data, JSON.stringify(sent.error));
  const conversationId = sent.data.message.conversationId;
  const visitorId = ada.session.visitor.id;
  await call('POST', '/api/conversations/:id/claim', { params: { id: conversationId }, token, body: {} });
  const agentSocket = await h.agentSocket(admin);
  const reply = await request(agentSocket, 'message:send', { conversationId, clientId: clientId(), text: 'Let me check' });
  assert.ok(!reply.error, JSON.stringify(reply.error));
  // Team chat: a direct thread and the team room have messages.
  for (const threadKey of ['team', `direct:${agent.id}`]) {
    const teamSent = await request(agentSocket, 'team:send', { threadKey, clientId: clientId(), text: `hello ${threadKey}` });
    assert.ok(!teamSent.error, JSON.stringify(teamSent.error));
  }

  // Attachments: an agent's and the widget's upload (multipart, as a browser sends it), then the file both ways.
  const boundary = 'openapi-boundary';
  const multipart = (name: string) =>
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="clientId"',
      '',
      name,
      `--${boundary}`,
      `Content-Disposition: form-data; name="file"; filename="${name}.txt"`,
      'Content-Type: text/plain',
      '',
      `the ${name} file`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
  const form = { contentType: `multipart/form-data; boundary=${boundary}` };
  const agentFile = await call<{ attachment: { id: string; url: string } }>(
    'POST',
    '/api/conversations/:id/attachments',
    { params: { id: conversationId }, token, raw: multipart('agent'), ...form },
    201,
  );
  await call('POST', '/api/widget/attachments', { token: ada.session.token, raw: multipart('widget'), ...form }, 201);
  await call('GET', '/api/attachments/:id', { params: { id: agentFile.attachment.id }, token });
  await call('GET', '/api/attachments/:id', { params: { id: agentFile.attachment.id }, query: `?${agentFile.attachment.url.split('?')[1]}` });
  // A voice note (binary: uploaded with fetch's FormData), transcribed; a text file is not audio.
  const voice = await upload(h, `/api/conversations/${conversationId}/attachments`, token, {
    bytes: tinyWebm('A_OPUS'),
    filename: 'note.webm',
    type: 'audio/webm',
    kind: 'audio',
    durationMs: 900,
    clientId: 'voice',
  });
  await call('POST', '/api/attachments/:id/transcription', { params: { id: voice.body.attachment.id }, token });
  await call('POST', '/api/attachments/:id/transcription', { params: { id: agentFile.attachment.id }, token }, 400);

  // ------------------------------------------------------------------ every read
  const id = { id: conversationId };
  const listed = await call<{ items: { contactId: string }[] }>('GET', '/api/conversations', { token });
  const contactId = listed.items[0]?.contactId ?? '';
  await call('GET', '/api/conversations', { token, query: '?inbox=all&botStatus=ok&includeOld=true&limit=5' });
  await call('GET', '/health');
  await call('GET', '/api/openapi.json');
  await call('GET', '/api/me', { token: agent.token });
  await call('GET', '/api/conversations/:id', { params: id, token });
  await call('GET', '/api/languages', { token });
  await call('GET', '/api/conversations/:id/messages', { params: id, token, query: '?after=0' });
  await call('GET', '/api/conversations/:id/export', { params: id, token });
  await call('GET', '/api/conversations/:id/export', { params: id, token, query: '?format=text' });
  await call('GET', '/api/visitors/:id', { params: { id: visitorId }, token });
  await call('GET', '/api/visitors/:id/export', { params: { id: visitorId }, token });
  await call('GET', '/api/widget/unread', { token: ada.session.token });
  await call('PATCH', '/api/contacts/:id', {
    params: { id: contactId },
    token,
    body: { fields: { plan: 'pro', seats: 3, vip: true, renewal: '2027-01-31' }, tags: ['vip'], defaultAssigneeId: agent.id, defaultVisibleTo: [] },
  });
  await call('POST', '/api/contacts/:id/notes', { params: { id: contactId }, token, body: { text: 'likes blue' } }, 201);
  await call('GET', '/api/contacts', { token });
  await call('GET', '/api/contacts', { token, query: '?query=ada&limit=1' });
  await call('GET', '/api/contacts/:id', { params: { id: contactId }, token });
  await call('GET', '/api/contacts/:id/export', { params: { id: contactId }, token });
  await call('GET', '/api/contact-fields', { token: agent.token });
  await call('GET', '/api/tags', { token: agent.token });
  await call('GET', '/api/stats', { token });
  await call('GET', '/api/faqs', { token });
  await call('GET', '/api/faqs', { token, query: '?archived=true' });
  await call('GET', '/api/faqs/export.csv', { token });
  await call('GET', '/api/faqs/sample.csv', { token });
  await call('GET', '/api/quick-replies', { token });
  await call('GET', '/api/settings', { token });
  await call('GET', '/api/agents', { token });
  await call('GET', '/api/sites', { token });
  await call('GET', '/api/team/threads', { token });
  await call('GET', '/api/team/threads/:key/messages', { params: { key: 'team' }, token });
  await call('GET', '/api/team/threads/:key/messages', { params: { key: `direct:${agent.id}` }, token, query: '?limit=1' });
  // AI assist, without a provider: the built-in suggestions and summary; a feature turned off is a 409.
  await call('GET', '/api/conversations/:id/summary', { params: id, token });
  await call('GET', '/api/conversations/:id/suggestions', { params: id, token, query: '?refresh=1' });
  await call('GET', '/api/assist/status', { token: agent.token });
  await call('GET', '/api/assist/settings', { token: agent.token });
  await call('PUT', '/api/assist/settings', { token, body: { summary: false } });
  await call('GET', '/api/conversations/:id/summary', { params: id, token }, 409);
  await call('PUT', '/api/assist/settings', { token, body: { summary: true } });

  // ------------------------------------------------------------------ every write
  await call('POST', '/api/conversations/:id/notes', { params: id, token, body: { text: 'private' } }, 201);
  await call('PUT', '/api/conversations/:id/tags', { params: id, token, body: { tags: ['vip', 'billing'] } });
  await call('PUT', '/api/conversations/:id/assignees', { params: id, token, body: { agentIds: [agent.id] } });
  await call('PUT', '/api/conversations/:id/visibility', { params: id, token, body: { agentIds: [] } });
  await call('PUT', '/api/conversations/:id/ticket-status', { params: id, token, body: { status: 'pending' } });
  await call('POST', '/api/conversations/:id/release', { params: id, token });
  await call('POST', '/api/conversations/:id/mute', { params: id, token });
  await call('POST', '/api/conversations/:id/unmute', { params: id, token });
  await call('POST', '/api/conversations/:id/close', { params: id, token, body: { ticketStatus: 'resolved' } });
  await call('POST', '/api/conversations/:id/reopen', { params: id, token });
  await call('POST', '/api/conversations/:id/close', { params: id, token, body: {} });
  await call('POST', '/api/contacts/:id/conversations', { params: { id: contactId }, token, body: { text: 'Following up' } }, 201);
  await call('PUT', '/api/faqs/:id', {
    params: { id: faq.id },
    token,
    body: { type: 'general', questions: ['where is my parcel'], answer: 'Here', archived: true },
  });
  await call('POST', '/api/faqs/test', { token, body: { text: 'where is my parcel' } });
  await call('POST', '/api/faqs/test', { token, body: { text: 'zzzz qqqq' } });
  await call('POST', '/api/faqs/import', { token, raw: 'type,question,answer\ngeneral,opening hours,9 to 5\nnonsense,,\n', contentType: 'text/csv' });
  await call('DELETE', '/api/faqs/:id', { params: { id: faq.id }, token });
  await call('PUT', '/api/quick-replies/:id', {
    params: { id: quickReply.id },
    token,
    body: { name: 'Hours', text: 'Closed', timezone: 'UTC', windows: [], enabled: false },
  });
  await call('DELETE', '/api/quick-replies/:id', { params: { id: quickReply.id }, token });
  await call('PUT', '/api/settings', { token, body: { botName: 'Robo', greeting: 'Hi there', reassignAfterMinutes: 30, faqThreshold: 0.4 } });
  const extra = await call<{ id: string }>(
    'POST',
    '/api/agents',
    { token, body: { email: `${randomUUID().slice(0, 8)}@test.local`, name: 'Extra', role: 'agent', password: 'password-123' } },
    201,
  );
  await call('PUT', '/api/agents/:id', { params: { id: extra.id }, token, body: { name: 'Renamed', maxOpen: 3 } });
  await call('DELETE', '/api/agents/:id', { params: { id: extra.id }, token });

  // Email: the settings, the agent's own switch, and Ada answering by email (her reply address, as an email would carry it).
  await call('GET', '/api/email/settings', { token });
  await call('PUT', '/api/email/settings', { token, body: { enabled: true, delayMinutes: 10, chatUrl: null } });
  await call('PATCH', '/api/me', { token: agent.token, body: { emailOnEscalation: true } });
  const replyTo = await h.hub.services.email.replyAddress(conversationId);
  const raw = `From: Ada <ada@example.com>\r\nTo: ${replyTo}\r\nSubject: Re: chat\r\nMessage-ID: <ada-1@example.com>\r\n\r\nThanks!\r\n`;
  await call('POST', '/api/email/inbound', { token: INBOUND_TOKEN, raw, contentType: 'message/rfc822' });

  // Merge a second person in, then erase: a conversation, a visitor (and its contact), a contact.
  const bob = await h.visitor({ userData: { first_name: 'Bob' } });
  const bobSent = await request<{ message: Message }>(bob.socket, 'message:send', { clientId: clientId(), text: 'hi' });
  const bobContact = (
    await call<{ conversation: { contactId: string } }>('GET', '/api/conversations/:id', { params: { id: bobSent.data?.message.conversationId ?? '' }, token })
  ).conversation.contactId;
  await call('POST', '/api/contacts/:id/merge', { params: { id: contactId }, token, body: { otherId: bobContact } });
  const carl = await h.visitor({ userData: { first_name: 'Carl' } });
  const carlSent = await request<{ message: Message }>(carl.socket, 'message:send', { clientId: clientId(), text: 'hello' });
  await call('DELETE', '/api/conversations/:id', { params: { id: carlSent.data?.message.conversationId ?? '' }, token });
  await call('DELETE', '/api/visitors/:id', { params: { id: carl.session.visitor.id }, token });
  await call('DELETE', '/api/contacts/:id', { params: { id: contactId }, token });

  // ------------------------------------------------------------------ webhooks (a loopback receiver is allowed by the setting; nothing is posted: the worker is off in tests)
  await call('GET', '/api/webhooks/settings', { token });
  await call('PUT', '/api/webhooks/settings', { token, body: { allowPrivateTargets: true } });
  const hook = await call<{ id: string }>('POST', '/api/webhooks', { token, body: { url: 'http://127.0.0.1:9/hook', events: ['message.created'] } }, 201);
  await call('GET', '/api/webhooks', { token });
  const erin = await h.visitor({ userData: { first_name: 'Erin' } });
  await request(erin.socket, 'message:send', { clientId: clientId(), text: 'for the webhook' });
  const page = await call<{ items: { id: string }[] }>('GET', '/api/webhooks/:id/deliveries', { params: { id: hook.id }, token });
  await call('POST', '/api/webhooks/deliveries/:id/resend', { params: { id: page.items[0]?.id ?? '' }, token }, 201);
  await call('PATCH', '/api/webhooks/:id', { params: { id: hook.id }, token, body: { enabled: false } });
  await call('DELETE', '/api/webhooks/:id', { params: { id: hook.id }, token });

  // ------------------------------------------------------------------ API tokens (one made, used, listed, revoked)
  const made = await call<{ token: { id: string }; secret: string }>(
    'POST',
    '/api/tokens',
    { token, body: { name: 'CRM', scopes: ['stats:read'], expiresInDays: 30 } },
    201,
  );
  await call('GET', '/api/stats', { token: made.secret });
  await call('GET', '/api/faqs', { token: made.secret }, 403); // insufficient_scope: an ErrorBody like any other
  await call('GET', '/api/tokens', { token });
  await call('DELETE', '/api/tokens/:id', { params: { id: made.token.id }, token });
  await call('GET', '/api/faqs', { token: made.secret }, 401);

  // ------------------------------------------------------------------ errors: 400 (with field), 401, 403, 404, 409
  await call('PUT', '/api/settings', { token, body: { faqThreshold: 2 } }, 400);
  await call('GET', '/api/me', {}, 401);
  await call('POST', '/api/faqs', { token: agent.token, body: { type: 'general', questions: ['q'], answer: 'a' } }, 403);
  await call('GET', '/api/conversations/:id', { params: { id: randomUUID() }, token }, 404);
  await call('GET', '/api/faqs/export.csv', {}, 401);
  const dana = await h.visitor({ userData: { first_name: 'Dana' } });
  const danaSent = await request<{ message: Message }>(dana.socket, 'message:send', { clientId: clientId(), text: 'help' });
  const danaConversation = { id: danaSent.data?.message.conversationId ?? '' };
  await call('POST', '/api/conversations/:id/claim', { params: danaConversation, token, body: {} });
  await call('POST', '/api/conversations/:id/claim', { params: danaConversation, token: agent.token, body: {} }, 409);
  await call('POST', '/api/auth/logout', { token: await h.login() });

  assert.deepEqual(failures, [], 'answers that do not match the document');
  // Every operation of the document was called and answered its success status.
  const notCalled: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const success = Object.keys(operation.responses).find((status) => /^2\d\d$/.test(status));
      if (!exercised.has(`${method.toUpperCase()} ${path} ${success}`)) notCalled.push(`${method.toUpperCase()} ${path}`);
    }
  }
  assert.deepEqual(notCalled, [], 'operations the test did not call');
  console.log(`openapi: ${exercised.size} operation × status pairs validated against the document`);
});

test('the API reference pages answer: HTML under the hub CSP, with their scripts', async (t) => {
  const h = await startHub(t);
  for (const path of ['/api/docs', '/api/docs/']) {
    const res = await fetch(`${h.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<div id="swagger-ui">/);
    assert.match(html, /<title>Switchboard API reference<\/title>/);
    // The hub's own policy (plugins/http-basics.ts): scripts from 'self' only, and the page has no inline script.
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'(;|$)/);
    assert.doesNotMatch(html, /<script>(?!\s*<\/script>)/);
  }
  for (const asset of ['/api/docs/static/swagger-ui-bundle.js', '/api/docs/static/swagger-initializer.js', '/api/docs/static/swagger-ui.css']) {
    const res = await fetch(`${h.url}${asset}`);
    assert.equal(res.status, 200, asset);
    await res.arrayBuffer();
  }
  const json = await fetch(`${h.url}/api/docs/json`);
  assert.equal(json.status, 200);
  assert.equal(((await json.json()) as Document).info.title, 'Switchboard hub API');
});
