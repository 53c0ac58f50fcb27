import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'nx-config-'));
}

describe('configuration', () => {
  it('has safe defaults: port 3000, loopback, embedded database in ./data', () => {
    const dir = tempDir();
    const config = loadConfig({}, dir);
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: null, demoData: undefined, logLevel: 'info' });
    expect(config.dataDir).toBe(path.join(dir, 'data'));
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
  });

  it('generates the field keys once into DATA_DIR, private to the owner, and reuses them', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: 'd' }, dir);
    const file = path.join(dir, 'd', 'keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: 'd' }, dir);
    expect(second.fieldKeys[0]?.key.equals(first.fieldKeys[0]?.key ?? Buffer.alloc(0))).toBe(true);
    expect(first.keySource).toBe('data-dir');
    expect(readFileSync(file, 'utf8')).toContain('blindIndexKey');
  });

  it('takes keys from the environment, the first one encrypting', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64');
    const k2 = Buffer.alloc(32, 2).toString('base64');
    const config = loadConfig({ FIELD_ENCRYPTION_KEYS: `new:${k2},old:${k1}`, BLIND_INDEX_KEY: k1 }, tempDir());
    expect(config.fieldKeys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(config.keySource).toBe('environment');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ FIELD_ENCRYPTION_KEYS: 'k1:short', BLIND_INDEX_KEY: Buffer.alloc(32).toString('base64') }, 'FIELD_ENCRYPTION_KEYS'],
    [{ FIELD_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` }, 'BLIND_INDEX_KEY'],
  ])('refuses %o, naming %s', (env, variable) => {
    try {
      loadConfig(env, tempDir());
      expect.unreachable('loadConfig accepted a wrong value');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(variable);
    }
  });

  it('a wrong value stops the server with one clear line and exit code 1, no stack trace', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href, path.join(ROOT, 'src/server/main.ts')],
      {
        cwd: tempDir(),
        env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual(['Configuration error: PORT: must be a whole number from 1 to 65535 (got "eighty")']);
  });
});
