// A fresh app on a fresh database for each test file, through the real HTTP stack (inject).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { App, AppContext } from '../../src/server/context.js';
import { memorySmsProvider, type SmsMessage } from '../../src/server/notify/sms.js';
import { makeContext } from '../../src/server/start.js';
import { createPGlite, openPostgres, wrapPGlite } from '../../src/server/db/connect.js';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { testConfig } from './config.js';

export type PGliteDump = Blob | null;

export interface TestApp {
  app: App;
  ctx: AppContext;
  /** Text messages "sent" to phones. */
  sms: SmsMessage[];
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** demo: true gives the demo district with its accounts (password DEMO_PASSWORD). */
export async function createTestApp(options: { demo?: boolean } = {}): Promise<TestApp> {
  const variant = options.demo ? 'demo' : 'plain';
  const config = testConfig({ demoData: options.demo ?? false });
  const sms = memorySmsProvider();
  const templates = inject('pgTemplates');
  const url = process.env.DATABASE_URL;
  let ctx: AppContext;
  let dropDatabase = async () => {};
  if (templates && url) {
    const name = `nx_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${templates[variant]}`);
    await admin.end();
    ctx = makeContext({ ...config, databaseUrl: withDatabase(url, name) }, openPostgres(withDatabase(url, name), 5), sms);
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  } else {
    const dumps = inject('pgliteDumps');
    if (!dumps) throw new Error('global setup did not prepare a database template');
    const pglite = await createPGlite(null, new Blob([readFileSync(dumps[variant])]));
    ctx = makeContext(config, wrapPGlite(pglite), sms);
  }
  const app = await buildApp(ctx, { logger: false, web: false });
  await app.ready();
  return {
    app,
    ctx,
    sms: sms.sent,
    async close() {
      await app.close();
      await ctx.db.destroy();
      await dropDatabase();
    },
  };
}

/** The headers a signed-in browser sends: the session cookie and the CSRF token. */
export interface SessionHeaders extends Record<string, string> {
  cookie: string;
  'x-csrf-token': string;
}

/** Signs in a (demo) account and returns the headers to send with later requests. */
export async function signInAs(app: App, phone: string, password = DEMO_PASSWORD): Promise<SessionHeaders> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${phone} failed: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'nx_session');
  const csrf = res.cookies.find((c) => c.name === 'nx_csrf');
  if (!session || !csrf) throw new Error('no session cookies');
  return { cookie: `nx_session=${session.value}; nx_csrf=${csrf.value}`, 'x-csrf-token': csrf.value };
}
