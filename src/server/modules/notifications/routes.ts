import { Type } from 'typebox';
import type { App, AppContext } from '../../context.js';
import { errorResponses } from '../../http/schemas.js';
import { listNotifications, markNotificationsRead } from './service.js';

const tags = ['notifications'];
const Text = Type.Object({ zh: Type.String(), en: Type.String() });

export async function notificationRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags,
        summary: 'My in-app messages, newest first',
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }), before: Type.Optional(Type.String({ format: 'date-time' })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            unread: Type.Integer(),
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                matterId: Type.Union([Type.String(), Type.Null()]),
                text: Text,
                readAt: Type.Union([Type.String(), Type.Null()]),
                createdAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => listNotifications(ctx.db, request.actor, request.query),
  );

  app.post(
    '/api/me/notifications/read',
    {
      schema: {
        tags,
        summary: 'Mark messages read: the ones listed, or all',
        body: Type.Object(
          { ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100 })), all: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ marked: await markNotificationsRead(ctx.db, request.actor, request.body.all ? 'all' : (request.body.ids ?? [])) }),
  );
}
