/**
 * Where the hub finds the files it serves and reads (dist/, demo/, package.json): the project's root, the nearest
 * directory above this module that holds a package.json. The hub runs from its sources (server/, under tsx), bundled
 * (dist/hub.js: `npm start`, the Docker image) and from the test runs' transpiled mirror (.test-build/server/), so a
 * fixed number of `..` from this module would fit only one of them.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function rootAbove(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${start}: the hub must run inside its project`);
  }
}

export const projectRoot = rootAbove(dirname(fileURLToPath(import.meta.url)));
