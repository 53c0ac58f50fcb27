// The security matrix's entries for points and rewards (spread into ROUTES in
// test/security/matrix.ts): who may use each route, and what those without standing get.
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { createAccount } from '../../src/server/modules/identity/service.js';
import { awardPoints } from '../../src/server/modules/points/awards.js';
import type { SessionHeaders } from '../helpers/app.js';
import type { Probe, RouteSpec } from '../security/matrix.js';
import { freshPhone, json, send, signIn, type ActorName, type Call, type World } from '../security/world.js';

const SHOP = '老街茶铺（爱心商户）';
const OTHER_SHOP = '顺风修车铺（友好修车点）';
const MERCHANT_PHONE = '13800000024';
const forbidden = { status: 403, code: 'forbidden' } as const;

const get = (url: string, as: Call['as']): Call => ({ method: 'GET', url, as });
const post = (url: string, as: Call['as'], payload?: unknown, headers?: Record<string, string>): Call => ({
  method: 'POST',
  url,
  as,
  ...(payload === undefined ? {} : { payload }),
  ...(headers ? { headers } : {}),
});

function each(as: ActorName[], what: string, call: (as: ActorName) => Call, expectation: Probe['expect']): Probe[] {
  return as.map((name) => ({ what: `${name}: ${what}`, call: call(name), expect: expectation }));
}

const sessions = new WeakMap<World, { merchant: SessionHeaders; otherMerchant: SessionHeaders }>();

/** The demo shop's merchant, and one of the other demo shop in the same street. */
async function merchants(w: World) {
  const known = sessions.get(w);
  if (known) return known;
  const org = await w.t.ctx.db.selectFrom('organisations').select(['id', 'region_code']).where('name', '=', OTHER_SHOP).executeTakeFirstOrThrow();
  const phone = freshPhone();
  await createAccount(w.t.ctx, w.t.ctx.db, {
    phone,
    displayName: '乙商户店员',
    password: DEMO_PASSWORD,
    grants: [{ role: 'merchant', regionCode: org.region_code, organisationId: org.id }],
  });
  const made = { merchant: await signIn(w.t.app, MERCHANT_PHONE), otherMerchant: await signIn(w.t.app, phone) };
  sessions.set(w, made);
  return made;
}

