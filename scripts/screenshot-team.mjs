// Screenshot of the agent panel's Team view: docs/team-chat.png. Starts a hub on a temporary SQLite file
// (test/helpers/spawn-hub.mjs), lets a few agents talk over real sockets, then opens the demo CRM page in headless
// Chromium (playwright-core) as one of them.
// Usage: npm run build && node scripts/screenshot-team.mjs   (CHROME_PATH overrides /usr/bin/chromium)
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';
import { spawnHub, TEST_ADMIN } from '../test/helpers/spawn-hub.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium-args.mjs';

const hub = await spawnHub();
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

/** A connected panel socket of `token`; `say` sends to a thread key. */
async function connect(token, name) {
  const socket = io(`${hub.url}/agent`, { auth: { token }, transports: ['websocket'], forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('hello', resolve);
    socket.once('connect_error', reject);
  });
  sockets.push(socket);
  const say = async (threadKey, text) => {
    const ack = await socket.emitWithAck('team:send', { threadKey, clientId: randomUUID(), text });
    if (!ack.data) throw new Error(`${name} could not send: ${ack.error?.message}`);
  };
  return { socket, say };
}

/** A new agent, connected. */
async function agent(admin, name, email) {
  const created = await call(admin, 'POST', '/api/agents', { email, name, role: 'agent', password: 'password-123' });
  const { token } = await call(null, 'POST', '/api/auth/login', { email, password: 'password-123' });
  return { id: created.id, ...(await connect(token, name)) };
}

try {
  const { token } = await call(null, 'POST', '/api/auth/login', TEST_ADMIN);
  const me = await call(token, 'GET', '/api/me');
  await call(token, 'PUT', `/api/agents/${me.id}`, { name: 'Alex Martin' });
  const alex = await connect(token, 'Alex');
  const nora = await agent(token, 'Nora Lind', 'nora@acme.test');
  const sam = await agent(token, 'Sam Okafor', 'sam@acme.test');
  const priya = await agent(token, 'Priya Shah', 'priya@acme.test');
  priya.socket.disconnect();

  await nora.say('team', 'Morning all! The new returns policy is live — FAQ updated.');
  await alex.say('team', 'Thanks Nora. I’ll take the chats until 11.');
  await alex.say('self', 'Call Marta back at 15:00 about the Kraków delivery');
  await nora.say(`direct:${me.id}`, 'Could you take the Kraków order? The customer writes in Polish.');
  await alex.say(`direct:${nora.id}`, 'Sure, I’m on it.\nI’ll add a note on her contact when it’s sorted.');
  await nora.say(`direct:${me.id}`, 'Thanks! She’s a reseller, so the price list applies.');
  await sam.say('team', 'Heads-up: the courier API is slow today, tracking links may lag.');
  await sam.say(`direct:${me.id}`, 'Do you have the latest reseller price list?');
  await sam.say(`direct:${me.id}`, 'Omar is asking for it.');

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.addInitScript((t) => sessionStorage.setItem('switchboard-agent-token', t), token);
  await page.goto(`${hub.url}/demo/crm.html`);
  await page.locator('button.team-tab').click();
  await page.locator(`sb-team-chat button.entry[data-key="direct:${nora.id}"]`).click();
  await page.locator('sb-team-chat .log .msg', { hasText: 'price list applies' }).waitFor();
  nora.socket.emit('team:typing', { threadKey: `direct:${me.id}`, typing: true });
  await page.locator('sb-team-chat .typing', { hasText: 'is typing' }).waitFor();
  await page.locator('sb-team-chat #team-text').fill('Will do — I’ll send it');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: process.env.SHOT ?? 'docs/team-chat.png' });
  if (process.env.NARROW_SHOT) {
    await page.setViewportSize({ width: 420, height: 720 });
    await page.screenshot({ path: process.env.NARROW_SHOT, fullPage: true });
  }
  console.log(`wrote ${process.env.SHOT ?? 'docs/team-chat.png'}`);
} finally {
  for (const socket of sockets) socket.disconnect();
  await browser?.close();
  await hub.stop();
  hub.cleanup();
}
