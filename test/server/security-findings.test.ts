/**
 * Regressions for the findings of the outside security review: each test failed before its fix.
 * Real hubs over real HTTP and sockets (see helpers/hub.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Message } from '../../protocol/types.js';
import { neutralise } from '../../server/csv-safety.js';
import { withoutBidiControls } from '../../server/text.js';
import { testPostgresUrl } from '../helpers/databases.mjs';
import { clientId, next, request, startHub } from '../helpers/hub.js';

test('deeply nested JSON is a 400 bad_request, not a 500; shallow nesting still reaches validation', async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  for (const raw of ['['.repeat(100_000), `${'['.repeat(100_000)}${']'.repeat(100_000)}`, `{"answer":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_001)}`]) {
    const res = await h.api<{ code: string }>('POST', '/api/faqs', { token, raw, contentType: 'application/json' });
    assert.equal(res.status, 400, `${raw.slice(0, 12)}… (${raw.length} chars)`);
    assert.equal(res.body.code, 'bad_request');
  }
  // Also before authentication, and on a route without a body schema.
  const anonymous = await h.api<{ code: string }>('POST', '/api/auth/login', {
    raw: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    contentType: 'application/json',
  });
  assert.equal(anonymous.status, 400);
  assert.equal(anonymous.body.code, 'bad_request');

  // 64 levels is allowed (the schema then refuses the shape, still a 400); 65 is refused for depth.
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const atLimit = await h.api<{ code: string; message: string }>('POST', '/api/faqs', { token, raw: nested(64), contentType: 'application/json' });
  assert.equal(atLimit.status, 400);
  assert.doesNotMatch(atLimit.body.message, /deep/i);
  const overLimit = await h.api<{ code: string; message: string }>('POST', '/api/faqs', { token, raw: nested(65), contentType: 'application/json' });
  assert.equal(overLimit.status, 400);
  assert.match(overLimit.body.message, /deep/i);

  // Socket payloads go through the same walk: a deep one is a bad_request ack, not an internal error.
  // (Written as a raw packet: socket.io-client's own encoder recurses and overflows on such a payload.)
  const { socket } = await h.visitor();
  const engine = socket.io.engine;
  const ackId = 4242;
  const reply = new Promise<string>((resolve) => {
    const onData = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(`3/visitor,${ackId}[`)) return;
      engine.off('data', onData);
      resolve(data.slice(`3/visitor,${ackId}`.length));
    };
    engine.on('data', onData);
  });
  engine.write(`2/visitor,${ackId}["message:send",${nested(20_000)}]`);
  const [ack] = JSON.parse(await reply) as [{ error?: { code: string } }];
  assert.equal(ack.error?.code, 'bad_request');

  // The hub still works afterwards.
  const created = await h.api('POST', '/api/faqs', { token, body: { type: 'general', questions: ['still ok?'], answer: 'yes' } });
  assert.equal(created.status, 201);
});

test('an invalid date in the conversation filters is a 400, not a 500; real dates still filter', async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  const invalid = [
    '2026-01-01T99:99',
    '2026-01-01T24:00',
    '2026-01-01T10:60',
    '2026-01-01T10:00:61Z',
    '2026-01-01T10:00+99:00',
    '2026-13-01',
    '2026-00-10',
    '2026-02-30',
    '2025-02-29',
    '2026-04-31T10:00Z',
  ];
  for (const param of ['from', 'to']) {
    for (const value of invalid) {
      const res = await h.api<{ code: string }>('GET', `/api/conversations?${param}=${encodeURIComponent(value)}`, { token });
      assert.equal(res.status, 400, `${param}=${value}`);
      assert.equal(res.body.code, 'bad_request', `${param}=${value}`);
    }
  }
  const valid = ['2024-02-29', '2026-01-01T10:00', '2026-01-01T23:59:59.999Z', '2026-01-01T10:00+02:00', '2026-12-31T00:00:00-05:30'];
  for (const param of ['from', 'to']) {
    for (const value of valid) {
      const res = await h.api('GET', `/api/conversations?${param}=${encodeURIComponent(value)}`, { token });
      assert.equal(res.status, 200, `${param}=${value}`);
    }
  }
});

/** Every way a cell can start that a spreadsheet may treat as a formula (or that hides one after leading blanks). */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\n', ' ', '\u00A0', '\u3000', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

test('CSV cells: neutralise prefixes every formula start, ASCII, blank or full-width, and leaves other cells alone', () => {
  for (const start of FORMULA_STARTS) {
    const cell = `${start}HYPERLINK("http://evil")`;
    assert.equal(neutralise(cell), `'${cell}`, `cell starting with U+${start.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`);
  }
  assert.equal(neutralise(' =1+1'), "' =1+1", 'a formula behind a space');
  assert.equal(neutralise('\n=1+1'), "'\n=1+1", 'a formula behind a line break');
  for (const plain of ['', 'Can I pay with PayPal?', 'a = b', 'x-ray', 'mail@example.com', "'already quoted", '１２３', 'Ｈello']) {
    assert.equal(neutralise(plain), plain, JSON.stringify(plain));
  }
});

