// Organisations that own matters, for the ledger's owner filter (assigning uses the matter's own
// owner candidates instead). The organisations API lists only those inside the staff member's
// area, so a street's desk would never find the district's mediation team its appeals go to; the
// owners of recent matters in the area fill that gap.
import { api } from '../../../shared/api';
import { mattersApi } from '../../../shared/matters/api';

export interface OwnerOption {
  id: string;
  name: string;
}

const recent = new Map<string, Promise<OwnerOption[]>>();

/** Distinct owners of the most recently updated matters in the region (cached per region). */
export function recentOwners(regionCode: string): Promise<OwnerOption[]> {
  let found = recent.get(regionCode);
  if (!found) {
    found = mattersApi.list({ view: 'ledger', region: regionCode, sort: 'updated_desc', limit: 100 }).then(
      (page) => {
        const byId = new Map<string, string>();
        for (const item of page.items) if (item.ownerOrgId && item.ownerOrgName) byId.set(item.ownerOrgId, item.ownerOrgName);
        return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
      },
      () => {
        recent.delete(regionCode);
        return [];
      },
    );
    recent.set(regionCode, found);
  }
  return found;
}

/** Organisations in the staff member's area whose name contains the text. */
export async function searchOrganisations(q: string): Promise<OwnerOption[]> {
  const page = await api.organisations({ q: q.trim() || undefined, limit: 30 });
  return page.items.map((o) => ({ id: o.id, name: o.name }));
}
