// End to end, the way a person uses the product: the built widget on the demo shop page and the
// built panel on the demo CRM page (playwright-core driving Debian's Chromium) against a real hub.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { spawnHub } from '../helpers/spawn-hub.mjs';

const docs = new URL('../../docs/', import.meta.url);
let hub: Awaited<ReturnType<typeof spawnHub>>;
let browser: Browser;

/** Screenshots for the README, taken once (delete the file to retake it). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(docs, { recursive: true });
  const file = new URL(name, docs);
  if (!existsSync(file)) await page.screenshot({ path: file.pathname });
}

before(async () => {
  // The hub as `npm start` runs it: the build's bundle (dist/hub.js), with the demo data.
  hub = await spawnHub({ env: { DEMO_DATA: '1' }, bundled: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await hub?.stop();
  hub?.cleanup();
});

test('a visitor and an agent, from FAQ answer to deletion', async () => {
  const shopContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const shop = await shopContext.newPage();
  const errors: string[] = [];
  shop.on('pageerror', (error) => errors.push(error.message));
  // The demo pages are served with helmet's Content-Security-Policy (script-src 'self', no eval, no
  // inline script): the widget and the panel must work under it without a single violation.
  const cspViolations: string[] = [];
  const watchCsp = (page: Page) =>
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  watchCsp(shop);
  const shopResponse = await shop.goto(`${hub.url}/demo/shop.html`);
  const csp = shopResponse?.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-eval|script-src[^;]*unsafe-inline/);

  // The visitor asks an FAQ question and gets the bot's answer.
  await shop.getByRole('button', { name: 'Open chat' }).click();
  const composer = shop.getByPlaceholder('Write a message…');
  await composer.fill('how long does delivery take?');
  await composer.press('Enter');
  await shop.getByText('Orders ship within 24 hours').waitFor();

  // Something the bot doesn't know: the agent panel shows it as Not understood.
  await composer.fill('Can I bring my llama to the Dublin store?');
  await composer.press('Enter');
  await shop.getByText("Sorry, I didn't understand that").waitFor();
  await screenshot(shop, 'shop.png');

  const crmContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const crm = await crmContext.newPage();
  crm.on('pageerror', (error) => errors.push(error.message));
  watchCsp(crm);
  await crm.goto(`${hub.url}/demo/crm.html`);
  await crm.getByLabel('Email').fill('admin@test.local');
  await crm.getByLabel('Password').fill('admin-password-1');
  await crm.getByRole('button', { name: 'Sign in' }).click();
  const row = crm.getByRole('option').filter({ hasText: 'San Goku' });
  await row.getByText('Not understood').waitFor();
  await screenshot(crm, 'agent-panel.png');

  // The agent takes over: the visitor sees "Admin joined" and the agent's reply.
  await row.click();
  await crm.getByRole('button', { name: 'Take over' }).click();
  await shop.getByText('Admin joined the conversation').waitFor();
  await shop.getByText('Admin is here to help').waitFor();
  const reply = crm.getByPlaceholder('Reply to the visitor (Enter to send)');
  await reply.fill('Llamas are welcome on a lead!');
  await reply.press('Enter');
  await shop.getByText('Llamas are welcome on a lead!').waitFor();
  await screenshot(crm, 'crm.png');

  // The visitor reloads: the transcript is intact.
  await shop.reload();
  await shop.getByRole('button', { name: /Open chat/ }).click();
  await shop.getByText('Llamas are welcome on a lead!').waitFor();
  await shop.getByText('Orders ship within 24 hours').waitFor();

  // Hand back: the bot answers again.
  await crm.getByRole('button', { name: 'Hand back to bot' }).click();
  await shop.getByText('our assistant is back').waitFor();
  await shop.getByPlaceholder('Write a message…').fill('what payment methods do you accept');
  await shop.getByPlaceholder('Write a message…').press('Enter');
  await shop.getByText('We accept Visa').waitFor();

  // The agent downloads the conversation.
  const [download] = await Promise.all([crm.waitForEvent('download'), crm.getByRole('button', { name: 'Conversation (text)' }).click()]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const transcript = readFileSync(path, 'utf8');
  for (const line of ['San Goku: how long does delivery take?', 'Llamas are welcome on a lead!', 'We accept Visa']) assert.ok(transcript.includes(line), line);

  // The admin deletes the user: gone from the panel, and the widget starts afresh.
  crm.once('dialog', (dialog) => void dialog.accept());
  await crm.getByRole('button', { name: 'Delete user and all conversations' }).click();
  await row.waitFor({ state: 'detached' });
  await shop.getByText('Llamas are welcome on a lead!').waitFor({ state: 'detached' });
  assert.equal(await shop.getByText('Orders ship within 24 hours').count(), 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(cspViolations, [], 'no Content-Security-Policy violation on either page');
  await shopContext.close();
  await crmContext.close();
});

test('both demo pages and the scripts are served', async () => {
  for (const path of ['/demo/shop.html', '/demo/crm.html', '/widget.js', '/agent-panel.js', '/health']) {
    const res = await fetch(`${hub.url}${path}`);
    assert.equal(res.status, 200, path);
  }
  const widget = await fetch(`${hub.url}/widget.js`);
  assert.match(widget.headers.get('cache-control') ?? '', /max-age=300/);
  assert.ok(widget.headers.get('etag'));
  assert.equal(widget.headers.get('cross-origin-resource-policy'), 'cross-origin');
  const root = await fetch(`${hub.url}/`, { redirect: 'manual' });
  assert.equal(root.headers.get('location'), '/demo/shop.html');
});

test('a pinned, versioned widget URL serves exactly the bytes its integrity hash names, cached for good (SRI)', async () => {
  const versions = (await (await fetch(`${hub.url}/versions.json`)).json()) as Record<'widget' | 'agentPanel', { file: string; integrity: string }>;
  for (const { file, integrity } of Object.values(versions)) {
    assert.match(file, /^(widget|agent-panel)\.[0-9a-f]{12}\.js$/);
    const res = await fetch(`${hub.url}/${file}`);
    assert.equal(res.status, 200, file);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000.*immutable|immutable.*max-age=31536000/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(`sha384-${createHash('sha384').update(body).digest('base64')}`, integrity);
    // The same bytes as the rolling /widget.js of this build.
    const rolling = Buffer.from(await (await fetch(`${hub.url}/${file.replace(/\.[0-9a-f]{12}\.js$/, '.js')}`)).arrayBuffer());
    assert.ok(rolling.equals(body));
  }
  assert.equal((await fetch(`${hub.url}/widget.000000000000.js`)).status, 404, 'an unknown version is not served');
});

test("on a phone, the demo CRM's conversation fits the screen: the reply box is in view without scrolling the page", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const crm = await context.newPage();
  await crm.goto(`${hub.url}/demo/crm.html`);
  await crm.getByLabel('Email').fill('admin@test.local');
  await crm.getByLabel('Password').fill('admin-password-1');
  await crm.getByRole('button', { name: 'Sign in' }).click();
  await crm.getByRole('option').first().click();
  const reply = crm.getByPlaceholder('Reply to the visitor (Enter to send)');
  await reply.waitFor();
  const box = await reply.boundingBox();
  assert.ok(box && box.y + box.height <= 844, `the reply box ends at ${box && box.y + box.height} px, below the 844 px screen`);
  const page = await crm.evaluate(() => ({ height: document.documentElement.scrollHeight, screen: innerHeight }));
  assert.ok(page.height <= page.screen, `the page is ${page.height} px tall on a ${page.screen} px screen`);
  await context.close();
});
