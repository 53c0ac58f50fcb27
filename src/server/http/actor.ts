// Resolves the signed-in actor from the session cookie once per API request, and guards
// cookie-authenticated changes against cross-site request forgery: a state-changing request
// must echo, in the x-csrf-token header, the token the page read from the nx_csrf cookie.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context.js';
import { errors } from '../errors.js';
import type { Actor } from '../modules/identity/access.js';
import { actorFromToken, csrfTokenFor } from '../modules/identity/service.js';

export const SESSION_COOKIE = 'nx_session';
export const CSRF_COOKIE = 'nx_csrf';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function installActor(app: App, ctx: AppContext): void {
  app.decorateRequest('actor', null);
  // A callback hook: requests without a session cookie (most page and asset loads) pass at once.
  app.addHook('preHandler', (request: FastifyRequest, _reply, done) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !request.url.startsWith('/api/')) return done();
    actorFromToken(ctx.db, token).then((actor) => {
      request.actor = actor;
      if (actor && !SAFE_METHODS.has(request.method)) {
        const given = request.headers[CSRF_HEADER];
        if (typeof given !== 'string' || !sameToken(given, csrfTokenFor(token))) return done(errors.csrfFailed());
      }
      done();
    }, done);
  });
}

/** Sets the session cookie and its CSRF companion (readable by the page's script). */
export function setSessionCookies(reply: FastifyReply, ctx: AppContext, token: string, maxAgeSeconds: number): void {
  const secure = ctx.config.publicUrl.startsWith('https:');
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds });
  reply.setCookie(CSRF_COOKIE, csrfTokenFor(token), { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge: maxAgeSeconds });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
