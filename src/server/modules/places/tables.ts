import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kinds of place, in the order the apps list them; labels in Chinese and English. */
export const PLACE_KINDS = {
  warm_station: { zh: '暖新驿站', en: 'Warm station' },
  neighbourhood_centre: { zh: '党建+邻里中心', en: 'Neighbourhood centre' },
  rights_station: { zh: '维权服务站', en: 'Rights station' },
  rights_contact_point: { zh: '维权联系点', en: 'Rights contact point' },
  water_point: { zh: '爱心商户取水点', en: 'Water point' },
  repair_point: { zh: '友好修车点', en: 'Friendly repair point' },
  drivers_home: { zh: '司机之家', en: "Drivers' home" },
  gig_market: { zh: '零工市场', en: 'Gig market' },
  social_work_station: { zh: '社工站', en: 'Social-work station' },
  /** A stop of a mobile team: a place only for its time window (created as a mobile stop). */
  mobile_service: { zh: '流动服务', en: 'Mobile service' },
} as const;
export type PlaceKind = keyof typeof PLACE_KINDS;
export const PLACE_KIND_CODES = Object.keys(PLACE_KINDS) as PlaceKind[];

export const AMENITIES = {
  rest_seats: { zh: '休息座椅', en: 'Rest seats' },
  drinking_water: { zh: '饮用水', en: 'Drinking water' },
  hot_water: { zh: '热水', en: 'Hot water' },
  microwave: { zh: '微波炉', en: 'Microwave' },
  phone_charging: { zh: '手机充电', en: 'Phone charging' },
  toilet: { zh: '卫生间', en: 'Toilet' },
  repair_tools: { zh: '维修工具', en: 'Repair tools' },
  ebike_parking: { zh: '电动车停放', en: 'E-bike parking' },
  medicine_kit: { zh: '医药箱', en: 'Medicine kit' },
  air_conditioning: { zh: '空调', en: 'Air conditioning' },
  wifi: { zh: '无线网络', en: 'Wi-Fi' },
  books: { zh: '图书', en: 'Books' },
} as const;
export type Amenity = keyof typeof AMENITIES;
export const AMENITY_CODES = Object.keys(AMENITIES) as Amenity[];

/** Vant icon names (checked against the installed Vant); the console maps them to its own set. */
export const KIND_ICONS: Record<PlaceKind, string> = {
  warm_station: 'home-o',
  neighbourhood_centre: 'friends-o',
  rights_station: 'shield-o',
  rights_contact_point: 'phone-circle-o',
  water_point: 'shop-o',
  repair_point: 'setting-o',
  drivers_home: 'logistics',
  gig_market: 'bag-o',
  social_work_station: 'service-o',
  mobile_service: 'underway-o',
};
export const AMENITY_ICONS: Record<Amenity, string> = {
  rest_seats: 'hotel-o',
  drinking_water: 'point-gift-o',
  hot_water: 'fire-o',
  microwave: 'hot-o',
  phone_charging: 'phone-o',
  toilet: 'wap-home-o',
  repair_tools: 'setting-o',
  ebike_parking: 'location-o',
  medicine_kit: 'add-square',
  air_conditioning: 'desktop-o',
  wifi: 'apps-o',
  books: 'bookmark-o',
};

export const DATUMS = ['wgs84', 'gcj02', 'bd09'] as const;
export type Datum = (typeof DATUMS)[number];

export interface PlaceTable {
  id: Generated<string>;
  name: string;
  kind: PlaceKind;
  region_code: string;
  /** Copy of the region's path so subtree filters need no join. */
  region_path: string;
  district_code: string | null;
  address: ColumnType<string, string | undefined, string>;
  /** WGS-84. */
  lat: number;
  lng: number;
  source_datum: ColumnType<Datum, Datum | undefined, Datum>;
  accuracy_m: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  organisation_id: string | null;
  amenities: ColumnType<Amenity[], Amenity[] | undefined, Amenity[]>;
  always_open: ColumnType<boolean, boolean | undefined, boolean>;
  /** Derived from place_hours: minutes of the week (from Sunday 00:00) as a multirange literal. */
  week_hours: ColumnType<string, string | undefined, string>;
  /** Derived from place_exceptions: the dates (yyyy-mm-dd) that have an exception. */
  exception_dates: ColumnType<string[], string[] | undefined, string[]>;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  /** 1–5 stars (neighbourhood centres are rated); null when not rated. */
  star_rating: ColumnType<number | null, number | null | undefined, number | null>;
  /** Set on mobile-service stops only: the place exists for [available_from, available_until). */
  available_from: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  available_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Amenities of the place marked out of service (a subset of amenities), with notes by code. */
  amenities_out: ColumnType<Amenity[], Amenity[] | undefined, Amenity[]>;
  amenity_notes: ColumnType<Record<string, string>, string | undefined, string>;
  /** Copy of the ids of its photos (files with subject 'place'), in display order. */
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A worker's check-in at a place (coverage planning reads it for weights). */
export interface PlaceCheckInTable {
  id: Generated<string>;
  place_id: string;
  account_id: string;
  checked_in_at: ColumnType<Date, Date | string | undefined, never>;
  /** The place's location (WGS-84) at the time of the check-in. */
  lat: number;
  lng: number;
}

export interface PlaceHoursTable {
  place_id: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes from midnight, Beijing time; [opens, closes). */
  opens: number;
  closes: number;
}

export interface PlaceExceptionTable {
  place_id: string;
  /** yyyy-mm-dd (Beijing date). */
  on_date: ColumnType<string, string, string>;
  /** Both null: closed all day. */
  opens: number | null;
  closes: number | null;
  note: string | null;
}

export type Place = Selectable<PlaceTable>;
export type NewPlace = Insertable<PlaceTable>;
export type PlaceHours = Selectable<PlaceHoursTable>;
export type PlaceException = Selectable<PlaceExceptionTable>;
