import { Type, type Static } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import type { HistoryRow } from './queries.js';
import type { PointRules } from './rules.js';
import { correctPoints, getRules, myHistory, myPoints, putRules } from './service.js';

const tags = ['points'];
const RegionCode = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' });
const Points = Type.Integer({ minimum: 0, maximum: 100000 });

const RulesSchema = Type.Object(
  {
    reportOrdinary: Points,
    reportUseful: Points,
    reportImportant: Points,
    perVolunteerHour: Points,
    perGridShift: Points,
    monthlyCap: Type.Integer({ minimum: 0, maximum: 1000000 }),
    expiryMonths: Type.Integer({ minimum: 1, maximum: 120 }),
    codeTtlMinutes: Type.Integer({ minimum: 5, maximum: 1440, description: 'Unscanned redemption codes expire after this' }),
  },
  { additionalProperties: false },
);

const RulesOut = Type.Object({
  regionCode: Type.String(),
  rules: RulesSchema,
  setAt: Type.Union([Type.String(), Type.Null()], { description: 'The city or district whose rules apply; null: the defaults' }),
});

const MyPointsOut = Type.Object({
  balance: Type.Integer({ description: 'Points available to spend' }),
  held: Type.Integer({ description: 'Points held by redemptions waiting to be scanned' }),
  expiring: Type.Array(Type.Object({ points: Type.Integer(), expiresAt: Type.String({ format: 'date-time' }) }), {
    description: 'What expires when, soonest first',
  }),
});

const HistoryItem = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  sourceId: Type.Union([Type.String(), Type.Null()]),
  points: Type.Integer({ description: 'Signed: + in, − out' }),
  note: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

function presentHistory(r: HistoryRow): Static<typeof HistoryItem> {
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    sourceId: r.source_id,
    points: r.amount,
    note: r.note,
    expiresAt: r.expires_at ? r.expires_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}

export async function pointRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/points',
    { schema: { tags, summary: 'My points: balance, held by redemptions, and what expires when', response: { 200: MyPointsOut, ...errorResponses(401) } } },
    async (request) => {
      const mine = await myPoints(ctx.db, request.actor);
      return { ...mine, expiring: mine.expiring.map((e) => ({ points: e.points, expiresAt: e.expiresAt.toISOString() })) };
    },
  );

  app.get(
    '/api/me/points/history',
    {
      schema: {
        tags,
        summary: 'My points history, newest first (keyset paged: pass `before` = the last id)',
        querystring: Type.Object({
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(HistoryItem), next: Type.Union([Type.Integer(), Type.Null()]) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const page = await myHistory(ctx.db, request.actor, { before: request.query.before ?? null, limit: request.query.limit ?? 30 });
      return { items: page.items.map(presentHistory), next: page.next };
    },
  );

  app.get(
    '/api/points/rules',
    {
      schema: {
        tags,
        summary: 'The points rules that apply in a region (its nearest district or city, else the defaults)',
        querystring: Type.Object({ region: RegionCode }),
        response: { 200: RulesOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getRules(ctx.db, request.actor, request.query.region),
  );

  app.put(
    '/api/points/rules',
    {
      schema: {
        tags,
        summary: 'Set the points rules of a city or district (administrators; audited)',
        body: Type.Object({ regionCode: RegionCode, rules: RulesSchema }, { additionalProperties: false }),
        response: { 200: RulesOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      putRules(ctx.db, request.actor, request.body.regionCode, request.body.rules as PointRules, originOf(request)),
  );

  app.post(
    '/api/points/corrections',
    {
      schema: {
        tags,
        summary: 'Correct a person’s points (+ or −) with a reason (administrators; audited)',
        body: Type.Object(
          {
            userId: Type.String({ format: 'uuid' }),
            points: Type.Integer({ minimum: -100000, maximum: 100000 }),
            reason: Type.String({ minLength: 2, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ transferId: Type.String(), balance: Type.Integer() }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await correctPoints(ctx, request.actor, request.body, originOf(request))),
  );
}