test('CSV export as admin: questions and answers starting with any formula start come out prefixed', async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  const cells = FORMULA_STARTS.map((start, i) => `${start}cmd|' /C calc'!A${i}`);
  for (const [i, cell] of cells.entries()) {
    const created = await h.api('POST', '/api/faqs', { token, body: { type: 'general', questions: [cell], answer: `${cell} answer ${i}` } });
    assert.equal(created.status, 201);
  }
  const exported = await h.api<string>('GET', '/api/faqs/export.csv', { token });
  assert.equal(exported.status, 200);
  const rows = parseCsv(exported.body) as string[][];
  assert.deepEqual(rows[0], ['type', 'question', 'answer']);
  for (const [i, cell] of cells.entries()) {
    const row = rows.find((r) => r[1]?.endsWith(`A${i}`));
    assert.ok(row, `row ${i} exported`);
    assert.equal(row[1], `'${cell}`, `question starting with U+${cell.codePointAt(0)?.toString(16).toUpperCase()}`);
    assert.equal(row[2], `'${cell} answer ${i}`);
  }
});

test('deleted visitors and conversations leave no trace in the SQLite database file or its WAL', {
  skip: testPostgresUrl() ? 'SQLite files only (this run uses PostgreSQL; what it keeps is in docs/security-deletion.md)' : false,
}, async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  const file = h.databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  /** The database files (.db, -wal) whose raw bytes contain `marker`. */
  const traces = (marker: string) =>
    [file, `${file}-wal`]
      .filter((path) => existsSync(path) && readFileSync(path).includes(Buffer.from(marker, 'utf8')))
      .map((path) => path.slice(file.length) || '.db');
  /** A visitor with a unique email who sent it in a message too (and got the bot's answer). */
  const chatter = async (marker: string) => {
    const email = `${marker}@example.com`;
    const { socket, session } = await h.visitor({ userData: { first_name: 'Erin', email } });
    const botReply = next<Message>(socket, 'message:new', (m) => m.author === 'bot');
    const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: `my address is ${email}` });
    assert.ok(sent.data, JSON.stringify(sent.error));
    await botReply;
    assert.notDeepEqual(traces(marker), [], 'the email is on disk before the delete (else this test proves nothing)');
    return { visitorId: session.visitor.id, conversationId: sent.data.conversation.id };
  };

  const erased = `erase-me-${randomUUID()}`;
  const { visitorId } = await chatter(erased);
  const deleted = await h.api('DELETE', `/api/visitors/${visitorId}`, { token });
  assert.equal(deleted.status, 200);
  assert.equal((await h.api('GET', `/api/visitors/${visitorId}`, { token })).status, 404);
  assert.deepEqual(traces(erased), [], "files still holding the deleted visitor's email");

  // Deleting one conversation: its messages go the same way.
  const said = `said-once-${randomUUID()}`;
  const { conversationId } = await chatter(said);
  assert.equal((await h.api('DELETE', `/api/conversations/${conversationId}`, { token })).status, 200);
  assert.equal((await h.api('GET', `/api/conversations/${conversationId}/messages`, { token })).status, 404);
  // The visitor stays (with the email in their profile), so look for the message text only.
  assert.deepEqual(traces(`my address is ${said}`), [], "files still holding the deleted conversation's message");
});

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

test('withoutBidiControls removes every bidi embedding, override, isolate and mark, and nothing else', () => {
  const controls = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c].map((c) => String.fromCodePoint(c));
  for (const control of controls) assert.equal(withoutBidiControls(`a${control}b${control}`), 'ab', `U+${control.codePointAt(0)?.toString(16)}`);
  for (const kept of ['Zoë', 'محمد', 'שלום', '山田', 'a\u200Db', '👩‍💻']) assert.equal(withoutBidiControls(kept), kept);
});

test('bidi controls are stripped from visitor names when stored (connect and user:update)', async (t) => {
  const h = await startHub(t);
  const token = await h.login();
  const { socket, session } = await h.visitor({
    userData: { first_name: 'exe\u202Eevil', last_name: '\u2066Smith\u2069\u200E\u200F\u061C\u202A\u202B\u202C\u202D\u2067\u2068' },
  });
  const sent = await request<{ conversation: { id: string } }>(socket, 'message:send', { clientId: clientId(), text: 'hello' });
  assert.ok(sent.data, JSON.stringify(sent.error));

  const list = await h.api<{ items: { id: string; visitor: { name: string } }[] }>('GET', '/api/conversations', { token });
  const listed = list.body.items.find((c) => c.id === sent.data?.conversation.id);
  assert.equal(listed?.visitor.name, 'exeevil Smith');
  const visitor = await h.api<{ userData: { first_name?: string; last_name?: string } }>('GET', `/api/visitors/${session.visitor.id}`, { token });
  assert.equal(visitor.body.userData.first_name, 'exeevil');
  assert.equal(visitor.body.userData.last_name, 'Smith');

  // Changing the name later goes through the same cleaning, and so does the email (shown when there is no name).
  const updated = await request(socket, 'user:update', { userData: { first_name: 'gpj.\u2067exe', email: 'e\u202E@example.com' } });
  assert.ok(updated.data, JSON.stringify(updated.error));
  const after = await h.api<{ userData: { first_name?: string; email?: string } }>('GET', `/api/visitors/${session.visitor.id}`, { token });
  assert.equal(after.body.userData.first_name, 'gpj.exe');
  assert.equal(after.body.userData.email, 'e@example.com');
  const relisted = await h.api<{ items: { id: string; visitor: { name: string } }[] }>('GET', '/api/conversations', { token });
  assert.doesNotMatch(relisted.body.items.find((c) => c.id === sent.data?.conversation.id)?.visitor.name ?? '', BIDI_CONTROLS);
});
