// Demo data for the demo district 鲤城区: generated grids, organisations and one account per role.
// Loaded once, in one transaction; everything it creates is flagged is_demo.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { runSupervision } from '../modules/matters/supervision.js';
import { loadDemoAppeals } from './appeals.js';
import { loadDemoPlaces } from './places.js';
import { loadDemoReports } from './reports.js';
import { loadDemoRewards } from './rewards.js';
import type { Db } from '../db/connect.js';
import { createAccount } from '../modules/identity/service.js';
import { markDemoLoaded } from '../modules/meta/service.js';
import { createOrganisation } from '../modules/organisations/service.js';
import type { OrganisationKind } from '../modules/organisations/tables.js';
import { buildRegionRows, findRegionByNames, insertRegions, regionsAtLevel } from '../modules/regions/service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.js';
import { loadDemoTemplates } from './templates.js';

const GRID_NAMES = ['第一网格', '第二网格', '第三网格'];
const PARTY_OFFICE = '中共鲤城区委组织部党建办';
/** Riders and drivers whose appeals fill the demo desk (they cannot sign in: no known password). */
const DEMO_WORKERS = ['骑手小林', '骑手阿杰', '快递员老陈', '网约车司机许师傅', '货车司机王师傅', '骑手小郑', '快递员小蔡', '骑手阿明'];

const DISTRICT_ORGANISATIONS: [string, OrganisationKind][] = [
  ['中共鲤城区委组织部党建办', 'department'],
  ['鲤城区人力资源和社会保障局', 'department'],
  ['鲤城区市场监督管理局', 'department'],
  ['鲤城区交通运输局', 'department'],
  ['鲤城区总工会', 'trade_union'],
  ['鲤城区新就业群体快调队伍', 'mediation_team'],
  ['鲤城区新就业群体维权服务站', 'station_operator'],
  ['鲤城区志愿律师服务团', 'social_organisation'],
  ['鲤城区某外卖平台配送站', 'enterprise'],
  ['鲤城区某快递公司营业部', 'enterprise'],
];

async function loadGrids(db: Db, districtPath: string): Promise<number> {
  const communities = await regionsAtLevel(db, 'community', [districtPath]);
  const paths = new Map(communities.map((c) => [c.code, c.path]));
  const grids = communities.flatMap((c) =>
    GRID_NAMES.map((name, i) => ({
      code: `${c.code}${String(i + 1).padStart(3, '0')}`,
      name: `${c.name}${name}`,
      level: 'grid' as const,
      parent: c.code,
    })),
  );
  await insertRegions(db, buildRegionRows(grids, paths, { isDemo: true }));
  return grids.length;
}

export async function loadDemoData(ctx: AppContext): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const district = await findRegionByNames(trx, ['鲤城区']);
    await loadGrids(trx, district.path);

    const organisationIds = new Map<string, string>();
    // The district's Party-building office is the superior that overdue matters escalate to.
    const add = async (name: string, kind: OrganisationKind, regionCode: string, parent: string | null = PARTY_OFFICE) => {
      const parentId = parent ? (organisationIds.get(parent) ?? null) : null;
      const org = await createOrganisation(trx, 'system', { name, kind, regionCode, parentId, isDemo: true });
      organisationIds.set(name, org.id);
    };
    for (const [name, kind] of DISTRICT_ORGANISATIONS) await add(name, kind, district.code, name === PARTY_OFFICE ? null : PARTY_OFFICE);
    for (const street of await regionsAtLevel(trx, 'street', [district.path])) {
      await add(`${street.name}办事处`, 'street_office', street.code);
      await add(`${street.name}社工站`, 'social_organisation', street.code);
    }
    const haibin = await findRegionByNames(trx, ['鲤城区', '海滨街道']);
    await add('老街茶铺（爱心商户）', 'merchant', haibin.code);
    await add('顺风修车铺（友好修车点）', 'merchant', haibin.code);
    const zone = await findRegionByNames(trx, ['泉州台商投资区']);
    await add('泉州台商投资区党工委党建办', 'department', zone.code, null);

    for (const account of DEMO_ACCOUNTS) {
      const region = await findRegionByNames(trx, account.regionNames);
      await createAccount(ctx, trx, {
        phone: account.phone,
        displayName: account.displayName,
        password: DEMO_PASSWORD,
        isDemo: true,
        grants: [
          {
            role: account.role,
            regionCode: region.code,
            organisationId: account.organisation ? organisationIds.get(account.organisation) : null,
          },
        ],
      });
    }
    const userIds = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) {
      const row = await trx
        .selectFrom('users')
        .select('id')
        .where('phone_index', '=', ctx.crypto.blindIndex('phone', account.phone))
        .executeTakeFirstOrThrow();
      userIds.set(account.phone, row.id);
    }
    const workers = [userIds.get('13800000001') as string];
    for (const [i, displayName] of DEMO_WORKERS.entries()) {
      const user = await createAccount(ctx, trx, {
        phone: `1380000${String(1001 + i).padStart(4, '0')}`,
        displayName,
        password: randomBytes(18).toString('base64url'),
        isDemo: true,
        grants: [{ role: 'worker', regionCode: district.code }],
      });
      workers.push(user.id);
    }
    await loadDemoAppeals(ctx, trx, {
      districtPath: district.path,
      station: userIds.get('13800000005') as string,
      coordinator: userIds.get('13800000008') as string,
      mediator: userIds.get('13800000006') as string,
      handler: userIds.get('13800000007') as string,
      streetCoordinator: userIds.get('13800000014') as string,
      workers,
      organisations: organisationIds,
    });
    // The district's template library, published by its coordinator.
    await loadDemoTemplates(ctx, trx, { publisher: userIds.get('13800000008') as string, regionCode: district.code });
    await loadDemoPlaces(ctx, trx, { districtPath: district.path });
    await loadDemoRewards(ctx, trx, { districtPath: district.path, districtCode: district.code, worker: userIds.get('13800000001') as string });
    await loadDemoReports(ctx, trx, {
      districtPath: district.path,
      districtCode: district.code,
      workers,
      coordinator: userIds.get('13800000008') as string,
      streetCoordinator: userIds.get('13800000014') as string,
      organisations: organisationIds,
    });
    await markDemoLoaded(trx);
  });
  // Late appeals get supervised the way the scheduled job does it, through the engine.
  await runSupervision(ctx);
}
