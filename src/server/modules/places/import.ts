// Import of a district's list of places from CSV or Excel, row by row: each good row is created
// (in its own transaction, audited), each bad row is refused with its reason; nothing is half-taken.
import type { AppContext, Origin } from '../../context.js';
import { AppError, errors } from '../../errors.js';
import { requireActor, type Actor } from '../identity/access.js';
import { EDITORS } from './service.js';
import { createPlace, type PlaceInput } from './service.js';
import { AMENITIES, AMENITY_CODES, DATUMS, PLACE_KINDS, PLACE_KIND_CODES, type Amenity, type Datum, type PlaceKind } from './tables.js';

export const IMPORT_MAX_ROWS = 5000;

/** The columns, by their Chinese heading (as districts keep their lists) or the English code; export writes the same. */
export const COLUMNS = {
  name: ['名称', 'name'],
  kind: ['类型', 'kind'],
  regionCode: ['区域代码', 'regionCode'],
  address: ['地址', 'address'],
  lat: ['纬度', 'lat'],
  lng: ['经度', 'lng'],
  datum: ['坐标系', 'datum'],
  contactName: ['联系人', 'contactName'],
  contactPhone: ['联系电话', 'contactPhone'],
  amenities: ['设施', 'amenities'],
  hours: ['营业时间', 'hours'],
  alwaysOpen: ['24小时', 'alwaysOpen'],
  starRating: ['星级', 'starRating'],
  active: ['启用', 'active'],
} as const;
export type Column = keyof typeof COLUMNS;

export interface ImportRowResult {
  /** The row number as the spreadsheet shows it (the heading is row 1). */
  row: number;
  name: string;
  status: 'created' | 'refused';
  id?: string;
  error?: { code: string; message: { zh: string; en: string }; details?: unknown };
}

export type ImportFormat = 'csv' | 'xlsx';

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  // Loaded on first use: exceljs is large and most processes never read a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw errors.invalidRequest({ file: 'not a readable .xlsx workbook' });
  }
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (r, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(r.getCell(c).text ?? '');
    rows[n - 1] = cells;
  });
  return Array.from(rows, (r) => r ?? []);
}

/** "1-5 08:00-18:00; 6,0 09:00-12:00" or just "08:00-12:00,14:30-21:00" for every day; 0 or 7 is Sunday. */
export function parseHoursText(text: string): { weekday: number; opens: string; closes: string }[] {
  const out: { weekday: number; opens: string; closes: string }[] = [];
  for (const part of text
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([0-7](?:\s*[-,，]\s*[0-7])*)\s+)?(.+)$/.exec(part);
    if (!m || !m[2]) throw errors.hoursInvalid({ value: part });
    const days = m[1] ? parseDays(m[1]) : [0, 1, 2, 3, 4, 5, 6];
    for (const span of m[2].split(/[,，]/).map((s) => s.trim())) {
      const t = /^(\d{1,2}:\d{2})\s*[-–~～至]\s*(\d{1,2}:\d{2})$/.exec(span);
      if (!t || !t[1] || !t[2]) throw errors.hoursInvalid({ value: span });
      for (const weekday of days) out.push({ weekday, opens: t[1].padStart(5, '0'), closes: t[2].padStart(5, '0') });
    }
  }
  return out;
}

function parseDays(text: string): number[] {
  const days = new Set<number>();
  for (const piece of text.split(/[,，]/).map((p) => p.trim())) {
    const [from, to] = piece.split('-').map((d) => Number(d.trim()) % 7);
    if (from === undefined) continue;
    if (to === undefined) days.add(from);
    else
      for (let d = from; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === to) break;
      }
  }
  return [...days];
}

function byLabel<K extends string>(codes: readonly K[], labels: Record<K, { zh: string; en: string }>, given: string): K | undefined {
  const text = given.trim();
  return codes.find((k) => k === text || labels[k].zh === text || labels[k].en.toLowerCase() === text.toLowerCase());
}

