import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { JOB_NAMES, runJob, type JobName } from '../../jobs.js';
import { appendAudit } from '../audit/service.js';
import { requireActor } from '../identity/access.js';
import { errors } from '../../errors.js';

/** Jobs are city-wide: only administrators whose grant covers the whole tree may run one by hand. */
const JOB_RUNNERS = ['system_admin', 'admin'];

export async function jobRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/api/admin/jobs/:name',
    {
      schema: {
        tags: ['operations'],
        summary: 'Run a scheduled job now (supervision, outbox, uploads, audit_retention)',
        params: Type.Object({ name: Type.Union(JOB_NAMES.map((n) => Type.Literal(n))) }),
        response: { 200: Type.Object({ job: Type.String(), skipped: Type.Boolean(), result: Type.Unknown() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const me = requireActor(request.actor);
      if (!me.grants.some((g) => JOB_RUNNERS.includes(g.role) && g.regionLevel === 'city')) throw errors.forbidden();
      const name = request.params.name as JobName;
      const result = await runJob(ctx, name);
      await appendAudit(ctx.db, { actor: me, action: 'job.run', after: { job: name, result }, origin: originOf(request) });
      return { job: name, skipped: result === null, result };
    },
  );
}
