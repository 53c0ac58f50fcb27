// One typed configuration object, read from the environment (and `.env` when present).
// A wrong value throws ConfigError naming the variable; main.ts prints it as one line.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface FieldKey {
  id: string;
  key: Buffer;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Unset means the embedded PGlite database under dataDir. */
  databaseUrl: string | null;
  /** undefined = decide at start (load only into an empty embedded database). */
  demoData: boolean | undefined;
  logLevel: LogLevel;
  publicUrl: string;
  filesDir: string;
  /** The largest upload accepted, in bytes. */
  fileMaxBytes: number;
  /** The first key encrypts; all of them decrypt (rotation). */
  fieldKeys: FieldKey[];
  blindIndexKey: Buffer;
  /** Failed sign-ins in a row that lock an account, and for how long. */
  signInMaxFailures: number;
  signInLockMinutes: number;
  /** Development and tests: also append each text message to this file. */
  smsOutboxFile: string | null;
  /** Roles that must sign in with a second factor. */
  twoFactorRoles: string[];
  /** Supervision: working hours before the deadline that count as "due soon", and after it before escalation. */
  supervisionDueSoonHours: number;
  supervisionEscalateHours: number;
  /** Places: speeds for estimated travel minutes, and the factor (in per cent) roads add to a straight line. */
  placeTravel: { walkKmh: number; ebikeKmh: number; carKmh: number; detourPercent: number };
  /** Places must lie inside this box (WGS-84 degrees). */
  serviceArea: { south: number; west: number; north: number; east: number };
  /** Worker app map: tile URL template ({s} {z} {x} {y} {key}), its key (empty: no tiles, the list still works), attribution, fallback centre (WGS-84). */
  map: { tileUrl: string; labelUrl: string; tileKey: string; attribution: string; centre: { lat: number; lng: number } };
  /** Days the audit log is kept (at least 180). */
  auditRetentionDays: number;
  /** Run the scheduled jobs (supervision, outbox, clean-up) in this process. */
  jobs: boolean;
  /** Open311 API keys given by the environment (OPEN311_API_KEYS), besides those made in the console. */
  open311ApiKeys: string[];
  /** Where the keys came from, for the start-up banner (never the keys themselves). */
  keySource: 'environment' | 'data-dir';
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

const ALL_ROLES = [
  'worker',
  'grid_member',
  'resident',
  'merchant',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
  'admin',
  'system_admin',
  'security_admin',
  'audit_admin',
];
const ADMIN_ROLES = ['admin', 'system_admin', 'security_admin', 'audit_admin'];

/** TWO_FACTOR_ROLES: the roles that must use two-factor sign-in; administrators always must. */
function readRoles(env: Env): string[] {
  const raw = env.TWO_FACTOR_ROLES;
  if (raw === undefined || raw.trim() === '') return ADMIN_ROLES;
  const roles = raw
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !ALL_ROLES.includes(r));
  if (unknown.length > 0) throw new ConfigError('TWO_FACTOR_ROLES', `unknown role ${unknown.join(', ')}; allowed: ${ALL_ROLES.join(', ')}`);
  return [...new Set([...ADMIN_ROLES, ...roles])];
}

function readBoolean(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL, or unset for the embedded database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// (got "${url.protocol}//")`);
  }
  return raw;
}

function readPublicUrl(env: Env, host: string, port: number): string {
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') {
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
    return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
  }
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an http:// or https:// URL (got "${raw}")`);
  }
  return raw.replace(/\/+$/, '');
}

/** SERVICE_AREA="south,west,north,east" in WGS-84 degrees; the default is Quanzhou city. */
function readServiceArea(env: Env): Config['serviceArea'] {
  const raw = env.SERVICE_AREA;
  if (raw === undefined || raw.trim() === '') return { south: 24.2, west: 117.5, north: 26.0, east: 119.2 };
  const parts = raw.split(',').map((p) => Number(p.trim()));
  const [south, west, north, east] = parts;
  const valid =
    parts.length === 4 &&
    parts.every(Number.isFinite) &&
    south !== undefined &&
    west !== undefined &&
    north !== undefined &&
    east !== undefined &&
    south >= -90 &&
    north <= 90 &&
    south < north &&
    west >= -180 &&
    east <= 180 &&
    west < east;
  if (!valid || south === undefined || west === undefined || north === undefined || east === undefined) {
    throw new ConfigError('SERVICE_AREA', `must be "south,west,north,east" in degrees, south < north and west < east (got "${raw}")`);
  }
  return { south, west, north, east };
}

/** Tianditu vector tiles (WGS-84/CGCS2000 in Web Mercator, so no datum shift for our stored points). */
export const TIANDITU_VEC =
  'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}';

function readMap(env: Env): Config['map'] {
  const tileUrl = env.MAP_TILE_URL?.trim() || TIANDITU_VEC;
  if (!/^https:\/\/[^\s]+\{z\}[^\s]*$/.test(tileUrl) || !tileUrl.includes('{x}') || !tileUrl.includes('{y}')) {
    throw new ConfigError('MAP_TILE_URL', `must be an https:// URL template with {z}, {x} and {y} (got "${tileUrl}")`);
  }
  const rawCentre = env.MAP_CENTRE?.trim() || '24.912,118.586';
  const [lat, lng] = rawCentre.split(',').map((p) => Number(p.trim()));
  if (
    lat === undefined ||
    lng === undefined ||
    !Number.isFinite(lat) ||
    !Number.isFinite(lng) ||
    Math.abs(lat) > 90 ||
    Math.abs(lng) > 180
  ) {
    throw new ConfigError('MAP_CENTRE', `must be "lat,lng" in WGS-84 degrees (got "${rawCentre}")`);
  }
  // Tianditu's vector tiles carry no names: its annotation layer (cva_w) goes on top.
  const labelUrl =
    env.MAP_TILE_LABEL_URL?.trim() ??
    (tileUrl === TIANDITU_VEC ? TIANDITU_VEC.replace('vec_w', 'cva_w').replace('LAYER=vec', 'LAYER=cva') : '');
  return {
    tileUrl,
    labelUrl,
    tileKey: env.MAP_TILE_KEY?.trim() ?? '',
    attribution: env.MAP_TILE_ATTRIBUTION?.trim() || '天地图 © 国家地理信息公共服务平台',
    centre: { lat, lng },
  };
}

