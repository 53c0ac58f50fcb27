// Demo reports (随手拍) for the demo district: a routing table (the district's transport bureau
// for signs, guardrails and hazards; each street office for sanitation and uncivil behaviour …)
// and two dozen reports over the last three weeks in every state, sent and moved on through the
// same intake and engine as real ones (points included), each step dated in the past.
import sharp from 'sharp';
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import { storeGeneratedFile } from '../modules/files/service.js';
import type { Actor } from '../modules/identity/access.js';
import { buildSnapshot } from '../modules/identity/snapshots.js';
import { takeTransition } from '../modules/matters/engine.js';
import { submitReport } from '../modules/reports/intake.js';
import { regionsAtLevel } from '../modules/regions/service.js';

export interface DemoReportPeople {
  districtPath: string;
  districtCode: string;
  /** User ids. */
  workers: string[];
  coordinator: string;
  streetCoordinator: string;
  organisations: Map<string, string>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

type Plan = 'submitted' | 'rejected' | 'merged' | 'dispatched' | 'handling' | 'closed';

/** [category, text, days ago, what became of it, in 海滨街道 (at a station) or near the district seat]. */
const REPORTS: [string, string, number, Plan, boolean][] = [
  ['guardrails', '中山路与新华路口护栏被撞倒，电动车容易剐蹭', 19, 'closed', false],
  ['road_signs', '温陵路口的限行标志被树枝挡住，外卖车辆常误入', 18, 'closed', false],
  ['station_facilities', '驿站的饮水机坏了好几天，夏天骑手喝不上水', 17, 'closed', true],
  ['sanitation', '驿站门口垃圾桶满溢，气味很大', 16, 'closed', true],
  ['safety_hazard', '涂门街一处井盖松动，晚上骑车经过很危险', 15, 'closed', false],
  ['uncivil', '有人在驿站充电区私拉电线给电瓶充电', 14, 'closed', true],
  ['road_signs', '新门街单行道标志褪色看不清', 12, 'handling', false],
  ['guardrails', '笋江路人行道护栏松动', 11, 'handling', false],
  ['sanitation', '海滨街道菜市场后巷积水发臭', 10, 'dispatched', true],
  ['safety_hazard', '庄府巷口电线低垂，货车容易挂到', 9, 'dispatched', false],
  ['station_facilities', '驿站的手机充电柜有两个口不通电', 8, 'dispatched', true],
  ['other', '建议在商圈增设电动车临时停放点', 7, 'dispatched', false],
  ['guardrails', '中山路口护栏还是倒着', 6, 'merged', false],
  ['sanitation', '测试', 6, 'rejected', true],
  ['road_signs', '路牌', 5, 'rejected', false],
  ['uncivil', '驿站微波炉被人长期占用', 4, 'submitted', true],
  ['safety_hazard', '天桥下的照明灯不亮，夜间配送看不清路', 3, 'submitted', false],
  ['station_facilities', '驿站座椅扶手断了', 2, 'submitted', true],
  ['other', '', 1, 'submitted', false],
  ['road_signs', '商圈停车场出口指示牌方向标反了', 1, 'submitted', false],
];

const LEVELS = ['ordinary', 'useful', 'important'] as const;

async function actorOf(db: Db, userId: string): Promise<Actor> {
  return { userId, sessionId: 'demo', pending: null, ...(await buildSnapshot(db, userId)) };
}

/** A small "after" photo: a plain picture, re-encoded by the files module like any upload. */
async function afterPhoto(ctx: AppContext, trx: Db, uploadedBy: string, hue: number): Promise<string> {
  const buffer = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 60 + hue, g: 140, b: 90 } } })
    .jpeg()
    .toBuffer();
  return (await storeGeneratedFile(ctx, trx, { buffer, name: '处置后.jpg', uploadedBy })).id;
}

