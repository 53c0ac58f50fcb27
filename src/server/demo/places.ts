// Demo places, in the seeds' numbers and districts: 43 warm stations (暖新驿站) and 65 water
// points at partner merchants (爱心商户取水点) in 鲤城区, 32 neighbourhood centres (党建+邻里中心,
// star-rated) in 泉州台商投资区, 35 in 晋江市, 23 rights contact points (维权联系点) in 泉港区, and a
// few mobile-service stops (流动服务) in 泉港区 around the day of loading. Deterministic (a seeded
// generator), at plausible spots inside each district, inserted in bulk, flagged as demo.
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import { parseInterval, parseWeek } from '../modules/places/hours.js';
import { insertPlacesBulk } from '../modules/places/queries.js';
import type { Amenity, NewPlace, PlaceKind } from '../modules/places/tables.js';
import { districtCodeAt, regionCodeAt } from '../modules/regions/locate.js';
import { regionsAtLevel, requireRegion } from '../modules/regions/service.js';
import type { Region } from '../modules/regions/tables.js';

export const DEMO_WARM_STATIONS = 43;
export const DEMO_WATER_POINTS = 65;
export const DEMO_CENTRES_ZONE = 32;
export const DEMO_CENTRES_JINJIANG = 35;
export const DEMO_RIGHTS_POINTS = 23;
export const DEMO_MOBILE_STOPS = 4;

const ZONE_CODE = 'Z350500TS';

const SPOTS = [
  '中山路',
  '西街',
  '东街',
  '涂门街',
  '新华路',
  '温陵路',
  '九一路',
  '泉秀路',
  '江滨北路',
  '金龟山',
  '开元寺',
  '庄府巷',
  '五堡街',
  '浮桥街',
  '笋江路',
  '常泰路',
  '金龙街',
  '江南大街',
  '会通巷',
  '南俊路',
  '古榕巷',
  '打锡巷',
];

/** Town and street seats (WGS-84, approximate): demo points are scattered around them. */
const ANCHORS: Record<string, [number, number]> = {
  // 泉州台商投资区 (its four towns, in 惠安县)
  '350521104000': [24.963, 118.68],
  '350521105000': [24.975, 118.739],
  '350521106000': [25.0, 118.783],
  '350521200000': [24.935, 118.725],
  // 晋江市
  '350582001000': [24.815, 118.585],
  '350582002000': [24.805, 118.565],
  '350582003000': [24.795, 118.555],
  '350582004000': [24.77, 118.58],
  '350582005000': [24.785, 118.605],
  '350582006000': [24.77, 118.545],
  '350582101000': [24.715, 118.47],
  '350582102000': [24.84, 118.505],
  '350582103000': [24.84, 118.615],
  '350582104000': [24.685, 118.49],
  '350582105000': [24.655, 118.65],
  '350582106000': [24.61, 118.605],
  '350582107000': [24.845, 118.565],
  '350582109000': [24.74, 118.44],
  '350582110000': [24.68, 118.615],
  '350582111000': [24.72, 118.605],
  '350582112000': [24.645, 118.56],
  '350582113000': [24.865, 118.48],
  // 泉港区
  '350505001000': [25.12, 118.915],
  '350505100000': [25.17, 118.86],
  '350505101000': [25.11, 118.86],
  '350505102000': [25.14, 118.94],
  '350505103000': [25.165, 118.95],
  '350505105000': [25.08, 118.89],
  '350505106000': [25.165, 118.8],
};

const WEEK = [0, 1, 2, 3, 4, 5, 6];
const WORKDAYS = [1, 2, 3, 4, 5, 6];

