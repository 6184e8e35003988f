/**
 * Lighthouse on the demo pages (#16 goal 6): the `lighthouse` package (v12: v13 needs Node ≥ 22) run programmatically
 * against Debian's Chromium (chrome-launcher, `--headless=new`), with Lighthouse's default mobile preset (an emulated
 * mid-range phone, simulated slow 4G and a 4× slower CPU), on the demo shop (the widget) and the demo CRM (the panel) of
 * a spawned hub. Reports the performance, accessibility and best-practices scores, and whether the audits about what
 * this goal changed pass: text compression, long cache lifetimes, minified JavaScript, no errors in the console.
 * When Lighthouse can't run here, the result says why instead of scores.
 */
import { spawnHub } from '../test/helpers/spawn-hub.mjs';
import { BENCH_ENV, log } from './common.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium-args.mjs';

const PAGES = ['/demo/shop.html', '/demo/crm.html'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export const LIGHTHOUSE_AUDITS = ['uses-text-compression', 'uses-long-cache-ttl', 'unminified-javascript', 'errors-in-console'] as const;

export interface LighthousePage {
  page: string;
  /** 0–100. */
  performance: number | null;
  accessibility: number | null;
  bestPractices: number | null;
  /** Pass (true) or fail (false) of each audit of interest, with Lighthouse's summary when it has one. */
  audits: Record<(typeof LIGHTHOUSE_AUDITS)[number], { pass: boolean; display: string }>;
  /** Audits of the three categories that did not pass, to explain a score below 100. */
  failing: string[];
  metrics: { fcpMs: number | null; lcpMs: number | null; tbtMs: number | null; cls: number | null };
}

export type LighthouseResult = { ran: true; version: string; formFactor: string; pages: LighthousePage[] } | { ran: false; reason: string };

interface Audit {
  score: number | null;
  scoreDisplayMode: string;
  displayValue?: string;
  numericValue?: number;
  title: string;
}
interface Lhr {
  lighthouseVersion: string;
  configSettings: { formFactor: string };
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, Audit>;
  runtimeError?: { code: string; message: string };
}

const passes = (audit: Audit | undefined): boolean =>
  audit !== undefined && (audit.score === null ? audit.scoreDisplayMode === 'notApplicable' || audit.scoreDisplayMode === 'informative' : audit.score >= 0.9);

export async function lighthouseRun(): Promise<LighthouseResult> {
  let lighthouse: (url: string, flags: Record<string, unknown>) => Promise<{ lhr: Lhr } | undefined>;
  let launch: (options: { chromePath: string; chromeFlags: string[] }) => Promise<{ port: number; kill: () => void | Promise<void> }>;
  // Names in variables: the types come from the declarations above, and a checkout without the devDependencies
  // installed still type-checks (the run then says why it didn't measure).
  const packages = { lighthouse: 'lighthouse', chromeLauncher: 'chrome-launcher' };
  try {
    lighthouse = ((await import(packages.lighthouse)) as { default: typeof lighthouse }).default;
    ({ launch } = (await import(packages.chromeLauncher)) as { launch: typeof launch });
  } catch (error) {
    const reason = `the lighthouse package could not be loaded (${(error as Error).message.split('\n')[0]}): run \`npm install\` (it is a devDependency)`;
    log(`  lighthouse: not run: ${reason}`);
    return { ran: false, reason };
  }
  const hub = await spawnHub({ env: BENCH_ENV, bundled: true });
  let chrome: Awaited<ReturnType<typeof launch>> | undefined;
  try {
    chrome = await launch({
      chromePath: CHROMIUM_PATH,
      chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
    });
    const { port } = chrome;
    const pages: LighthousePage[] = [];
    let version = '';
    let formFactor = '';
    for (const path of PAGES) {
      const run = () => lighthouse(`${hub.url}${path}`, { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] });
      let result = await run();
      // Lighthouse sometimes loses the trace's start on a busy machine and says to run it again (NO_NAVSTART in
      // session 15's full run): up to two more tries, only for that; any other runtime error is the page's.
      for (let retry = 0; retry < 2 && result?.lhr.runtimeError?.code === 'NO_NAVSTART'; retry++) result = await run();
      if (!result) throw new Error(`no result for ${path}`);
      const { lhr } = result;
      if (lhr.runtimeError) throw new Error(`${path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      version = lhr.lighthouseVersion;
      formFactor = lhr.configSettings.formFactor;
      const score = (id: string) => {
        const value = lhr.categories[id]?.score;
        return value === null || value === undefined ? null : Math.round(value * 100);
      };
      const failing = CATEGORIES.flatMap((id) =>
        (lhr.categories[id]?.auditRefs ?? [])
          .filter((ref) => ref.weight > 0 && !passes(lhr.audits[ref.id]))
          .map((ref) => `${id}: ${ref.id}${lhr.audits[ref.id]?.displayValue ? ` (${lhr.audits[ref.id]?.displayValue})` : ''}`),
      );
      const metric = (id: string) => {
        const value = lhr.audits[id]?.numericValue;
        return value === undefined ? null : Number(value.toFixed(id === 'cumulative-layout-shift' ? 3 : 0));
      };
      pages.push({
        page: path,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        audits: Object.fromEntries(
          LIGHTHOUSE_AUDITS.map((id) => [id, { pass: passes(lhr.audits[id]), display: lhr.audits[id] ? (lhr.audits[id]?.displayValue ?? '') : 'missing' }]),
        ) as LighthousePage['audits'],
        failing,
        metrics: {
          fcpMs: metric('first-contentful-paint'),
          lcpMs: metric('largest-contentful-paint'),
          tbtMs: metric('total-blocking-time'),
          cls: metric('cumulative-layout-shift'),
        },
      });
      log(`  lighthouse ${path}: performance ${score('performance')}, accessibility ${score('accessibility')}, best practices ${score('best-practices')}`);
    }
    return { ran: true, version, formFactor, pages };
  } catch (error) {
    const reason = `Lighthouse failed: ${(error as Error).message.split('\n')[0]}`;
    log(`  lighthouse: ${reason}`);
    return { ran: false, reason };
  } finally {
    await chrome?.kill();
    await hub.stop('SIGKILL');
    hub.cleanup();
  }
}
