// Opens the database for a config and brings it up to date: migrations, reference regions and,
// when asked for (or on a fresh embedded database), the demo data.
import path from 'node:path';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { createFieldCrypto } from './crypto/fields.js';
import { openPGlite, openPostgres, type OpenDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { loadDemoData } from './demo/seed.js';
import { sealAudit } from './modules/audit/service.js';
import { seedCalendarFromPackage } from './modules/calendar/service.js';
import { isDemoLoaded } from './modules/meta/service.js';
import { ensurePlaneIndex, planeOf } from './modules/places/plane.js';
import { loadReferenceRegions } from './modules/regions/service.js';
import { createLogger } from './logger.js';
import { logSmsProvider, type SmsProvider } from './notify/sms.js';

export async function openContext(config: Config): Promise<AppContext> {
  return makeContext(config, config.databaseUrl ? openPostgres(config.databaseUrl) : await openPGlite(path.join(config.dataDir, 'pglite')));
}

/** The context around an open database; the text-message provider may be replaced (tests). */
export function makeContext(config: Config, opened: OpenDatabase, sms?: SmsProvider): AppContext {
  const log = createLogger(config);
  return {
    db: opened.db,
    dbKind: opened.kind,
    config,
    crypto: createFieldCrypto(config.fieldKeys, config.blindIndexKey),
    log,
    sms: sms ?? logSmsProvider(log, config.smsOutboxFile),
  };
}

export interface Prepared {
  migrations: string[];
  regionsLoaded: number;
  demoLoaded: boolean;
}

export async function prepareDatabase(ctx: AppContext): Promise<Prepared> {
  const migrations = await migrateToLatest(ctx.db);
  const regionsLoaded = await loadReferenceRegions(ctx.db);
  await seedCalendarFromPackage(ctx.db);
  await ensurePlaneIndex(ctx.db, planeOf(ctx.config.serviceArea));
  const fresh = regionsLoaded > 0;
  // Unset DEMO_DATA means: demo data only for a brand-new embedded database.
  const wanted = ctx.config.demoData ?? (ctx.dbKind === 'pglite' && fresh);
  let demoLoaded = false;
  if (wanted && !(await isDemoLoaded(ctx.db))) {
    await loadDemoData(ctx);
    demoLoaded = true;
  }
  // What start-up wrote to the audit log (the demo's history) is in the chain before anyone reads it.
  await sealAudit(ctx.db);
  return { migrations, regionsLoaded, demoLoaded };
}
