// Serves the built web apps: the worker app at / and the console at /console/, each with a
// fallback to its index.html so client-side routes survive a reload.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../context.js';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

const API_PREFIXES = ['/api/', '/open311/', '/docs', '/openapi.json'];

/** Answers a page request with the app's index.html; null when the request is not for a page. */
export type PageFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | null;

export async function installWeb(app: App): Promise<PageFallback | null> {
  if (!existsSync(path.join(WEB_DIST, 'index.html'))) {
    app.log.warn('web apps are not built (run `npm run build:web`); serving the API only');
    return null;
  }
  // Files get their own routes (no wildcard), so unknown paths reach the fallback below.
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    wildcard: false,
    index: false,
    // The build writes .br and .gz beside each file (scripts/compress-web.mjs): no CPU per request.
    preCompressed: true,
    setHeaders(reply, filePath) {
      // Hashed assets never change; pages must be revalidated to pick up a new build.
      reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  return (request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !API_PREFIXES.some((p) => url.startsWith(p));
    if (!isPage || /\.[a-z0-9]+$/i.test(url)) return null;
    const page = url === '/console' || url.startsWith('/console/') ? 'console/index.html' : 'index.html';
    return reply.header('cache-control', 'no-cache').sendFile(page);
  };
}
