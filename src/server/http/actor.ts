// Resolves the signed-in actor from the session cookie once per API request, and guards
// cookie-authenticated changes against cross-site request forgery: a state-changing request
// must echo, in the x-csrf-token header, the token the page read from the nx_csrf cookie.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, AppContext } from '../context.js';
import { errors } from '../errors.js';
import type { Actor } from '../modules/identity/access.js';
import { listen } from '../db/listen.js';
import { csrfTokenFor, sessionFromToken } from '../modules/identity/service.js';
import { SessionCache } from '../modules/identity/session-cache.js';

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
  const sessions = keepSessions(app, ctx);
  // A callback hook: requests without a session cookie (most page and asset loads) pass at once.
  app.addHook('preHandler', (request: FastifyRequest, _reply, done) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token || !request.url.startsWith('/api/')) return done();
    sessionFromToken(ctx.db, token, sessions).then((session) => {
      request.actor = session?.actor ?? null;
      if (session && !SAFE_METHODS.has(request.method)) {
        const given = request.headers[CSRF_HEADER];
        if (typeof given !== 'string' || !sameToken(given, session.csrf)) return done(errors.csrfFailed());
      }
      done();
    }, done);
  });
}

/** The app's cache of live sessions (identity/session-cache.ts): kept only while every change is heard. */
function keepSessions(app: App, ctx: AppContext): SessionCache {
  const cache = new SessionCache();
  let stop: (() => Promise<void>) | null = null;
  app.addHook('onReady', async () => {
    stop = listen(ctx.db, {
      channel: 'nx_session',
      onMessage: (tokenHash) => cache.forget(tokenHash),
      onState: (listening) => cache.setEnabled(listening),
      onError: (error) => ctx.log.warn({ err: error }, 'session change listener lost; sessions are read every time until it is back'),
    });
  });
  app.addHook('onClose', async () => {
    cache.close();
    await stop?.();
  });
  return cache;
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
