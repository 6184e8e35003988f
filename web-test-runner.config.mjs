// Browser tests: headless Debian Chromium against a real hub started for the run.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_ARGS, CHROMIUM_PATH, FAKE_MEDIA_ARGS } from './test/helpers/chromium-args.mjs';
import { spawnHub, TEST_ADMIN, TEST_SITE_SECRET } from './test/helpers/spawn-hub.mjs';
import { startReceiver } from './test/helpers/webhook-receiver.mjs';

// The webhook screen's test points an endpoint at this loopback receiver, which the hub accepts with WEBHOOK_ALLOW_PRIVATE.
const webhookReceiver = await startReceiver();
const hub = await spawnHub({ env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
process.on('exit', () => {
  hub.child.kill('SIGKILL');
  hub.cleanup();
});

export default {
  files: ['widget/**/*.test.ts', 'agent-panel/**/*.test.ts', 'test/browser/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'auto' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS],
      },
    }),
  ],
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 300000,
  testFramework: { config: { timeout: 20000 } },
  // Each test page learns the hub's address and the seeded admin from window.__HUB__.
  testRunnerHtml: (testFramework) => `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script>window.__HUB__ = ${JSON.stringify({ url: hub.url, admin: TEST_ADMIN, siteSecret: TEST_SITE_SECRET, webhookReceiver: webhookReceiver.url })};</script>
<script type="module" src="${testFramework}"></script></body></html>`,
};
