import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { originOf } from '../../http/origin.js';
import { errorResponses } from '../../http/schemas.js';
import { sendFile } from '../files/routes.js';
import { presentTemplate, TemplateCategorySchema, TemplateOut } from './present.js';
import { archiveTemplate, downloadTemplate, getTemplate, listTemplates, publishTemplate } from './service.js';

const tags = ['templates'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
// Text the database can store: no control characters (a NUL byte is refused by PostgreSQL).
const LINE = '^[^\\u0000-\\u001f\\u007f]*$';
const LINES = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';

export async function templateRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/templates',
    {
      schema: {
        tags,
        summary: 'The template library: every live template, newest first (anyone signed in)',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 50, pattern: LINE, description: 'words in the title, matched literally' })),
            category: Type.Optional(TemplateCategorySchema),
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(TemplateOut), total: Type.Integer() }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { q, category, limit, offset } = request.query;
      const result = await listTemplates(ctx.db, request.actor, { text: q, category, limit, offset });
      return { items: result.items.map(presentTemplate), total: result.total };
    },
  );

  app.get(
    '/api/templates/:id',
    {
      schema: {
        tags,
        summary: 'One live template',
        params: IdParams,
        response: { 200: TemplateOut, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentTemplate(await getTemplate(ctx.db, request.actor, request.params.id)),
  );

  app.post(
    '/api/templates',
    {
      schema: {
        tags,
        summary: 'Publish a template (station staff, mediators, coordinators, administrators over its region)',
        description: 'Upload the document first with POST /api/files, then publish it here with its id.',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 100, pattern: LINE }),
            category: TemplateCategorySchema,
            description: Type.Optional(Type.String({ maxLength: 1000, pattern: LINES })),
            fileId: Type.String({ format: 'uuid' }),
            regionCode: Type.String({ pattern: '^[A-Za-z0-9]{1,20}$' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: TemplateOut, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await publishTemplate(ctx.db, request.actor, request.body, originOf(request));
      return reply.code(201).send(presentTemplate(created));
    },
  );

  app.get(
    '/api/templates/:id/download',
    {
      schema: {
        tags,
        summary: "Download a template's document; each download is counted",
        params: IdParams,
        response: { ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(request, reply, await downloadTemplate(ctx, request.actor, request.params.id)),
  );

  app.delete(
    '/api/templates/:id',
    {
      schema: {
        tags,
        summary: 'Withdraw a template (staff over its region): it leaves the library',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await archiveTemplate(ctx.db, request.actor, request.params.id, originOf(request));
      return reply.code(204).send(null);
    },
  );
}
