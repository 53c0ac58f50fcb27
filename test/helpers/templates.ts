import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPGlite, openPostgres, wrapPGlite } from '../../src/server/db/connect.js';
import { makeContext, prepareDatabase } from '../../src/server/start.js';
import { testConfig } from './config.js';

/**
 * Migrates and fills a template; for PGlite returns the dump of its data folder. The demo
 * data's documents are written to a folder thrown away afterwards: each test file brings its own.
 */
export async function prepareTemplate(target: { databaseUrl: string | null }, demo: boolean): Promise<Blob | null> {
  const filesDir = mkdtempSync(path.join(tmpdir(), 'nx-template-files-'));
  const config = testConfig({ databaseUrl: target.databaseUrl, demoData: demo, filesDir });
  try {
    if (target.databaseUrl) {
      const ctx = makeContext(config, openPostgres(target.databaseUrl, 2));
      await prepareDatabase(ctx);
      await ctx.db.destroy();
      return null;
    }
    const pglite = await createPGlite(null);
    const ctx = makeContext(config, wrapPGlite(pglite));
    await prepareDatabase(ctx);
    const dump = await pglite.dumpDataDir('none');
    await ctx.db.destroy();
    return dump;
  } finally {
    rmSync(filesDir, { recursive: true, force: true });
  }
}
