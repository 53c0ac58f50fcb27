import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { errors } from '../../errors.js';
import { errorResponses } from '../../http/schemas.js';
import { AuditOut, presentAudit } from './present.js';
import { listAudit, verifyAuditChainAs } from './service.js';

const tags = ['audit'];

/** A time the schema let through but JavaScript cannot hold (a leap second, …T23:59:60Z) is refused. */
function parseTime(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime()))
    throw errors.invalidRequest({ issues: [{ field: `querystring.${field}`, problem: 'is not a valid time' }] });
  return at;
}

export async function auditRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: 'The audit log, newest first (audit administrators, within their subtree)',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            actorId: Type.Optional(Type.String({ format: 'uuid' })),
            action: Type.Optional(Type.String({ maxLength: 60, description: 'An action or its prefix, e.g. auth.' })),
            targetType: Type.Optional(Type.String({ maxLength: 40 })),
            targetId: Type.Optional(Type.String({ maxLength: 80 })),
            q: Type.Optional(Type.String({ maxLength: 60 })),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(AuditOut), next: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { from, to, q, ...rest } = request.query;
      const page = await listAudit(ctx.db, request.actor, {
        ...rest,
        text: q,
        from: parseTime(from, 'from'),
        to: parseTime(to, 'to'),
      });
      return { items: page.items.map(presentAudit), next: page.next };
    },
  );

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the hash chain: is any row changed or missing?',
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            checked: Type.Integer(),
            firstBadSeq: Type.Union([Type.Integer(), Type.Null()]),
            problem: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => verifyAuditChainAs(ctx.db, request.actor),
  );
}
