// Screenshot of the agent panel's inbox for the README: docs/agent-panel.png (the views row with counts, the two
// groups of tiles, the list and an open conversation with its status line and side panel).
// Starts a hub with the demo data on a temporary SQLite file (test/helpers/spawn-hub.mjs), adds a few live visitors,
// then opens the demo CRM page in headless Chromium (playwright-core).
// Usage: npm run build && node scripts/screenshot-inbox.mjs   (CHROME_PATH overrides /usr/bin/chromium;
// NARROW_SHOTS=<dir> also writes 390 × 844 shots of the list, the conversation, its Details tab and the close dialog there)
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';
import { spawnHub, TEST_ADMIN } from '../test/helpers/spawn-hub.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium-args.mjs';

const hub = await spawnHub({ env: { DEMO_DATA: '1' } });
const sockets = [];
let browser;

async function call(token, method, path, body) {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A visitor who says `lines` and stays online. Resolves the conversation id. */
async function visit(userData, language, lines) {
  const socket = io(`${hub.url}/visitor`, { auth: { site: 'demo', userData, language }, transports: ['websocket'], forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  });
  let conversationId = '';
  for (const text of lines) {
    const ack = await socket.emitWithAck('message:send', { clientId: randomUUID(), text });
    if (!ack.data) throw new Error(`visitor could not send: ${ack.error?.message}`);
    conversationId = ack.data.message.conversationId;
  }
  sockets.push(socket);
  return conversationId;
}

try {
  const { token } = await call(null, 'POST', '/api/auth/login', TEST_ADMIN);
  const me = await call(token, 'GET', '/api/me');
  await call(token, 'PUT', `/api/agents/${me.id}`, { name: 'Alex Martin' });
  await visit({ first_name: 'Yuki', last_name: 'Tanaka', email: 'yuki@example.jp' }, 'ja-JP', ['Can I change my delivery address?']);
  const marta = await visit({ first_name: 'Marta', last_name: 'Kowalska', email: 'marta.k@example.pl' }, 'pl-PL', [
    'Do you ship to Kraków?',
    'I would like to talk to a person please',
  ]);
  await visit({ first_name: 'Diego', last_name: 'Alvarez', email: 'diego@example.es' }, 'es-ES', ['Hola, do you have the blue one?']);
  await call(token, 'PUT', `/api/conversations/${marta}/assignees`, { agentIds: [me.id] });
  await call(token, 'PUT', `/api/conversations/${marta}/tags`, { tags: ['shipping'] });

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript((t) => sessionStorage.setItem('switchboard-agent-token', t), token);
  await page.goto(`${hub.url}/demo/crm.html`);
  await page.locator('sb-conversation-list li[role="option"]').first().waitFor();
  await page.locator('sb-conversation-list li[role="option"]', { hasText: 'Marta' }).click();
  await page.locator('sb-conversation-view .status-line').waitFor();
  await page.locator('sb-conversation-view button.claim').click();
  await page.locator('sb-conversation-view button.release').waitFor();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: 'docs/agent-panel.png' });
  console.log('wrote docs/agent-panel.png');

  const dir = process.env.NARROW_SHOTS;
  if (dir) {
    await page.locator('sb-conversation-view button.close').click();
    await page.locator('sb-conversation-view dialog.close-dialog').waitFor();
    await page.screenshot({ path: `${dir}/close-dialog.png` });
    await page.locator('sb-conversation-view dialog.close-dialog button.cancel').click();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${dir}/phone-conversation.png` });
    await page.locator('sb-conversation-view [role="tab"]', { hasText: 'Details' }).click();
    await page.screenshot({ path: `${dir}/phone-details.png` });
    await page.locator('sb-conversation-view button.back').click();
    await page.locator('sb-conversation-list button.toggle-filters').click();
    await page.screenshot({ path: `${dir}/phone-list.png` });
    console.log(`wrote ${dir}/close-dialog.png, phone-conversation.png, phone-details.png, phone-list.png`);
  }
} finally {
  for (const socket of sockets) socket.disconnect();
  await browser?.close();
  await hub.stop();
  hub.cleanup();
}
