// Forward-only migrations, run on every start. A new migration is a new file listed here.
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_audit.js';
import * as m0003 from './migrations/0003_sign_in_protection.js';
import * as m0004 from './migrations/0004_people.js';
import * as m0005 from './migrations/0005_read_paths.js';
import * as m0006 from './migrations/0006_calendar.js';
import * as m0007 from './migrations/0007_files.js';
import * as m0008 from './migrations/0008_matters.js';
import * as m0009 from './migrations/0009_templates.js';
import * as m0010 from './migrations/0010_places.js';
import * as m0011 from './migrations/0011_places_more.js';
import * as m0013 from './migrations/0013_points.js';
import * as m0014 from './migrations/0014_reports.js';
import * as m0015 from './migrations/0015_unlocked_writes.js';
import * as m0016 from './migrations/0016_grant_organisations.js';
import * as m0017 from './migrations/0017_session_changes.js';

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_audit': m0002,
  '0003_sign_in_protection': m0003,
  '0004_people': m0004,
  '0005_read_paths': m0005,
  '0006_calendar': m0006,
  '0007_files': m0007,
  '0008_matters': m0008,
  '0009_templates': m0009,
  '0010_places': m0010,
  '0011_places_more': m0011,
  '0013_points': m0013,
  '0014_reports': m0014,
  '0015_unlocked_writes': m0015,
  '0016_grant_organisations': m0016,
  '0017_session_changes': m0017,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
