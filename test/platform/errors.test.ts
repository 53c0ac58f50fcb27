import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function expectErrorShape(body: string, code: string) {
  const parsed = JSON.parse(body) as {
    error: { code: string; message: { zh: string; en: string }; details?: { issues: { field: string }[] } };
  };
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.message.zh.length).toBeGreaterThan(0);
  expect(parsed.error.message.en.length).toBeGreaterThan(0);
  return parsed;
}

describe('one error format for everything a client can get wrong', () => {
  it('an unknown route is a 404 in the error format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.body, 'not_found');
  });

  it('a known route with the wrong method is a 405 that says which methods are allowed', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/api/regions/350502' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toContain('GET');
    expectErrorShape(res.body, 'method_not_allowed');
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: '{"phone": "1380000',
    });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.body, 'malformed_json');
  });

  it('an oversized body is a 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ phone: '13800000001', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.body, 'payload_too_large');
  });

  it('a schema violation is a 400 naming the failing field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: '12345', password: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = expectErrorShape(res.body, 'invalid_request');
    expect(body.error.details?.issues[0]?.field).toBe('body.phone');
  });

  it('a missing required field is named too', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: '13800000001' } });
    expect(res.statusCode).toBe(400);
    const body = expectErrorShape(res.body, 'invalid_request');
    expect(body.error.details?.issues[0]?.field).toBe('body.password');
  });

  it('an unsupported content type is a 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(res.statusCode).toBe(415);
    expectErrorShape(res.body, 'unsupported_media_type');
  });

  it('every response carries a request id, and a sane incoming one is kept', async () => {
    const fresh = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'edge-42' } });
    expect(given.headers['x-request-id']).toBe('edge-42');
    const hostile = await t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'a b\nc' } });
    expect(hostile.headers['x-request-id']).not.toBe('a b\nc');
  });

  it('security headers are set on every response, errors and unknown routes included', async () => {
    for (const [method, url] of [
      ['GET', '/api/meta'],
      ['GET', '/api/nowhere'],
      ['GET', '/api/regions/%E0%A4%A'],
      ['POST', '/api/auth/sign-in'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      // An API answer may load nothing and be framed nowhere.
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('what is not the API gets the policy of a document: its own scripts and styles, framed nowhere', async () => {
    for (const url of ['/openapi.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });
});

describe('health, meta and API docs', () => {
  it('health reports the database kind', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('meta names the platform and shows no demo accounts without demo data', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/meta' });
    expect(res.json()).toMatchObject({ name: { zh: '暖新', en: 'Nuanxin' }, demo: false, demoAccounts: [] });
  });

  it('/openapi.json describes the routes from their schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/regions', '/api/regions/{code}', '/api/me', '/api/organisations']),
    );
  });

  it('/docs serves a readable API reference', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});
