// A realistic appeals desk for the demo district: a few hundred appeals over the last four
// months in every state. Each appeal's timeline is generated step by step the way the engine
// records it (same event data, deadlines from the same working-time calendar), folded into its
// row with the engine's own fold, and written in bulk; the supervision job then supervises the
// ones that ran late, through the engine. Deterministic: the same seed gives the same desk.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { maskPhone } from '../crypto/fields.js';
import type { Db } from '../db/connect.js';
import { getWorkCalendar } from '../modules/calendar/service.js';
import { makeClock, type Clock } from '../modules/matters/clock.js';
import { finalStates } from '../modules/matters/engine.js';
import { foldMatter, type RegisterData } from '../modules/matters/fold.js';
import { workflowOf } from '../modules/matters/kinds/index.js';
import type { NewEvent } from '../modules/matters/queries.js';
import { regionsAtLevel } from '../modules/regions/service.js';

export interface DemoDesk {
  districtPath: string;
  /** User ids of the demo people who act on appeals. */
  station: string;
  /** The district coordinator, who runs the desk for streets without station staff of their own. */
  coordinator: string;
  mediator: string;
  handler: string;
  streetCoordinator: string;
  workers: string[];
  /** Organisation ids by name. */
  organisations: Map<string, string>;
}

const COUNT = 360;
const DAY = 86_400_000;

