import { Type, type Static } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import type { RedemptionRow, RewardRow } from './queries.js';
import {
  browseRewards,
  confirmRedemption,
  createReward,
  getReward,
  merchantRedemptions,
  merchantStatement,
  myMerchantRewards,
  myRedemptions,
  redeem,
  updateReward,
  type IssuedRedemption,
} from './service.js';

const tags = ['rewards'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const DateTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

const RewardOut = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  organisationName: Type.String(),
  title: Type.String(),
  description: Type.String(),
  pointsPrice: Type.Integer(),
  stock: Type.Integer(),
  validFrom: DateTime,
  validUntil: DateTime,
  active: Type.Boolean(),
});

const RewardBody = Type.Object(
  {
    organisationId: Type.Optional(Type.String({ format: 'uuid', description: 'Needed only by someone working for several merchants' })),
    title: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    pointsPrice: Type.Integer({ minimum: 1, maximum: 1000000 }),
    stock: Type.Integer({ minimum: 0, maximum: 1000000 }),
    validFrom: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    validUntil: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const RedemptionOut = Type.Object({
  id: Type.String(),
  rewardId: Type.String(),
  rewardTitle: Type.String(),
  organisationName: Type.String(),
  points: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('expired')]),
  expiresAt: Type.String({ format: 'date-time' }),
  confirmedAt: DateTime,
  createdAt: Type.String({ format: 'date-time' }),
  codes: Type.Optional(
    Type.Union([
      Type.Object({
        token: Type.String({ description: 'The QR code’s content (≥128 bits)' }),
        shortCode: Type.String({ description: '8 digits for typing' }),
      }),
      Type.Null(),
    ]),
  ),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentReward(r: RewardRow): Static<typeof RewardOut> {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    title: r.title,
    description: r.description,
    pointsPrice: r.points_price,
    stock: r.stock,
    validFrom: iso(r.valid_from),
    validUntil: iso(r.valid_until),
    active: r.is_active,
  };
}

function presentRedemption(r: RedemptionRow | IssuedRedemption): Static<typeof RedemptionOut> {
  return {
    id: r.id,
    rewardId: r.reward_id,
    rewardTitle: r.reward_title,
    organisationName: r.organisation_name,
    points: r.points,
    status: r.status,
    expiresAt: r.expires_at.toISOString(),
    confirmedAt: iso(r.confirmed_at),
    createdAt: r.created_at.toISOString(),
    ...('codes' in r ? { codes: r.codes } : {}),
  };
}

export async function rewardRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/rewards',
    {
      schema: {
        tags,
        summary: 'Rewards a worker can redeem now (active, in stock, inside their dates), cheapest first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })) }),
        response: { 200: Type.Object({ items: Type.Array(RewardOut) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ items: (await browseRewards(ctx.db, request.actor, request.query.limit ?? 100)).map(presentReward) }),
  );

  app.get(
    '/api/rewards/:id',
    { schema: { tags, summary: 'A reward', params: Id, response: { 200: RewardOut, ...errorResponses(401, 404) } } },
    async (request) => presentReward(await getReward(ctx.db, request.actor, request.params.id)),
  );

  app.post(
    '/api/rewards',
    {
      schema: {
        tags,
        summary: 'List a new reward (merchants; audited)',
        body: RewardBody,
        response: { 201: RewardOut, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(presentReward(await createReward(ctx.db, request.actor, request.body, originOf(request)))),
  );

  app.put(
    '/api/rewards/:id',
    {
      schema: {
        tags,
        summary: 'Change a reward: text, price, stock (the number left now), dates, active (merchants; audited)',
        params: Id,
        body: RewardBody,
        response: { 200: RewardOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentReward(await updateReward(ctx.db, request.actor, request.params.id, request.body, originOf(request))),
  );

  app.post(
    '/api/rewards/:id/redemptions',
    {
      schema: {
        tags,
        summary: 'Redeem a reward: points are held, one item taken from stock, a one-time code issued',
        description:
          'Send an Idempotency-Key header (8–100 characters of letters, digits, _ . : -): a repeat with the same key returns the first redemption with 200.',
        params: Id,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: RedemptionOut, 201: RedemptionOut, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { created, redemption } = await redeem(ctx, request.actor, request.params.id, typeof key === 'string' ? key : null);
      return reply.code(created ? 201 : 200).send(presentRedemption(redemption));
    },
  );

  app.get(
    '/api/me/redemptions',
    {
      schema: {
        tags,
        summary: 'My redemptions, newest first; pending ones carry their codes',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })) }),
        response: { 200: Type.Object({ items: Type.Array(RedemptionOut) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ items: (await myRedemptions(ctx, request.actor, request.query.limit ?? 50)).map(presentRedemption) }),
  );

  app.get(
    '/api/merchant/rewards',
    {
      schema: { tags, summary: 'My shop’s rewards with their stock (merchants)', response: { 200: Type.Object({ items: Type.Array(RewardOut) }), ...errorResponses(401, 403) } },
    },
    async (request) => ({ items: (await myMerchantRewards(ctx.db, request.actor)).map(presentReward) }),
  );

  app.get(
    '/api/merchant/redemptions',
    {
      schema: {
        tags,
        summary: 'Redemptions at my shop, newest first (merchants)',
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('expired')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(RedemptionOut) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({
      items: (await merchantRedemptions(ctx.db, request.actor, request.query.status ?? null, request.query.limit ?? 100)).map(presentRedemption),
    }),
  );

  app.post(
    '/api/merchant/redemptions/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a redemption by the code the worker shows (QR token or 8 digits); each code works once',
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: RedemptionOut, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => presentRedemption(await confirmRedemption(ctx, request.actor, request.body.code, originOf(request))),
  );

  app.get(
    '/api/merchant/statement',
    {
      schema: {
        tags,
        summary: 'Points my shop received in a month (Beijing time), per day and reward (merchants)',
        querystring: Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }) }),
        response: {
          200: Type.Object({
            month: Type.String(),
            total: Type.Integer(),
            redemptions: Type.Integer(),
            balance: Type.Integer({ description: 'Points on the shop’s account now' }),
            rows: Type.Array(
              Type.Object({ day: Type.String(), rewardId: Type.String(), rewardTitle: Type.String(), redemptions: Type.Integer(), points: Type.Integer() }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const s = await merchantStatement(ctx.db, request.actor, request.query.month);
      return { ...s, rows: s.rows.map((r) => ({ day: r.day, rewardId: r.reward_id, rewardTitle: r.reward_title, redemptions: r.redemptions, points: r.points })) };
    },
  );
}
