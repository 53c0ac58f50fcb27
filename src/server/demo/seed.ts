// Demo data for the demo district 鲤城区: generated grids, organisations and one account per role.
// Loaded once, in one transaction; everything it creates is flagged is_demo.
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import { createAccount } from '../modules/identity/service.js';
import { markDemoLoaded } from '../modules/meta/service.js';
import { createOrganisation } from '../modules/organisations/service.js';
import type { OrganisationKind } from '../modules/organisations/tables.js';
import { buildRegionRows, findRegionByNames, insertRegions, regionsAtLevel } from '../modules/regions/service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.js';

const GRID_NAMES = ['第一网格', '第二网格', '第三网格'];

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
    const add = async (name: string, kind: OrganisationKind, regionCode: string) => {
      const org = await createOrganisation(trx, 'system', { name, kind, regionCode, isDemo: true });
      organisationIds.set(name, org.id);
    };
    for (const [name, kind] of DISTRICT_ORGANISATIONS) await add(name, kind, district.code);
    for (const street of await regionsAtLevel(trx, 'street', [district.path])) {
      await add(`${street.name}办事处`, 'street_office', street.code);
      await add(`${street.name}社工站`, 'social_organisation', street.code);
    }
    const haibin = await findRegionByNames(trx, ['鲤城区', '海滨街道']);
    await add('老街茶铺（爱心商户）', 'merchant', haibin.code);
    await add('顺风修车铺（友好修车点）', 'merchant', haibin.code);
    const zone = await findRegionByNames(trx, ['泉州台商投资区']);
    await add('泉州台商投资区党工委党建办', 'department', zone.code);

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
    await markDemoLoaded(trx);
  });
}
