// The rules that turn a contribution into points. A city or a district sets them; a region uses
// the nearest set at or above it, and the defaults below when none is set.
import type { Db } from '../../db/connect.js';
import * as q from './queries.js';

export interface PointRules {
  reportOrdinary: number;
  reportUseful: number;
  reportImportant: number;
  perVolunteerHour: number;
  perGridShift: number;
  /** Most points awarded to one worker in one calendar month (Beijing time); corrections aside. */
  monthlyCap: number;
  /** Awarded points expire this many months after the award. */
  expiryMonths: number;
  /** An unscanned redemption code expires after this many minutes and its points go back. */
  codeTtlMinutes: number;
}

export const DEFAULT_RULES: PointRules = {
  reportOrdinary: 5,
  reportUseful: 10,
  reportImportant: 20,
  perVolunteerHour: 10,
  perGridShift: 10,
  monthlyCap: 500,
  expiryMonths: 12,
  codeTtlMinutes: 30,
};

export interface EffectiveRules {
  rules: PointRules;
  /** Where they were set; null: the defaults. */
  setAt: string | null;
}

export function rulesFromRow(row: Omit<q.RuleRow, 'region_path'>): PointRules {
  return {
    reportOrdinary: row.report_ordinary,
    reportUseful: row.report_useful,
    reportImportant: row.report_important,
    perVolunteerHour: row.per_volunteer_hour,
    perGridShift: row.per_grid_shift,
    monthlyCap: row.monthly_cap,
    expiryMonths: row.expiry_months,
    codeTtlMinutes: row.code_ttl_minutes,
  };
}

export async function effectiveRules(db: Db, regionCode: string): Promise<EffectiveRules> {
  const row = await q.findRulesFor(db, regionCode);
  return row ? { rules: rulesFromRow(row), setAt: row.region_code } : { rules: DEFAULT_RULES, setAt: null };
}

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** The first moment of the calendar month (Beijing time) that holds `at`. */
export function beijingMonthStart(at: Date): Date {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - BEIJING_OFFSET_MS);
}

/** `at` plus whole calendar months (clamped to the month's last day). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