/** A small deterministic generator (mulberry32): the same places on every load. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Hours = { weekday: number; opens: string; closes: string }[];
type Exceptions = { date: string; opens: string | null; closes: string | null; note: string | null }[];

interface DemoPlace {
  name: string;
  kind: PlaceKind;
  region: Region;
  address: string;
  lat: number;
  lng: number;
  contactName?: string;
  contactPhone?: string;
  amenities: Amenity[];
  alwaysOpen?: boolean;
  hours?: Hours;
  exceptions?: Exceptions;
  starRating?: number;
  window?: { from: Date; until: Date };
}

/** The row for the bulk insert; hours go through the same checks as an editor's. */
function toRow(p: DemoPlace) {
  const hours = parseWeek(p.hours ?? []);
  const exceptions = (p.exceptions ?? []).map((e) => {
    const interval = e.opens && e.closes ? parseInterval({ opens: e.opens, closes: e.closes }) : null;
    return { date: e.date, opens: interval?.opens ?? null, closes: interval?.closes ?? null, note: e.note };
  });
  const row: NewPlace = {
    name: p.name,
    kind: p.kind,
    region_code: p.region.code,
    region_path: p.region.path,
    district_code: p.region.district_code,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    source_datum: 'wgs84',
    accuracy_m: 20,
    contact_name: p.contactName ?? null,
    contact_phone: p.contactPhone ?? null,
    amenities: p.amenities,
    always_open: p.alwaysOpen ?? false,
    star_rating: p.starRating ?? null,
    available_from: p.window?.from ?? null,
    available_until: p.window?.until ?? null,
    is_demo: true,
  };
  return { ...row, hours, exceptions };
}

function stationHours(i: number): Pick<DemoPlace, 'alwaysOpen' | 'hours' | 'exceptions'> {
  if (i % 7 === 0) return { alwaysOpen: true, hours: [] };
  // Every third station closes over lunch (12:00–14:30): closed at 14:00.
  if (i % 3 === 0) {
    return {
      hours: WEEK.flatMap((weekday) => [
        { weekday, opens: '08:30', closes: '12:00' },
        { weekday, opens: '14:30', closes: '21:00' },
      ]),
    };
  }
  const late = i % 2 === 0;
  return {
    hours: WEEK.map((weekday) => ({ weekday, opens: '08:00', closes: late ? '22:00' : '20:00' })),
    exceptions: i % 5 === 0 ? [{ date: '2026-10-01', opens: null, closes: null, note: '国庆节闭站' }] : [],
  };
}

function pick(next: () => number, base: Amenity[], optional: [Amenity, number][]): Amenity[] {
  const list = [...base];
  for (const [amenity, share] of optional) if (next() < share) list.push(amenity);
  return list;
}

function stationAmenities(next: () => number): Amenity[] {
  return pick(
    next,
    ['rest_seats', 'drinking_water'],
    [
      ['phone_charging', 0.7],
      ['hot_water', 0.6],
      ['microwave', 0.5],
      ['toilet', 0.5],
      ['air_conditioning', 0.6],
      ['wifi', 0.6],
      ['medicine_kit', 0.5],
      ['repair_tools', 0.3],
      ['ebike_parking', 0.5],
      ['books', 0.3],
    ],
  );
}

/**
 * A point within about `spread` degrees of a street's seat that locates to that street (or at
 * least its district): a place's location and its region must agree.
 */
function near(next: () => number, code: string, spread: number): { lat: number; lng: number } {
  const [lat, lng] = ANCHORS[code] ?? [0, 0];
  let inDistrict: { lat: number; lng: number } | null = null;
  for (let tries = 0; tries < 200; tries++) {
    const wider = spread * (1 + Math.floor(tries / 50));
    const at = { lat: lat + (next() - 0.5) * 2 * wider, lng: lng + (next() - 0.5) * 2 * wider };
    if (regionCodeAt(at.lat, at.lng) === code) return at;
    if (!inDistrict && districtCodeAt(at.lat, at.lng) === code.slice(0, 6)) inDistrict = at;
  }
  return inDistrict ?? { lat, lng };
}

/**
 * A spot in 鲤城区's old town (where its stations and shops are) that lies inside the district's
 * outline: the box alone spills into 丰泽区, and a demo place must locate to its own district.
 */
function insideLicheng(next: () => number): { lat: number; lng: number } {
  for (let tries = 0; tries < 100; tries++) {
    const at = { lat: 24.89 + next() * 0.04, lng: 118.555 + next() * 0.045 };
    if (districtCodeAt(at.lat, at.lng) === '350502') return at;
  }
  return { lat: 24.9135, lng: 118.587 }; // 开元寺
}

function phone(prefix: string, i: number): string {
  return `0595-${prefix}${String(100000 + i * 137).slice(-6)}`;
}

async function streetsWithAnchors(trx: Db, districtCode: string): Promise<Region[]> {
  const district = await requireRegion(trx, districtCode);
  return (await regionsAtLevel(trx, 'street', [district.path])).filter((s) => ANCHORS[s.code]).sort((a, b) => a.code.localeCompare(b.code));
}

