// Facts about this installation: name, version, whether demo data (and its accounts) is shown.
import { readFileSync } from 'node:fs';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { listensOnLoopback } from '../../config.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../demo/accounts.js';
import * as q from './queries.js';

const DEMO_KEY = 'demo_data';

export const VERSION = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

export async function isDemoLoaded(db: Db): Promise<boolean> {
  return (await q.readSetting(db, DEMO_KEY)) !== undefined;
}

export async function markDemoLoaded(db: Db): Promise<void> {
  await q.writeSetting(db, DEMO_KEY, { loadedAt: new Date().toISOString() });
}

export interface Meta {
  demo: boolean;
  demoAccounts: { phone: string; password: string; role: string; displayName: string; regionName: string }[];
}

/** Demo accounts have a published password: they are listed only on a loopback listener. */
export async function readMeta(ctx: AppContext): Promise<Meta> {
  const demo = (await isDemoLoaded(ctx.db)) && listensOnLoopback(ctx.config);
  return {
    demo,
    demoAccounts: demo
      ? DEMO_ACCOUNTS.map((a) => ({
          phone: a.phone,
          password: DEMO_PASSWORD,
          role: a.role,
          displayName: a.displayName,
          regionName: a.regionName,
        }))
      : [],
  };
}

export async function checkHealth(db: Db): Promise<void> {
  await q.pingDatabase(db);
}
