// A report from the worker's phone to its close-out: submit, duplicates, adopt (points once),
// dispatch by the routing table, handle, close with an "after" photo, the worker told; and the
// other ways a review ends: rejected with a reason the worker sees, merged into an earlier one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionHeaders } from '../helpers/app.js';
import { ok, step, type MatterJson } from '../matters/helpers.js';
import { LICHENG, orgId, PHONES, reportApp, signInAs, submit, upload } from './helpers.js';

let t: Awaited<ReturnType<typeof reportApp>>;
let worker: SessionHeaders;
let coordinator: SessionHeaders;
let handler: SessionHeaders;
let handlerOrg: string;

beforeAll(async () => {
  t = await reportApp();
  worker = await signInAs(t.app, PHONES.worker);
  coordinator = await signInAs(t.app, PHONES.coordinator);
  handler = await signInAs(t.app, PHONES.handler);
  handlerOrg = await orgId(t.app, coordinator, '鲤城区人力资源和社会保障局');
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/report-routes',
    headers: coordinator,
    payload: { category: 'guardrails', regionCode: '350502', organisationId: handlerOrg },
  });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => t?.done());

async function myReports() {
  const res = await t.app.inject({ method: 'GET', url: '/api/me/reports', headers: worker });
  expect(res.statusCode).toBe(200);
  return (
    res.json() as {
      items: {
        id: string;
        status: string;
        points: number | null;
        level: string | null;
        rejectReason: string | null;
        result: string | null;
        mergedIntoNumber: number | null;
        ownerOrgName: string | null;
      }[];
    }
  ).items;
}

