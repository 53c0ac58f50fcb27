// People benchmarks: GET /api/me with a live session against the bare one-query baseline, and
// the cost of one argon2id hash with the parameters sign-in uses.
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { ARGON2_OPTIONS, hashPassword } from '../src/server/modules/identity/passwords.js';
import { fmt, type Row } from './lib.js';
import { bareApp, compare, listen } from './platform.js';

export async function meThroughput(ctx: AppContext, label: string, seconds: number): Promise<Row> {
  const bare = await bareApp(ctx);
  const ours = await buildApp(ctx, { logger: false, web: false });
  const bareUrl = await listen(bare);
  const oursUrl = await listen(ours);
  const signIn = await fetch(`${oursUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: '13800000008', password: 'Nuanxin@2026' }),
  });
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { base, mine, ratio, failed } = await compare(`${bareUrl}/bare/regions/350502`, `${oursUrl}/api/me`, {
    connections: 32,
    seconds,
    headers: { cookie },
  });
  await bare.close();
  await ours.close();
  return {
    benchmark: `GET /api/me, signed in (${label})`,
    measured: `${fmt.rps(mine.rps)}, p99 ${fmt.ms(mine.p99)}`,
    baseline: `${fmt.rps(base.rps)} bare route`,
    ratio: fmt.pct(ratio),
    target: '≥ 60%',
    ok: ratio >= 0.6 && failed === 0,
  };
}

export async function argon2Cost(): Promise<Row> {
  await hashPassword('warm-up');
  const runs = 10;
  const started = performance.now();
  for (let i = 0; i < runs; i++) await hashPassword(`password-${i}`);
  const ms = (performance.now() - started) / runs;
  return {
    benchmark: `argon2id hash (m=${ARGON2_OPTIONS.memoryCost} KiB, t=${ARGON2_OPTIONS.timeCost}, p=${ARGON2_OPTIONS.parallelism})`,
    measured: fmt.ms(ms),
    baseline: '–',
    ratio: '–',
    target: '20–100 ms',
    ok: ms >= 20 && ms <= 100,
  };
}