export async function loadDemoReports(ctx: AppContext, trx: Db, people: DemoReportPeople): Promise<number> {
  const c = { ...ctx, db: trx };
  const org = (name: string) => {
    const id = people.organisations.get(name);
    if (!id) throw new Error(`demo organisation ${name} is missing`);
    return id;
  };
  const coordinator = await actorOf(trx, people.coordinator);
  const streets = await regionsAtLevel(trx, 'street', [people.districtPath]);
  const routes: [string, string, string][] = [
    ['road_signs', people.districtCode, org('鲤城区交通运输局')],
    ['guardrails', people.districtCode, org('鲤城区交通运输局')],
    ['safety_hazard', people.districtCode, org('鲤城区交通运输局')],
    ['station_facilities', people.districtCode, org('鲤城区新就业群体维权服务站')],
    ['other', people.districtCode, org('中共鲤城区委组织部党建办')],
    ...streets.flatMap((s): [string, string, string][] => [
      ['sanitation', s.code, org(`${s.name}办事处`)],
      ['uncivil', s.code, org(`${s.name}办事处`)],
    ]),
  ];
  for (const [category, regionCode, organisationId] of routes) {
    const region = await trx.selectFrom('regions').select('path').where('code', '=', regionCode).executeTakeFirstOrThrow();
    await trx
      .insertInto('report_routes')
      .values({
        category,
        region_code: regionCode,
        region_path: region.path,
        organisation_id: organisationId,
        updated_by: people.coordinator,
      })
      .execute();
  }

  // Reports at 海滨街道's stations are dispatched to its street office, whose coordinator (a demo
  // account) then handles them; those near the district seat go to district bureaus.
  const haibin = streets.find((s) => s.name === '海滨街道');
  const stations = haibin
    ? await trx.selectFrom('places').select('id').where('region_code', '=', haibin.code).where('is_active', '=', true).limit(5).execute()
    : [];
  const streetOwner = await actorOf(trx, people.streetCoordinator);
  const now = Date.now();
  const made: { id: string; version: number; category: string }[] = [];
  for (const [i, [category, text, daysAgo, plan, atStation]] of REPORTS.entries()) {
    const worker = await actorOf(trx, people.workers[i % people.workers.length] as string);
    const at = new Date(now - daysAgo * DAY - (i % 5) * HOUR);
    const station = atStation ? stations[i % Math.max(1, stations.length)] : undefined;
    const input = station
      ? { category, text, placeId: station.id, occurredAt: at.toISOString() }
      : {
          category,
          text,
          location: { lat: 24.9079 + ((i % 7) - 3) * 0.0011, lng: 118.5869 + ((i % 5) - 2) * 0.0013 },
          occurredAt: at.toISOString(),
        };
    const { matter } = await submitReport(c, worker, input, null, null, { at, isDemo: true });
    let current = { id: matter.id, version: matter.version };
    const step = async (
      actor: Actor,
      name: string,
      hours: number,
      extra: { note?: string; input?: Record<string, unknown>; files?: string[] } = {},
    ) => {
      const { matter: next } = await takeTransition(c, actor, { matterId: current.id, name, version: current.version, ...extra }, null, {
        at: new Date(at.getTime() + hours * HOUR),
      });
      current = { id: next.id, version: next.version };
      return next;
    };
    if (plan === 'rejected') await step(coordinator, 'reject', 20, { note: '照片和描述无法确认问题位置，请补充后重新提交' });
    if (plan === 'merged') {
      const into = made.find((m) => m.category === category);
      if (into) await step(coordinator, 'merge', 22, { input: { intoMatterId: into.id } });
    }
    if (plan === 'dispatched' || plan === 'handling' || plan === 'closed') {
      const adopted = await step(coordinator, 'adopt', 6, { input: { level: LEVELS[i % 3] } });
      const owner = adopted.owner_org_id === streetOwner.grants[0]?.organisationId ? streetOwner : null;
      if (owner && plan !== 'dispatched') {
        await step(owner, 'accept', 22);
        if (plan === 'closed') {
          const photo = await afterPhoto(c, trx, owner.userId, i * 7);
          await step(owner, 'reply', 46, { files: [photo], input: { reply: '已安排人员现场处置，问题已解决。', outcome: 'resolved' } });
        }
      }
    }
    made.push({ id: matter.id, version: current.version, category });
  }
  return made.length;
}
