// Scheduled jobs: supervision of deadlines, the outbox of text messages, clean-up of abandoned
// uploads and of audit rows past retention. Each run takes a PostgreSQL advisory lock, so with
// several app processes only one runs a given job at a time; a run that fails is logged and the
// next tick tries again. Operators can also run one by hand (POST /api/admin/jobs/:name).
import { sql } from 'kysely';
import type { AppContext } from './context.js';
import { pruneAudit } from './modules/audit/service.js';
import { deleteAbandonedUploads } from './modules/files/service.js';
import { runSupervision } from './modules/matters/supervision.js';
import { dispatchOutbox } from './modules/notifications/service.js';
import { expirePoints } from './modules/points/service.js';
import { expireRedemptions } from './modules/rewards/service.js';

export interface Job {
  /** How often it runs, in seconds. */
  every: number;
  run(ctx: AppContext): Promise<unknown>;
}

export const JOBS = {
  supervision: { every: 5 * 60, run: (ctx) => runSupervision(ctx) },
  outbox: { every: 30, run: (ctx) => dispatchOutbox(ctx) },
  uploads: { every: 60 * 60, run: (ctx) => deleteAbandonedUploads(ctx) },
  audit_retention: { every: 24 * 60 * 60, run: (ctx) => pruneAudit(ctx.db, ctx.config.auditRetentionDays) },
  redemption_expiry: { every: 60, run: (ctx) => expireRedemptions(ctx) },
  points_expiry: { every: 6 * 60 * 60, run: (ctx) => expirePoints(ctx) },
} satisfies Record<string, Job>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** Runs a job unless another process holds its lock; returns null when it was skipped. */
export async function runJob(ctx: AppContext, name: JobName): Promise<unknown> {
  const job: Job = JOBS[name];
  // The embedded database belongs to one process: nothing to coordinate.
  if (ctx.dbKind === 'pglite') return job.run(ctx);
  const key = `nuanxin.job.${name}`;
  // A session lock lives on one connection: hold that connection while the job runs on others.
  return ctx.db.connection().execute(async (conn) => {
    const lock = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtext(${key})) as locked`.execute(conn);
    if (!lock.rows[0]?.locked) return null;
    try {
      return await job.run(ctx);
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
    }
  });
}

/** Starts the timers; returns a function that stops them. */
export function startJobs(ctx: AppContext): () => void {
  const timers = JOB_NAMES.map((name) => {
    const job: Job = JOBS[name];
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const result = await runJob(ctx, name);
        if (result) ctx.log.debug({ job: name, result }, 'job ran');
      } catch (error) {
        ctx.log.error({ err: error, job: name }, 'job failed');
      } finally {
        running = false;
      }
    };
    // A first run soon after start, then on the interval.
    const first = setTimeout(() => void tick(), 5_000 + Math.floor(Math.random() * 5_000));
    const every = setInterval(() => void tick(), job.every * 1000);
    first.unref();
    every.unref();
    return [first, every] as const;
  });
  return () => {
    for (const [first, every] of timers) {
      clearTimeout(first);
      clearInterval(every);
    }
  };
}
