/**
 * The widget on the host page (#16 goal 6), in Debian's Chromium with the CPU slowed 4× (CDP
 * `Emulation.setCPUThrottlingRate`), on the demo shop embedding the widget of a spawned hub, each run in a fresh
 * browser context (a first visit: nothing cached, no session):
 * - the main-thread blocking time the widget adds before the first interaction: total blocking time (the sum over
 *   long tasks of their time beyond 50 ms, from a `longtask` PerformanceObserver registered before any script of the
 *   page) from navigation until 5 s after the load event — enough for the chat to load in idle time and connect — of
 *   the page with the widget, minus the same page without its script tag (medians of interleaved runs);
 * - the time from a click on the launcher to a usable chat (the composer focused and the socket connected): "cold"
 *   with `data-load="interaction"` (the click downloads the chat), "warm" after idle loading (the default), and cold
 *   again without the CPU slowdown;
 * - what the loader and the chat chunk weigh on the wire (Chromium asks for brotli).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium.js';
import { spawnHub } from '../test/helpers/spawn-hub.mjs';
import { BENCH_ENV, log, median, quick, root } from './common.js';

const RUNS = quick ? 3 : 7;
const CPU_SLOWDOWN = 4;
/** How long after the load event long tasks still count: the idle load, the chat's first render and its connect fit in it. */
const SETTLE_MS = 5000;

type Variant = 'without' | 'idle' | 'interaction';
type Wire = { bytes: number; encoding: string };

export interface WidgetLoad {
  runs: number;
  cpuSlowdown: number;
  /** Total blocking time (ms), medians over the runs. `added*`: the page with the widget minus the page without. */
  tbtMs: { withoutWidget: number; withWidgetIdle: number; withWidgetInteraction: number; added: number; addedInteractionOnly: number };
  /** Every run's TBT (ms), for the spread. */
  tbtRunsMs: Record<Variant, number[]>;
  /** Click on the launcher → composer focused and socket connected (ms, medians). */
  clickToUsableMs: { cold: number; warm: number; coldUnthrottled: number };
  clickToUsableRunsMs: { cold: number[]; warm: number[]; coldUnthrottled: number[] };
  /** Bytes on the wire (CDP `encodedDataLength`: headers included) and the encoding the hub chose. */
  transfer: { loader: Wire; app: Wire };
  /** The built files (kB). */
  sizes: { loaderGzipKb: number; loaderBrotliKb: number; appGzipKb: number; appBrotliKb: number };
}

const kb = (n: number) => Number((n / 1024).toFixed(1));

function builtSizes(): WidgetLoad['sizes'] {
  const dist = join(root, 'dist');
  const appFile = readdirSync(dist).find((file) => /^widget-app\.[0-9a-f]{12}\.js$/.test(file));
  if (!appFile) throw new Error('dist/ has no app chunk: run `npm run build` first');
  const loader = readFileSync(join(dist, 'widget.js'));
  const app = readFileSync(join(dist, appFile));
  return {
    loaderGzipKb: kb(gzipSync(loader, { level: 9 }).length),
    loaderBrotliKb: kb(brotliCompressSync(loader).length),
    appGzipKb: kb(gzipSync(app, { level: 9 }).length),
    appBrotliKb: kb(brotliCompressSync(app).length),
  };
}

/**
 * The demo shop as a site embedding the hub would serve it, in three variants (`/without.html`, `/idle.html`,
 * `/interaction.html`), from a server of its own on loopback: the widget comes from the hub, another origin, as on a
 * real site. (Rewriting the hub's page in the browser instead, with Playwright's routing, makes Chromium treat the page
 * as public and block its WebSocket to loopback.)
 */