function decodeKey(variable: string, text: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(variable, 'each key must be 32 bytes, base64-encoded (openssl rand -base64 32)');
  }
  return key;
}

/** FIELD_ENCRYPTION_KEYS="k2:BASE64,k1:BASE64" — the first one encrypts. */
function parseFieldKeys(raw: string): FieldKey[] {
  const keys = raw.split(',').map((part) => {
    const [id, text] = part.trim().split(':');
    if (!id || !text || !/^[A-Za-z0-9_-]{1,16}$/.test(id)) {
      throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'must be a comma-separated list of keyId:base64Key');
    }
    return { id, key: decodeKey('FIELD_ENCRYPTION_KEYS', text) };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'key ids must be unique');
  }
  return keys;
}

interface StoredKeys {
  fieldKeys: { id: string; key: string }[];
  blindIndexKey: string;
}

/** Keys given by the operator win; otherwise they are generated once into DATA_DIR/keys.json. */
function readKeys(env: Env, dataDir: string): Pick<Config, 'fieldKeys' | 'blindIndexKey' | 'keySource'> {
  const rawKeys = env.FIELD_ENCRYPTION_KEYS;
  const rawIndex = env.BLIND_INDEX_KEY;
  if (rawKeys || rawIndex) {
    if (!rawKeys) throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'must be set when BLIND_INDEX_KEY is set');
    if (!rawIndex) throw new ConfigError('BLIND_INDEX_KEY', 'must be set when FIELD_ENCRYPTION_KEYS is set');
    return {
      fieldKeys: parseFieldKeys(rawKeys),
      blindIndexKey: decodeKey('BLIND_INDEX_KEY', rawIndex),
      keySource: 'environment',
    };
  }
  const file = path.join(dataDir, 'keys.json');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const fresh: StoredKeys = {
      fieldKeys: [{ id: 'k1', key: randomBytes(32).toString('base64') }],
      blindIndexKey: randomBytes(32).toString('base64'),
    };
    writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600, flag: 'wx' });
  }
  let stored: StoredKeys;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  } catch {
    throw new ConfigError('DATA_DIR', `${file} is not readable JSON; restore it from backup`);
  }
  return {
    fieldKeys: stored.fieldKeys.map((k) => ({ id: k.id, key: decodeKey('DATA_DIR/keys.json', k.key) })),
    blindIndexKey: decodeKey('DATA_DIR/keys.json', stored.blindIndexKey),
    keySource: 'data-dir',
  };
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = readInteger(env, 'PORT', 3000, 1, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = path.resolve(cwd, env.DATA_DIR || 'data');
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`);
  }
  return {
    port,
    host,
    dataDir,
    databaseUrl: readDatabaseUrl(env),
    demoData: readBoolean(env, 'DEMO_DATA'),
    logLevel,
    publicUrl: readPublicUrl(env, host, port),
    filesDir: path.resolve(cwd, env.FILES_DIR || path.join(dataDir, 'files')),
    fileMaxBytes: readInteger(env, 'FILE_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    smsOutboxFile: env.NX_TEST_SMS_OUTBOX || null,
    supervisionDueSoonHours: readInteger(env, 'SUPERVISION_DUE_SOON_HOURS', 8, 1, 400),
    supervisionEscalateHours: readInteger(env, 'SUPERVISION_ESCALATE_HOURS', 16, 1, 2000),
    auditRetentionDays: readInteger(env, 'AUDIT_RETENTION_DAYS', 365, 180, 36500),
    placeTravel: {
      walkKmh: readInteger(env, 'TRAVEL_WALK_KMH', 5, 1, 20),
      ebikeKmh: readInteger(env, 'TRAVEL_EBIKE_KMH', 15, 1, 60),
      carKmh: readInteger(env, 'TRAVEL_CAR_KMH', 25, 1, 120),
      detourPercent: readInteger(env, 'TRAVEL_DETOUR_PERCENT', 130, 100, 300),
    },
    serviceArea: readServiceArea(env),
    map: readMap(env),
    jobs: readBoolean(env, 'JOBS') ?? true,
    open311ApiKeys: (env.OPEN311_API_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    twoFactorRoles: readRoles(env),
    signInMaxFailures: readInteger(env, 'SIGN_IN_MAX_FAILURES', 5, 1, 100),
    signInLockMinutes: readInteger(env, 'SIGN_IN_LOCK_MINUTES', 15, 1, 24 * 60),
    ...readKeys(env, dataDir),
  };
}

/** Only a loopback listener may show demo accounts (they have well-known passwords). */
export function listensOnLoopback(config: Pick<Config, 'host'>): boolean {
  return ['127.0.0.1', 'localhost', '::1'].includes(config.host) || config.host.startsWith('127.');
}
