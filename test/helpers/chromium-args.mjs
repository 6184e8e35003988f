// Debian's Chromium as every browser run here starts it: the browser tests (web-test-runner.config.mjs), the
// end-to-end tests and the benches (chromium.ts). Plain JavaScript, so the test runner's config can import it.

/** Headless in a container: no sandbox, no GPU, nothing fetched or synced in the background. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A camera and microphone that need no device and no permission prompt (the voice-note tests). */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** The Chromium to start: CHROME_PATH, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';
