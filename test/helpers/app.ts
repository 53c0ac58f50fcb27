// A fresh app on a fresh database for each test file, through the real HTTP stack (inject).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { Config } from '../../src/server/config.js';
import type { App, AppContext } from '../../src/server/context.js';
import { memorySmsProvider, type SmsMessage } from '../../src/server/notify/sms.js';
import { ensurePlaneIndex, planeOf } from '../../src/server/modules/places/plane.js';
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
export async function createTestApp(options: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const variant = options.demo ? 'demo' : 'plain';
  const config = testConfig({ demoData: options.demo ?? false, ...options.config });
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
  // The template was prepared with the default service area; start-up would index this one's plane.
  if (options.config?.serviceArea) await ensurePlaneIndex(ctx.db, planeOf(config.serviceArea));
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

/**
 * Signs in an account that must use two-factor: enrols it on first use (returning its secret)
 * or answers the second factor with a code from the secret.
 */
export async function signInWithTwoFactor(app: App, phone: string, secret?: string): Promise<{ session: SessionHeaders; secret: string }> {
  const session = await signInAs(app, phone);
  const me = (await app.inject({ method: 'GET', url: '/api/me', headers: session })).json() as { pending: string | null };
  if (me.pending === 'enrolment') {
    const setup = (await app.inject({ method: 'POST', url: '/api/me/two-factor/setup', headers: session })).json() as { secret: string };
    const res = await app.inject({
      method: 'POST',
      url: '/api/me/two-factor/enable',
      headers: session,
      payload: { code: totpCode(setup.secret) },
    });
    if (res.statusCode !== 200) throw new Error(`enrolment failed: ${res.body}`);
    return { session, secret: setup.secret };
  }
  if (me.pending === 'second_factor') {
    if (!secret) throw new Error('a second factor is owed but no secret was given');
    const res = await app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: session, payload: { code: totpCode(secret) } });
    if (res.statusCode !== 200) throw new Error(`second factor failed: ${res.body}`);
  }
  return { session, secret: secret ?? '' };
}

const usedSteps = new Map<string, Set<number>>();

/** A valid authenticator code for the secret that has not been used yet (steps now-1 … now+1). */
export function totpCode(secret: string): string {
  const used = usedSteps.get(secret) ?? new Set<number>();
  usedSteps.set(secret, used);
  const ms = Date.now();
  const now = Math.floor(ms / 30_000);
  // The server takes each step once and in order, within one step either side of its clock; a
  // code of the step before is skipped near the boundary, where it would expire on its way.
  const last = Math.max(Number.NEGATIVE_INFINITY, ...used);
  for (const step of [now - 1, now, now + 1]) {
    if (step <= last || (step === now - 1 && 30_000 - (ms % 30_000) < 10_000)) continue;
    used.add(step);
    return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: step * 30_000 });
  }
  throw new Error('no unused time step left for this secret in this half-minute');
}
