import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { errorResponses } from '../../http/schemas.js';
import { presentRegion, presentRegionBrief, presentSearchResult, RegionDetailOut, RegionOut, RegionSearchOut } from './present.js';
import { getRegion, listRegions, searchRegions } from './service.js';

const Code = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$', description: 'Region code (NBS code, or a zone code)' });
const tags = ['regions'];

export async function regionRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/regions',
    {
      schema: {
        tags,
        summary: 'Top-level regions, or the children of one region (a zone lists the regions it spans)',
        querystring: Type.Object({ parent: Type.Optional(Code) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(RegionOut) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => ({ items: (await listRegions(ctx.db, request.query.parent)).map(presentRegion) }),
  );

  app.get(
    '/api/regions/search',
    {
      schema: {
        tags,
        summary: 'Find regions by name, optionally within a region',
        querystring: Type.Object(
          {
            q: Type.String({ minLength: 1, maxLength: 50 }),
            within: Type.Optional(Code),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(RegionSearchOut) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { q, within, limit } = request.query;
      return { items: (await searchRegions(ctx.db, { text: q, within, limit })).map(presentSearchResult) };
    },
  );

  app.get(
    '/api/regions/:code',
    {
      schema: {
        tags,
        summary: 'One region with its ancestors (and, for a zone, its members)',
        params: Type.Object({ code: Code }),
        response: { 200: RegionDetailOut, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { region, members } = await getRegion(ctx.db, request.params.code);
      return {
        ...presentRegion(region),
        ancestors: region.ancestors.map(presentRegionBrief),
        ...(members ? { members: members.map(presentRegion) } : {}),
      };
    },
  );
}
