// Open311 GeoReport v2: discovery, services, service definitions, requests (GET with filters,
// POST as form data with api_key), one request and tokens, in JSON and XML; the spec's error
// format and status codes; Chinese round-trips unchanged; keys made and revoked in the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithTwoFactor, type SessionHeaders } from '../helpers/app.js';
import { ok, type MatterJson } from '../matters/helpers.js';
import { PHONES, reportApp, signInAs, submit } from '../reports/helpers.js';

const ENV_KEY = 'env-key-for-tests-0123456789';
let t: Awaited<ReturnType<typeof reportApp>>;
let admin: SessionHeaders;
let key: string;

beforeAll(async () => {
  t = await reportApp({ open311ApiKeys: [ENV_KEY] });
  admin = (await signInWithTwoFactor(t.app, PHONES.admin)).session;
  const res = await t.app.inject({ method: 'POST', url: '/api/open311/keys', headers: admin, payload: { name: '泉州随手拍小程序' } });
  expect(res.statusCode, res.body).toBe(201);
  key = (res.json() as { key: string }).key;
});
afterAll(async () => t?.done());

let address = 0;
const get = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: `10.31.1.${(address++ % 250) + 1}` });
const post = (file: string, form: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url: `/open311/v2/${file}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });

const TEXT = '鼓楼公交站旁的护栏倒了 <危险> & 需要尽快处理 “急”';
const form = (extra: Record<string, string> = {}) => ({
  api_key: key,
  service_code: 'guardrails',
  lat: '24.9079',
  long: '118.5869',
  description: TEXT,
  email: 'citizen@example.com',
  phone: '13912345678',
  first_name: '小明',
  last_name: '王',
  ...extra,
});

describe('reading', () => {
  it('serves discovery and services in JSON and XML', async () => {
    const json = await get('/open311/v2/discovery.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((json.json() as { endpoints: { formats: string[] }[] }).endpoints[0]?.formats).toEqual(['text/xml', 'application/json']);
    const xml = await get('/open311/v2/discovery.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<discovery>/);
    expect(xml.body).toContain('<formats><format>text/xml</format><format>application/json</format></formats>');

    const services = (await get('/open311/v2/services.json')).json() as {
      service_code: string;
      service_name: string;
      metadata: boolean;
      type: string;
    }[];
    expect(services.find((s) => s.service_code === 'guardrails')).toMatchObject({
      service_name: '护栏损坏',
      metadata: false,
      type: 'realtime',
    });
    const servicesXml = (await get('/open311/v2/services.xml')).body;
    expect(servicesXml).toContain('<service><service_code>guardrails</service_code><service_name>护栏损坏</service_name>');

    const definition = await get('/open311/v2/services/guardrails.json');
    expect(definition.json()).toEqual({ service_code: 'guardrails', attributes: [] });
    expect((await get('/open311/v2/services/guardrails.xml')).body).toContain(
      '<service_definition><service_code>guardrails</service_code><attributes></attributes></service_definition>',
    );
  });

  it('answers an unknown service with 404 in the spec’s error format', async () => {
    const json = await get('/open311/v2/services/potholes.json');
    expect(json.statusCode).toBe(404);
    expect(json.json()).toEqual([{ code: 404, description: 'unknown service_code: potholes' }]);
    const xml = await get('/open311/v2/services/potholes.xml');
    expect(xml.statusCode).toBe(404);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.body).toContain('<errors><error><code>404</code><description>unknown service_code: potholes</description></error></errors>');
    expect((await get('/open311/v2/requests/999999999.json')).statusCode).toBe(404);
    expect((await get('/open311/v2/services.html')).statusCode).toBe(404);
  });
});

describe('posting a request', () => {
  it('creates a report from Chinese form data and reads it back unchanged in JSON and XML', async () => {
    const res = await post('requests.json', form());
    expect(res.statusCode, res.body).toBe(200);
    const [created] = res.json() as { service_request_id: string; token: string; service_notice: string; account_id: null }[];
    expect(created?.service_request_id).toMatch(/^\d+$/);

    const one = (await get(`/open311/v2/requests/${created?.service_request_id}.json`)).json() as Record<string, unknown>[];
    expect(one[0]).toMatchObject({
      service_request_id: created?.service_request_id,
      status: 'open',
      service_code: 'guardrails',
      service_name: '护栏损坏',
      description: TEXT,
      lat: 24.9079,
      long: 118.5869,
    });
    expect(String(one[0]?.status_notes)).toContain('待审核');
    const xml = (await get(`/open311/v2/requests/${created?.service_request_id}.xml`)).body;
    expect(xml).toContain('<description>鼓楼公交站旁的护栏倒了 &lt;危险&gt; &amp; 需要尽快处理 “急”</description>');
    expect(xml).toContain('<status>open</status>');

    // The token leads to the same request.
    const token = (await get(`/open311/v2/tokens/${created?.token}.json`)).json() as { service_request_id: string }[];
    expect(token[0]?.service_request_id).toBe(created?.service_request_id);

    // A report on the engine, raised by nobody in our system, with the key's name; the
    // submitter's personal data is kept encrypted only.
    const row = await t.ctx.db
      .selectFrom('matters as m')
      .innerJoin('reports as r', 'r.matter_id', 'm.id')
      .select(['m.kind', 'm.channel', 'm.raised_by', 'm.payload', 'r.submitter_cipher', 'r.source'])
      .where('m.number', '=', Number(created?.service_request_id))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'report', channel: 'open311', raised_by: null, source: 'open311' });
    expect((row.payload as { via: string }).via).toBe('泉州随手拍小程序');
    expect(row.submitter_cipher).not.toContain('13912345678');
    expect(JSON.parse(t.ctx.crypto.decrypt(row.submitter_cipher as string))).toMatchObject({ phone: '13912345678', firstName: '小明' });
    const all = JSON.stringify(
      await get(`/open311/v2/requests.json?service_request_id=${created?.service_request_id}`).then((r) => r.json()),
    );
    expect(all).not.toContain('13912345678');
    expect(all).not.toContain('citizen@example.com');
  });

  it('answers in XML when posted to requests.xml, and takes an environment key', async () => {
    const res = await post('requests.xml', form({ api_key: ENV_KEY, description: '路灯下的井盖松动' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.body).toMatch(/<service_requests><request><service_request_id>\d+<\/service_request_id><token>/);
  });

  it('refuses a request without a location (400), with a wrong or missing key (403), or for an unknown service (404)', async () => {
    const noLocation = await post('requests.json', form({ lat: '', long: '', address_string: '鲤城区中山路' }));
    expect(noLocation.statusCode).toBe(400);
    expect((noLocation.json() as { code: number }[])[0]?.code).toBe(400);
    const { lat: _lat, long: _long, ...withoutPoint } = form();
    expect((await post('requests.json', withoutPoint)).statusCode).toBe(400);
    const elsewhere = await post('requests.json', form({ lat: '39.9042', long: '116.4074' }));
    expect(elsewhere.statusCode).toBe(400);

    const wrong = await post('requests.xml', form({ api_key: 'not-a-key' }));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('<errors><error><code>403</code>');
    const { api_key: _key, ...keyless } = form();
    expect((await post('requests.json', keyless)).statusCode).toBe(403);

    expect((await post('requests.json', form({ service_code: 'potholes' }))).statusCode).toBe(404);
    const before = await t.ctx.db
      .selectFrom('reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', 'open311')
      .executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(2);
  });

  it('stops taking requests with a revoked key', async () => {
    const made = (await t.app.inject({ method: 'POST', url: '/api/open311/keys', headers: admin, payload: { name: '临时' } })).json() as {
      id: string;
      key: string;
    };
    expect((await post('requests.json', form({ api_key: made.key }))).statusCode).toBe(200);
    const list = (await t.app.inject({ method: 'GET', url: '/api/open311/keys', headers: admin })).json() as {
      items: { id: string; masked: string }[];
    };
    expect(list.items.find((k) => k.id === made.id)?.masked).toBe(`o311_…${made.key.slice(-4)}`);
    expect(JSON.stringify(list)).not.toContain(made.key);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/open311/keys/${made.id}`, headers: admin })).statusCode).toBe(204);
    expect((await post('requests.json', form({ api_key: made.key }))).statusCode).toBe(403);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'open311_key.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['open311_key.create', 'open311_key.revoke']));
    // Only city administrators hold keys.
    const coordinator = await signInAs(t.app, PHONES.coordinator);
    expect((await t.app.inject({ method: 'GET', url: '/api/open311/keys', headers: coordinator })).statusCode).toBe(403);
  });
});