/** A small seeded generator (mulberry32): the demo desk is the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    weighted: <T>(items: readonly (readonly [T, number])[]): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) if ((r -= w) < 0) return item;
      return items[items.length - 1]?.[0] as T;
    },
  };
}

const CATEGORIES = [
  ['unpaid_fees', 30],
  ['settlement', 12],
  ['contract', 11],
  ['penalty', 12],
  ['work_injury', 8],
  ['social_insurance', 8],
  ['ecommerce', 6],
  ['consultation', 9],
  ['other', 4],
] as const;

const PLATFORMS = ['美团', '饿了么', '顺丰同城', '达达快送', '滴滴出行', '货拉拉', '中通快递', '韵达快递', '京东物流'];
const SURNAMES = '张王李陈林黄吴郑蔡许施洪庄苏杨';
const GIVEN = ['师傅', '先生', '女士', '小哥'];

const TITLES: Record<string, string[]> = {
  unpaid_fees: ['配送费被拖欠两个月', '站点拖欠跑单报酬', '离职后工资未结清', '加盟商拖欠配送费'],
  settlement: ['结算明细看不懂，收入明显变少', '单价调整未提前告知', '补贴未按约定发放'],
  contract: ['入职未签劳动合同', '被要求注册个体户接单', '合同条款与实际不符'],
  penalty: ['超时罚款不合理', '差评申诉无人处理', '恶劣天气仍被扣款'],
  work_injury: ['送餐途中摔伤，医疗费无人承担', '交通事故后平台拒绝理赔', '职业伤害保障申请受阻'],
  social_insurance: ['社保缴费基数问题', '想了解灵活就业人员参保', '职业伤害保障参保咨询'],
  ecommerce: ['网购电动车电池质量纠纷', '平台会员费自动续费', '二手车交易纠纷'],
  consultation: ['想了解新就业群体相关政策', '如何申请困难帮扶', '电动车上牌政策咨询'],
  other: ['小区不让外卖车辆进入', '驿站充电桩损坏', '希望增设休息点'],
};

interface Step {
  type: string;
  to: string | null;
  data: Record<string, unknown>;
  actor: string | null;
  role: string | null;
  org: string | null;
  note: string | null;
}

type Plan = 'registered' | 'assigned' | 'handling' | 'replied' | 'closed' | 'reopen_closed' | 'reopened' | 'withdrawn' | 'rejected' | 'merged';

function planFor(ageDays: number, r: ReturnType<typeof random>): Plan {
  if (ageDays > 30) {
    return r.weighted<Plan>([
      ['closed', 64],
      ['reopen_closed', 9],
      ['withdrawn', 5],
      ['rejected', 5],
      ['merged', 3],
      ['handling', 8],
      ['assigned', 3],
      ['replied', 3],
    ]);
  }
  if (ageDays > 7) {
    return r.weighted<Plan>([
      ['closed', 36],
      ['replied', 18],
      ['handling', 24],
      ['assigned', 10],
      ['reopened', 5],
      ['withdrawn', 3],
      ['rejected', 4],
    ]);
  }
  return r.weighted<Plan>([
    ['registered', 30],
    ['assigned', 30],
    ['handling', 28],
    ['replied', 12],
  ]);
}

export async function loadDemoAppeals(ctx: AppContext, trx: Db, desk: DemoDesk, now = new Date()): Promise<number> {
  const r = random(20261125);
  // Inside the demo transaction: read the calendar through it, not beside it.
  const clock: Clock = makeClock(await getWorkCalendar({ db: trx }), now);
  const workflow = workflowOf('appeal');
  const finals = finalStates(workflow);
  const streets = await regionsAtLevel(trx, 'street', [desk.districtPath]);
  const communities = await regionsAtLevel(trx, 'community', [desk.districtPath]);
  const streetOf = (path: string) => streets.find((s) => path === s.path || path.startsWith(`${s.path}.`));
  const haibin = streets.find((s) => s.name === '海滨街道');
  const org = (name: string) => desk.organisations.get(name) ?? null;
  const mediationTeam = org('鲤城区新就业群体快调队伍');
  const labourBureau = org('鲤城区人力资源和社会保障局');
  const haibinOffice = org('海滨街道办事处');

  const matters: { events: NewEvent[]; contact: Record<string, string | null>; plan: Plan }[] = [];
  const open: { id: string; category: string; created: Date }[] = [];

  for (let i = 0; i < COUNT; i++) {
    const ageDays = Math.floor(r.next() ** 1.3 * 120);
    const place = r.next() < 0.35 && haibin ? r.pick(communities.filter((c) => c.path.startsWith(`${haibin.path}.`))) : r.pick(communities);
    const street = streetOf(place.path);
    const category = r.weighted(CATEGORIES);
    const startOfDay = new Date(Math.floor((now.getTime() - ageDays * DAY + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000);
    let at = clock.addWorkingMinutes(new Date(startOfDay.getTime() + 8 * 3600_000), r.int(0, 420));
    if (at > now) at = new Date(now.getTime() - r.int(5, 90) * 60_000);
    const viaApp = r.next() < 0.55;
    const raisedBy = viaApp ? r.pick(desk.workers) : null;
    // Haibin's station staff run its desk; the district coordinator the other streets'.
    const inHaibin = !!haibin && (place.path === haibin.path || place.path.startsWith(`${haibin.path}.`));
    const deskActor = inHaibin ? { actor: desk.station, role: 'station_staff' } : { actor: desk.coordinator, role: 'coordinator' };
    const amount = ['unpaid_fees', 'settlement', 'penalty'].includes(category) ? r.int(2, 160) * 50 : null;
    const platform = r.pick(PLATFORMS);
    const id = randomUUID();
    const events: NewEvent[] = [];
    const push = (step: Step, when: Date) => {
      events.push({
        matter_id: id,
        seq: events.length + 1,
        type: step.type,
        actor_id: step.actor,
        actor_role: step.role,
        actor_org_id: step.org,
        from_status: null, // set below, once the timeline is in order
        to_status: step.to,
        note: step.note,
        data: step.data,
        files: [],
        at: when,
      });
    };
    const register: RegisterData = {
      kind: 'appeal',
      regionCode: place.code,
      regionPath: place.path,
      districtCode: place.district_code,
      streetCode: street?.code ?? null,
      category,
      title: r.pick(TITLES[category] ?? ['其他诉求']),
      body: `${platform}骑手反映：${r.pick(TITLES[category] ?? ['其他诉求'])}${amount ? `，涉及金额约 ${amount} 元` : ''}。希望站点协助处理。`,
      payload: { platform, ...(amount ? { amountClaimed: amount } : {}) },
      channel: viaApp ? 'app' : r.pick(['walk_in', 'phone', 'desk', 'hotline']),
      raisedBy,
      priority: category === 'work_injury' ? 1 : 2,
    };
    push(
      {
        type: 'register',
        to: 'registered',
        data: register as unknown as Record<string, unknown>,
        actor: raisedBy ?? deskActor.actor,
        role: raisedBy ? 'worker' : deskActor.role,
        org: null,
        note: null,
      },
      at,
    );

    let plan = planFor(ageDays, r);
    const mergeTargets = open.filter((o) => o.created < at);
    if (plan === 'merged' && mergeTargets.length === 0) plan = 'rejected';
    // Each step comes some working minutes after the one before; a step that would lie in the
    // future does not happen yet, and the appeal stays where it got to.
    const later = (lo: number, hi: number) => clock.addWorkingMinutes(at, r.int(lo, hi));
    const take = (step: Step, when: Date): boolean => {
      if (when >= now) return false;
      at = when;
      push(step, when);
      return true;
    };
    const raiserOrStation = () => (raisedBy ? { actor: raisedBy, role: 'raiser' } : deskActor);

    const handleOnce = (owner: string | null, reopenRound: boolean): 'stopped' | 'replied' | 'done' => {
      const ownerId = owner ?? mediationTeam;
      const member = ownerId === labourBureau ? desk.handler : ownerId === haibinOffice ? desk.streetCoordinator : desk.mediator;
      const assignAt = later(r.next() < 0.88 ? 20 : 500, r.next() < 0.88 ? 460 : 1400);
      const due = clock.addWorkingDays(assignAt, workflow.categories[category]?.handleDays ?? 10);
      const orgName = [...desk.organisations.entries()].find(([, v]) => v === ownerId)?.[0] ?? '';
      if (
        !take(
          {
            type: 'assign',
            to: 'assigned',
            data: { ownerOrgId: ownerId, ownerOrgName: orgName, ownerUserId: null, dueAt: due.toISOString(), previousOwnerOrgId: null },
            ...deskActor,
            org: null,
            note: reopenRound ? '回访不满意，重新分派' : null,
          },
          assignAt,
        )
      ) {
        return 'stopped';
      }
      if (plan === 'assigned' && !reopenRound) return 'done';
      if (!take({ type: 'accept', to: 'handling', data: {}, actor: member, role: 'owner', org: ownerId, note: null }, later(30, 600))) return 'stopped';
      if (amount || r.next() < 0.5) {
        const recovered = amount && (plan === 'closed' || plan === 'reopen_closed' || plan === 'replied') ? Math.round(amount * (r.next() < 0.7 ? 1 : 0.5)) : 0;
        // Recorded some time after the session it records.
        const recordAt = later(480, 2400);
        const record = {
          method: amount ? 'mediation' : r.pick(['visit', 'call']),
          parties: ['诉求人', platform],
          heldAt: new Date(recordAt.getTime() - r.int(30, 180) * 60_000).toISOString(),
          summary: amount ? '组织双方调解，明确欠付金额与支付期限' : '电话联系诉求人了解情况',
          ...(recovered ? { moneyRecovered: reopenRound ? Math.round(recovered / 2) : recovered } : {}),
        };
        if (!take({ type: 'record', to: null, data: record, actor: member, role: 'owner', org: ownerId, note: null }, recordAt)) return 'stopped';
      }
      if (plan === 'handling' && !reopenRound) return 'done';
      // Most replies come before the deadline; some after it.
      const replyAt = r.next() < 0.85 ? later(240, Math.max(300, clock.workingMinutesBetween(at, due) - 60)) : clock.addWorkingMinutes(due, r.int(60, 900));
      const outcome = r.weighted([
        ['resolved', 70],
        ['partly_resolved', 15],
        ['explained', 12],
        ['unresolved', 3],
      ] as const);
      if (!take({ type: 'reply', to: 'replied', data: { reply: '已联系相关单位处理，具体情况已电话告知。', outcome }, actor: member, role: 'owner', org: ownerId, note: null }, replyAt)) {
        return 'stopped';
      }
      return 'replied';
    };

    const rateStep = (satisfaction: string): boolean => {
      const who = raiserOrStation();
      return take(
        {
          type: 'rate',
          to: satisfaction === 'not_satisfied' ? 'reopened' : 'closed',
          data: { satisfaction },
          actor: who.actor,
          role: who.role,
          org: null,
          note: who.role === 'raiser' ? null : '电话回访',
        },
        later(120, 1800),
      );
    };

    const owner = r.weighted<string | null>([
      [mediationTeam, 50],
      [labourBureau, 35],
      [street?.name === '海滨街道' ? haibinOffice : mediationTeam, 15],
    ]);
    if (plan === 'withdrawn') {
      if (r.next() < 0.5) handleOnce(owner, false);
      const who = raiserOrStation();
      if (who.role === 'raiser') take({ type: 'withdraw', to: 'withdrawn', data: {}, actor: who.actor, role: 'raiser', org: null, note: '已与站点自行协商解决' }, later(60, 2000));
      else take({ type: 'reject', to: 'rejected', data: {}, ...deskActor, org: null, note: '当事人放弃诉求' }, later(60, 1200));
    } else if (plan === 'rejected') {
      take({ type: 'reject', to: 'rejected', data: {}, ...deskActor, org: null, note: '不属于受理范围，已告知当事人向相关部门反映' }, later(30, 400));
    } else if (plan === 'merged') {
      const target = r.pick(mergeTargets);
      take({ type: 'merge', to: 'merged', data: { intoMatterId: target.id }, ...deskActor, org: null, note: '重复诉求' }, later(30, 300));
    } else if (plan !== 'registered') {
      const first = handleOnce(owner, false);
      if (first === 'replied' && plan !== 'replied') {
        if (plan === 'reopen_closed' || plan === 'reopened') {
          if (rateStep('not_satisfied') && plan === 'reopen_closed') {
            if (handleOnce(owner === mediationTeam ? labourBureau : mediationTeam, true) === 'replied') rateStep(r.next() < 0.7 ? 'satisfied' : 'basically_satisfied');
          }
        } else {
          rateStep(r.weighted([
            ['satisfied', 80],
            ['basically_satisfied', 15],
            ['not_satisfied', 0],
          ] as const));
        }
      }
    }

    const status = events.reduce<string>((s, e) => e.to_status ?? s, 'registered');
    if (!finals.has(status)) open.push({ id, category, created: events[0]?.at ?? now });
    const phone = raisedBy ? null : `139${String(50_000_000 + i * 7919).slice(0, 8)}`;
    const name = raisedBy ? null : `${r.pick([...SURNAMES])}${r.pick(GIVEN)}`;
    matters.push({
      events,
      plan,
      contact: {
        contact_name: name,
        contact_phone_cipher: phone ? ctx.crypto.encrypt(phone) : null,
        contact_phone_index: phone ? ctx.crypto.blindIndex('phone', phone) : null,
        contact_phone_masked: phone ? maskPhone(phone) : null,
      },
    });
  }

  // Merges also leave their mark on the matter they went into.
  for (const m of matters) {
    const merge = m.events.find((e) => e.type === 'merge');
    if (!merge) continue;
    const targetId = merge.data.intoMatterId as string;
    const target = matters.find((t) => t.events[0]?.matter_id === targetId);
    if (!target) continue;
    target.events.push({ ...merge, matter_id: targetId, seq: 0, type: 'absorb', to_status: null, from_status: null, note: null, data: { fromMatterId: merge.matter_id }, actor_role: null });
  }
  for (const m of matters) {
    m.events.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
    let status: string | null = null;
    m.events.forEach((e, index) => {
      e.seq = index + 1;
      e.from_status = status;
      status = e.to_status ?? status;
    });
  }

  for (let i = 0; i < matters.length; i += 100) {
    const batch = matters.slice(i, i + 100);
    await trx
      .insertInto('matters')
      .values(
        batch.map((m) => {
          const state = foldMatter(m.events, finals);
          return { ...state, payload: JSON.stringify(state.payload), ...m.contact, is_demo: true };
        }),
      )
      .execute();
    const events = batch.flatMap((m) => m.events);
    for (let j = 0; j < events.length; j += 500) {
      await trx
        .insertInto('matter_events')
        .values(events.slice(j, j + 500).map((e) => ({ ...e, data: JSON.stringify(e.data), files: JSON.stringify(e.files) })))
        .execute();
    }
  }
  return matters.length;
}
