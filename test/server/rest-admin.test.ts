// The admin REST endpoints against a real hub (FAQs, quick replies, settings, agents, sites): the happy path and its
// 400/401/403/404/409 answers. The conversation routes are in rest.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FaqImportResult, FaqTestResult } from '../../protocol/api.js';
import type { Agent, Faq, QuickReply, Settings } from '../../protocol/types.js';
import { type TestHub, startHub } from '../helpers/hub.js';

let h: TestHub;
let admin: string;
let agent: { id: string; token: string };

before(async () => {
  h = await startHub(null);
  admin = await h.login();
  agent = await h.agent('agent', 'Alice');
});

after(() => h.stop());

describe('FAQs, quick replies, settings', () => {
  test('FAQ CRUD, admin only, and the test box', async () => {
    const input = { type: 'general', questions: ['Do you ship to Canada?'], answer: 'Yes, in 5–8 days.' };
    assert.equal((await h.api('POST', '/api/faqs', { token: agent.token, body: input })).status, 403);
    assert.equal((await h.api('POST', '/api/faqs', { token: admin, body: { ...input, type: 'weird' } })).status, 400);
    assert.equal((await h.api('POST', '/api/faqs', { token: admin, body: { ...input, questions: [] } })).status, 400);
    const created = await h.api<Faq>('POST', '/api/faqs', { token: admin, body: input });
    assert.equal(created.status, 201);
    const tested = await h.api<FaqTestResult>('POST', '/api/faqs/test', { token: agent.token, body: { text: 'do you shipp to canada' } });
    assert.equal(tested.body.match?.faq.id, created.body.id);
    assert.ok((tested.body.match?.score ?? 0) > 0.5);
    const updated = await h.api<Faq>('PUT', `/api/faqs/${created.body.id}`, { token: admin, body: { ...input, archived: true } });
    assert.equal(updated.body.archived, true);
    assert.equal(
      (await h.api<FaqTestResult>('POST', '/api/faqs/test', { token: admin, body: { text: 'Do you ship to Canada?' } })).body.match?.faq.id === created.body.id,
      false,
    );
    assert.equal((await h.api('PUT', '/api/faqs/nope', { token: admin, body: input })).status, 404);
    assert.equal((await h.api('DELETE', `/api/faqs/${created.body.id}`, { token: agent.token })).status, 403);
    assert.equal((await h.api('DELETE', `/api/faqs/${created.body.id}`, { token: admin })).status, 200);
    assert.equal((await h.api('DELETE', `/api/faqs/${created.body.id}`, { token: admin })).status, 404);
  });

  test('CSV import and export round-trip; formulas are neutralised', async () => {
    const csv =
      'type,question,answer\ngeneral,Can I pay with PayPal?,We take PayPal.\ngeneral,paypal accepted?,We take PayPal.\nbogus,x,y\ngeneral,"=HYPERLINK(""http://evil"")",Formula answer\n';
    assert.equal((await h.api('POST', '/api/faqs/import', { token: agent.token, raw: csv, contentType: 'text/csv' })).status, 403);
    const imported = await h.api<FaqImportResult>('POST', '/api/faqs/import', { token: admin, raw: csv, contentType: 'text/csv' });
    assert.equal(imported.body.imported, 2);
    assert.deepEqual(
      imported.body.errors.map((e) => e.line),
      [4],
    );
    const faqs = await h.api<{ items: Faq[] }>('GET', '/api/faqs', { token: agent.token });
    const paypal = faqs.body.items.find((f) => f.answer === 'We take PayPal.');
    assert.deepEqual(paypal?.questions, ['Can I pay with PayPal?', 'paypal accepted?']);
    const exported = await h.api<string>('GET', '/api/faqs/export.csv', { token: agent.token });
    assert.match(exported.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(exported.body, /general,Can I pay with PayPal\?,We take PayPal\./);
    assert.match(exported.body, /"'=HYPERLINK/);
    assert.equal((await h.api('POST', '/api/faqs/import', { token: admin, raw: '"unterminated', contentType: 'text/csv' })).status, 400);
  });

  test('quick replies CRUD with time zones', async () => {
    const input = { name: 'Night', text: 'We are closed', timezone: 'Europe/Paris', windows: [{ days: [1, 2], start: '18:00', end: '09:00' }] };
    assert.equal((await h.api('POST', '/api/quick-replies', { token: agent.token, body: input })).status, 403);
    assert.equal((await h.api('POST', '/api/quick-replies', { token: admin, body: { ...input, timezone: 'Mars/Olympus' } })).status, 400);
    assert.equal(
      (await h.api('POST', '/api/quick-replies', { token: admin, body: { ...input, windows: [{ days: [9], start: '25:00', end: '09:00' }] } })).status,
      400,
    );
    const created = await h.api<QuickReply>('POST', '/api/quick-replies', { token: admin, body: input });
    assert.equal(created.status, 201);
    assert.equal(created.body.enabled, true);
    const list = await h.api<{ items: QuickReply[] }>('GET', '/api/quick-replies', { token: agent.token });
    assert.ok(list.body.items.some((q) => q.id === created.body.id));
    const updated = await h.api<QuickReply>('PUT', `/api/quick-replies/${created.body.id}`, { token: admin, body: { ...input, enabled: false } });
    assert.equal(updated.body.enabled, false);
    assert.equal((await h.api('PUT', '/api/quick-replies/nope', { token: admin, body: input })).status, 404);
    assert.equal((await h.api('DELETE', `/api/quick-replies/${created.body.id}`, { token: admin })).status, 200);
  });

  test('settings: priority and texts; admin only', async () => {
    assert.equal((await h.api('PUT', '/api/settings', { token: agent.token, body: { botName: 'X' } })).status, 403);
    assert.equal((await h.api('PUT', '/api/settings', { token: admin, body: { faqThreshold: 2 } })).status, 400);
    const saved = await h.api<Settings>('PUT', '/api/settings', { token: admin, body: { botName: 'Sam', responderPriority: ['quick_reply', 'faq'] } });
    assert.equal(saved.body.botName, 'Sam');
    const read = await h.api<Settings>('GET', '/api/settings', { token: agent.token });
    assert.deepEqual(read.body.responderPriority, ['quick_reply', 'faq']);
    await h.api('PUT', '/api/settings', { token: admin, body: { botName: 'Switchboard bot', responderPriority: ['faq', 'quick_reply'] } });
  });
});

describe('agents and sites', () => {
  test('admins manage agents; agents may only list them', async () => {
    const body = { email: 'new.agent@test.local', name: 'New', role: 'agent', password: 'long-password' };
    assert.equal((await h.api('POST', '/api/agents', { token: agent.token, body })).status, 403);
    assert.equal((await h.api('POST', '/api/agents', { token: admin, body: { ...body, password: 'short' } })).status, 400);
    const created = await h.api<Agent>('POST', '/api/agents', { token: admin, body });
    assert.equal(created.status, 201);
    assert.equal((await h.api('POST', '/api/agents', { token: admin, body })).status, 409);
    const list = await h.api<{ items: Agent[] }>('GET', '/api/agents', { token: agent.token });
    assert.ok(list.body.items.some((a) => a.id === created.body.id));
    assert.ok(!JSON.stringify(list.body).includes('password'));
    const token = await h.login(body.email, body.password);
    assert.equal((await h.api<Agent>('PUT', `/api/agents/${created.body.id}`, { token: admin, body: { disabled: true } })).body.disabled, true);
    assert.equal((await h.api('GET', '/api/me', { token })).status, 401, 'a disabled agent is locked out');
    assert.equal((await h.api('PUT', `/api/agents/${created.body.id}`, { token: agent.token, body: { role: 'admin' } })).status, 403);
    const me = await h.api<Agent>('GET', '/api/me', { token: admin });
    assert.equal((await h.api('PUT', `/api/agents/${me.body.id}`, { token: admin, body: { role: 'agent' } })).status, 409);
    assert.equal((await h.api('DELETE', `/api/agents/${me.body.id}`, { token: admin })).status, 409);
    assert.equal((await h.api('DELETE', `/api/agents/${created.body.id}`, { token: admin })).status, 200);
    assert.equal((await h.api('DELETE', `/api/agents/${created.body.id}`, { token: admin })).status, 404);
  });

  test('sites list the demo site', async () => {
    const sites = await h.api<{ items: { id: string; allowedOrigins: string[] }[] }>('GET', '/api/sites', { token: agent.token });
    assert.deepEqual(
      sites.body.items.map((s) => s.id),
      ['demo'],
    );
    assert.ok(!JSON.stringify(sites.body).includes('secret'));
  });
});
