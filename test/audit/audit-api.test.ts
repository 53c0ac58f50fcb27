// The audit log through the HTTP API: who may read it, its filters and paging, and verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/server/modules/audit/service.js';
import { createTestApp, signInAs, signInWithTwoFactor, type SessionHeaders, type TestApp } from '../helpers/app.js';

interface AuditJson {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
}

let t: TestApp;
let auditor: SessionHeaders;
let coordinator: SessionHeaders;
let coordinatorId: string;
let organisationId: string;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const failed = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: '13800000008', password: 'not-it-1' } });
  expect(failed.statusCode).toBe(401);
  coordinator = await signInAs(t.app, '13800000008');
  auditor = (await signInWithTwoFactor(t.app, '13800000012')).session;
  coordinatorId = ((await t.app.inject({ method: 'GET', url: '/api/me', headers: coordinator })).json() as { id: string }).id;
  const regions = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as { items: { code: string }[] };
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/organisations',
    headers: coordinator,
    payload: { name: '审计测试志愿队', kind: 'social_organisation', regionCode: regions.items[0]?.code },
  });
  expect(created.statusCode).toBe(201);
  organisationId = (created.json() as { id: string }).id;
});
afterAll(async () => t.close());

async function list(
  session: SessionHeaders | undefined,
  query = '',
): Promise<{ status: number; items: AuditJson[]; next: number | null; body: unknown }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/audit${query}`, ...(session ? { headers: session } : {}) });
  const body = res.json() as { items?: AuditJson[]; next?: number | null };
  return { status: res.statusCode, items: body.items ?? [], next: body.next ?? null, body };
}

describe('who may read the audit log', () => {
  it('signed out is 401, a coordinator is 403, for the list and for verify', async () => {
    expect((await list(undefined)).status).toBe(401);
    expect(await list(coordinator)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await t.app.inject({ method: 'GET', url: '/api/audit/verify' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit/verify', headers: coordinator })).statusCode).toBe(403);
  });

  it('the city’s audit administrator sees sign-ins, failed ones included, with where they came from', async () => {
    const { status, items } = await list(auditor, '?limit=200');
    expect(status).toBe(200);
    const failed = items.find((r) => r.action === 'auth.sign_in_failed' && r.actorId === coordinatorId);
    expect(failed).toMatchObject({ ip: '127.0.0.1', after: { phoneMasked: expect.stringContaining('****'), reason: 'wrong_password' } });
    expect(JSON.stringify(items)).not.toContain('13800000008');
    expect(items.find((r) => r.action === 'auth.sign_in' && r.actorId === coordinatorId)).toMatchObject({
      actorName: '郑协调员（区党建办）',
      actorRole: 'coordinator',
    });
    // Camel case only: no raw row leaks out.
    for (const key of Object.keys(items[0] ?? {})) expect(key).not.toContain('_');
  });

  it('verify answers the audit administrator with the state of the chain', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/audit/verify', headers: auditor });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, firstBadSeq: null, problem: null });
    expect((res.json() as { checked: number }).checked).toBeGreaterThan(0);
  });

  it('verify reports a changed row', async () => {
    const last = await t.ctx.db.selectFrom('audit_log').select(['seq', 'note']).where('seq', 'is not', null).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await t.ctx.db.updateTable('audit_log').set({ note: 'changed' }).where('seq', '=', last.seq).execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/audit/verify', headers: auditor });
    expect(res.json()).toMatchObject({ ok: false, firstBadSeq: last.seq, problem: 'hash_mismatch' });
    await t.ctx.db.updateTable('audit_log').set({ note: last.note }).where('seq', '=', last.seq).execute();
  });
});

describe('filters and paging', () => {
  beforeAll(async () => {
    for (let i = 0; i < 12; i += 1) {
      await appendAudit(t.ctx.db, { actor: null, action: 'test.filler', note: i === 5 ? '季度抽查 quarterly check' : null, origin: null });
    }
  });

  it('filters by action prefix, exact action, actor, target and note text', async () => {
    const auth = await list(auditor, '?action=auth.&limit=200');
    expect(auth.items.length).toBeGreaterThanOrEqual(3);
    expect(auth.items.every((r) => r.action.startsWith('auth.'))).toBe(true);

    const failed = await list(auditor, '?action=auth.sign_in_failed');
    expect(failed.items.map((r) => r.action)).toEqual(['auth.sign_in_failed']);

    const mine = await list(auditor, `?actorId=${coordinatorId}&limit=200`);
    expect(mine.items.length).toBeGreaterThanOrEqual(3);
    expect(mine.items.every((r) => r.actorId === coordinatorId)).toBe(true);

    const org = await list(auditor, `?targetType=organisation&targetId=${organisationId}`);
    expect(org.items).toHaveLength(1);
    expect(org.items[0]).toMatchObject({ action: 'organisation.create', actorId: coordinatorId, after: { name: '审计测试志愿队' } });

    const text = await list(auditor, `?q=${encodeURIComponent('QUARTERLY')}`);
    expect(text.items.map((r) => r.note)).toEqual(['季度抽查 quarterly check']);
  });

  it('filters by time: from is inclusive, to is exclusive', async () => {
    const all = (await list(auditor, '?limit=200')).items;
    const pivot = all[5];
    if (!pivot) throw new Error('not enough rows');
    const since = await list(auditor, `?from=${encodeURIComponent(pivot.at)}&limit=200`);
    expect(since.items.every((r) => r.at >= pivot.at)).toBe(true);
    expect(since.items.map((r) => r.seq)).toContain(pivot.seq);
    const until = await list(auditor, `?to=${encodeURIComponent(pivot.at)}&limit=200`);
    expect(until.items.every((r) => r.at < pivot.at)).toBe(true);
    expect(since.items.length + until.items.length).toBe(all.length);
  });

  it('pages newest first with the before cursor, without duplicates or gaps', async () => {
    const all = (await list(auditor, '?limit=200')).items.map((r) => r.seq);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const seen: number[] = [];
    let cursor: number | null = null;
    do {
      const page = await list(auditor, `?limit=4${cursor === null ? '' : `&before=${cursor}`}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((r) => r.seq));
      cursor = page.next;
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all);
  });

  it('rejects unknown parameters, a limit above 200 and a malformed date', async () => {
    for (const query of ['?nope=1', '?limit=201', '?limit=0', '?from=yesterday', '?actorId=not-a-uuid']) {
      const res = await list(auditor, query);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });
});
