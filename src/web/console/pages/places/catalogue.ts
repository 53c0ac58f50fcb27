// Kinds and amenities of places with their labels: the server's catalogue when it answers, else
// the lists this console was built with (the same codes), so pages never wait on it to draw.
import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useAppLocale } from '../../../shared/i18n';
import { placesApi } from './api';
import type { Catalogue } from './types';

export const KIND_CODES = [
  'warm_station',
  'neighbourhood_centre',
  'rights_station',
  'rights_contact_point',
  'water_point',
  'repair_point',
  'drivers_home',
  'gig_market',
  'social_work_station',
] as const;

export const AMENITY_CODES = [
  'rest_seats',
  'drinking_water',
  'hot_water',
  'microwave',
  'phone_charging',
  'toilet',
  'repair_tools',
  'ebike_parking',
  'medicine_kit',
  'air_conditioning',
  'wifi',
  'books',
] as const;

/** Marker colours by kind: distinct hues, all dark enough for a white outline. */
const KIND_COLOURS: Record<string, string> = {
  warm_station: '#c2410c',
  neighbourhood_centre: '#b91c1c',
  rights_station: '#1d4ed8',
  rights_contact_point: '#2563eb',
  water_point: '#0e7490',
  repair_point: '#4d7c0f',
  drivers_home: '#7c3aed',
  gig_market: '#a16207',
  social_work_station: '#be185d',
  mobile_service: '#0f766e',
};

export function kindColour(kind: string): string {
  return KIND_COLOURS[kind] ?? '#595959';
}

const loaded = ref<Catalogue | null>(null);
let asked = false;

export function usePlaceCatalogue() {
  const { t, te } = useI18n({ useScope: 'global' });
  const { localText } = useAppLocale();
  if (!asked) {
    asked = true;
    void placesApi.catalogue().then((c) => {
      loaded.value = c;
      if (!c) asked = false;
    });
  }
  const kindLabel = (code: string): string => {
    const entry = loaded.value?.kinds.find((k) => k.code === code);
    if (entry) return localText(entry.label);
    return te(`placeKinds.${code}`) ? t(`placeKinds.${code}`) : code;
  };
  const amenityLabel = (code: string): string => {
    const entry = loaded.value?.amenities.find((a) => a.code === code);
    if (entry) return localText(entry.label);
    return te(`amenities.${code}`) ? t(`amenities.${code}`) : code;
  };
  /** Kinds a place can be given in the register (mobile stops are scheduled on their own page). */
  const kinds = computed(() =>
    (loaded.value?.kinds.map((k) => k.code) ?? [...KIND_CODES])
      .filter((code) => code !== 'mobile_service')
      .map((code) => ({ value: code, label: kindLabel(code) })),
  );
  const amenities = computed(() =>
    (loaded.value?.amenities.map((a) => a.code) ?? [...AMENITY_CODES]).map((code) => ({ value: code, label: amenityLabel(code) })),
  );
  return { kinds, amenities, kindLabel, amenityLabel };
}
