import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { MOBILE_PATTERN } from '../../crypto/fields.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { requireActor } from '../identity/access.js';
import { DESK_CHANNELS, registerMatter, takeTransition } from './engine.js';
import { exportLedger } from './export.js';
import { computeFigures } from './figures.js';
import { WORKFLOWS } from './kinds/index.js';
import { listLedger } from './ledger.js';
import { LedgerItemOut, MatterOut, presentLedgerRow, presentMatter } from './present.js';
import { describeKinds, getMatterDetail, ownerCandidates, revealContactPhone } from './service.js';

const tags = ['matters'];
const Uuid = Type.String({ format: 'uuid' });
const RegionCode = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' });
const Kind = Type.Union(Object.keys(WORKFLOWS).map((k) => Type.Literal(k)));
const Name = Type.String({ pattern: '^[a-z_]{1,40}$' });

export const LedgerQuerySchema = Type.Object(
  {
    view: Type.Union([Type.Literal('ledger'), Type.Literal('inbox'), Type.Literal('mine')], { default: 'ledger' }),
    region: Type.Optional(RegionCode),
    kind: Type.Optional(Kind),
    category: Type.Optional(Name),
    status: Type.Optional(Type.Array(Name, { maxItems: 10 })),
    ownerOrgId: Type.Optional(Uuid),
    overdue: Type.Optional(Type.Boolean()),
    supervised: Type.Optional(Type.Boolean()),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    q: Type.Optional(Type.String({ maxLength: 50 })),
    sort: Type.Union([Type.Literal('created_desc'), Type.Literal('created_asc'), Type.Literal('due_asc'), Type.Literal('updated_desc')], {
      default: 'created_desc',
    }),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    withTotal: Type.Optional(Type.Boolean({ description: 'Count the matching rows (up to 10,000) too; ask on the first page only' })),
  },
  { additionalProperties: false },
);

export async function matterRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/matter-kinds',
    { schema: { tags, summary: 'Kinds of matter: states, categories and steps, for drawing forms and labels' } },
    async () => ({ items: describeKinds() }),
  );

  app.post(
    '/api/matters',
    {
      schema: {
        tags,
        summary: 'Register a matter: a worker for themselves, or staff at a desk for somebody (with contact)',
        body: Type.Object(
          {
            kind: Kind,
            regionCode: RegionCode,
            category: Name,
            title: Type.String({ minLength: 1, maxLength: 100 }),
            body: Type.String({ minLength: 1, maxLength: 5000 }),
            payload: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            channel: Type.Optional(Type.Union([Type.Literal('app'), ...DESK_CHANNELS.map((c) => Type.Literal(c))])),
            contact: Type.Optional(
              Type.Object(
                { name: Type.String({ minLength: 1, maxLength: 50 }), phone: Type.String({ pattern: MOBILE_PATTERN }) },
                { additionalProperties: false },
              ),
            ),
            files: Type.Optional(Type.Array(Uuid, { maxItems: 9, uniqueItems: true })),
            priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: MatterOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { matter, timeline } = await registerMatter(ctx, request.actor, request.body, originOf(request), { timeline: true });
      const detail = await getMatterDetail(ctx, request.actor, matter.id, matter, timeline);
      return reply.code(201).send(presentMatter(detail, requireActor(request.actor).userId));
    },
  );

  app.get(
    '/api/matters',
    {
      schema: {
        tags,
        summary: 'The ledger (staff: their subtree), an inbox (owned by me or my organisation) or my own matters',
        querystring: LedgerQuerySchema,
        response: {
          200: Type.Object({
            items: Type.Array(LedgerItemOut),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            total: Type.Union([Type.Integer(), Type.Null()]),
            totalCapped: Type.Boolean(),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const page = await listLedger(ctx.db, request.actor, request.query);
      return { ...page, items: page.items.map((r) => presentLedgerRow(r)) };
    },
  );

  app.get(
    '/api/matters/export.xlsx',
    {
      schema: {
        tags,
        summary: 'Exactly the filtered ledger rows as an Excel workbook (streamed; personal data masked)',
        querystring: Type.Omit(LedgerQuerySchema, ['cursor', 'limit', 'withTotal']),
      },
    },
    async (request, reply) => exportLedger(ctx, request.actor, request.query, originOf(request), reply),
  );

  const Rate = Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), value: Type.Union([Type.Number(), Type.Null()]) });
  app.get(
    '/api/matters/figures',
    {
      schema: {
        tags,
        summary: 'Desk figures of a region and period, computed from the timeline (see docs/figures.md)',
        querystring: Type.Object(
          {
            kind: Kind,
            region: Type.Optional(RegionCode),
            from: Type.String({ format: 'date' }),
            to: Type.String({ format: 'date' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            kind: Type.String(),
            from: Type.String(),
            to: Type.String(),
            received: Type.Integer(),
            consultations: Type.Integer(),
            onTimeAssignment: Rate,
            resolution: Rate,
            satisfaction: Rate,
            reopen: Rate,
            averageHoursToClose: Type.Union([Type.Number(), Type.Null()]),
            moneyRecovered: Type.Number(),
            byStatus: Type.Array(Type.Object({ status: Type.String(), count: Type.Integer() })),
            byCategory: Type.Array(Type.Object({ category: Type.String(), count: Type.Integer() })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => computeFigures(ctx, request.actor, request.query),
  );

  app.get(
    '/api/matters/:id',
    {
      schema: {
        tags,
        summary: 'One matter with its timeline and the steps I may take',
        params: Type.Object({ id: Uuid }),
        response: { 200: MatterOut, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const detail = await getMatterDetail(ctx, request.actor, request.params.id);
      return presentMatter(detail, requireActor(request.actor).userId);
    },
  );

  app.post(
    '/api/matters/:id/transitions/:name',
    {
      schema: {
        tags,
        summary: 'Take a step (assign, reply, rate …) on the version of the matter I saw',
        params: Type.Object({ id: Uuid, name: Name }),
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1 }),
            note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
            files: Type.Optional(Type.Array(Uuid, { maxItems: 9, uniqueItems: true })),
            input: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 200: MatterOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { id, name } = request.params;
      const { matter, timeline } = await takeTransition(ctx, request.actor, { matterId: id, name, ...request.body }, originOf(request), {
        timeline: true,
      });
      // Shown as it stands after the step, even when the step moved it out of the actor's reach (a transfer).
      const detail = await getMatterDetail(ctx, request.actor, id, matter, timeline);
      return presentMatter(detail, requireActor(request.actor).userId);
    },
  );

  app.get(
    '/api/matters/:id/owner-candidates',
    {
      schema: {
        tags,
        summary: 'Organisations (with their people) this matter may be assigned or transferred to',
        params: Type.Object({ id: Uuid }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                kind: Type.String(),
                regionCode: Type.String(),
                members: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() })),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({
      items: (await ownerCandidates(ctx, request.actor, request.params.id)).map((o) => ({
        id: o.id,
        name: o.name,
        kind: o.kind,
        regionCode: o.region_code,
        members: o.members,
      })),
    }),
  );

  app.post(
    '/api/matters/:id/reveal-contact',
    {
      schema: {
        tags,
        summary: 'Show the full phone number of the person concerned (staff; the reason is audited)',
        params: Type.Object({ id: Uuid }),
        body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ phone: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ phone: await revealContactPhone(ctx, request.actor, request.params.id, request.body.reason, originOf(request)) }),
  );
}
