import { createFieldCrypto } from '../../src/server/crypto/fields.js';
import { createPGlite, openPostgres, wrapPGlite } from '../../src/server/db/connect.js';
import { prepareDatabase } from '../../src/server/start.js';
import { testConfig } from './config.js';

/** Migrates and fills a template; for PGlite returns the dump of its data folder. */
export async function prepareTemplate(target: { databaseUrl: string | null }, demo: boolean): Promise<Blob | null> {
  const config = testConfig({ databaseUrl: target.databaseUrl, demoData: demo });
  const crypto = createFieldCrypto(config.fieldKeys, config.blindIndexKey);
  if (target.databaseUrl) {
    const { db, kind } = openPostgres(target.databaseUrl, 2);
    await prepareDatabase({ db, dbKind: kind, config, crypto });
    await db.destroy();
    return null;
  }
  const pglite = await createPGlite(null);
  const { db, kind } = wrapPGlite(pglite);
  await prepareDatabase({ db, dbKind: kind, config, crypto });
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  return dump;
}
