// Entry point: read the config, open and prepare the database, listen, print where to go.
import 'dotenv/config';
import { ConfigError, loadConfig, type Config } from './config.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo/accounts.js';
import { startJobs } from './jobs.js';
import { startAuditSealer } from './modules/audit/service.js';
import { readMeta } from './modules/meta/service.js';
import { openContext, prepareDatabase } from './start.js';

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = readConfigOrExit();
  // The web framework loads while the database opens (PGlite compiles its WebAssembly meanwhile).
  const [{ buildApp }, ctx] = await Promise.all([import('./app.js'), openContext(config)]);
  const prepared = await prepareDatabase(ctx);
  const app = await buildApp(ctx);

  let stopJobs = () => {};
  let stopSealer = () => {};
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    stopJobs();
    stopSealer();
    await app.close();
    await ctx.db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE' ? `Configuration error: PORT: ${config.port} is already in use` : `Cannot listen: ${String(error)}`,
    );
    await ctx.db.destroy();
    process.exit(1);
  }

  if (config.jobs) stopJobs = startJobs(ctx);
  // Audit rows join the hash chain moments after their commit (every process, whatever JOBS says).
  stopSealer = startAuditSealer(ctx.db, ctx.log);
  const meta = await readMeta(ctx);
  const base = config.publicUrl;
  const lines = [
    '',
    `  暖新 Nuanxin is ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${ctx.dbKind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    prepared.regionsLoaded > 0 ? `  Loaded ${prepared.regionsLoaded} regions of 泉州市.` : '',
    prepared.demoLoaded ? '  Loaded the demo district 鲤城区.' : '',
    `  Worker app  ${base}/`,
    `  Console     ${base}/console/`,
    `  API docs    ${base}/docs`,
    meta.demo ? `  Demo accounts (password ${DEMO_PASSWORD}):` : '',
    ...(meta.demo ? DEMO_ACCOUNTS.map((a) => `    ${a.phone}  ${a.role.padEnd(18)} ${a.displayName} · ${a.regionName}`) : []),
    '',
  ];
  console.log(lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `Start failed: ${error.message}` : error);
  process.exit(1);
});
