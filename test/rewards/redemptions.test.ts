import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../../src/server/modules/points/ledger.js';
import { expireRedemptions } from '../../src/server/modules/rewards/service.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { award, newUser, organisationId, regionCode } from '../points/fixtures.js';

let t: TestApp;
let haibin: string;
let merchant: SessionHeaders;
let otherMerchant: SessionHeaders;

interface RewardJson {
  id: string;
  title: string;
  stock: number;
  pointsPrice: number;
  active: boolean;
}
interface RedemptionJson {
  id: string;
  status: string;
  points: number;
  expiresAt: string;
  codes: { token: string; shortCode: string } | null;
}

const get = (url: string, headers: SessionHeaders) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, headers: SessionHeaders, payload?: object, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...headers, ...extra }, ...(payload ? { payload } : {}) });

async function newReward(overrides: Record<string, unknown> = {}, as = merchant): Promise<RewardJson> {
  const res = await post('/api/rewards', as, { title: `测试奖品${Math.random().toString(36).slice(2, 6)}`, pointsPrice: 10, stock: 5, ...overrides });
  expect(res.statusCode).toBe(201);
  return res.json() as RewardJson;
}

/** A worker with `points` points, earned through grid duty shifts (10 each). */
async function richWorker(points: number) {
  const w = await newUser(t, 'worker', haibin);
  for (let i = 0; i < points / 10; i += 1) await award(t, { accountId: w.id, source: 'grid_duty', sourceId: `rich-${w.id}-${i}`, regionCode: haibin });
  return w;
}

const redeem = (rewardId: string, as: SessionHeaders, key?: string) =>
  post(`/api/rewards/${rewardId}/redemptions`, as, undefined, key ? { 'idempotency-key': key } : {});
const confirm = (code: string, as = merchant) => post('/api/merchant/redemptions/confirm', as, { code });

async function balanceOf(session: SessionHeaders): Promise<{ balance: number; held: number }> {
  return (await get('/api/me/points', session)).json() as { balance: number; held: number };
}

async function expectLedgerSound() {
  const check = await checkLedger(t.ctx.db);
  expect(check).toEqual({ total: 0, unbalancedTransfers: 0, cacheMismatches: [] });
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  haibin = await regionCode(t, ['鲤城区', '海滨街道']);
  merchant = await signInAs(t.app, '13800000024');
  otherMerchant = (await newUser(t, 'merchant', haibin, await organisationId(t, '顺风修车铺（友好修车点）'))).session;
});
afterAll(async () => t?.close());

describe('rewards at merchants', () => {
  it('are listed by their merchant and browsed by workers while available', async () => {
    const reward = await newReward({ title: '测试凉茶', stock: 3 });
    const hidden = await newReward({ title: '未上架', active: false });
    const future = await newReward({ title: '下月开始', validFrom: new Date(Date.now() + 86400_000).toISOString() });
    const soldOut = await newReward({ title: '已兑完', stock: 0 });
    const w = await newUser(t, 'worker', haibin);
    const seen = ((await get('/api/rewards', w.session)).json() as { items: RewardJson[] }).items.map((r) => r.id);
    expect(seen).toContain(reward.id);
    expect(seen).not.toContain(hidden.id);
    expect(seen).not.toContain(future.id);
    expect(seen).not.toContain(soldOut.id);
    expect(seen.length).toBeGreaterThanOrEqual(8); // the demo merchants' rewards
    expect((await get(`/api/rewards/${hidden.id}`, w.session)).statusCode).toBe(404);
    expect((await get(`/api/rewards/${hidden.id}`, merchant)).statusCode).toBe(200);
    const mine = ((await get('/api/merchant/rewards', merchant)).json() as { items: RewardJson[] }).items.map((r) => r.id);
    expect(mine).toEqual(expect.arrayContaining([reward.id, hidden.id, future.id, soldOut.id]));
    expect(((await get('/api/merchant/rewards', otherMerchant)).json() as { items: RewardJson[] }).items.map((r) => r.id)).not.toContain(reward.id);
    // Editing: the owner only, audited.
    const body = { title: '测试凉茶（大杯）', pointsPrice: 12, stock: 4 };
    expect((await t.app.inject({ method: 'PUT', url: `/api/rewards/${reward.id}`, headers: otherMerchant, payload: body })).statusCode).toBe(404);
    const edited = await t.app.inject({ method: 'PUT', url: `/api/rewards/${reward.id}`, headers: merchant, payload: body });
    expect(edited.json()).toMatchObject(body);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', reward.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['reward.create', 'reward.update']);
  });

  it('refuses bad rewards and non-merchants', async () => {
    expect((await post('/api/rewards', merchant, { title: '零积分', pointsPrice: 0, stock: 1 })).statusCode).toBe(400);
    expect((await post('/api/rewards', merchant, { title: '负库存', pointsPrice: 5, stock: -1 })).statusCode).toBe(400);
    const backwards = await post('/api/rewards', merchant, {
      title: '日期颠倒',
      pointsPrice: 5,
      stock: 1,
      validFrom: '2026-12-01T00:00:00Z',
      validUntil: '2026-11-01T00:00:00Z',
    });
    expect(backwards.json()).toMatchObject({ error: { code: 'reward_invalid' } });
    const w = await newUser(t, 'worker', haibin);
    expect((await post('/api/rewards', w.session, { title: '骑手上架', pointsPrice: 5, stock: 1 })).json()).toMatchObject({
      error: { code: 'forbidden' },
    });
    // A merchant grant without a shop, like the demo's 陈老板, has no shop to act for.
    expect((await get('/api/merchant/rewards', await signInAs(t.app, '13800000004'))).statusCode).toBe(403);
    // Another merchant's organisation cannot be named.
    const org = await organisationId(t, '老街茶铺（爱心商户）');
    expect((await post('/api/rewards', otherMerchant, { organisationId: org, title: '冒名', pointsPrice: 5, stock: 1 })).statusCode).toBe(403);
  });
});

