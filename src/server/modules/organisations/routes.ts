import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { OrganisationKindSchema, OrganisationOut, presentOrganisation } from './present.js';
import { createOrganisation, getOrganisation, listOrganisations } from './service.js';

const tags = ['organisations'];
const RegionCode = Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' });

export async function organisationRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/organisations',
    {
      schema: {
        tags,
        summary: "Organisations in a region's subtree, limited to the signed-in staff member's scope",
        querystring: Type.Object(
          {
            region: Type.Optional(RegionCode),
            kind: Type.Optional(OrganisationKindSchema),
            q: Type.Optional(Type.String({ maxLength: 50 })),
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
            offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(OrganisationOut), total: Type.Integer() }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { region, kind, q, limit, offset } = request.query;
      const result = await listOrganisations(ctx.db, request.actor, { regionCode: region, kind, text: q, limit, offset });
      return { items: result.items.map(presentOrganisation), total: result.total };
    },
  );

  app.get(
    '/api/organisations/:id',
    {
      schema: {
        tags,
        summary: 'One organisation',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: OrganisationOut, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentOrganisation(await getOrganisation(ctx.db, request.actor, request.params.id)),
  );

  app.post(
    '/api/organisations',
    {
      schema: {
        tags,
        summary: 'Create an organisation (administrators and coordinators over its region)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            kind: OrganisationKindSchema,
            regionCode: RegionCode,
            parentId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 201: OrganisationOut, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await createOrganisation(ctx.db, request.actor, request.body, originOf(request));
      return reply.code(201).send(presentOrganisation(created));
    },
  );
}
