/**
 * The built scripts as the hub serves them: the precompressed copies the build made (brotli, else gzip) chosen by
 * Accept-Encoding with `Vary: Accept-Encoding`, the loader's short cache, and the immutable app chunk whose integrity
 * hash the loader carries. Needs `npm run build` (`npm test` builds before the server tests).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startHub } from '../helpers/hub.js';

const dist = new URL('../../dist/', import.meta.url);

/** A GET without any decoding (fetch would decompress): status, headers and the bytes on the wire. */
function raw(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const decode = (encoding: string | undefined, body: Buffer): Buffer =>
  encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;

test('widget.js, its app chunk and agent-panel.js are served precompressed by Accept-Encoding, with Vary and the right caches', async (t) => {
  assert.ok(existsSync(new URL('widget.js', dist)), 'dist/widget.js is missing: run `npm run build` first');
  const h = await startHub(t);
  const loader = readFileSync(new URL('widget.js', dist));
  // The loader names its app chunk and carries its integrity hash (scripts/build.mjs bakes them in).
  const appFile = /widget-app\.[0-9a-f]{12}\.js/.exec(loader.toString())?.[0] ?? '';
  const integrity = /sha384-[A-Za-z0-9+/=]{64}/.exec(loader.toString())?.[0] ?? '';
  assert.ok(appFile && integrity, 'the loader names the app chunk and its integrity');

  for (const [file, cache] of [
    ['widget.js', /^public, max-age=300$/],
    [appFile, /^public, max-age=31536000, immutable$/],
    ['agent-panel.js', /^public, max-age=300$/],
  ] as const) {
    const original = readFileSync(new URL(file, dist));
    for (const [accept, expected] of [
      ['gzip, deflate, br', 'br'],
      ['br;q=1.0, gzip;q=0.8', 'br'],
      ['gzip, deflate', 'gzip'],
      ['identity', undefined],
      [undefined, undefined],
    ] as const) {
      const res = await raw(`${h.url}/${file}`, accept ? { 'accept-encoding': accept } : {});
      const what = `${file} with Accept-Encoding: ${accept ?? '(none)'}`;
      assert.equal(res.status, 200, what);
      assert.equal(res.headers['content-encoding'], expected, what);
      assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8', what);
      assert.match(String(res.headers.vary ?? ''), /accept-encoding/i, what);
      assert.match(String(res.headers['cache-control']), cache, what);
      assert.ok(res.headers.etag, what);
      assert.ok(decode(expected, res.body).equals(original), `${what}: the same script once decoded`);
      if (expected) assert.ok(res.body.length < original.length * 0.6, `${what}: compressed`);
    }
  }

  // The chain of integrity: the hash the loader puts on its <script type="module"> is the app chunk's.
  const app = await raw(`${h.url}/${appFile}`, { 'accept-encoding': 'br' });
  assert.equal(`sha384-${createHash('sha384').update(decode('br', app.body)).digest('base64')}`, integrity);
  // Its source map and the pinned copies are immutable too; an unknown chunk is not served.
  assert.match(String((await raw(`${h.url}/${appFile}.map`)).headers['cache-control']), /max-age=31536000, immutable/);
  const versions = JSON.parse(readFileSync(new URL('versions.json', dist), 'utf8')) as Record<string, { file: string }>;
  for (const { file } of Object.values(versions)) {
    const res = await raw(`${h.url}/${file}`, { 'accept-encoding': 'gzip' });
    assert.equal(res.headers['content-encoding'], 'gzip', file);
    assert.match(String(res.headers['cache-control']), /max-age=31536000, immutable/, file);
  }
  assert.equal((await raw(`${h.url}/widget-app.000000000000.js`)).status, 404);
  // A precompressed copy is not a URL of its own.
  assert.equal((await raw(`${h.url}/widget.js.br`)).status, 404);
});

test('the demo pages load the pinned scripts with their integrity (cached for a year), not the rolling 5-minute URLs', async (t) => {
  const h = await startHub(t);
  const versions = JSON.parse(readFileSync(new URL('versions.json', dist), 'utf8')) as Record<'widget' | 'agentPanel', { file: string; integrity: string }>;
  for (const [page, rolling, pinned] of [
    ['shop.html', '/widget.js', versions.widget],
    ['crm.html', '/agent-panel.js', versions.agentPanel],
  ] as const) {
    const res = await raw(`${h.url}/demo/${page}`);
    assert.equal(res.status, 200, page);
    assert.match(String(res.headers['content-type']), /^text\/html/, page);
    const html = res.body.toString();
    assert.ok(html.includes(`src="/${pinned.file}" integrity="${pinned.integrity}" crossorigin="anonymous"`), `${page} pins ${pinned.file}`);
    assert.ok(!html.includes(`src="${rolling}"`), `${page} no longer loads ${rolling}`);
    // The integrity is the pinned file's, as the browser will check it.
    const script = await raw(`${h.url}/${pinned.file}`);
    assert.equal(`sha384-${createHash('sha384').update(script.body).digest('base64')}`, pinned.integrity, pinned.file);
  }
});

test("the demo pages' stylesheet is served compressed too, as the build copied it from demo/", async (t) => {
  assert.ok(existsSync(new URL('demo.css', dist)), 'dist/demo.css is missing: run `npm run build` first');
  const h = await startHub(t);
  const source = readFileSync(new URL('../../demo/demo.css', import.meta.url));
  const res = await raw(`${h.url}/demo/demo.css`, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], 'br');
  assert.match(String(res.headers['content-type']), /^text\/css/);
  assert.match(String(res.headers.vary ?? ''), /accept-encoding/i);
  assert.equal(res.headers['cache-control'], 'public, max-age=0', "revalidated by its ETag, as demo/'s files are");
  assert.ok(res.headers.etag);
  assert.ok(decode('br', res.body).equals(source), 'the same stylesheet once decoded');
  assert.equal((await raw(`${h.url}/demo/demo.css`)).headers['content-encoding'], undefined, 'plain to a client that asks for it');
});
