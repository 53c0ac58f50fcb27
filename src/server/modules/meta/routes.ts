import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { errorResponses } from '../../http/schemas.js';
import { checkHealth, readMeta, VERSION } from './service.js';

const tags = ['meta'];

export async function metaRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/meta',
    {
      schema: {
        tags,
        summary: 'Name and version of the platform; demo accounts while demo data is on (loopback only)',
        response: {
          200: Type.Object({
            name: Type.Object({ zh: Type.String(), en: Type.String() }),
            version: Type.String(),
            demo: Type.Boolean(),
            demoAccounts: Type.Array(
              Type.Object({
                phone: Type.String(),
                password: Type.String(),
                role: Type.String(),
                displayName: Type.String(),
                regionName: Type.String(),
              }),
            ),
            map: Type.Object(
              {
                tileUrl: Type.String({ description: 'Leaflet URL template; {key} stands for tileKey' }),
                labelUrl: Type.String({ description: 'An annotation layer drawn over the tiles, or empty' }),
                tileKey: Type.String({ description: 'Browser key of the tile service; empty: draw no tiles' }),
                attribution: Type.String(),
                centre: Type.Object(
                  { lat: Type.Number(), lng: Type.Number() },
                  { description: 'WGS-84; where the map opens without a position' },
                ),
              },
              { description: 'Tiles for the worker app map (configured by MAP_TILE_*)' },
            ),
          }),
        },
      },
    },
    async () => ({ name: { zh: '暖新', en: 'Nuanxin' }, version: VERSION, ...(await readMeta(ctx)), map: ctx.config.map }),
  );

  app.get(
    '/api/health',
    {
      schema: {
        tags,
        summary: 'Liveness and database reachability, for load balancers',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }), ...errorResponses(500) },
      },
    },
    async () => {
      await checkHealth(ctx.db);
      return { status: 'ok' as const, database: ctx.dbKind };
    },
  );
}
