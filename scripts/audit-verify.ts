// `npm run audit:verify [-- --prune]`: checks the audit log's hash chain and prints one line;
// exit 0 when intact, 2 when tampered, 1 on a configuration or database error. With --prune it
// first deletes the rows older than AUDIT_RETENTION_DAYS (default 365, at least 180) from the
// start of the chain — only after the chain has been found intact, so no evidence is pruned.
// On the embedded database stop the server first: PGlite allows one process per data folder.
import 'dotenv/config';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../src/server/config.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { MIN_RETENTION_DAYS, pruneAudit, verifyAuditChain, type ChainCheck } from '../src/server/modules/audit/service.js';
import { openContext } from '../src/server/start.js';

const DEFAULT_RETENTION_DAYS = 365;

function readRetentionDays(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || days < MIN_RETENTION_DAYS) {
    throw new ConfigError('AUDIT_RETENTION_DAYS', `must be a whole number of days, at least ${MIN_RETENTION_DAYS} (got "${raw}")`);
  }
  return days;
}

function describe(check: ChainCheck): string {
  return check.ok
    ? `audit log intact: ${check.checked} rows checked`
    : `AUDIT LOG TAMPERED: first bad row seq ${check.firstBadSeq} (${check.problem})`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--prune');
  if (unknown.length > 0) {
    console.error(`Unknown argument ${unknown.join(' ')}; usage: audit-verify [--prune]`);
    return 1;
  }
  const prune = args.includes('--prune');
  let config: Config;
  let retentionDays: number;
  try {
    config = loadConfig();
    retentionDays = prune ? readRetentionDays(process.env.AUDIT_RETENTION_DAYS) : DEFAULT_RETENTION_DAYS;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    return 1;
  }

  // A mistyped DATA_DIR would otherwise create an empty database and call it intact.
  const embedded = path.join(config.dataDir, 'pglite');
  if (!config.databaseUrl && !existsSync(embedded)) {
    console.error(`No database at ${embedded}; set DATA_DIR or DATABASE_URL`);
    return 1;
  }
  const ctx = await openContext({ ...config, logLevel: 'warn' });
  try {
    await migrateToLatest(ctx.db);
    const check = await verifyAuditChain(ctx.db);
    if (!check.ok || !prune) {
      console.log(describe(check));
      return check.ok ? 0 : 2;
    }
    const pruned = await pruneAudit(ctx.db, retentionDays);
    console.log(`audit log pruned: ${pruned.deleted} rows older than ${retentionDays} days deleted`);
    const after = await verifyAuditChain(ctx.db);
    console.log(describe(after));
    return after.ok ? 0 : 2;
  } finally {
    await ctx.db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `audit:verify failed: ${error.message}` : error);
    process.exit(1);
  },
);
