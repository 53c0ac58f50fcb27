// Kinds and amenities with labels and icons: from GET /api/places/catalogue, with the built-in
// list as a fallback so chips show even before (or without) that answer.
import { ref } from 'vue';
import type { LocalizedText } from '../../../shared/types';
import { placesApi, type Catalogue, type CatalogueEntry } from './api';

/** Vant icon names for each amenity (the font is already in the app; no extra images). */
export const AMENITY_ICONS: Record<string, string> = {
  phone_charging: 'phone-o',
  drinking_water: 'gem-o',
  hot_water: 'hot-o',
  microwave: 'tv-o',
  toilet: 'manager-o',
  rest_seats: 'hotel-o',
  air_conditioning: 'umbrella-circle',
  repair_tools: 'setting-o',
  ebike_parking: 'logistics',
  medicine_kit: 'add-square',
  wifi: 'desktop-o',
  books: 'bookmark-o',
};

/** The order of the amenity chips: what a rider on the road asks for first. */
const AMENITY_ORDER = Object.keys(AMENITY_ICONS);

const FALLBACK_KINDS: [string, LocalizedText][] = [
  ['warm_station', { zh: '暖新驿站', en: 'Warm station' }],
  ['neighbourhood_centre', { zh: '党建+邻里中心', en: 'Neighbourhood centre' }],
  ['rights_station', { zh: '维权服务站', en: 'Rights station' }],
  ['rights_contact_point', { zh: '维权联系点', en: 'Rights contact point' }],
  ['water_point', { zh: '爱心商户取水点', en: 'Water point' }],
  ['repair_point', { zh: '友好修车点', en: 'Friendly repair point' }],
  ['drivers_home', { zh: '司机之家', en: "Drivers' home" }],
  ['gig_market', { zh: '零工市场', en: 'Gig market' }],
  ['social_work_station', { zh: '社工站', en: 'Social-work station' }],
];

const FALLBACK_AMENITIES: [string, LocalizedText][] = [
  ['phone_charging', { zh: '手机充电', en: 'Phone charging' }],
  ['drinking_water', { zh: '饮用水', en: 'Drinking water' }],
  ['hot_water', { zh: '热水', en: 'Hot water' }],
  ['microwave', { zh: '微波炉', en: 'Microwave' }],
  ['toilet', { zh: '卫生间', en: 'Toilet' }],
  ['rest_seats', { zh: '休息座椅', en: 'Rest seats' }],
  ['air_conditioning', { zh: '空调', en: 'Air conditioning' }],
  ['repair_tools', { zh: '维修工具', en: 'Repair tools' }],
  ['ebike_parking', { zh: '电动车停放', en: 'E-bike parking' }],
  ['medicine_kit', { zh: '医药箱', en: 'Medicine kit' }],
  ['wifi', { zh: '无线网络', en: 'Wi-Fi' }],
  ['books', { zh: '图书', en: 'Books' }],
];

export const KIND_ICONS: Record<string, string> = {
  warm_station: 'hot-o',
  neighbourhood_centre: 'wap-home-o',
  rights_station: 'shield-o',
  rights_contact_point: 'shield-o',
  water_point: 'shop-o',
  repair_point: 'setting-o',
  drivers_home: 'logistics',
  gig_market: 'cluster-o',
  social_work_station: 'friends-o',
  mobile_service: 'logistics',
};

const toEntries = (list: [string, LocalizedText][]): CatalogueEntry[] => list.map(([code, label]) => ({ code, label }));

function sortAmenities(list: CatalogueEntry[]): CatalogueEntry[] {
  const rank = (code: string) => {
    const i = AMENITY_ORDER.indexOf(code);
    return i < 0 ? AMENITY_ORDER.length : i;
  };
  return [...list].sort((a, b) => rank(a.code) - rank(b.code));
}

const catalogue = ref<Catalogue>({ kinds: toEntries(FALLBACK_KINDS), amenities: toEntries(FALLBACK_AMENITIES) });
let loading: Promise<void> | null = null;

/** The server's icon (a Vant icon name) when it gave one, else ours. */
export function amenityIcon(code: string): string {
  return catalogue.value.amenities.find((a) => a.code === code)?.icon || AMENITY_ICONS[code] || 'circle';
}

export function kindIcon(code: string): string {
  return catalogue.value.kinds.find((k) => k.code === code)?.icon || KIND_ICONS[code] || 'location-o';
}

/** The catalogue, loaded once per page load; the fallback stays if the server has none. */
export function useCatalogue() {
  loading ??= placesApi.catalogue().then(
    (answer) => {
      if (Array.isArray(answer.kinds) && answer.kinds.length > 0 && Array.isArray(answer.amenities) && answer.amenities.length > 0) {
        catalogue.value = { kinds: answer.kinds, amenities: sortAmenities(answer.amenities) };
      }
    },
    () => {
      loading = null;
    },
  );
  return catalogue;
}
