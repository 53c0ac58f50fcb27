// Shared steps for report tests: a demo app with a scratch files folder, uploads, and reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/server/config.js';
import type { App } from '../../src/server/context.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { multipart, pdf, phonePhoto } from '../files/fixtures.js';

export const PHONES = {
  worker: '13800000001',
  grid: '13800000002',
  station: '13800000005',
  handler: '13800000007',
  coordinator: '13800000008',
  zoneCoordinator: '13800000013',
  streetCoordinator: '13800000014',
  admin: '13800000009',
};

/** A point in 鲤城区 near its seat. */
export const LICHENG = { lat: 24.9079, lng: 118.5869 };

export async function reportApp(config: Partial<Config> = {}): Promise<TestApp & { done(): Promise<void> }> {
  const filesDir = mkdtempSync(path.join(tmpdir(), 'nx-reports-'));
  const t = await createTestApp({ demo: true, config: { filesDir, ...config } });
  return {
    ...t,
    async done() {
      await t.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export async function upload(app: App, session: SessionHeaders, kind: 'photo' | 'pdf' = 'photo'): Promise<string> {
  const data = kind === 'photo' ? await phonePhoto(800, 600) : pdf();
  const body = multipart({ filename: kind === 'photo' ? 'a.jpg' : 'a.pdf', data });
  const res = await app.inject({ method: 'POST', url: '/api/files', headers: { ...session, ...body.headers }, payload: body.payload });
  if (res.statusCode !== 201) throw new Error(`upload: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

export function submit(app: App, session: SessionHeaders, body: Record<string, unknown>, key?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: { ...session, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { category: 'guardrails', location: LICHENG, ...body },
  });
}

export async function orgId(app: App, session: SessionHeaders, name: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/api/organisations?q=${encodeURIComponent(name)}&limit=5`, headers: session });
  const found = (res.json() as { items: { id: string; name: string }[] }).items.find((o) => o.name === name);
  if (!found) throw new Error(`no organisation ${name}`);
  return found.id;
}

export { signInAs };
