// Resolves the signed-in actor from the session cookie once per API request.
import type { FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context.js';
import type { Actor } from '../modules/identity/access.js';
import { actorFromToken } from '../modules/identity/service.js';

export const SESSION_COOKIE = 'nx_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export function installActor(app: App, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && request.url.startsWith('/api/')) request.actor = await actorFromToken(ctx.db, token);
  });
}
