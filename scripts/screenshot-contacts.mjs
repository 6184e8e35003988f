// Screenshots of the agent panel's contacts screen and a contact page: docs/contacts.png, docs/contact-page.png.
// Starts a hub on a temporary SQLite file (test/helpers/spawn-hub.mjs), creates a few contacts through real visitor
// sockets, then opens the demo CRM page in headless Chromium (playwright-core).
// Usage: npm run build && node scripts/screenshot-contacts.mjs   (CHROME_PATH overrides /usr/bin/chromium)
import { createHash, createHmac } from 'node:crypto';
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';
import { spawnHub, TEST_ADMIN } from '../test/helpers/spawn-hub.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium-args.mjs';

const SECRET = 'screenshot-site-secret';
const hub = await spawnHub({ env: { DEMO_SITE_SECRET: SECRET } });
const sockets = [];
let browser;

/** A signed identity (user_jwt, HS256 with the site's secret). */
function identityJwt(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: Math.floor(Date.now() / 1000) })}`;
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
}

async function call(token, method, path, body) {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A visitor on the demo site who says `lines`; stays connected when `online`. Resolves the conversation id. */
async function visit(userData, lines, online = false) {
  const socket = io(`${hub.url}/visitor`, { auth: { site: 'demo', userData, language: 'en-GB' }, transports: ['websocket'], forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  });
  let conversationId = '';
  for (const text of lines) {
    const ack = await socket.emitWithAck('message:send', { clientId: createHash('sha1').update(`${Math.random()}`).digest('hex').slice(0, 16), text });
    if (!ack.data) throw new Error(`visitor could not send: ${ack.error?.message}`);
    conversationId = ack.data.message.conversationId;
  }
  if (online) sockets.push(socket);
  else socket.disconnect();
  return conversationId;
}

try {
  const { token } = await call(null, 'POST', '/api/auth/login', TEST_ADMIN);
  const me = await call(token, 'GET', '/api/me');
  await call(token, 'PUT', `/api/agents/${me.id}`, { name: 'Alex Martin' });
  const nora = await call(token, 'POST', '/api/agents', { email: 'nora@acme.test', name: 'Nora Lind', role: 'agent', password: 'password-123' });
  await call(token, 'PUT', '/api/tags', {
    freeTags: false,
    tags: [
      { name: 'vip', color: '#b42318' },
      { name: 'reseller', color: '#1f5eff' },
      { name: 'newsletter', color: '#fdb022' },
      { name: 'churn risk', color: '#067647' },
    ],
  });
  await call(token, 'PUT', '/api/contact-fields', {
    items: [
      { key: 'plan', label: 'Plan', type: 'select', options: ['Free', 'Pro', 'Enterprise'], required: true },
      { key: 'seats', label: 'Seats', type: 'number', options: [], required: false },
      { key: 'renewal', label: 'Renewal date', type: 'date', options: [], required: false },
      { key: 'newsletter', label: 'Newsletter opt-in', type: 'checkbox', options: [], required: false },
      { key: 'account_manager_notes', label: 'Account', type: 'text', options: [], required: false },
    ],
  });

  const people = [
    [{ first_name: 'Marta', last_name: 'Kowalska', email: 'marta.k@example.pl', phone_number: '+48 601 200 300' }, ['Do you ship to Kraków?'], false],
    [{ first_name: 'Yuki', last_name: 'Tanaka', email: 'yuki@example.jp' }, ['Can I change my delivery address?'], true],
    [{ first_name: 'Omar', last_name: 'Haddad', email: 'omar.haddad@example.com', comments: 'Reseller account' }, ['I need 40 more licences'], false],
    [{ first_name: 'Lena', last_name: 'Vogel', email: 'lena.vogel@example.de' }, ['Where is my invoice?'], false],
    [{ first_name: 'Diego', last_name: 'Alvarez', email: 'diego@example.es', phone_number: '+34 612 345 678' }, ['Hola, do you have the blue one?'], false],
  ];
  for (const [userData, lines, online] of people) await visit(userData, lines, online);
  const goku = {
    first_name: 'San',
    last_name: 'Goku',
    email: 'san.goku@example.com',
    phone_number: '0605776995',
    comments: 'Demo shop customer, loyalty tier: gold',
    user_id: 'cust-1042',
    user_jwt: identityJwt({ user_id: 'cust-1042', email: 'san.goku@example.com' }),
  };
  const first = await visit(goku, ['Hi, my order #1042 has not arrived', 'It was due on Monday']);
  // One open conversation per person: the first is closed before the second visit.
  await call(token, 'POST', `/api/conversations/${first}/close`, {});
  await visit(goku, ['Thanks, the parcel is here!'], true);

  const { items } = await call(token, 'GET', '/api/contacts');
  const byEmail = (email) => items.find((c) => c.email === email);
  const patches = [
    [
      'san.goku@example.com',
      { tags: ['vip', 'newsletter'], defaultAssigneeId: me.id, fields: { plan: 'Pro', seats: 12, renewal: '2027-03-01', newsletter: true } },
    ],
    ['omar.haddad@example.com', { tags: ['reseller'], defaultAssigneeId: nora.id, fields: { plan: 'Enterprise', seats: 40 } }],
    ['lena.vogel@example.de', { tags: ['churn risk'], fields: { plan: 'Free' } }],
    ['yuki@example.jp', { tags: ['newsletter'], defaultAssigneeId: nora.id }],
  ];
  for (const [email, patch] of patches) await call(token, 'PATCH', `/api/contacts/${byEmail(email).id}`, patch);
  const goku$ = byEmail('san.goku@example.com');
  await call(token, 'POST', `/api/contacts/${goku$.id}/notes`, { text: 'Prefers email over phone. Gold loyalty tier since 2024.' });

  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript((t) => sessionStorage.setItem('switchboard-agent-token', t), token);
  await page.goto(`${hub.url}/demo/crm.html`);
  await page.locator('button.contacts-tab').click();
  await page.locator('sb-contacts-list tr.contact').first().waitFor();
  await page.locator('sb-contacts-list tr.contact', { hasText: 'Omar' }).waitFor();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: 'docs/contacts.png' });

  await page.locator('sb-contacts-list tr.contact', { hasText: 'San Goku' }).click();
  await page.locator('sb-contact-page .columns').waitFor();
  await page.locator('sb-contact-page button.conversation').first().waitFor();
  // Taller, so that the fields, tags and routing show too.
  await page.setViewportSize({ width: 1280, height: 1240 });
  await page.screenshot({ path: 'docs/contact-page.png' });
  if (process.env.NARROW_SHOTS) {
    await page.setViewportSize({ width: 560, height: 1000 });
    await page.screenshot({ path: `${process.env.NARROW_SHOTS}/contact-page-narrow.png` });
    await page.locator('sb-contact-page button.back').click();
    await page.screenshot({ path: `${process.env.NARROW_SHOTS}/contacts-narrow.png` });
  }
  console.log('wrote docs/contacts.png and docs/contact-page.png');
} finally {
  for (const socket of sockets) socket.disconnect();
  await browser?.close();
  await hub.stop();
  hub.cleanup();
}