describe('redemption', () => {
  it('holds the points, issues a code the merchant confirms exactly once', async () => {
    const reward = await newReward({ pointsPrice: 30, stock: 2 });
    const w = await richWorker(50);
    const res = await redeem(reward.id, w.session, 'key-happy-1');
    expect(res.statusCode).toBe(201);
    const r = res.json() as RedemptionJson;
    expect(r.status).toBe('pending');
    expect(r.codes?.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.codes?.shortCode).toMatch(/^[0-9]{8}$/);
    expect(await balanceOf(w.session)).toEqual({ balance: 20, held: 30, expiring: expect.any(Array) } as never);
    expect(((await get(`/api/rewards/${reward.id}`, w.session)).json() as RewardJson).stock).toBe(1);
    // The code is stored only as a hash.
    const stored = await t.ctx.db.selectFrom('redemptions').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(r.codes?.token);
    expect(JSON.stringify(stored)).not.toContain(r.codes?.shortCode);
    // The merchant sees it waiting; another merchant does not, and cannot confirm it.
    const pending = (await get('/api/merchant/redemptions?status=pending', merchant)).json() as { items: RedemptionJson[] };
    expect(pending.items.map((i) => i.id)).toContain(r.id);
    expect(((await get('/api/merchant/redemptions', otherMerchant)).json() as { items: RedemptionJson[] }).items.map((i) => i.id)).not.toContain(r.id);
    expect((await confirm(r.codes?.shortCode ?? '', otherMerchant)).json()).toMatchObject({ error: { code: 'redemption_code_not_found' } });
    // A forged code.
    expect((await confirm('A'.repeat(32))).statusCode).toBe(404);
    expect((await confirm('12345678')).statusCode).toBe(404);
    expect((await confirm('not a code')).statusCode).toBe(404);
    // A worker cannot confirm their own code.
    expect((await confirm(r.codes?.token ?? '', w.session)).statusCode).toBe(403);
    const ok = await confirm(r.codes?.token ?? '');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', points: 30 });
    // Replayed, by either code.
    expect((await confirm(r.codes?.token ?? '')).json()).toMatchObject({ error: { code: 'redemption_code_used' } });
    expect((await confirm(r.codes?.shortCode ?? '')).statusCode).toBe(409);
    expect(await balanceOf(w.session)).toMatchObject({ balance: 20, held: 0 });
    const mine = (await get('/api/me/redemptions', w.session)).json() as { items: RedemptionJson[] };
    expect(mine.items[0]).toMatchObject({ id: r.id, status: 'confirmed', codes: null });
    // The statement of this month shows the points received.
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const statement = (await get(`/api/merchant/statement?month=${month}`, merchant)).json() as { total: number; balance: number; rows: { rewardId: string; points: number }[] };
    expect(statement.rows.find((row) => row.rewardId === reward.id)?.points).toBe(30);
    expect(statement.balance).toBeGreaterThanOrEqual(30);
    expect((await get('/api/merchant/statement?month=2026-13', merchant)).statusCode).toBe(400);
    expect((await get(`/api/merchant/statement?month=${month}`, w.session)).statusCode).toBe(403);
    await expectLedgerSound();
  });

  it('refuses too few points, exhausted stock and unavailable rewards', async () => {
    const w = await richWorker(20);
    const dear = await newReward({ pointsPrice: 30 });
    const poor = await redeem(dear.id, w.session);
    expect(poor.statusCode).toBe(409);
    expect(poor.json()).toMatchObject({ error: { code: 'insufficient_points' } });
    const gone = await newReward({ stock: 0 });
    expect((await redeem(gone.id, w.session)).json()).toMatchObject({ error: { code: 'out_of_stock' } });
    const inactive = await newReward({ active: false });
    expect((await redeem(inactive.id, w.session)).json()).toMatchObject({ error: { code: 'reward_unavailable' } });
    const ended = await newReward({ validUntil: new Date(Date.now() - 1000).toISOString(), validFrom: new Date(Date.now() - 86400_000).toISOString() });
    expect((await redeem(ended.id, w.session)).statusCode).toBe(409);
    expect((await redeem('00000000-0000-4000-8000-000000000000', w.session)).statusCode).toBe(404);
    expect((await redeem(dear.id, w.session, 'bad key!')).json()).toMatchObject({ error: { code: 'idempotency_key_invalid' } });
    expect(await balanceOf(w.session)).toMatchObject({ balance: 20, held: 0 });
    await expectLedgerSound();
  });

  it('returns the first redemption for a repeated idempotency key, even sent at once', async () => {
    const reward = await newReward({ pointsPrice: 10, stock: 10 });
    const w = await richWorker(100);
    const [a, b, c] = await Promise.all([redeem(reward.id, w.session, 'double-1'), redeem(reward.id, w.session, 'double-1'), redeem(reward.id, w.session, 'double-1')]);
    const statuses = [a, b, c].map((r) => r?.statusCode).sort();
    expect(statuses).toEqual([200, 200, 201]);
    expect(new Set([a, b, c].map((r) => (r?.json() as RedemptionJson).id)).size).toBe(1);
    expect(new Set([a, b, c].map((r) => (r?.json() as RedemptionJson).codes?.token)).size).toBe(1);
    expect(await balanceOf(w.session)).toMatchObject({ balance: 90, held: 10 });
    expect(((await get(`/api/rewards/${reward.id}`, w.session)).json() as RewardJson).stock).toBe(9);
    // The same key for another reward is a conflict, not a second redemption.
    const other = await newReward({ pointsPrice: 10 });
    expect((await redeem(other.id, w.session, 'double-1')).statusCode).toBe(409);
  });

  it('sells the last items exactly once under 50 simultaneous redemptions', async () => {
    const reward = await newReward({ pointsPrice: 10, stock: 5 });
    const workers = await Promise.all(Array.from({ length: 10 }, () => richWorker(50)));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => redeem(reward.id, (workers[i % 10] as { session: SessionHeaders }).session, `race-key-${i}`)),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(5);
    expect(codes.filter((c) => c !== 201).every((c) => c === 409)).toBe(true);
    expect(results.filter((r) => r.statusCode === 409).every((r) => (r.json() as { error: { code: string } }).error.code === 'out_of_stock')).toBe(true);
    expect(((await get(`/api/merchant/rewards`, merchant)).json() as { items: RewardJson[] }).items.find((r) => r.id === reward.id)?.stock).toBe(0);
    let held = 0;
    let balance = 0;
    for (const w of workers) {
      const b = await balanceOf(w.session);
      held += b.held;
      balance += b.balance;
    }
    expect(held).toBe(50);
    expect(balance).toBe(500 - 50);
    // The five codes confirmed at once by two devices each: each counts once.
    const issued = results.filter((r) => r.statusCode === 201).map((r) => (r.json() as RedemptionJson).codes?.token ?? '');
    const confirmations = await Promise.all([...issued, ...issued].map((code) => confirm(code)));
    expect(confirmations.filter((r) => r.statusCode === 200)).toHaveLength(5);
    expect(confirmations.filter((r) => r.statusCode === 409)).toHaveLength(5);
    await expectLedgerSound();
  });

  it('never overdraws a worker who redeems at once from several devices with points for two', async () => {
    const reward = await newReward({ pointsPrice: 10, stock: 20 });
    const w = await richWorker(20);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => redeem(reward.id, w.session, `overdraw-${w.id}-${i}`)));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2);
    const refused = results.filter((r) => r.statusCode !== 201);
    expect(refused).toHaveLength(6);
    expect(refused.every((r) => (r.json() as { error: { code: string } }).error.code === 'insufficient_points')).toBe(true);
    expect(await balanceOf(w.session)).toMatchObject({ balance: 0, held: 20 });
    expect(((await get(`/api/rewards/${reward.id}`, w.session)).json() as RewardJson).stock).toBe(18);
    await expectLedgerSound();
  });

  it('returns points and stock when a code is not scanned in time', async () => {
    const reward = await newReward({ pointsPrice: 10, stock: 1 });
    const w = await richWorker(10);
    const r = (await redeem(reward.id, w.session)).json() as RedemptionJson;
    expect(await balanceOf(w.session)).toMatchObject({ balance: 0, held: 10 });
    expect((await expireRedemptions(t.ctx)).expired).toBe(0);
    const after = new Date(new Date(r.expiresAt).getTime() + 1000);
    expect((await expireRedemptions(t.ctx, after)).expired).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(w.session)).toMatchObject({ balance: 10, held: 0 });
    expect(((await get(`/api/rewards/${reward.id}`, w.session)).json() as RewardJson).stock).toBe(1);
    expect((await confirm(r.codes?.token ?? '')).json()).toMatchObject({ error: { code: 'redemption_code_expired' } });
    const mine = (await get('/api/me/redemptions', w.session)).json() as { items: RedemptionJson[] };
    expect(mine.items[0]).toMatchObject({ id: r.id, status: 'expired' });
    await expectLedgerSound();
  });
});
