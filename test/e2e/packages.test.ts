// The npm packages of the widget and the panel, used the way a site with a bundler uses them: packed with
// `npm pack`, unpacked into a consumer project's node_modules, type-checked with strict TypeScript and bundled
// with Vite. Needs `npm run build` (which builds packages/*/dist).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { build } from 'vite';

const root = new URL('../../', import.meta.url).pathname;
// Inside the repository (tmp/ is ignored), so the packages' own dependencies (lit, socket.io-client) resolve from
// the repository's node_modules as they would from the site's.
const consumer = join(root, 'tmp', `consumer-${process.pid}`);
const keep = process.env.KEEP_CONSUMER;
after(() => keep || rmSync(consumer, { recursive: true, force: true }));

const PACKAGES = [
  { name: '@switchboard-chat/widget', dir: './packages/widget', entry: 'dist/index.js', types: 'dist/index.d.ts' },
  { name: '@switchboard-chat/agent-panel', dir: './packages/agent-panel', entry: 'dist/index.js', types: 'dist/index.d.ts' },
];

function npm(args: string[], cwd = root): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
}

test('npm pack ships the module, its declarations and a README, nothing else', () => {
  for (const pkg of PACKAGES) {
    const [report] = JSON.parse(npm(['pack', '--dry-run', '--json', pkg.dir])) as { name: string; files: { path: string }[] }[];
    assert.equal(report?.name, pkg.name);
    const files = report?.files.map((f) => f.path) ?? [];
    for (const needed of ['package.json', 'README.md', pkg.entry, pkg.types]) assert.ok(files.includes(needed), `${pkg.name} lacks ${needed}`);
    assert.deepEqual(
      files.filter((f) => /test|server\/|\.ts$/.test(f) && !f.endsWith('.d.ts')),
      [],
      `${pkg.name} ships no tests, server code or sources`,
    );
  }
});

test('a site imports both packages with types, and its bundle holds one copy of Lit', async () => {
  mkdirSync(join(consumer, 'node_modules'), { recursive: true });
  for (const pkg of PACKAGES) {
    npm(['pack', '--pack-destination', consumer, pkg.dir]);
    const tarball = readdirSync(consumer).find((f) => f.startsWith(pkg.name.replace('@', '').replace('/', '-')) && f.endsWith('.tgz'));
    assert.ok(tarball, `npm pack made no tarball for ${pkg.name}`);
    const target = join(consumer, 'node_modules', pkg.name);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['xzf', join(consumer, tarball), '-C', target, '--strip-components=1']);
  }
  writeFileSync(
    join(consumer, 'main.ts'),
    `import { mountWebchat, type WebchatApi } from '@switchboard-chat/widget';
import { HubApi, SwitchboardAgentPanel } from '@switchboard-chat/agent-panel';

const chat: WebchatApi = mountWebchat({ hub: 'https://chat.example.com', site: 'shop', strings: { title: 'Talk to us' } });
const stop: () => void = chat.on('unread', (detail) => { const count: number = detail.count; console.log(count); });
stop();
const panel = new SwitchboardAgentPanel();
document.body.append(panel);
export const api: typeof HubApi = HubApi;
`,
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        strict: true,
        noEmit: true,
        types: [],
        skipLibCheck: false,
      },
      files: ['main.ts'],
    }),
  );
  // A type error in the packages' declarations, or a missing export, fails here.
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer], { encoding: 'utf8' });
  } catch (error) {
    assert.fail(`the consumer does not type-check:\n${(error as { stdout?: string }).stdout ?? error}`);
  }

  await build({
    configFile: false,
    root: consumer,
    logLevel: 'silent',
    build: { outDir: join(consumer, 'out'), lib: { entry: join(consumer, 'main.ts'), formats: ['es'], fileName: () => 'site.js' }, minify: false },
  });
  const bundle = readFileSync(join(consumer, 'out', 'site.js'), 'utf8');
  assert.match(bundle, /customElements\.define\(\s*["']switchboard-webchat["']|["']switchboard-webchat["']/);
  assert.match(bundle, /["']switchboard-agent-panel["']/);
  // Lit is a dependency, not bundled into each package: the site's bundler keeps one copy for both (each part of
  // Lit registers its version once per copy).
  for (const marker of ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions']) {
    assert.equal(bundle.split(marker).length - 1, 1, `${marker}: one copy of Lit in the site's bundle`);
  }
  for (const pkg of PACKAGES) {
    assert.doesNotMatch(readFileSync(join(root, pkg.dir, pkg.entry), 'utf8'), /litHtmlVersions/, `${pkg.name} bundles Lit`);
  }
});
