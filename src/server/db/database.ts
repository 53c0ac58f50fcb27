// The whole schema as Kysely sees it: each module declares its own tables.
import type { ColumnType } from 'kysely';
import type {
  ConsentTable,
  OneTimeCodeTable,
  RecoveryCodeTable,
  RoleGrantTable,
  SessionTable,
  UserTable,
  WorkerProfileTable,
} from '../modules/identity/tables.js';
import type { AuditLogTable } from '../modules/audit/tables.js';
import type { CalendarDayTable } from '../modules/calendar/tables.js';
import type { FileTable } from '../modules/files/tables.js';
import type { MatterEventTable, MatterTable } from '../modules/matters/tables.js';
import type { NotificationTable, OutboxTable } from '../modules/notifications/tables.js';
import type { OrganisationTable } from '../modules/organisations/tables.js';
import type { PlaceCheckInTable, PlaceExceptionTable, PlaceHoursTable, PlaceTable } from '../modules/places/tables.js';
import type { PointAccountTable, PointEntryTable, PointRuleTable, PointTransferTable } from '../modules/points/tables.js';
import type { RedemptionTable, RewardStockTable, RewardTable } from '../modules/rewards/tables.js';
import type { Open311KeyTable, ReportCategoryTable, ReportRouteTable, ReportTable } from '../modules/reports/tables.js';
import type { RegionTable, RegionZoneMemberTable } from '../modules/regions/tables.js';
import type { TemplateTable } from '../modules/templates/tables.js';

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface RateLimitTable {
  key: string;
  window_start: Date;
  hits: ColumnType<number, number | undefined, number>;
}

export interface Database {
  regions: RegionTable;
  region_zone_members: RegionZoneMemberTable;
  organisations: OrganisationTable;
  users: UserTable;
  role_grants: RoleGrantTable;
  sessions: SessionTable;
  recovery_codes: RecoveryCodeTable;
  one_time_codes: OneTimeCodeTable;
  worker_profiles: WorkerProfileTable;
  consents: ConsentTable;
  settings: SettingTable;
  rate_limits: RateLimitTable;
  audit_log: AuditLogTable;
  calendar_days: CalendarDayTable;
  files: FileTable;
  matters: MatterTable;
  matter_events: MatterEventTable;
  notifications: NotificationTable;
  outbox: OutboxTable;
  templates: TemplateTable;
  places: PlaceTable;
  place_hours: PlaceHoursTable;
  place_exceptions: PlaceExceptionTable;
  place_check_ins: PlaceCheckInTable;
  point_accounts: PointAccountTable;
  point_transfers: PointTransferTable;
  point_entries: PointEntryTable;
  point_rules: PointRuleTable;
  rewards: RewardTable;
  reward_stock: RewardStockTable;
  redemptions: RedemptionTable;
  report_categories: ReportCategoryTable;
  report_routes: ReportRouteTable;
  reports: ReportTable;
  open311_keys: Open311KeyTable;
}
