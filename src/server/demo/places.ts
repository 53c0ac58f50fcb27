// Demo places: the 43 warm stations (暖新驿站) of 鲤城区 at plausible spots inside the district,
// with ordinary, split (closed over lunch) and 24-hour hours. Deterministic, so tests can rely on it.
import type { AppContext } from '../context.js';
import type { Db } from '../db/connect.js';
import { createPlace, type PlaceInput } from '../modules/places/service.js';
import type { Amenity } from '../modules/places/tables.js';
import { regionsAtLevel } from '../modules/regions/service.js';

export const DEMO_WARM_STATIONS = 43;

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

const WEEK = [0, 1, 2, 3, 4, 5, 6];

/** A small deterministic generator (mulberry32): the same stations on every load. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hoursFor(i: number): Pick<PlaceInput, 'alwaysOpen' | 'hours' | 'exceptions'> {
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

function amenitiesFor(next: () => number): Amenity[] {
  const list: Amenity[] = ['rest_seats', 'drinking_water'];
  const optional: [Amenity, number][] = [
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
  ];
  for (const [amenity, share] of optional) if (next() < share) list.push(amenity);
  return list;
}

export async function loadDemoPlaces(ctx: AppContext, trx: Db, input: { districtPath: string }): Promise<number> {
  const streets = await regionsAtLevel(trx, 'street', [input.districtPath]);
  if (streets.length === 0) return 0;
  const next = random(350502);
  for (let i = 0; i < DEMO_WARM_STATIONS; i++) {
    const street = streets[i % streets.length];
    if (!street) continue;
    const spot = SPOTS[i % SPOTS.length] ?? '鲤城';
    const round = Math.floor(i / SPOTS.length);
    await createPlace(trx, 'system', ctx.config, {
      name: `暖新驿站（${spot}${round > 0 ? '二站' : ''}）`,
      kind: 'warm_station',
      regionCode: street.code,
      address: `泉州市鲤城区${street.name}${spot}${10 + Math.floor(next() * 190)}号`,
      location: { lat: 24.9 + next() * 0.04, lng: 118.56 + next() * 0.05, datum: 'wgs84', accuracyM: 20 },
      contactName: '驿站值班员',
      contactPhone: '0595-2' + String(2000000 + i * 137).slice(0, 7),
      amenities: amenitiesFor(next),
      ...hoursFor(i),
      isDemo: true,
    });
  }
  return DEMO_WARM_STATIONS;
}