async function shopSite(hub: string): Promise<{ url: string; close: () => void }> {
  const page = readFileSync(join(root, 'demo/shop.html'), 'utf8')
    .replace('href="./demo.css"', `href="${hub}/demo/demo.css"`)
    .replace('src="./user-data.js"', `src="${hub}/demo/user-data.js"`)
    .replace('src="/widget.js"', `src="${hub}/widget.js"`);
  const tag = /<script src="[^"]*\/widget\.js"[^>]*><\/script>/;
  if (!tag.test(page)) throw new Error('the demo shop has no widget script tag');
  const variants: Record<Variant, string> = {
    without: page.replace(tag, ''),
    idle: page,
    interaction: page.replace('/widget.js"', '/widget.js" data-load="interaction"'),
  };
  const server = createServer((request, response) => {
    const variant = /^\/(without|idle|interaction)\.html$/.exec(request.url ?? '')?.[1] as Variant | undefined;
    if (!variant) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(variants[variant]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** A fresh context and page showing the demo shop as `variant`, with the long-task observer in place and the CPU slowed. */
async function open(browser: Browser, site: string, variant: Variant, slowdown: number): Promise<{ page: Page; wire: Map<string, Wire> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(`window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  // Bytes on the wire per URL (cross-origin Resource Timing hides them without Timing-Allow-Origin).
  const wire = new Map<string, Wire>();
  const urls = new Map<string, { url: string; encoding: string }>();
  await cdp.send('Network.enable');
  cdp.on('Network.responseReceived', ({ requestId, response }) =>
    urls.set(requestId, { url: response.url, encoding: String(response.headers['content-encoding'] ?? response.headers['Content-Encoding'] ?? 'identity') }),
  );
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const seen = urls.get(requestId);
    if (seen) wire.set(seen.url, { bytes: encodedDataLength, encoding: seen.encoding });
  });
  await page.goto(`${site}/${variant}.html`, { waitUntil: 'load' });
  return { page, wire };
}

/** TBT from navigation until SETTLE_MS after the load event. */
async function blockingTime(page: Page): Promise<number> {
  await page.waitForTimeout(SETTLE_MS);
  return page.evaluate<number>('Number(window.__longTasks.reduce((sum, task) => sum + Math.max(0, task.duration - 50), 0).toFixed(1))');
}

/** Clicks the launcher; resolves with the ms from the click event to a focused composer on a connected chat. */
async function clickToUsable(page: Page): Promise<number> {
  // A string, not a function: tsx's name helpers don't exist in the page.
  const usable = page.evaluate<number>(`new Promise((resolve) => {
    let clickedAt = 0;
    addEventListener('click', (event) => { clickedAt ||= event.timeStamp; }, { capture: true });
    setTimeout(() => resolve(-1), 20000);
    (function check() {
      const chat = document.querySelector('switchboard-webchat');
      if (clickedAt && chat?.shadowRoot?.activeElement?.tagName === 'TEXTAREA' && chat.chat?.connection === 'online') resolve(performance.now() - clickedAt);
      else requestAnimationFrame(check);
    })();
  })`);
  await page.getByRole('button', { name: /^Open chat/ }).click();
  const ms = await usable;
  if (ms < 0) throw new Error('the chat was not usable 20 s after the click');
  return Number(ms.toFixed(1));
}

export async function widgetLoad(): Promise<WidgetLoad> {
  const sizes = builtSizes();
  const hub = await spawnHub({ env: BENCH_ENV, bundled: true });
  const browser = await launchChromium();
  const site = await shopSite(hub.url);
  const tbtRunsMs: Record<Variant, number[]> = { without: [], idle: [], interaction: [] };
  const clicks = { cold: [] as number[], warm: [] as number[], coldUnthrottled: [] as number[] };
  let transfer: WidgetLoad['transfer'] = { loader: { bytes: 0, encoding: 'not measured' }, app: { bytes: 0, encoding: 'not measured' } };
  try {
    for (let run = 0; run < RUNS; run++) {
      // Interleaved, so that a noisy moment hits every variant.
      for (const variant of ['without', 'idle', 'interaction'] as const) {
        const { page, wire } = await open(browser, site.url, variant, CPU_SLOWDOWN);
        tbtRunsMs[variant].push(await blockingTime(page));
        if (variant === 'interaction') clicks.cold.push(await clickToUsable(page));
        if (variant === 'idle') {
          // The chat loaded in idle time and connected during the settle time: the click only opens it.
          clicks.warm.push(await clickToUsable(page));
          const find = (part: string) => [...wire].find(([url]) => url.includes(part))?.[1] ?? { bytes: 0, encoding: 'not loaded' };
          transfer = { loader: find('/widget.js'), app: find('/widget-app.') };
        }
        await page.context().close();
      }
      const { page: unthrottled } = await open(browser, site.url, 'interaction', 1);
      await unthrottled.waitForTimeout(500);
      clicks.coldUnthrottled.push(await clickToUsable(unthrottled));
      await unthrottled.context().close();
      log(
        `  widget load run ${run + 1}: TBT without ${tbtRunsMs.without.at(-1)} / idle ${tbtRunsMs.idle.at(-1)} / interaction ${tbtRunsMs.interaction.at(-1)} ms; ` +
          `click → usable cold ${clicks.cold.at(-1)} / warm ${clicks.warm.at(-1)} / cold unthrottled ${clicks.coldUnthrottled.at(-1)} ms`,
      );
    }
  } finally {
    await browser.close();
    site.close();
    await hub.stop('SIGKILL');
    hub.cleanup();
  }
  const m = (values: number[]) => Number(median(values).toFixed(1));
  const without = m(tbtRunsMs.without);
  return {
    runs: RUNS,
    cpuSlowdown: CPU_SLOWDOWN,
    tbtMs: {
      withoutWidget: without,
      withWidgetIdle: m(tbtRunsMs.idle),
      withWidgetInteraction: m(tbtRunsMs.interaction),
      added: Number((m(tbtRunsMs.idle) - without).toFixed(1)),
      addedInteractionOnly: Number((m(tbtRunsMs.interaction) - without).toFixed(1)),
    },
    tbtRunsMs,
    clickToUsableMs: { cold: m(clicks.cold), warm: m(clicks.warm), coldUnthrottled: m(clicks.coldUnthrottled) },
    clickToUsableRunsMs: clicks,
    transfer,
    sizes,
  };
}
