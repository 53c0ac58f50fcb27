import { Type, type Static } from 'typebox';
import type { Actor } from './access.js';

export const MeOut = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  phoneMasked: Type.String(),
  grants: Type.Array(
    Type.Object({
      role: Type.String(),
      regionCode: Type.String(),
      regionName: Type.String(),
      regionNameEn: Type.Union([Type.String(), Type.Null()]),
      regionLevel: Type.String(),
      regionKind: Type.String(),
    }),
  ),
});

export function presentMe(actor: Actor): Static<typeof MeOut> {
  return {
    id: actor.userId,
    displayName: actor.displayName,
    phoneMasked: actor.phoneMasked,
    grants: actor.grants.map((g) => ({
      role: g.role,
      regionCode: g.regionCode,
      regionName: g.regionName,
      regionNameEn: g.regionNameEn,
      regionLevel: g.regionLevel,
      regionKind: g.regionKind,
    })),
  };
}
