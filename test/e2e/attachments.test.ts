// End to end, as people use it: a visitor on the demo shop attaches a photo in the built widget; the agent sees it as
// a thumbnail in the built panel on the demo CRM (playwright-core driving Debian's Chromium, a real hub).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { tinyPng } from '../helpers/attachments.js';
import { launchChromium } from '../helpers/chromium.js';
import { spawnHub } from '../helpers/spawn-hub.mjs';

let hub: Awaited<ReturnType<typeof spawnHub>>;
let browser: Browser;

before(async () => {
  hub = await spawnHub();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await hub?.stop();
  hub?.cleanup();
});

test('a photo attached in the widget shows as a thumbnail in the agent panel', async () => {
  const shopContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const shop = await shopContext.newPage();
  const errors: string[] = [];
  shop.on('pageerror', (error) => errors.push(error.message));
  await shop.goto(`${hub.url}/demo/shop.html`);
  await shop.getByRole('button', { name: /Open chat/ }).click();
  await shop.getByPlaceholder('Write a message…').waitFor();
  await shop.locator('input[type="file"]').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: tinyPng(24) });
  await shop.getByPlaceholder('Write a message…').fill('the parcel arrived like this');
  await shop.getByRole('button', { name: 'Send', exact: true }).click();
  // Sent once stored: the visitor's own thumbnail shows, loaded from the hub.
  const own = shop.locator('img[alt="parcel.png"]');
  await own.waitFor();
  await shop.waitForFunction(() => {
    const img = document.querySelector('switchboard-webchat')?.shadowRoot?.querySelector<HTMLImageElement>('img[alt="parcel.png"]');
    return Boolean(img?.complete && img.naturalWidth > 0);
  });

  const crmContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const crm = await crmContext.newPage();
  crm.on('pageerror', (error) => errors.push(error.message));
  await crm.goto(`${hub.url}/demo/crm.html`);
  await crm.getByLabel('Email').fill('admin@test.local');
  await crm.getByLabel('Password').fill('admin-password-1');
  await crm.getByRole('button', { name: 'Sign in' }).click();
  await crm.getByRole('option').filter({ hasText: 'San Goku' }).first().click();
  const thumb = crm.locator('img[alt="parcel.png"]');
  await thumb.waitFor();
  const size = await thumb.evaluate(async (img: HTMLImageElement) => {
    if (!img.complete) await new Promise((resolve) => img.addEventListener('load', resolve, { once: true }));
    return img.naturalWidth;
  });
  assert.equal(size, 24, 'the panel loads the visitor’s photo from its signed URL');
  assert.match((await thumb.getAttribute('src')) ?? '', /\/api\/attachments\/[^?]+\?exp=\d+&sig=/);
  assert.deepEqual(errors, []);
  await shopContext.close();
  await crmContext.close();
});
