// The console's current scope: one region within the staff member's grants, kept per user in
// localStorage. Pages show data for this region and the regions below it.
import { reactive } from 'vue';
import { api } from '../shared/api';
import { grantsWith } from '../shared/session';
import { STAFF_ROLES, type Me, type RegionDetail } from '../shared/types';

export const scope = reactive({
  /** The regions of the staff grants, outermost only: the tops of what may be chosen. */
  roots: [] as RegionDetail[],
  current: null as RegionDetail | null,
  ready: false,
  failed: false,
});

let preparedFor: string | null = null;
const storageKey = (userId: string) => `nx.console.scope.${userId}`;

/** True when the region lies within one of the roots (for a zone root: within a region it spans). */
export function withinScope(region: { code: string; ancestors?: { code: string }[] }): boolean {
  const path = [...(region.ancestors ?? []).map((a) => a.code), region.code];
  return scope.roots.some(
    (root) => path.includes(root.code) || (root.kind === 'zone' && (root.members ?? []).some((m) => path.includes(m.code))),
  );
}

export async function prepareScope(me: Me): Promise<void> {
  if (preparedFor === me.id && scope.ready) return;
  preparedFor = me.id;
  scope.ready = false;
  scope.failed = false;
  try {
    const codes = [...new Set(grantsWith(me, STAFF_ROLES).map((g) => g.regionCode))];
    const details = await Promise.all(codes.map((code) => api.region(code)));
    const rootCodes = new Set(codes);
    scope.roots = details.filter((d) => !d.ancestors.some((a) => rootCodes.has(a.code)));
    let current: RegionDetail | null = null;
    const saved = readSaved(me.id);
    if (saved) {
      current = await api.region(saved).catch(() => null);
      if (current && !withinScope(current)) current = null;
    }
    scope.current = current ?? scope.roots[0] ?? null;
  } catch {
    scope.failed = true;
    scope.current = null;
  } finally {
    scope.ready = true;
  }
}

/** Makes a region the current scope (the caller has checked it is within the grants). */
export async function setScope(code: string, me: Me): Promise<void> {
  if (scope.current?.code === code) return;
  const region = await api.region(code);
  scope.current = region;
  try {
    localStorage.setItem(storageKey(me.id), code);
  } catch {
    // Storage refused: the choice lasts until the page is reloaded.
  }
}

export function resetScope(): void {
  preparedFor = null;
  scope.roots = [];
  scope.current = null;
  scope.ready = false;
  scope.failed = false;
}

function readSaved(userId: string): string | null {
  try {
    return localStorage.getItem(storageKey(userId));
  } catch {
    return null;
  }
}