/** Neighbourhood centres, one per community, round the streets in turn. */
async function centres(trx: Db, streets: Region[], count: number, seed: number, city: string): Promise<DemoPlace[]> {
  const next = random(seed);
  const byStreet = await Promise.all(
    streets.map(async (s) => (await regionsAtLevel(trx, 'community', [s.path])).sort((a, b) => a.code.localeCompare(b.code))),
  );
  const out: DemoPlace[] = [];
  for (let i = 0; out.length < count && i < count * 20; i++) {
    const s = i % streets.length;
    const street = streets[s];
    const community = byStreet[s]?.[Math.floor(i / streets.length)];
    if (!street || !community) continue;
    const at = near(next, street.code, 0.012);
    const stars = 1 + Math.min(4, Math.floor(next() * next() * 5 + next() * 2.2));
    out.push({
      name: `${community.name}"党建+"邻里中心`,
      kind: 'neighbourhood_centre',
      region: community,
      address: `${city}${street.name}${community.name}${1 + Math.floor(next() * 120)}号`,
      ...at,
      contactName: '邻里中心值班员',
      contactPhone: phone('8', seed + i),
      amenities: pick(
        next,
        ['rest_seats', 'drinking_water', 'toilet'],
        [
          ['hot_water', 0.7],
          ['phone_charging', 0.6],
          ['books', 0.6],
          ['wifi', 0.5],
          ['air_conditioning', 0.6],
          ['microwave', 0.3],
          ['medicine_kit', 0.4],
        ],
      ),
      hours:
        i % 4 === 0
          ? WEEK.map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }))
          : WORKDAYS.flatMap((weekday) => [
              { weekday, opens: '08:30', closes: '12:00' },
              { weekday, opens: '14:30', closes: '17:30' },
            ]),
      starRating: stars,
    });
  }
  return out;
}

const SHOPS = ['便利店', '水果店', '药店', '茶叶店', '面馆', '超市', '五金店', '早餐店', '奶茶店', '烟酒店', '理发店', '书店', '小吃店'];
const RIGHTS_SPOTS = [
  '泉港零工市场',
  '泉港物流园区',
  '山腰快递集散中心',
  '网约车集散点',
  '石化工业园区服务中心',
  '外卖骑手服务点',
  '货车司机之家',
  '快递企业网点',
  '物流企业工会',
  '镇综治中心',
  '劳动保障服务站',
  '社区工会服务站',
];