describe('a report from photo to close-out', () => {
  it('is submitted, shown as a likely duplicate, adopted once, dispatched, handled, closed with a photo, and the worker told', async () => {
    const photo = await upload(t.app, worker);
    const sent = await submit(t.app, worker, { photos: [photo], text: '中山路口护栏被撞断，很危险' });
    expect(sent.statusCode, sent.body).toBe(201);
    const report = sent.json() as MatterJson & { kind: string; regionCode: string; payload: Record<string, unknown>; photos: string[] };
    expect(report).toMatchObject({ kind: 'report', status: 'submitted', regionCode: '350502', text: '中山路口护栏被撞断，很危险' });
    expect(report.photos).toEqual([photo]);
    const detail = await t.app.inject({ method: 'GET', url: `/api/matters/${report.id}`, headers: worker });
    expect(detail.json()).toMatchObject({ raisedByMe: true, files: [{ id: photo }] });

    // Another worker writing about the same thing sees it as a likely duplicate.
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/reports/duplicates',
      headers: await signInAs(t.app, PHONES.grid),
      payload: { lat: LICHENG.lat + 0.0003, lng: LICHENG.lng, category: 'guardrails', text: '中山路口护栏断了' },
    });
    expect(dup.statusCode, dup.body).toBe(200);
    const found = (dup.json() as { items: { number: number; id: string | null; score: number; similarity: number; distanceM: number }[] })
      .items;
    const mine = found.find((d) => d.number === report.number);
    expect(mine).toBeDefined();
    expect(mine?.similarity).toBeGreaterThan(0.2);
    expect(mine?.distanceM).toBeLessThan(60);
    // The reviewer sees duplicates of the report under review, without itself.
    const review = await t.app.inject({
      method: 'POST',
      url: '/api/reports/duplicates',
      headers: coordinator,
      payload: { matterId: report.id },
    });
    expect((review.json() as { items: { number: number }[] }).items.map((d) => d.number)).not.toContain(report.number);

    // The ledger lists reports; adoption awards points and dispatches by the route.
    const ledger = await t.app.inject({ method: 'GET', url: '/api/matters?kind=report', headers: coordinator });
    expect((ledger.json() as { items: { id: string }[] }).items.map((m) => m.id)).toContain(report.id);
    const adopted = await ok(t.app, coordinator, report, 'adopt', { input: { level: 'useful' } });
    expect(adopted).toMatchObject({ status: 'dispatched', ownerOrgId: handlerOrg });
    expect(adopted.dueAt).not.toBeNull();
    const adoptEvent = adopted.events.at(-1);
    expect(adoptEvent?.data).toMatchObject({ level: 'useful' });
    const points = adoptEvent?.data.points as number;
    expect(points).toBeGreaterThan(0);

    // Adopting again (a double click, a stale page) pays nothing more.
    const again = await step(t.app, coordinator, report, 'adopt', { input: { level: 'important' } });
    expect(again.statusCode).toBe(409);
    const again2 = await step(t.app, coordinator, adopted, 'adopt', { input: { level: 'important' } });
    expect(again2.statusCode).toBe(409);
    const awards = await t.ctx.db.selectFrom('point_transfers').selectAll().where('source_id', '=', report.id).execute();
    expect(awards).toHaveLength(1);
    expect(awards[0]?.points).toBe(points);
    // The timeline, as the reviewer and the reporter read it, says the level and the points paid.
    for (const session of [coordinator, worker]) {
      const read = await t.app.inject({ method: 'GET', url: `/api/matters/${report.id}`, headers: session });
      const adoptions = (read.json() as MatterJson).events.filter((e) => e.type === 'adopt');
      expect(adoptions).toHaveLength(1);
      expect(adoptions[0]?.data).toMatchObject({ level: 'useful', points });
    }
    expect((await myReports()).find((r) => r.id === report.id)).toMatchObject({
      status: 'dispatched',
      points,
      level: 'useful',
      ownerOrgName: '鲤城区人力资源和社会保障局',
    });

    // The department handles it and must close with an "after" photo.
    const handling = await ok(t.app, handler, adopted, 'accept');
    const noPhoto = await step(t.app, handler, handling, 'reply', { input: { reply: '已更换护栏', outcome: 'resolved' } });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.code).toBe('files_required');
    const document = await upload(t.app, handler, 'pdf');
    const notPhoto = await step(t.app, handler, handling, 'reply', {
      files: [document],
      input: { reply: '已更换护栏', outcome: 'resolved' },
    });
    expect(notPhoto.statusCode).toBe(400);
    expect(notPhoto.json().error.code).toBe('after_photo_required');
    const after = await upload(t.app, handler);
    const closed = await ok(t.app, handler, handling, 'reply', { files: [after], input: { reply: '已更换护栏', outcome: 'resolved' } });
    expect(closed.status).toBe('closed');

    // The worker is told in the app, sees the result and can see the after photo.
    const notes = await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: worker });
    const templates = (notes.json() as { items: { matterId?: string; params?: { step?: { zh: string } } }[] }).items;
    expect(templates.length).toBeGreaterThanOrEqual(3);
    expect((await myReports()).find((r) => r.id === report.id)).toMatchObject({ status: 'closed', result: '已更换护栏' });
    const photoRes = await t.app.inject({ method: 'GET', url: `/api/files/${after}/thumbnail`, headers: worker });
    expect(photoRes.statusCode).toBe(200);
  });

  it('is rejected with a reason the worker sees, and points are not awarded', async () => {
    const sent = await submit(t.app, worker, { text: '测试一下' });
    expect(sent.statusCode, sent.body).toBe(201);
    const report = sent.json() as MatterJson;
    const noReason = await step(t.app, coordinator, report, 'reject');
    expect(noReason.json().error.code).toBe('note_required');
    const rejected = await ok(t.app, coordinator, report, 'reject', { note: '照片看不清问题所在，请重新拍摄' });
    expect(rejected.status).toBe('rejected');
    expect((await myReports()).find((r) => r.id === report.id)).toMatchObject({
      status: 'rejected',
      rejectReason: '照片看不清问题所在，请重新拍摄',
      points: null,
    });
  });

  it('is merged into an earlier report of the same problem', async () => {
    const first = (await submit(t.app, worker, { text: '公交站路牌被遮挡', category: 'road_signs' })).json() as MatterJson & {
      number: number;
    };
    const second = (await submit(t.app, worker, { text: '公交站路牌看不清', category: 'road_signs' })).json() as MatterJson;
    const merged = await ok(t.app, coordinator, second, 'merge', { input: { intoMatterId: first.id } });
    expect(merged.status).toBe('merged');
    expect((await myReports()).find((r) => r.id === second.id)).toMatchObject({ status: 'merged', mergedIntoNumber: first.number });
    // A report cannot be merged into an appeal or into itself.
    // (the merge put an 'absorb' step on the first report's timeline)
    const self = await step(t.app, coordinator, { id: first.id, version: first.version + 1 }, 'merge', {
      input: { intoMatterId: first.id },
    });
    expect(self.statusCode).toBe(400);
  });

  it('cannot be registered through the general matter route', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/matters',
      headers: worker,
      payload: { kind: 'report', regionCode: '350502', category: 'guardrails', title: '护栏', body: '护栏损坏' },
    });
    expect(res.statusCode).toBe(403);
  });
});
