import type { FastifyRequest } from 'fastify';
import type { Origin } from '../context.js';

export function originOf(request: FastifyRequest): Origin {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 300) ?? null, requestId: request.id };
}
