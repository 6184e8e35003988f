/** A migrated database of the store this run uses (SQLite file, or a fresh PostgreSQL database), gone after the test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/store/db.js';
import { dropTestDatabase } from './databases.mjs';
import { migratedDatabaseUrl } from './schema-template.js';

export async function openTestDatabase(t: { after(fn: () => Promise<void>): void }, name: string): Promise<Awaited<ReturnType<typeof openDatabase>>> {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${name}-`));
  const opened = await openDatabase(await migratedDatabaseUrl(dir));
  t.after(async () => {
    await opened.db.destroy();
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  return opened;
}
