// Shared steps for matter tests: register an appeal and take steps on it through the HTTP API.
import type { App } from '../../src/server/context.js';
import type { SessionHeaders } from '../helpers/app.js';

export interface MatterJson {
  id: string;
  number: number;
  status: string;
  version: number;
  ownerOrgId: string | null;
  ownerOrgName: string | null;
  dueAt: string | null;
  pausedSince: string | null;
  reopenCount: number;
  satisfaction: string | null;
  moneyRecovered: number;
  supervisionLevel: number;
  contactPhone: string | null;
  contactName: string | null;
  raisedByMe: boolean;
  events: { seq: number; type: string; fromStatus: string | null; toStatus: string | null; note: string | null; data: Record<string, unknown>; actorName: string | null }[];
  actions: { name: string }[];
}

export const PHONES = {
  worker: '13800000001',
  grid: '13800000002',
  resident: '13800000003',
  station: '13800000005',
  mediator: '13800000006',
  handler: '13800000007',
  coordinator: '13800000008',
  zoneCoordinator: '13800000013',
  streetCoordinator: '13800000014',
};

export async function regionCode(app: App, names: string[]): Promise<string> {
  let parent = '350500';
  for (const name of names) {
    const res = await app.inject({ method: 'GET', url: `/api/regions?parent=${parent}` });
    const items = (res.json() as { items: { code: string; name: string }[] }).items;
    const found = items.find((r) => r.name === name);
    if (!found) throw new Error(`no region ${name} under ${parent}`);
    parent = found.code;
  }
  return parent;
}

export async function organisationId(app: App, session: SessionHeaders, name: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/api/organisations?q=${encodeURIComponent(name)}&limit=5`, headers: session });
  const found = (res.json() as { items: { id: string; name: string }[] }).items.find((o) => o.name === name);
  if (!found) throw new Error(`no organisation ${name}`);
  return found.id;
}

export async function registerAppeal(app: App, session: SessionHeaders, body: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: '/api/matters',
    headers: session,
    payload: { kind: 'appeal', category: 'unpaid_fees', title: '配送费被拖欠三个月', body: '站点拖欠 2025 年 8 月至 10 月配送费共 3200 元。', ...body },
  });
}

export async function step(app: App, session: SessionHeaders, matter: { id: string; version: number }, name: string, body: Record<string, unknown> = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/matters/${matter.id}/transitions/${name}`,
    headers: session,
    payload: { version: matter.version, ...body },
  });
}

/** Takes a step that must succeed and returns the matter after it. */
export async function ok(app: App, session: SessionHeaders, matter: { id: string; version: number }, name: string, body: Record<string, unknown> = {}): Promise<MatterJson> {
  const res = await step(app, session, matter, name, body);
  if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
  return res.json() as MatterJson;
}
