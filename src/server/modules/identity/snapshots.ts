// A session carries a snapshot of its person and grants, so that resolving the actor of a
// request is one indexed row. Anything that changes a person's name, grants or two-factor state
// calls refreshSnapshots in the same transaction; disabling or closing an account ends its
// sessions instead.
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { scopeOfRegion } from '../regions/service.js';
import * as q from './queries.js';

export async function buildSnapshot(db: Db, userId: string): Promise<q.ActorSnapshot> {
  const [user, grants] = await Promise.all([q.findUserById(db, userId), q.findGrantRegions(db, userId)]);
  if (!user) throw errors.userNotFound({ id: userId });
  return {
    displayName: user.display_name,
    phoneMasked: user.phone_masked,
    twoFactorEnabled: user.totp_enabled_at !== null,
    grants: await Promise.all(
      grants.map(async (g) => ({
        role: g.role,
        regionCode: g.region_code,
        regionName: g.region_name,
        regionNameEn: g.region_name_en,
        regionLevel: g.region_level,
        regionKind: g.region_kind,
        organisationId: g.organisation_id,
        scope: [...(await scopeOfRegion(db, { code: g.region_code, kind: g.region_kind === 'zone' ? 'zone' : 'admin', path: g.region_path }))],
      })),
    ),
  };
}

export async function refreshSnapshots(db: Db, userId: string): Promise<void> {
  await q.updateSessionSnapshots(db, userId, await buildSnapshot(db, userId));
}
