// Open311 GeoReport v2 over reports: categories are the services, reports are the service
// requests (service_request_id is the matter's number). Requests that came in through Open311
// show their description and point as posted; those from the worker app show no text and a point
// rounded to about 100 m, as on the public map (a worker's words may name people or numbers).
import type { AppContext } from '../../context.js';
import { WORKFLOWS } from '../matters/kinds/index.js';
import { submitOpen311 } from '../reports/intake.js';
import * as q from '../reports/queries.js';
import type { KeyHolder } from './keys.js';
import type { Value } from './format.js';

/** An Open311 error: the spec's status code and a description. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

const OPEN = ['submitted', 'dispatched', 'handling'];
const CLOSED = ['closed', 'rejected', 'merged'];
const DAY_MS = 86_400_000;
export const MAX_REQUESTS = 1000;
export const DESCRIPTION_MAX = 2000;

export function discovery(ctx: AppContext, changeset: string): Value {
  return {
    changeset,
    contact: `${ctx.config.publicUrl}/`,
    key_service: '接口密钥由平台管理员在管理后台签发 / API keys are issued by the platform administrators in the console',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${ctx.config.publicUrl}/open311/v2`,
        changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

export async function services(ctx: AppContext): Promise<Value[]> {
  return (await q.findCategories(ctx.db, true)).map((c) => ({
    service_code: c.code,
    service_name: c.label_zh,
    description: `${c.label_zh} / ${c.label_en}`,
    metadata: false,
    type: 'realtime',
    keywords: c.label_en,
    group: '随手拍',
  }));
}

export async function serviceDefinition(ctx: AppContext, code: string): Promise<Value> {
  const category = await q.findCategory(ctx.db, code);
  if (!category?.active) throw new Open311Error(404, `unknown service_code: ${code}`);
  // No attributes: a description and a location say all a report needs.
  return { service_code: category.code, attributes: [] };
}

function statusNotes(r: q.Open311Row): string {
  const label = WORKFLOWS.report?.states[r.status]?.label;
  const state = label ? `${label.zh} / ${label.en}` : r.status;
  if (r.owner_org_name && OPEN.includes(r.status) && r.status !== 'submitted') return `${state}：${r.owner_org_name}`;
  return state;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function present(r: q.Open311Row): Value {
  const mine = r.source === 'open311';
  return {
    service_request_id: String(r.number),
    status: CLOSED.includes(r.status) ? 'closed' : 'open',
    status_notes: statusNotes(r),
    service_name: null,
    service_code: r.category,
    description: mine ? r.body : null,
    agency_responsible: r.owner_org_name,
    service_notice: null,
    requested_datetime: r.created_at.toISOString(),
    updated_datetime: r.updated_at.toISOString(),
    expected_datetime: r.due_at ? r.due_at.toISOString() : null,
    address: null,
    address_id: null,
    zipcode: null,
    lat: mine ? r.lat : round3(r.lat),
    long: mine ? r.lng : round3(r.lng),
    media_url: mine ? r.media_url : null,
  };
}

async function withNames(ctx: AppContext, rows: q.Open311Row[]): Promise<Value[]> {
  const names = new Map((await q.findCategories(ctx.db, false)).map((c) => [c.code, c.label_zh]));
  return rows.map((r) => ({ ...(present(r) as Record<string, Value>), service_name: names.get(r.category) ?? r.category }));
}

function dateParam(name: string, value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime())) throw new Open311Error(400, `${name} must be a W3C date-time`);
  return at;
}

function listParam(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export async function listRequests(ctx: AppContext, query: Record<string, string | undefined>, now = new Date()): Promise<Value[]> {
  const ids = listParam(query.service_request_id);
  if (ids) {
    // With ids given, the other filters do not apply (the spec says so).
    if (ids.length > MAX_REQUESTS || ids.some((id) => !/^\d{1,15}$/.test(id)))
      throw new Open311Error(400, 'service_request_id must be numbers, comma-separated');
    const rows = await q.findOpen311Requests(ctx.db, {
      numbers: ids.map(Number),
      categories: null,
      from: null,
      to: null,
      statuses: null,
      limit: MAX_REQUESTS,
    });
    return withNames(ctx, rows);
  }
  const end = dateParam('end_date', query.end_date);
  const start = dateParam('start_date', query.start_date);
  // Without dates: the last 90 days, as the spec suggests.
  const to = end ?? (start ? new Date(start.getTime() + 90 * DAY_MS) : now);
  const from = start ?? new Date(to.getTime() - 90 * DAY_MS);
  if (from > to) throw new Open311Error(400, 'start_date must come before end_date');
  const statusList = listParam(query.status);
  if (statusList?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open or closed');
  const statuses = statusList ? [...(statusList.includes('open') ? OPEN : []), ...(statusList.includes('closed') ? CLOSED : [])] : null;
  const categories = listParam(query.service_code);
  const rows = await q.findOpen311Requests(ctx.db, { numbers: null, categories, from, to, statuses, limit: MAX_REQUESTS });
  return withNames(ctx, rows);
}

export async function getRequest(ctx: AppContext, id: string): Promise<Value[]> {
  if (!/^\d{1,15}$/.test(id)) throw new Open311Error(404, `unknown service_request_id: ${id}`);
  const row = await q.findOpen311Request(ctx.db, Number(id));
  if (!row) throw new Open311Error(404, `unknown service_request_id: ${id}`);
  return withNames(ctx, [row]);
}

export async function getToken(ctx: AppContext, token: string): Promise<Value[]> {
  const found = /^[0-9a-f-]{36}$/i.test(token) ? await q.findOpen311Token(ctx.db, token.toLowerCase()) : undefined;
  if (!found) throw new Open311Error(404, `unknown token: ${token}`);
  return [{ service_request_id: String(found.number), token }];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export async function postRequest(ctx: AppContext, holder: KeyHolder, form: Record<string, unknown>): Promise<Value[]> {
  const code = str(form.service_code);
  if (!code) throw new Open311Error(400, 'service_code is required');
  const category = await q.findCategory(ctx.db, code);
  if (!category?.active) throw new Open311Error(404, `unknown service_code: ${code}`);
  const latText = str(form.lat)?.trim();
  const longText = str(form.long)?.trim();
  // A location is needed: an address alone would need a geocoder this installation does not have.
  if (!latText || !longText) throw new Open311Error(400, 'lat and long are required (address_string alone is not enough here)');
  const lat = Number(latText);
  const lng = Number(longText);
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
    throw new Open311Error(400, 'lat and long must be decimal degrees (WGS-84)');
  }
  const description = str(form.description) ?? '';
  if (description.length > DESCRIPTION_MAX) throw new Open311Error(400, `description is longer than ${DESCRIPTION_MAX} characters`);
  const mediaUrl = str(form.media_url)?.trim() || null;
  if (mediaUrl && (mediaUrl.length > 1000 || !/^https?:\/\/[^\s]+$/i.test(mediaUrl)))
    throw new Open311Error(400, 'media_url must be an http(s) URL');
  const personal = {
    email: str(form.email)?.slice(0, 200),
    phone: str(form.phone)?.slice(0, 50),
    firstName: str(form.first_name)?.slice(0, 100),
    lastName: str(form.last_name)?.slice(0, 100),
  };
  const { matter, token } = await submitOpen311(ctx, {
    category: category.code,
    description,
    location: { lat, lng, datum: 'wgs84' },
    mediaUrl,
    submitter: personal,
    key: holder,
  });
  return [
    {
      service_request_id: String(matter.number),
      token,
      service_notice: '已受理，待审核 / Received, awaiting review',
      account_id: null,
    },
  ];
}