async function rewardOf(w: World, shop: string): Promise<string> {
  const row = await w.t.ctx.db
    .selectFrom('rewards as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select('r.id')
    .where('o.name', '=', shop)
    .orderBy('r.points_price')
    .limit(1)
    .executeTakeFirstOrThrow();
  return row.id;
}

let topUps = 0;
/** A pending redemption of the demo worker at the demo shop (topped up first, so it never runs dry). */
async function pendingCode(w: World): Promise<string> {
  topUps += 1;
  await w.t.ctx.db.transaction().execute((trx) =>
    awardPoints(trx, w.t.ctx, { accountId: w.users.worker, source: 'grid_duty', sourceId: `matrix-${topUps}-${Date.now()}`, regionCode: w.district.code, actorId: null }),
  );
  const res = await send(w, post(`/api/rewards/${await rewardOf(w, SHOP)}/redemptions`, 'worker'));
  if (res.statusCode !== 201) throw new Error(`redeeming failed: ${res.body}`);
  return (res.json() as { codes: { shortCode: string } }).codes.shortCode;
}

function rules() {
  return {
    reportOrdinary: 5,
    reportUseful: 10,
    reportImportant: 20,
    perVolunteerHour: 10,
    perGridShift: 10,
    monthlyCap: 500,
    expiryMonths: 12,
    codeTtlMinutes: 30,
  };
}

function rewardBody() {
  return { title: '安全测试奖品', pointsPrice: 10, stock: 3 };
}

export const POINT_ROUTES: Record<string, RouteSpec> = {
  // ---- points: one's own balance; rules and corrections by the administrators of a region ------
  'GET /api/me/points': { own: true, entitled: async () => get('/api/me/points', 'worker') },
  'GET /api/me/points/history': { own: true, entitled: async () => get('/api/me/points/history', 'worker') },
  'GET /api/points/rules': {
    entitled: async (w) => get(`/api/points/rules?region=${w.streetA.code}`, 'coordinatorA'),
    probes: (w) => [
      ...each(['coordinatorA', 'adminA'], 'reads the rules of street B', (as) => get(`/api/points/rules?region=${w.streetB.code}`, as), forbidden),
      ...each(['worker', 'auditA', 'citySecurity'], 'reads the rules', (as) => get(`/api/points/rules?region=${w.streetA.code}`, as), forbidden),
    ],
  },
  'PUT /api/points/rules': {
    entitled: async (w) => ({ method: 'PUT', url: '/api/points/rules', as: 'cityAdmin', payload: { regionCode: w.district.code, rules: rules() } }),
    probes: (w) => [
      ...each(
        ['adminA', 'districtCoordinator', 'worker', 'citySecurity', 'cityAudit'],
        'sets the district’s rules',
        (as) => ({ method: 'PUT', url: '/api/points/rules', as, payload: { regionCode: w.district.code, rules: rules() } }),
        forbidden,
      ),
      ...each(
        ['adminA'],
        'sets rules for a street',
        (as) => ({ method: 'PUT', url: '/api/points/rules', as, payload: { regionCode: w.streetA.code, rules: rules() } }),
        { status: 400, code: 'rules_region_invalid' },
      ),
    ],
  },
  'POST /api/points/corrections': {
    entitled: async (w) => post('/api/points/corrections', 'cityAdmin', { userId: w.users.worker, points: 1, reason: '安全测试补记' }),
    probes: (w) => [
      ...each(
        ['adminA', 'districtCoordinator', 'citySecurity'],
        'corrects the district’s worker',
        (as) => post('/api/points/corrections', as, { userId: w.users.worker, points: 1, reason: '越权补记' }),
        { status: 404, code: 'user_not_found' },
      ),
      ...each(
        ['adminA', 'worker'],
        'corrects street B’s worker',
        (as) => post('/api/points/corrections', as, { userId: w.users.otherWorker, points: 1, reason: '越权补记' }),
        { status: 404, code: 'user_not_found' },
      ),
    ],
  },

  // ---- rewards: offered to everyone signed in, kept by their merchant -------------------------
  'GET /api/rewards': {
    everyone: 'rewards on offer are public to everyone signed in',
    entitled: async () => get('/api/rewards', 'worker'),
  },
  'GET /api/rewards/:id': {
    everyone: 'rewards on offer are public to everyone signed in (withdrawn ones only to their merchant)',
    entitled: async (w) => get(`/api/rewards/${await rewardOf(w, OTHER_SHOP)}`, 'worker'),
  },
  'POST /api/rewards/:id/redemptions': {
    everyone: 'anyone signed in may spend their own points on a reward on offer; nobody else’s account is touched',
    entitled: async (w) => {
      await w.t.ctx.db.transaction().execute((trx) =>
        awardPoints(trx, w.t.ctx, { accountId: w.users.worker, source: 'grid_duty', sourceId: `matrix-r-${Date.now()}-${Math.random()}`, regionCode: w.district.code, actorId: null }),
      );
      return post(`/api/rewards/${await rewardOf(w, SHOP)}/redemptions`, 'worker');
    },
  },
  'GET /api/me/redemptions': { own: true, entitled: async () => get('/api/me/redemptions', 'worker') },
  'POST /api/rewards': {
    entitled: async (w) => post('/api/rewards', (await merchants(w)).merchant, rewardBody()),
    probes: async (w) => {
      const shop = (await w.t.ctx.db.selectFrom('organisations').select('id').where('name', '=', SHOP).executeTakeFirstOrThrow()).id;
      return [
        { what: 'another shop’s merchant lists a reward for this shop', call: post('/api/rewards', (await merchants(w)).otherMerchant, { ...rewardBody(), organisationId: shop }), expect: forbidden },
        ...each(['worker', 'coordinatorA', 'adminA'], 'lists a reward', (as) => post('/api/rewards', as, rewardBody()), forbidden),
      ];
    },
  },
  'PUT /api/rewards/:id': {
    entitled: async (w) => ({ method: 'PUT', url: `/api/rewards/${await rewardOf(w, SHOP)}`, as: (await merchants(w)).merchant, payload: { title: '铁观音一杯', pointsPrice: 10, stock: 40 } }),
    probes: async (w) => {
      const id = await rewardOf(w, SHOP);
      const body = { title: '改价', pointsPrice: 1, stock: 999 };
      return [
        { what: 'another shop’s merchant edits this shop’s reward', call: { method: 'PUT', url: `/api/rewards/${id}`, as: (await merchants(w)).otherMerchant, payload: body }, expect: { status: 404, code: 'reward_not_found' } },
        ...each(['worker', 'coordinatorA'], 'edits a reward', (as) => ({ method: 'PUT', url: `/api/rewards/${id}`, as, payload: body }), forbidden),
      ];
    },
  },
  'GET /api/merchant/rewards': {
    entitled: async (w) => get('/api/merchant/rewards', (await merchants(w)).merchant),
    probes: () => each(['worker', 'coordinatorA', 'districtCoordinator'], 'reads a shop’s rewards', (as) => get('/api/merchant/rewards', as), forbidden),
    filtered: async (w) => {
      const { items } = await json<{ items: { organisationName: string }[] }>(w, get('/api/merchant/rewards', (await merchants(w)).otherMerchant));
      expect(items.length).toBeGreaterThan(0);
      expect(new Set(items.map((i) => i.organisationName))).toEqual(new Set([OTHER_SHOP]));
    },
  },
  'GET /api/merchant/redemptions': {
    entitled: async (w) => get('/api/merchant/redemptions?status=pending', (await merchants(w)).merchant),
    probes: () => each(['worker', 'coordinatorA'], 'reads a shop’s redemptions', (as) => get('/api/merchant/redemptions', as), forbidden),
    filtered: async (w) => {
      await pendingCode(w);
      const { items } = await json<{ items: unknown[] }>(w, get('/api/merchant/redemptions', (await merchants(w)).otherMerchant));
      expect(items).toEqual([]);
    },
  },
  'POST /api/merchant/redemptions/confirm': {
    entitled: async (w) => post('/api/merchant/redemptions/confirm', (await merchants(w)).merchant, { code: await pendingCode(w) }),
    probes: async (w) => {
      const code = await pendingCode(w);
      return [
        {
          what: 'another shop’s merchant confirms this shop’s code',
          call: post('/api/merchant/redemptions/confirm', (await merchants(w)).otherMerchant, { code }),
          expect: { status: 404, code: 'redemption_code_not_found' },
        },
        ...each(['worker', 'coordinatorA'], 'confirms a code', (as) => post('/api/merchant/redemptions/confirm', as, { code }), forbidden),
      ];
    },
  },
  'GET /api/merchant/statement': {
    entitled: async (w) => get('/api/merchant/statement?month=2026-11', (await merchants(w)).merchant),
    probes: () => each(['worker', 'coordinatorA'], 'reads a shop’s statement', (as) => get('/api/merchant/statement?month=2026-11', as), forbidden),
  },
};
