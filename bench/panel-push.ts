/**
 * Panel updates without refetching (#16 goal 5): real agent panels (the built agent-panel.js on the demo CRM page, in
 * Debian's Chromium) stay open while visitors chat with the bot. Counts the REST requests the panels make per live
 * message (goal: 0; every change must arrive as a socket push) and the hub process's CPU time per message.
 */
import { type Socket, io } from 'socket.io-client';
import { launchChromium } from '../test/helpers/chromium.js';
import { spawnHub } from '../test/helpers/spawn-hub.mjs';
import { BENCH_ENV, inBatches, log, processCpuMs, quick } from './common.js';

const PANELS = quick ? 10 : 50;
const VISITORS = quick ? 200 : 1000;
const ROUNDS = 3;

export interface PanelPush {
  panels: number;
  visitors: number;
  messages: number;
  restRequests: number;
  restPerMessage: number;
  restByPath: Record<string, number>;
  /** The fewest conversations any panel shows at the end (from pushes alone). */
  conversationsListedPerPanel: number;
  listedByPanel: number[];
  /** The fewest conversations any panel counts in its list's total at the end (listed, or the pages not loaded). */
  conversationsKnownPerPanel: number;
  hubCpuSeconds: number;
  hubCpuMsPerMessage: number;
}

export async function panelPush(): Promise<PanelPush> {
  const hub = await spawnHub({ env: BENCH_ENV, bundled: true });
  const browser = await launchChromium();
  let rest = 0;
  let counting = false;
  /** What the REST requests were (method and path, ids replaced), to tell a reconnect's reload from anything else. */
  const restByPath: Record<string, number> = {};
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const pages = await inBatches(PANELS, 5, async () => {
      const page = await context.newPage();
      page.on('request', (request) => {
        const { pathname } = new URL(request.url());
        if (!counting || !pathname.startsWith('/api/')) return;
        rest++;
        const route = `${request.method()} ${pathname.replace(/\/[0-9a-f-]{16,}/g, '/:id')}`;
        restByPath[route] = (restByPath[route] ?? 0) + 1;
      });
      await page.goto(`${hub.url}/demo/crm.html`);
      await page.getByLabel('Email').fill('admin@test.local');
      await page.getByLabel('Password').fill('admin-password-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Password').waitFor({ state: 'detached' });
      // Ready when its socket is connected and the load that the connection starts is done: counting starts after.
      await page.waitForFunction(
        () => document.querySelector<HTMLElement & { live?: { connected: boolean } }>('switchboard-agent-panel')?.live?.connected === true,
      );
      await page.waitForLoadState('networkidle');
      return page;
    });
    log(`  ${PANELS} panels open`);

    const visitors: Socket[] = await inBatches(VISITORS, 100, async () => {
      const socket = io(`${hub.url}/visitor`, { auth: { site: 'demo' }, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise((r) => socket.once('session', r));
      return socket;
    });
    const pid = hub.child.pid ?? 0;
    const cpuBefore = processCpuMs(pid);
    counting = true;
    let messages = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        visitors.map(async (socket, i) => {
          await new Promise((r) => setTimeout(r, Math.random() * 1000));
          await socket.emitWithAck('message:send', { clientId: crypto.randomUUID(), text: `question ${round} from visitor ${i}` });
          messages++;
        }),
      );
    }
    // The panels follow from the pushes alone: wait (up to 20 s; 10–50 Chromium pages share the CPU) until every one
    // knows every conversation, still counting any REST request they make meanwhile. A panel that reconnected and
    // reloaded lists the first page (50) and knows the rest from its total: it is up to date too.
    const deadline = Date.now() + 20_000;
    let listed: number[] = [];
    let known: number[] = [];
    do {
      await new Promise((r) => setTimeout(r, 250));
      listed = await Promise.all(pages.map((page) => page.getByRole('option').count()));
      known = await Promise.all(
        pages.map((page) =>
          page.evaluate(() => document.querySelector<HTMLElement & { inbox: { total: number } }>('switchboard-agent-panel')?.inbox.total ?? 0),
        ),
      );
    } while (Math.min(...known) < VISITORS && Date.now() < deadline);
    counting = false;
    const hubCpuSeconds = Number(((processCpuMs(pid) - cpuBefore) / 1000).toFixed(2));
    for (const socket of visitors) socket.disconnect();
    return {
      panels: PANELS,
      visitors: VISITORS,
      messages,
      restRequests: rest,
      restPerMessage: Number((rest / messages).toFixed(3)),
      restByPath,
      conversationsListedPerPanel: Math.min(...listed),
      listedByPanel: listed,
      conversationsKnownPerPanel: Math.min(...known),
      hubCpuSeconds,
      hubCpuMsPerMessage: Number(((hubCpuSeconds * 1000) / messages).toFixed(2)),
    };
  } finally {
    await browser.close();
    await hub.stop('SIGKILL');
    hub.cleanup();
  }
}