export async function loadDemoPlaces(_ctx: AppContext, trx: Db, input: { districtPath: string }, now = new Date()): Promise<number> {
  const licheng = (await regionsAtLevel(trx, 'street', [input.districtPath])).sort((a, b) => a.code.localeCompare(b.code));
  if (licheng.length === 0) return 0;
  const places: DemoPlace[] = [];

  // 43 warm stations in 鲤城区.
  const next = random(350502);
  const lichengName = '泉州市鲤城区';
  const stationStreets = await regionsAtLevel(trx, 'street', [input.districtPath]);
  for (let i = 0; i < DEMO_WARM_STATIONS; i++) {
    const street = stationStreets[i % stationStreets.length];
    if (!street) continue;
    const spot = SPOTS[i % SPOTS.length] ?? '鲤城';
    const round = Math.floor(i / SPOTS.length);
    const address = `${lichengName}${street.name}${spot}${10 + Math.floor(next() * 190)}号`;
    const at = insideLicheng(next);
    places.push({
      name: `暖新驿站（${spot}${round > 0 ? '二站' : ''}）`,
      kind: 'warm_station',
      region: street,
      address,
      ...at,
      contactName: '驿站值班员',
      contactPhone: '0595-2' + String(2000000 + i * 137).slice(0, 7),
      amenities: stationAmenities(next),
      ...stationHours(i),
    });
  }

  // 65 water points at partner merchants in 鲤城区 (the seeds: "联动65家爱心商户设立免费取水点").
  const water = random(6565);
  for (let i = 0; i < DEMO_WATER_POINTS; i++) {
    const street = licheng[i % licheng.length];
    if (!street) continue;
    const spot = SPOTS[(i * 5) % SPOTS.length] ?? '鲤城';
    const shop = SHOPS[i % SHOPS.length] ?? '商店';
    places.push({
      name: `${spot}${shop}（爱心取水点）`,
      kind: 'water_point',
      region: street,
      address: `${lichengName}${street.name}${spot}${2 + Math.floor(water() * 240)}号`,
      ...insideLicheng(water),
      contactName: '店主',
      contactPhone: phone('2', 700 + i),
      amenities: pick(
        water,
        ['drinking_water'],
        [
          ['hot_water', 0.5],
          ['rest_seats', 0.4],
          ['phone_charging', 0.3],
          ['toilet', 0.15],
        ],
      ),
      ...(i % 9 === 0
        ? { alwaysOpen: true }
        : { hours: WEEK.map((weekday) => ({ weekday, opens: i % 2 ? '07:30' : '09:00', closes: i % 3 ? '22:00' : '21:00' })) }),
    });
  }

  // 32 neighbourhood centres in 泉州台商投资区: its four towns (in 惠安县).
  const zone = await trx.selectFrom('region_zone_members').select('member_code').where('zone_code', '=', ZONE_CODE).execute();
  const zoneStreets = (await Promise.all(zone.map((m) => requireRegion(trx, m.member_code))))
    .filter((s) => ANCHORS[s.code])
    .sort((a, b) => a.code.localeCompare(b.code));
  if (zoneStreets.length > 0) places.push(...(await centres(trx, zoneStreets, DEMO_CENTRES_ZONE, 3505001, '泉州台商投资区')));

  // 35 neighbourhood centres in 晋江市.
  const jinjiang = await streetsWithAnchors(trx, '350582');
  if (jinjiang.length > 0) places.push(...(await centres(trx, jinjiang, DEMO_CENTRES_JINJIANG, 350582, '晋江市')));

  // 23 rights contact points in 泉港区 (the seeds: at gig markets, logistics parks …), weekdays.
  const quangang = await streetsWithAnchors(trx, '350505');
  const rights = random(350505);
  for (let i = 0; i < DEMO_RIGHTS_POINTS && quangang.length > 0; i++) {
    const street = quangang[i % quangang.length] as Region;
    const spot = RIGHTS_SPOTS[i % RIGHTS_SPOTS.length] ?? '服务点';
    const round = Math.floor(i / RIGHTS_SPOTS.length);
    places.push({
      name: `维权联系点（${street.name}${spot}${round > 0 ? '二' : ''}）`,
      kind: 'rights_contact_point',
      region: street,
      address: `泉州市泉港区${street.name}${spot}`,
      ...near(rights, street.code, 0.008),
      contactName: '维权联络员',
      contactPhone: phone('8', 900 + i),
      amenities: pick(
        rights,
        ['rest_seats', 'drinking_water'],
        [
          ['phone_charging', 0.5],
          ['wifi', 0.3],
        ],
      ),
      hours: [1, 2, 3, 4, 5].flatMap((weekday) => [
        { weekday, opens: '08:30', closes: '12:00' },
        { weekday, opens: '14:30', closes: '17:30' },
      ]),
    });
  }

  // Mobile-service stops in 泉港区 (the seeds: "固定点位+流动服务"): yesterday, today, tomorrow, the day after.
  const mobile = random(88);
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const dayAt = (offsetDays: number, clock: string) =>
    new Date(new Date(`${today}T${clock}:00+08:00`).getTime() + offsetDays * 24 * 3600_000);
  const stops: [number, string, string, string][] = [
    [-1, '09:00', '12:00', '政策宣讲'],
    [0, '08:00', '20:00', '现场办理'],
    [1, '09:00', '17:00', '维权下乡'],
    [2, '14:00', '18:00', '法律咨询'],
  ];
  for (const [i, [offset, from, until, what]] of stops.entries()) {
    const street = quangang[(i * 2) % Math.max(quangang.length, 1)];
    if (!street) continue;
    places.push({
      name: `流动服务车·${what}（${street.name}）`,
      kind: 'mobile_service',
      region: street,
      address: `泉州市泉港区${street.name}${RIGHTS_SPOTS[i] ?? ''}门口`,
      ...near(mobile, street.code, 0.006),
      contactName: '流动服务队',
      contactPhone: phone('8', 990 + i),
      amenities: ['drinking_water', 'rest_seats', 'phone_charging', 'medicine_kit'],
      alwaysOpen: true,
      window: { from: dayAt(offset, from), until: dayAt(offset, until) },
    });
  }

  await insertPlacesBulk(trx, places.map(toRow));
  return places.length;
}
