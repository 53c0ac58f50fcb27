// A config for tests: fixed keys, nothing read from or written to disk.
import type { Config } from '../../src/server/config.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent',
    databaseUrl: null,
    demoData: false,
    logLevel: 'silent',
    publicUrl: 'http://127.0.0.1:3000',
    filesDir: '/nonexistent/files',
    fileMaxBytes: 10 * 1024 * 1024,
    fieldKeys: [{ id: 't1', key: Buffer.alloc(32, 7) }],
    blindIndexKey: Buffer.alloc(32, 9),
    keySource: 'environment',
    smsOutboxFile: null,
    twoFactorRoles: ['admin', 'system_admin', 'security_admin', 'audit_admin'],
    signInMaxFailures: 5,
    signInLockMinutes: 15,
    supervisionDueSoonHours: 8,
    supervisionEscalateHours: 16,
    auditRetentionDays: 365,
    placeTravel: { walkKmh: 5, ebikeKmh: 15, carKmh: 25, detourPercent: 130 },
    serviceArea: { south: 24.2, west: 117.5, north: 26.0, east: 119.2 },
    map: {
      tileUrl: 'https://tiles.invalid/{z}/{x}/{y}.png?k={key}',
      labelUrl: '',
      tileKey: '',
      attribution: 'test tiles',
      centre: { lat: 24.912, lng: 118.586 },
    },
    jobs: false,
    open311ApiKeys: [],
    ...overrides,
  };
}
