// Prepares template databases once per run, so each test file gets a fresh copy cheaply:
// on PostgreSQL a database cloned from a template, on PGlite a dumped data folder.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import type { PGliteDump } from './app.js';
import { prepareTemplate } from './templates.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplates: { plain: string; demo: string } | null;
    pgliteDumps: { plain: string; demo: string } | null;
  }
}

export function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const run = randomBytes(4).toString('hex');
    const names = { plain: `nx_tpl_${run}_plain`, demo: `nx_tpl_${run}_demo` };
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (const [variant, name] of Object.entries(names)) {
      await admin.query(`create database ${name}`);
      await prepareTemplate({ databaseUrl: adminUrl(url, name) }, variant === 'demo');
    }
    project.provide('pgTemplates', names);
    project.provide('pgliteDumps', null);
    return async () => {
      for (const name of Object.values(names)) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'nx-test-'));
  const dumps = { plain: path.join(dir, 'plain.tar'), demo: path.join(dir, 'demo.tar') };
  for (const [variant, file] of Object.entries(dumps)) {
    const dump: PGliteDump = await prepareTemplate({ databaseUrl: null }, variant === 'demo');
    if (dump) writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  }
  project.provide('pgTemplates', null);
  project.provide('pgliteDumps', dumps);
  return async () => rmSync(dir, { recursive: true, force: true });
}
