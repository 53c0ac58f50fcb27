// Demo merchants (爱心商户) of 鲤城区 with rewards to redeem, and the demo worker's points,
// earned through real awards so the ledger holds them like any other.
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import { awardPoints } from '../modules/points/awards.js';
import { createOrganisation } from '../modules/organisations/service.js';
import { insertReward } from '../modules/rewards/queries.js';
import { regionsAtLevel } from '../modules/regions/service.js';

interface DemoReward {
  title: string;
  description: string;
  pointsPrice: number;
  stock: number;
}

/** Merchants already made by the seed (海滨街道) and a few more in the district's other streets. */
const MERCHANTS: { name: string; street?: string; rewards: DemoReward[] }[] = [
  {
    name: '老街茶铺（爱心商户）',
    street: '海滨街道',
    rewards: [
      { title: '铁观音一杯', description: '到店现泡，可续水', pointsPrice: 10, stock: 50 },
      { title: '茶叶蛋两个', description: '热乎的，凭码领取', pointsPrice: 8, stock: 80 },
    ],
  },
  {
    name: '顺风修车铺（友好修车点）',
    street: '海滨街道',
    rewards: [
      { title: '电动车补胎一次', description: '含内胎修补，不含换胎', pointsPrice: 30, stock: 20 },
      { title: '刹车调校', description: '前后刹车检查与调校', pointsPrice: 15, stock: 30 },
    ],
  },
  {
    name: '开元素面馆（爱心商户）',
    rewards: [{ title: '面线糊一碗', description: '泉州面线糊，加油条', pointsPrice: 20, stock: 40 }],
  },
  {
    name: '西街便利店（爱心商户）',
    rewards: [
      { title: '矿泉水一箱', description: '550ml×12 瓶', pointsPrice: 25, stock: 25 },
      { title: '充电宝租借一天', description: '次日归还', pointsPrice: 12, stock: 10 },
    ],
  },
  {
    name: '温陵理发店（爱心商户）',
    rewards: [{ title: '快剪一次', description: '洗剪吹，工作日可用', pointsPrice: 40, stock: 15 }],
  },
];

export async function loadDemoRewards(
  ctx: AppContext,
  trx: Db,
  input: { districtPath: string; districtCode: string; worker: string },
): Promise<void> {
  const streets = await regionsAtLevel(trx, 'street', [input.districtPath]);
  const others = streets.filter((s) => s.name !== '海滨街道');
  for (const [i, merchant] of MERCHANTS.entries()) {
    let org = await trx.selectFrom('organisations').select(['id', 'region_path']).where('name', '=', merchant.name).executeTakeFirst();
    if (!org) {
      const street = others[i % Math.max(1, others.length)] ?? streets[0];
      if (!street) continue;
      const made = await createOrganisation(trx, 'system', { name: merchant.name, kind: 'merchant', regionCode: street.code, isDemo: true });
      org = { id: made.id, region_path: made.region_path };
    }
    for (const r of merchant.rewards) {
      await insertReward(trx, {
        organisation_id: org.id,
        region_path: org.region_path,
        title: r.title,
        description: r.description,
        points_price: r.pointsPrice,
        stock: r.stock,
        valid_from: null,
        valid_until: null,
        is_active: true,
        is_demo: true,
      });
    }
  }
  // The demo worker's points: volunteering, grid duty and adopted reports (90 in all).
  const award = (source: 'volunteering' | 'grid_duty' | 'report', sourceId: string, extra: { hours?: number; level?: 'useful' | 'important' }) =>
    awardPoints(trx, ctx, { accountId: input.worker, source, sourceId, regionCode: input.districtCode, actorId: null, ...extra });
  await award('volunteering', 'demo:volunteering:1', { hours: 4 });
  await award('grid_duty', 'demo:grid-duty:1', {});
  await award('grid_duty', 'demo:grid-duty:2', {});
  await award('report', 'demo:report:1', { level: 'important' });
  await award('report', 'demo:report:2', { level: 'useful' });
}
