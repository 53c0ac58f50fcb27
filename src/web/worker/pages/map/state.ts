// What the map tab remembers while the app is open (filters, view, last answer), so coming back
// from a place page shows the same list at once.
import { reactive } from 'vue';
import type { NearPlace } from '../places/api';

export type MapView = 'list' | 'map';

const VIEW_KEY = 'nx.places.view';

function storedView(): MapView {
  try {
    return globalThis.localStorage?.getItem(VIEW_KEY) === 'map' ? 'map' : 'list';
  } catch {
    return 'list';
  }
}

export function rememberView(view: MapView): void {
  try {
    globalThis.localStorage?.setItem(VIEW_KEY, view);
  } catch {
    // private mode: the choice lasts for this visit only
  }
}

export const mapState = reactive({
  /** The list is the default: it works on a cheap phone and without tiles. */
  view: storedView(),
  openOnly: true,
  kinds: [] as string[],
  amenities: [] as string[],
  /** The point the list is sorted from (WGS-84) and how it was found. */
  origin: null as { lat: number; lng: number } | null,
  source: 'none' as 'none' | 'device' | 'denied' | 'unavailable',
  items: [] as NearPlace[],
  loadedAt: null as Date | null,
});