/** One row's cells → the fields createPlace takes; throws AppError naming the bad field. */
function rowToInput(get: (c: Column) => string): PlaceInput {
  const kind = byLabel<PlaceKind>(PLACE_KIND_CODES, PLACE_KINDS, get('kind'));
  if (!kind) throw errors.invalidRequest({ field: '类型 kind', value: get('kind') });
  const amenities = get('amenities')
    .split(/[,，、;；\s]+/)
    .filter(Boolean)
    .map((a) => {
      const code = byLabel<Amenity>(AMENITY_CODES, AMENITIES, a);
      if (!code) throw errors.invalidRequest({ field: '设施 amenities', value: a });
      return code;
    });
  const lat = Number(get('lat'));
  const lng = Number(get('lng'));
  if (get('lat') === '' || !Number.isFinite(lat) || lat < -90 || lat > 90)
    throw errors.invalidRequest({ field: '纬度 lat', value: get('lat') });
  if (get('lng') === '' || !Number.isFinite(lng) || lng < -180 || lng > 180)
    throw errors.invalidRequest({ field: '经度 lng', value: get('lng') });
  const datumText =
    get('datum')
      .toLowerCase()
      .replace(/[-_\s]/g, '') || 'wgs84';
  const datum = DATUMS.find((d) => d === datumText) as Datum | undefined;
  if (!datum) throw errors.invalidRequest({ field: '坐标系 datum', value: get('datum') });
  const name = get('name').trim();
  if (!name || name.length > 100) throw errors.invalidRequest({ field: '名称 name' });
  const yes = (text: string) => ['是', 'yes', 'true', '1', 'y'].includes(text.trim().toLowerCase());
  const no = (text: string) => ['否', 'no', 'false', '0', 'n'].includes(text.trim().toLowerCase());
  const alwaysOpen = yes(get('alwaysOpen'));
  if (kind === 'mobile_service')
    throw errors.invalidRequest({ field: '类型 kind', value: get('kind'), reason: 'mobile stops are scheduled, not imported' });
  const stars = get('starRating').trim();
  const starRating = stars === '' ? null : Number(stars.replace(/[星★]/g, '') || [...stars].filter((c) => c === '★').length);
  if (starRating !== null && !(Number.isInteger(starRating) && starRating >= 1 && starRating <= 5))
    throw errors.invalidRequest({ field: '星级 starRating', value: stars });
  const activeText = get('active').trim();
  if (activeText !== '' && !yes(activeText) && !no(activeText)) throw errors.invalidRequest({ field: '启用 active', value: activeText });
  return {
    name,
    kind,
    regionCode: get('regionCode').trim() || null,
    starRating,
    active: !no(activeText),
    address: get('address').slice(0, 200),
    location: { lat, lng, datum },
    contactName: get('contactName').trim().slice(0, 50) || null,
    contactPhone: get('contactPhone').trim().slice(0, 30) || null,
    amenities,
    alwaysOpen,
    hours: alwaysOpen ? [] : parseHoursText(get('hours')),
  };
}

/** Reads the file and creates its good rows, reporting on every row. */
export async function importPlaces(
  ctx: AppContext,
  actor: Actor | null,
  file: { format: ImportFormat; bytes: Buffer },
  origin: Origin | null,
): Promise<{ created: number; refused: number; rows: ImportRowResult[] }> {
  const me = requireActor(actor);
  // Only those who keep the register may import at all; each row is then checked for its region.
  if (!me.grants.some((g) => (EDITORS as readonly string[]).includes(g.role))) throw errors.forbidden();
  const table = file.format === 'csv' ? parseCsv(file.bytes.toString('utf8')) : await readXlsx(file.bytes);
  const [heading, ...body] = table;
  if (!heading) throw errors.invalidRequest({ file: 'empty' });
  const index = new Map<Column, number>();
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const at = heading.findIndex((h) => names.includes(h.trim()));
    if (at >= 0) index.set(column, at);
  }
  const missing = (['name', 'kind', 'lat', 'lng'] as Column[]).filter((c) => !index.has(c));
  if (missing.length > 0) throw errors.invalidRequest({ missingColumns: missing.map((c) => COLUMNS[c][0]) });
  if (body.length > IMPORT_MAX_ROWS) throw errors.invalidRequest({ rows: body.length, max: IMPORT_MAX_ROWS });

  const rows: ImportRowResult[] = [];
  for (const [i, cells] of body.entries()) {
    if (cells.every((c) => c.trim() === '')) continue;
    const get = (c: Column) => {
      const at = index.get(c);
      return at === undefined ? '' : (cells[at] ?? '');
    };
    const row = i + 2;
    try {
      const created = await createPlace(ctx.db, me, ctx, rowToInput(get), origin);
      rows.push({ row, name: get('name'), status: 'created', id: created.id });
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      rows.push({
        row,
        name: get('name'),
        status: 'refused',
        error: { code: error.code, message: error.messages, details: error.details },
      });
    }
  }
  return { created: rows.filter((r) => r.status === 'created').length, refused: rows.filter((r) => r.status === 'refused').length, rows };
}
