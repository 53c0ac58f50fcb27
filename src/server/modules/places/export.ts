// Export of a region's places as CSV or Excel with the import's headings, so that an exported
// file imports again (dated exceptions and photos are not part of the file).
import type { Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { appendAudit } from '../audit/service.js';
import type { Actor } from '../identity/access.js';
import { requireRegion, scopeOfRegion } from '../regions/service.js';
import { formatClock } from './hours.js';
import { COLUMNS, type Column, type ImportFormat } from './import.js';
import * as q from './queries.js';
import { clockAt, EDITORS } from './service.js';
import { AMENITIES, PLACE_KINDS, type PlaceKind } from './tables.js';
import { hasRoleAt, requireActor } from '../identity/access.js';
import { errors } from '../../errors.js';

const ORDER: Column[] = [
  'name',
  'kind',
  'regionCode',
  'address',
  'lat',
  'lng',
  'datum',
  'contactName',
  'contactPhone',
  'amenities',
  'hours',
  'alwaysOpen',
  'starRating',
  'active',
];

/** Weekly hours in the import's notation: "1,2,3,4,5 08:00-18:00; 6,0 09:00-12:00". */
export function hoursText(hours: q.HoursTuple[]): string {
  const byDay = new Map<number, string[]>();
  for (const [weekday, opens, closes] of hours) {
    byDay.set(weekday, [...(byDay.get(weekday) ?? []), `${formatClock(opens)}-${formatClock(closes)}`]);
  }
  const groups = new Map<string, number[]>();
  for (const day of [1, 2, 3, 4, 5, 6, 0]) {
    const spans = byDay.get(day);
    if (spans) groups.set(spans.join(','), [...(groups.get(spans.join(',')) ?? []), day]);
  }
  if (groups.size === 1 && [...groups.values()][0]?.length === 7) return [...groups.keys()][0] ?? '';
  return [...groups.entries()].map(([spans, days]) => `${days.join(',')} ${spans}`).join('; ');
}

function cells(p: q.PlaceRow): Record<Column, string> {
  return {
    name: p.name,
    kind: PLACE_KINDS[p.kind].zh,
    regionCode: p.region_code,
    address: p.address,
    lat: String(p.lat),
    lng: String(p.lng),
    datum: 'wgs84',
    contactName: p.contact_name ?? '',
    contactPhone: p.contact_phone ?? '',
    amenities: p.amenities.map((a) => AMENITIES[a].zh).join('、'),
    hours: p.always_open ? '' : hoursText(p.hours),
    alwaysOpen: p.always_open ? '是' : '',
    starRating: p.star_rating ? String(p.star_rating) : '',
    active: p.is_active ? '是' : '否',
  };
}

function csvCell(value: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: quote it with a leading apostrophe.
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export interface ExportFile {
  bytes: Buffer;
  mime: string;
  filename: string;
  rows: number;
}

/** The places of a region's subtree, for that region's editors; the export is audited. */
export async function exportPlaces(
  db: Db,
  actor: Actor | null,
  input: { format: ImportFormat; regionCode: string; kinds: PlaceKind[] },
  origin: Origin | null,
): Promise<ExportFile> {
  const me = requireActor(actor);
  const region = await requireRegion(db, input.regionCode);
  const scope = await scopeOfRegion(db, region);
  if (scope.length === 0 || !scope.every((path) => hasRoleAt(me, EDITORS, path))) throw errors.forbidden();
  const places = await q.findPlacesForExport(db, { scope, kinds: input.kinds, clock: clockAt(new Date()) });
  const heading = ORDER.map((c) => COLUMNS[c][0]);
  const table = places.map((p) => {
    const row = cells(p);
    return ORDER.map((c) => row[c]);
  });
  let bytes: Buffer;
  if (input.format === 'csv') {
    // With a BOM, so that Excel opens the UTF-8 file with its Chinese intact.
    bytes = Buffer.from(`\uFEFF${[heading, ...table].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
  } else {
    // Loaded on first use: exceljs is large and most processes never write a workbook.
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('场所');
    sheet.addRow(heading);
    for (const r of table) sheet.addRow(r);
    sheet.getRow(1).font = { bold: true };
    bytes = Buffer.from(await book.xlsx.writeBuffer());
  }
  await appendAudit(db, {
    actor: me,
    action: 'place.export',
    target: { type: 'region', id: region.code, regionPath: region.path, districtCode: region.district_code },
    after: { format: input.format, kinds: input.kinds, rows: places.length },
    origin,
  });
  const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return {
    bytes,
    mime: input.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `places-${region.code}-${stamp}.${input.format}`,
    rows: places.length,
  };
}