describe('listing requests', () => {
  it('filters by ids, service, dates and open/closed, with state notes; app reports show no text', async () => {
    const worker = await signInAs(t.app, PHONES.worker);
    const appReport = (await submit(t.app, worker, { text: '我的电话13800001111，护栏坏了' })).json() as MatterJson & { number: number };
    const coordinator = await signInAs(t.app, PHONES.coordinator);
    await ok(t.app, coordinator, appReport, 'reject', { note: '重复' });

    const all = (await get('/open311/v2/requests.json')).json() as {
      service_request_id: string;
      status: string;
      description: string | null;
      status_notes: string;
    }[];
    const mine = all.find((r) => r.service_request_id === String(appReport.number));
    expect(mine).toMatchObject({ status: 'closed', description: null });
    expect(mine?.status_notes).toContain('未采纳');
    expect(JSON.stringify(all)).not.toContain('13800001111');

    const open = (await get('/open311/v2/requests.json?status=open')).json() as { status: string }[];
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => r.status === 'open')).toBe(true);
    const closed = (await get('/open311/v2/requests.json?status=closed&service_code=guardrails')).json() as {
      service_request_id: string;
    }[];
    expect(closed.map((r) => r.service_request_id)).toContain(String(appReport.number));
    const future = (await get(`/open311/v2/requests.json?start_date=${encodeURIComponent('2099-01-01T00:00:00Z')}`)).json() as unknown[];
    expect(future).toEqual([]);
    const ids = all.slice(0, 2).map((r) => r.service_request_id);
    const someRes = await get(`/open311/v2/requests.json?service_request_id=${ids.join(',')}`);
    expect(someRes.statusCode, someRes.body).toBe(200);
    const some = someRes.json() as { service_request_id: string }[];
    expect(some.map((r) => r.service_request_id).sort()).toEqual([...ids].sort());
    expect((await get('/open311/v2/requests.json?status=pending')).statusCode).toBe(400);
    expect((await get('/open311/v2/requests.json?start_date=yesterday')).statusCode).toBe(400);
    const xml = (await get('/open311/v2/requests.xml?status=closed')).body;
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<service_requests><request>/);
  });
});
